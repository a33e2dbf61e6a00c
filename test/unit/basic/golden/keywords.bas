USE KB "manuals"
USE TOOL "order-status"
CLEAR KB
SET BOT MEMORY "greeting", "hi"
greeting = GET BOT MEMORY "greeting"
ADD SUGGESTION "faq" AS "FAQ"
ADD SUGGESTION TEXT "Talk to a human" AS "human"
ADD SUGGESTION TOOL "order-status" AS "Order status"
ADD SWITCHER "formal" AS "Formal tone"
HEAR email AS EMAIL
answer = LLM "Summarize the conversation"
short = LLM answer
SAVE "contacts", contact
SAVE "contacts", id, contact
SEND EMAIL email, "Hello", "Body text"
rows = FIND "orders", "status=open"
resp = POST "https://api.example.com/orders", #{ id: 1 }
SET HEADER "Authorization", token
GROUP BY rows, "status"
send sms "+351900000000", "Your code"
REMEMBER "favourite", choice, "30 days"
WAIT 5
