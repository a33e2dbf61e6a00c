REM Demo dialog. botsync compiles dialogs once the BASIC compiler lands (issue #3).
TALK "Hello! How can I help you today?"
HEAR question
TALK "You said: " + question
