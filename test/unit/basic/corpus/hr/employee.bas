PARAM name AS STRING DESCRIPTION "Employee name"
DESCRIPTION "Shows the directory entry of an employee"

people = FIND "employees", "name=" + name
FOR EACH person IN people
  BEGIN TALK
  **${person.name}** — ${person.role}
  Department: ${person.department}
  E-mail: ${person.email}
  END TALK
NEXT person
IF UBOUND(people) < 0 THEN TALK "Nobody called " + name + " works here."
