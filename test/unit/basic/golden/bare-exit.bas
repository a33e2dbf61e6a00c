' EXIT alone leaves the innermost loop; a FOR EACH left that way runs as Rhai's own for
FOR EACH item IN cart
  IF item.qty = 0 THEN EXIT
  TALK item.name
NEXT
WHILE tries < 3
  tries = tries + 1
  IF ok THEN
    EXIT
  END IF
WEND
DO
  n = n + 1
  IF n > 9 THEN EXIT
LOOP
