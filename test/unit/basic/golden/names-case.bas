' BASIC names are case-insensitive, the runtime's are not: calls take the registered spelling; a call of a
' keyword the runtime has as a syntax is written as that syntax; keywords as properties are written as keys
name = ucase(trim(input))
words = Split(text, " ")
line = JOIN(words, ", ")
top = FIRST(items)
bottom = LAST(items)
rows = FIND("orders", "status=open")
summary = LLM("Summarize: " + text)
n = Len(name) + len(words)
label = o.LIST + o.type
