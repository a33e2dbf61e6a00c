ADD TOOL "checkin"
ADD TOOL "attendance-report"

TALK "Welcome to the attendance desk."
HEAR option AS "Check in", "Report", "Talk to a person"
SELECT CASE option
  CASE "Check in"
    CALL checkin
  CASE "Report"
    CALL "attendance-report"
  CASE ELSE
    TALK TO "+5521999990000", "A visitor wants to talk to someone"
END SELECT
