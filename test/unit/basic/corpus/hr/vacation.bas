PARAM employee AS STRING DESCRIPTION "Employee name"
PARAM start AS DATE LIKE "2024-07-01" DESCRIPTION "First day of vacation"
PARAM days AS INTEGER LIKE "15" DESCRIPTION "Number of days"
DESCRIPTION "Requests vacation for an employee"

balance = FIND "vacation_balance", "employee=" + employee
available = balance[0].days
IF days > available THEN
  TALK "You only have " + available + " days available."
  RETURN
END IF
manager = balance[0].manager
request = #{ employee: employee, start: start, days: days, status: "pending" }
SAVE "vacation_requests", request
SEND MAIL manager, "Vacation request: " + employee, employee + " asks " + days + " days from " + start + "."
TALK "Request sent to " + manager + " for approval."
