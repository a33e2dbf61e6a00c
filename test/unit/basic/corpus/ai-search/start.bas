ADD TOOL "qr"
ADD TOOL "find-procedure"

USE KB "procedures"

CLEAR SUGGESTIONS
ADD SUGGESTION "scan" AS "Scan a QR Code"
ADD SUGGESTION "find" AS "Find a procedure"
ADD SUGGESTION "help" AS "How to search documents"

BEGIN TALK
**General Bots AI Search**

Ask me anything about the company procedures.
You can also scan a QR code printed on a document.
END TALK

BEGIN SYSTEM PROMPT
You are a document search assistant. Answer only from the procedures knowledge base.
When you cite a document, give its title and section.
END SYSTEM PROMPT
