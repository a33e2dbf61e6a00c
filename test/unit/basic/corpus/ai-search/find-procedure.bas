PARAM topic AS STRING LIKE "expense refund" DESCRIPTION "What the procedure is about"
DESCRIPTION "Finds the procedure that answers a question and summarizes it"

USE KB "procedures"
answer = LLM "Find the procedure about '" + topic + "' and summarize its steps in a numbered list."
TALK answer
ADD SUGGESTION TEXT "Another procedure" AS "another"
