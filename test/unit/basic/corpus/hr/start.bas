ADD TOOL "vacation"
ADD TOOL "employee"
USE KB "policies"

CLEAR SUGGESTIONS
ADD SUGGESTION "vacation" AS "Request vacation"
ADD SUGGESTION "policy" AS "Ask about a policy"

BEGIN SYSTEM PROMPT
You are the HR assistant. Answer questions about company policies politely and briefly.
Never disclose salaries or personal data of other employees.
END SYSTEM PROMPT
TALK "Hi! HR assistant here."
