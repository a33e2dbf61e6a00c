ADD TOOL "query"
TALK "Ask me questions about the sales data in plain language."
ADD SUGGESTION "top" AS "Top 5 products this month"
ADD SUGGESTION "region" AS "Sales by region"
