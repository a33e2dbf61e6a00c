USE KB "courses"
ADD TOOL "enrollment"
ADD TOOL "grades"

CLEAR SUGGESTIONS
ADD SUGGESTION "enroll" AS "Enroll in a course"
ADD SUGGESTION "grades" AS "See my grades"

BEGIN TALK
Welcome to the **Academic Office**.
Ask about courses, enrollment or your grades.
END TALK
