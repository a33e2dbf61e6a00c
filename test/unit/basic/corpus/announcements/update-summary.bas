SET SCHEDULE "*/10 * * * *"

subject = GET BOT MEMORY "subject"
IF subject = "" THEN subject = "company news"

USE KB "news"
resume = LLM "In a few words, summarize the most recent announcements about " + subject
SET BOT MEMORY "resume", resume
LOG_INFO "summary updated for " + subject
