' A keyword's value assigned to an existing variable is written as a block: for some keywords the
' runtime's engine rejects `x = THINK KB q` ("Cannot assign to constant x") but not `x = { THINK KB q }`
IF ready THEN
  answer = THINK KB "What is the refund policy?"
  rows = FIND "orders", "status=open"
  count = count + 1
END IF
APPEND notes, THINK KB "summary"
