ADD TOOL "appointment"
ADD TOOL "patient"
USE KB "clinic"

TALK "Hello! I am the virtual receptionist of the clinic."
TALK "I can book appointments and answer questions about our services."
ADD SUGGESTION "book" AS "Book an appointment"
ADD SUGGESTION "hours" AS "Opening hours"
