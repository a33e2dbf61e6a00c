' END FOR closes FOR EACH (and FOR … TO); a trailing DO after FOR EACH … IN list is accepted
FOR EACH product IN products DO
  TALK product.name
END FOR
for each line in lines
  total = total + line.price
end for
FOR i = 1 TO 3
  TALK i
END FOR
