PARAM name AS NAME LIKE "João Silva" DESCRIPTION "Full name of the lead"
PARAM email AS EMAIL LIKE "joao@empresa.com" DESCRIPTION "E-mail of the lead"
PARAM company AS STRING LIKE "ACME Ltda" DESCRIPTION "Company the lead works for"
PARAM source AS STRING ENUM ["website", "event", "referral", "cold call"] DESCRIPTION "Where the lead came from"
DESCRIPTION "Registers a new sales lead"

existing = FIND "leads", "email=" + email
IF UBOUND(existing) >= 0 THEN
  TALK "This lead is already registered, owned by " + existing[0].owner + "."
  RETURN
END IF

created = NOW()
status = "new"
SAVE "leads", name, email, company, source, status, created
SEND MAIL "sales@example.com", "New lead: " + name, name + " from " + company + " (" + source + ")"
TALK "Lead " + name + " registered. I sent it to the sales team."
