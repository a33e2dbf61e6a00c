' apostrophe comment
REM rem comment
rem lower-case rem comment
// slash comment
# hash comment
REMEMBER "k", "v", "1 day"
REMOVE BOT "helper"
TALK "not a comment: ' // REM" ' trailing comment
TALK "multi" + _
  " line"
SEND MAIL "a@example.com",
  "Subject",
  "Body",
  ""
TALK "a"; TALK "b"
