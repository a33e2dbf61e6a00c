PARAM employee AS STRING LIKE "Ana Lima" DESCRIPTION "Name of the employee checking in"
DESCRIPTION "Registers the arrival of an employee"

now = NOW()
SAVE "attendance", employee, now
total = FIND "attendance", "employee=" + employee
TALK "Good morning, " + employee + "! Check-in registered at " + FORMAT(now, "HH:mm") + "."
TALK "This is your check-in number " + UBOUND(total) + " this month."
