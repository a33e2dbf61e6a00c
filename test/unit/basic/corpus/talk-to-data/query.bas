PARAM question AS STRING LIKE "What were the top 5 products in May?" DESCRIPTION "A question about the sales data"
DESCRIPTION "Answers a question about the sales data"

data = FIND "sales", ""
columns = "product, region, month, qty, total"
answer = LLM "You have a table of sales with the columns " + columns + ". Data: " + TOJSON(data) + ". Question: " + question
TALK answer
