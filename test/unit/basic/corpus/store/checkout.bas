PARAM cart AS ARRAY DESCRIPTION "Items in the cart"
PARAM address AS STRING DESCRIPTION "Delivery address"
PARAM payment AS STRING ENUM ["pix", "card", "boleto"] DESCRIPTION "Payment method"
DESCRIPTION "Finishes the purchase"

total = 0
FOR EACH item IN cart
  total = total + item.price * item.qty
NEXT
IF total = 0 THEN
  TALK "Your cart is empty."
  RETURN
END IF
order = #{ items: cart, address: address, payment: payment, total: total, at: NOW() }
INSERT "orders", order
SELECT CASE payment
  CASE "pix"
    TALK "Scan the PIX code to pay R$ " + FORMAT(total, "0.00")
    qr = QR CODE "pix:" + total, 300
    TALK qr
  CASE "card"
    TALK "We will send a payment link to your phone."
  CASE ELSE
    TALK "The boleto was sent to your e-mail."
END SELECT
