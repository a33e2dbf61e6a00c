' Messages, tasks and files with fewer arguments than the runtime's forms take
SEND MAIL customer.email, "Your order", body
SEND EMAIL admin, "New lead: " + name
SEND MAIL recipient, subject, body, [file]
CREATE TASK "Call " + name
CREATE TASK "Review", owner
CREATE TASK "Ship", owner, dueDate
CREATE TASK "Bill", owner, dueDate, project
WRITE "notes.txt"
WRITE "log.txt", line
DOWNLOAD url
report = DOWNLOAD "https://example.com/r.pdf", "reports/r.pdf"
