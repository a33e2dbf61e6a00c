PARAM contact AS PHONE DESCRIPTION "Phone of the user"
DESCRIPTION "Lists the pending reminders of a user"

items = FIND "reminders", "contact=" + contact
pending = 0
FOR EACH r IN items
  IF r.sent = FALSE THEN
    pending = pending + 1
    TALK pending + ". " + r.text + " — " + r.when
  END IF
NEXT
IF pending = 0 THEN TALK "You have no pending reminders."
