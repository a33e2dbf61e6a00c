FOR EACH item IN items
  IF item = "stop" THEN EXIT FOR
  TALK item
NEXT item
for each row in FIND "orders", "status=open"
  TALK row.id
next
FOR i = 1 TO 5
  total = total + i
NEXT i
FOR j = 10 TO 0 STEP -2
  TALK j
NEXT
WHILE total < 100
  total = total * 2
WEND
DO WHILE total > 50
  total = total - 10
  IF total = 60 THEN EXIT DO
LOOP
DO UNTIL total = 0
  total = total - 1
LOOP
DO
  total = total + 1
LOOP WHILE total < 5
DO
  total = total - 1
LOOP UNTIL total <= 0
DO
  IF total > 3 THEN EXIT DO
  total = total + 1
LOOP
