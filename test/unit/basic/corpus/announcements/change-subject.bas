PARAM subject AS STRING LIKE "Quarterly results" DESCRIPTION "The new subject of the announcements"
DESCRIPTION "Changes the subject the announcements talk about"

SET BOT MEMORY "subject", subject
TALK "Done! From now on the announcements are about " + subject + "."
