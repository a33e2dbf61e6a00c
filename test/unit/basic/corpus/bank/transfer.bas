PARAM from_account AS STRING DESCRIPTION "Account to debit"
PARAM to_account AS STRING DESCRIPTION "Account to credit"
PARAM amount AS MONEY LIKE "100.00" DESCRIPTION "Amount to transfer"
DESCRIPTION "Transfers money between two accounts"

HEAR confirm AS BOOLEAN WITH "Confirm the transfer of R$ " + amount + " to " + to_account + "?"
IF NOT confirm THEN
  TALK "Transfer cancelled."
  RETURN
END IF
UPDATE "accounts" SET balance = balance - amount WHERE number = from_account
UPDATE "accounts" SET balance = balance + amount WHERE number = to_account
SAVE "transfers", from_account, to_account, amount
TALK "Done! R$ " + amount + " transferred."
