PARAM account AS STRING LIKE "12345-6" DESCRIPTION "Account number"
DESCRIPTION "Shows the balance of an account"

rows = FIND "accounts", "number=" + account
IF UBOUND(rows) < 0 THEN
  TALK "Account not found."
ELSE
  balance = rows[0].balance
  TALK "Your balance is R$ " + FORMAT(balance, "#,##0.00")
  IF balance < 0 THEN TALK "⚠️ Your account is overdrawn."
END IF
