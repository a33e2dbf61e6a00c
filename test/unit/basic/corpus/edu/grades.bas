PARAM student AS STRING DESCRIPTION "Student name"
DESCRIPTION "Shows the grades of a student"

rows = FIND "grades", "student=" + student
IF UBOUND(rows) < 0 THEN
  TALK "No grades yet."
  RETURN
END IF
total = 0
FOR EACH g IN rows
  TALK g.subject + ": " + g.grade
  total = total + g.grade
NEXT g
average = total / (UBOUND(rows) + 1)
TALK "Average: " + ROUND(average, 1)
IF average >= 7 THEN
  TALK "Approved ✅"
ELSE
  TALK "Below the passing grade."
END IF
