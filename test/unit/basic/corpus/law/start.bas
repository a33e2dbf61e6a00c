USE KB "legislation"
ADD TOOL "case-summary"

TALK "Legal assistant. I answer from the legislation database and summarize cases."
TALK "This is not legal advice."
