USE KB "catalog"
ADD TOOL "product-search"
ADD TOOL "checkout"
cart = []
SET BOT MEMORY "cart-open", "yes"
TALK "Welcome to the store! What are you looking for today?"
ADD SUGGESTION "coffee" AS "Coffee"
ADD SUGGESTION "tea" AS "Tea"
ADD SUGGESTION "offers" AS "Today's offers"
