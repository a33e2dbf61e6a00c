ADD TOOL "add-reminder"
ADD TOOL "list-reminders"
TALK "I can remind you of anything. Just tell me what and when."
