ADD TOOL "balance"
ADD TOOL "transfer"

BEGIN TALK
Welcome to **General Bank**.
I can show your balance and make transfers.
END TALK

HEAR cpf AS CPF WITH "To start, what is your CPF?"
customer = FIND "customers", "cpf=" + cpf
IF UBOUND(customer) < 0 THEN
  TALK "I could not find that CPF. Please visit a branch."
ELSE
  SET BOT MEMORY "last-customer", cpf
  TALK "Hello, " + customer[0].name + "!"
END IF
