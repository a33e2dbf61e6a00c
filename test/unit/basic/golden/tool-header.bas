' A tool, as General Bots tools are written: PARAM and DESCRIPTION lines, then the work
PARAM product AS STRING LIKE "pizza" DESCRIPTION "Product to order"
PARAM qty AS INTEGER LIKE 2 DESCRIPTION "How many"
PARAM size AS STRING ENUM ["small", "large"] DESCRIPTION "Size"
DESCRIPTION "Orders a product for the customer"
total = qty * 10
TALK "Ordering " + qty + " x " + product + " (" + size + ")"
SAVE "orders", product, qty, size, total
RETURN total
