PARAM month AS INTEGER LIKE 5 DESCRIPTION "Month of the report"
DESCRIPTION "Summarizes the attendance of a month"

rows = FIND "attendance", "month=" + month
count = 0
late = 0
FOR EACH row IN rows
  count = count + 1
  IF HOUR(row.now) > 9 THEN late = late + 1
NEXT row
TALK "Check-ins: " + count
TALK "Late arrivals: " + late
IF count > 0 THEN
  TALK "Punctuality: " + ROUND((count - late) / count * 100, 1) + "%"
END IF
