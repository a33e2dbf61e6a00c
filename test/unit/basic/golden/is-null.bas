' IS NULL / IS NOT NULL / IS EMPTY / IS NOT EMPTY use the runtime's own ISNULL and ISEMPTY
HEAR email AS EMAIL
IF email IS NULL THEN
  TALK "I need your e-mail"
ELSEIF email IS EMPTY THEN
  TALK "The e-mail is empty"
END IF
IF order.notes IS NOT NULL AND order.notes IS NOT EMPTY THEN TALK order.notes
found = NULL
missing = x is null OR y Is Nothing
