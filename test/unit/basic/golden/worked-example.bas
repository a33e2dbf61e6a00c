PARAM name AS STRING LIKE "John" DESCRIPTION "User name"
DESCRIPTION "Greets the user"
TALK "Hello " + name
IF name = "Bob" THEN
  TALK "Hi Bob"
ELSE
  x = 1
END IF
USE KB "docs"
ADD SUGGESTION "a" AS "Option A"
