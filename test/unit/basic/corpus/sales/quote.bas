PARAM customer AS STRING DESCRIPTION "Customer name"
PARAM items AS STRING LIKE "2 x coffee, 1 x cake" DESCRIPTION "Items and quantities"
PARAM discount AS NUMBER LIKE "5" DESCRIPTION "Discount in percent"
DESCRIPTION "Makes a price quote"

lines = SPLIT(items, ",")
total = 0
FOR EACH line IN lines
  parts = SPLIT(TRIM(line), " x ")
  qty = VAL(parts[0])
  name = TRIM(parts[1])
  product = FIND "products", "name=" + name
  IF UBOUND(product) >= 0 THEN
    price = product[0].price * qty
    total = total + price
    TALK qty + " x " + name + " = " + FORMAT(price, "0.00")
  ELSE
    TALK "I don't know the product " + name
  END IF
NEXT line
IF discount > 0 THEN total = total * (100 - discount) / 100
TALK "Total for " + customer + ": " + FORMAT(total, "0.00")
