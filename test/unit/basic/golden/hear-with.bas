' HEAR x AS TYPE WITH "prompt" and HEAR x WITH "prompt" ask first; a bare HEAR waits for any answer
HEAR name AS NAME WITH "What is your name?"
HEAR question WITH "What would you like to know?"
HEAR anything
IF name <> "" THEN HEAR age AS INTEGER WITH "How old are you, " + name + "?"
