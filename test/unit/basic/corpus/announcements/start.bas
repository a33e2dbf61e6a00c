USE KB "news"
subject = GET BOT MEMORY "subject"
resume = GET BOT MEMORY "resume"

TALK "Hello! Here are the latest announcements."
IF resume <> "" THEN
  TALK resume
END IF

ADD TOOL "change-subject"
ADD SUGGESTION "news" AS "What is new?"
ADD SUGGESTION "subject" AS "Change the subject"
