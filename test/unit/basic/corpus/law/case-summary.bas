PARAM case_number AS STRING LIKE "0001234-56.2024.8.19.0001" DESCRIPTION "Case number"
DESCRIPTION "Summarizes a case file"

file = "cases/" + case_number + ".pdf"
text = READ file
IF text = "" THEN
  TALK "I could not read the file of case " + case_number + "."
  RETURN
END IF
summary = LLM "Summarize this legal case in 5 bullet points, citing the articles of law involved: " + text
TALK summary
SET BOT MEMORY "last-case", case_number
WRITE "summaries/" + case_number + ".txt", summary
