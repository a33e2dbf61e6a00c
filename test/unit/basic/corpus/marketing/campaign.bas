PARAM product AS STRING DESCRIPTION "Product to promote"
PARAM audience AS STRING LIKE "small business owners" DESCRIPTION "Who the campaign is for"
PARAM channel AS STRING ENUM ["instagram", "linkedin", "email"] DESCRIPTION "Channel"
DESCRIPTION "Writes a marketing campaign"

copy = LLM "Write a short " + channel + " post promoting " + product + " to " + audience + ". Use a friendly tone."
TALK copy
IF channel = "email" THEN
  subject = LLM "Write a subject line for this e-mail: " + copy
  SAVE "campaigns", product, channel, subject, copy
ELSE
  SAVE "campaigns", product, channel, copy
END IF
TALK "Saved as a draft. Say 'publish' to post it."
