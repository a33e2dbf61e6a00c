PARAM cpf AS CPF DESCRIPTION "Patient CPF"
DESCRIPTION "Looks up a patient record"

rows = FIND "patients", "cpf=" + cpf
IF UBOUND(rows) < 0 THEN
  HEAR name AS NAME WITH "You are not registered yet. What is your full name?"
  HEAR birth AS DATE WITH "And your date of birth?"
  SAVE "patients", cpf, name, birth
  TALK "Registered, " + name + "."
ELSE
  p = rows[0]
  TALK "Patient: " + p.name
  TALK "Last visit: " + p.last_visit
END IF
