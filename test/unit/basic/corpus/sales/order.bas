PARAM product AS STRING DESCRIPTION "Product name"
PARAM qty AS INTEGER DESCRIPTION "Quantity"
PARAM email AS EMAIL DESCRIPTION "Customer e-mail"
DESCRIPTION "Places an order"

stock = FIND "inventory", "name=" + product
IF UBOUND(stock) < 0 OR stock[0].qty < qty THEN
  TALK "Sorry, not enough " + product + " in stock."
  RETURN
END IF
number = "ORD-" + FORMAT(NOW(), "yyMMddHHmmss")
order = { "number": number, "product": product, "qty": qty, "email": email, "status": "new" }
SAVE "orders", order
UPDATE "inventory" SET qty = stock[0].qty - qty WHERE name = product
BEGIN MAIL email
Subject: Order ${number} confirmed
Hello!

Your order of ${qty} x ${product} is confirmed.
Number: ${number}
END MAIL
TALK "Order " + number + " placed. Check your e-mail."
