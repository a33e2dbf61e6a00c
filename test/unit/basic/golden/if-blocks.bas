IF a = 1 AND b <> 2 THEN
  TALK "one"
ELSEIF a > 1 OR NOT b THEN
  TALK "more"
ELSE IF a IN list THEN
  TALK "listed"
ELSE
  IF c NOT IN list THEN TALK "missing" ELSE TALK "present"
END IF
if lower = true then
  talk "lower case keywords"
endif
IF done THEN status = "closed"
