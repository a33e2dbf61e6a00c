' FIND takes the runtime's filter text "column=value[,column=value]"; WHERE conditions are written as that text
all = FIND "products.xlsx"
open = FIND "orders", "status=open"
mine = FIND "orders" WHERE customer = customerId
both = FIND "orders" WHERE status = "paid" AND customer = customerId
more = FIND "orders", "status=open" WHERE region = user.region
text = FIND "orders" WHERE "total > 100"
FOR EACH o IN FIND "orders" WHERE customer = customerId
  TALK o.id
NEXT
