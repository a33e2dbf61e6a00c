' Statements the runtime has as functions: written BASIC style (no parentheses) they are calls
LOG_INFO "order received"
log_warn "stock low: " + product
SEND TEMPLATE "welcome", phone, #{ name: name }
SEND_TEMPLATE "receipt", phone, #{ total: total }, "pt"
WAIT 2
CLEAR ERROR
results = SEARCH PRODUCTS "coffee", 5
PLAY "https://example.com/jingle.mp3"
