PARAM sku AS STRING LIKE "CAF-001" DESCRIPTION "Product code"
DESCRIPTION "Shows the stock of a product in every warehouse"

items = FIND "inventory", "sku=" + sku
IF UBOUND(items) < 0 THEN
  TALK "Unknown product " + sku
  RETURN
END IF
total = 0
FOR EACH item IN items
  TALK item.warehouse + ": " + item.qty + " units"
  total = total + item.qty
NEXT
TALK "Total: " + total
min = GET BOT MEMORY "min-stock"
IF min <> "" AND total < VAL(min) THEN TALK "⚠️ Below the minimum stock of " + min
