SET SCHEDULE "every weekday at 9am"
DESCRIPTION "Reminds the owners of leads without contact for a week"

leads = FIND "leads", "status=new"
FOR EACH lead IN leads
  days = DATEDIFF(lead.created, NOW(), "d")
  IF days > 7 THEN
    body = "The lead " + lead.name + " (" + lead.company + ") has waited " + days + " days."
    SEND MAIL lead.owner, "Follow up: " + lead.name, body
    CREATE TASK "Call " + lead.name, lead.owner
  END IF
NEXT lead
