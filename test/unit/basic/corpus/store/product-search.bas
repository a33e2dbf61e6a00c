PARAM query AS STRING LIKE "arabica coffee" DESCRIPTION "What the customer is looking for"
DESCRIPTION "Searches the catalog"

results = SEARCH PRODUCTS query, 5
IF UBOUND(results) < 0 THEN
  TALK "Nothing found for " + query + "."
  RETURN
END IF
FOR EACH p IN results
  TALK p.name + " — R$ " + FORMAT(p.price, "0.00")
  ADD SUGGESTION TEXT "Add " + p.name AS p.name
NEXT p
