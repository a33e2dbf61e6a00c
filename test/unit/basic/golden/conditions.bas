' Rhai rejects a constant that is not true or false as a condition; BASIC's numbers mean "not zero"
WHILE 1
  HEAR answer
  IF answer = "bye" THEN EXIT
WEND
DO WHILE -1
  EXIT DO
LOOP
IF 0 THEN TALK "never"
ok = ready AND 1
