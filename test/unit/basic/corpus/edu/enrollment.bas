PARAM student AS STRING LIKE "Maria Souza" DESCRIPTION "Student name"
PARAM course AS STRING LIKE "Data Science" DESCRIPTION "Course to enroll in"
PARAM email AS EMAIL DESCRIPTION "Student e-mail"
DESCRIPTION "Enrolls a student in a course"

seats = FIND "courses", "name=" + course
IF UBOUND(seats) < 0 THEN
  TALK "There is no course called " + course + "."
ELSEIF seats[0].free <= 0 THEN
  TALK "Sorry, " + course + " is full. I put you on the waiting list."
  SAVE "waiting", student, course, email
ELSE
  id = "MAT-" + FORMAT(NOW(), "yyyyMMddHHmmss")
  SAVE "enrollments", id, student, course, email
  UPDATE "courses" SET free = seats[0].free - 1 WHERE name = course
  TALK "Enrollment " + id + " confirmed. Welcome to " + course + "!"
  SEND MAIL email, "Enrollment " + id, "You are enrolled in " + course + "."
END IF
