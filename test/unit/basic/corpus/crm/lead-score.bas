PARAM email AS EMAIL DESCRIPTION "E-mail of the lead to score"
DESCRIPTION "Scores a lead from 0 to 100 with the AI"

lead = FIND "leads", "email=" + email
IF UBOUND(lead) < 0 THEN
  TALK "Lead not found."
  RETURN
END IF
l = lead[0]
prompt = "Score this lead from 0 to 100 for a B2B software company. Answer only the number. Company: " + l.company + ", source: " + l.source
score = VAL(LLM prompt)
UPDATE "leads" SET score = score WHERE email = email
SELECT CASE score
  CASE IS >= 80
    TALK "🔥 Hot lead: " + score
  CASE 50 TO 79
    TALK "Warm lead: " + score
  CASE ELSE
    TALK "Cold lead: " + score
END SELECT
