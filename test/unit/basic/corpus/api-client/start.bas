ADD TOOL "climate"
ADD TOOL "quote"

TALK "Hi! I can tell you the weather anywhere and the price of a currency."
ADD SUGGESTION "weather" AS "Weather in Lisbon"
ADD SUGGESTION "dollar" AS "Dollar today"
