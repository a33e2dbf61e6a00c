PARAM message AS STRING LIKE "Hello {name}, we have news for you!" DESCRIPTION "Message, {name} is replaced by the contact's name"
PARAM template AS STRING LIKE "promo_may" DESCRIPTION "Approved WhatsApp template"
PARAM filter AS STRING LIKE "profile=VIP" DESCRIPTION "Which contacts get the message"
DESCRIPTION "Sends a message to a list of contacts"

report = LLM "Will this message be approved by WhatsApp? Answer yes or no and why: " + message
TALK report

list = FIND "contacts", filter
index = 0
sent = 0
DO WHILE index <= UBOUND(list)
  row = list[index]
  text = REPLACE(message, "{name}", row.name)
  SEND TEMPLATE row.phone, template, #{ body: text }
  sent = sent + 1
  WAIT 1
  index = index + 1
LOOP
TALK "Broadcast sent to " + sent + " contacts."
