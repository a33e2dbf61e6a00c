PARAM email AS EMAIL DESCRIPTION "E-mail of the contact"
PARAM phone AS PHONE LIKE "+55 21 99999-0000" DESCRIPTION "New phone number"
DESCRIPTION "Updates the phone number of a contact"

UPDATE "contacts" SET phone = phone, updated = NOW() WHERE email = email
TALK "Phone of " + email + " updated to " + phone + "."
