TALK "Hi! 👋 This is our WhatsApp assistant."
HEAR choice AS "Orders", "Support", "Opening hours"
IF choice = "Orders" THEN
  CALL orders
ELSEIF choice = "Support" THEN
  TRANSFER TO HUMAN
ELSE
  TALK "We are open from 9am to 6pm, Monday to Friday."
END IF
