' Many CASE values are one `in` test; past 16 branches a chain would nest too deep for the runtime, so it is flat
SELECT CASE choice
  CASE "a", "b", "c", "d", "e", "f"
    TALK "letter"
  CASE 1 TO 5, 9
    TALK "number"
  CASE ELSE
    TALK "other"
END SELECT
SELECT CASE day
  CASE 1
    TALK "d1"
  CASE 2
    TALK "d2"
  CASE 3
    TALK "d3"
  CASE 4
    TALK "d4"
  CASE 5
    TALK "d5"
  CASE 6
    TALK "d6"
  CASE 7
    TALK "d7"
  CASE 8
    TALK "d8"
  CASE 9
    TALK "d9"
  CASE 10
    TALK "d10"
  CASE 11
    TALK "d11"
  CASE 12
    TALK "d12"
  CASE 13
    TALK "d13"
  CASE 14
    TALK "d14"
  CASE 15
    TALK "d15"
  CASE 16
    TALK "d16"
  CASE 17
    TALK "d17"
  CASE ELSE
    TALK "later"
END SELECT
