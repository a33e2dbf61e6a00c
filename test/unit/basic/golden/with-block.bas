WITH customer
  name = "Ana"
  .age = 30
  tags = ["vip", "new"]
END WITH
IF ready THEN
  WITH order
    id = 7
  END WITH
END IF
