PARAM text AS STRING LIKE "Pay the electricity bill" DESCRIPTION "What to remind"
PARAM when AS DATE LIKE "2024-06-01 09:00" DESCRIPTION "When to remind"
PARAM contact AS PHONE DESCRIPTION "Phone that gets the reminder"
DESCRIPTION "Creates a reminder"

id = "R" + FORMAT(NOW(), "yyyyMMddHHmmss")
SAVE "reminders", id, text, when, contact
TALK "OK! I will remind you: " + text + " on " + when + "."
