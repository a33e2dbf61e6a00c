REM Demo dialog: botsync compiles it to start.ast, start.mcp.json and start.tool.json in the work dir.
DESCRIPTION "Greets the user and answers from the demo knowledge base"
TALK "Hello! How can I help you today?"
HEAR question
USE KB "faq"
TALK "Let me look that up: " + question
