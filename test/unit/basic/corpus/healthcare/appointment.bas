PARAM patient AS NAME DESCRIPTION "Patient full name"
PARAM specialty AS STRING ENUM ["cardiology", "dermatology", "pediatrics", "general practice"] DESCRIPTION "Medical specialty"
PARAM day AS DATE LIKE "2024-06-10" DESCRIPTION "Preferred day"
PARAM phone AS PHONE DESCRIPTION "Phone for the confirmation"
DESCRIPTION "Books a medical appointment"

slots = FIND "slots", "specialty=" + specialty
free = []
FOR EACH s IN slots
  IF s.day = day AND s.taken = FALSE THEN APPEND free, s
NEXT s
IF UBOUND(free) < 0 THEN
  TALK "There are no free slots for " + specialty + " on " + day + "."
  RETURN
END IF
slot = free[0]
UPDATE "slots" SET taken = TRUE, patient = patient WHERE id = slot.id
TALK "Booked: " + specialty + " on " + day + " at " + slot.time + " with Dr. " + slot.doctor + "."
SEND SMS phone, "Your appointment: " + day + " " + slot.time
