SET SCHEDULE "every 5 minutes"

due = FIND "reminders", "sent=false"
FOR EACH r IN due
  IF r.when <= NOW() THEN
    SEND SMS r.contact, "⏰ Reminder: " + r.text
    UPDATE "reminders" SET sent = TRUE WHERE id = r.id
  END IF
NEXT r
