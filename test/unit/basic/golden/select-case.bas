SELECT CASE choice
  CASE 1
    TALK "one"
  CASE 2, 3
    TALK "two or three"
  CASE 4 TO 9
    TALK "single digit"
  CASE IS >= 10
    TALK "big"
  CASE ELSE
    TALK "not a number"
END SELECT
SELECT answer
CASE "yes"
  reply = "great"
CASE no
  reply = "ok"
END SELECT
