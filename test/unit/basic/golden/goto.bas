tries = 0
ask:
HEAR answer
tries = tries + 1
IF answer = "" AND tries < 3 THEN GOTO ask
IF answer = "" THEN GOTO giveup
TALK "Thanks"
GOTO done
giveup:
TALK "No answer"
done:
