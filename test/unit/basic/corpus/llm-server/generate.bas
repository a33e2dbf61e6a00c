PARAM prompt AS STRING DESCRIPTION "The prompt"
PARAM max_words AS INTEGER LIKE "100" DESCRIPTION "Maximum number of words"
DESCRIPTION "Generates a text from a prompt"

IF max_words <= 0 THEN max_words = 100
result = LLM prompt + ". Answer in at most " + max_words + " words."
words = SPLIT(result, " ")
TALK result
RETURN #{ text: result, words: UBOUND(words) + 1 }
