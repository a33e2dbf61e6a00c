' ON ERROR RESUME NEXT: each statement that follows is tried on its own, and an error skips to the next
' one (Rhai's try … catch); ON ERROR GOTO 0 ends it. A SUB starts without it.
TALK "Fetching"
ON ERROR RESUME NEXT
data = POST "https://api.example.com/orders", #{ id: 1 }
IF data IS NULL THEN
  TALK "The service did not answer"
  HEAR again AS BOOLEAN WITH "Try again?"
END IF
ON ERROR GOTO 0
TALK "Done"
SUB Retry
  TALK "retrying"
END SUB
