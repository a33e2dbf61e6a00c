ADD TOOL "new-lead"
ADD TOOL "lead-score"
ADD TOOL "follow-up"
USE KB "products"

TALK "Hi! I am the sales assistant. How can I help?"
ADD SUGGESTION "lead" AS "Register a lead"
ADD SUGGESTION "score" AS "Score my leads"
ADD SUGGESTION "pipeline" AS "Show the pipeline"
