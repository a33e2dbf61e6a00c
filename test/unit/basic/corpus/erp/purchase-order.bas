PARAM sku AS STRING DESCRIPTION "Product code"
PARAM qty AS INTEGER LIKE 10 DESCRIPTION "Quantity to buy"
PARAM supplier AS STRING DESCRIPTION "Supplier name"
DESCRIPTION "Creates a purchase order"

product = FIND "products", "sku=" + sku
price = product[0].cost
total = qty * price
number = "PO-" + FORMAT(NOW(), "yyMMddHHmm")
WITH order
  number = number
  sku = sku
  qty = qty
  supplier = supplier
  total = total
  status = "open"
END WITH
SAVE "purchase_orders", order
TALK "Purchase order " + number + " created: " + qty + " x " + sku + " = " + FORMAT(total, "0.00")
IF total > 10000 THEN
  SEND MAIL "finance@example.com", "Approval needed: " + number, "Total " + FORMAT(total, "0.00")
  TALK "It needs the approval of finance."
END IF
