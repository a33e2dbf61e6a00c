PARAM currency AS STRING LIKE "USD" DESCRIPTION "ISO code of the currency"
DESCRIPTION "Gets today's exchange rate of a currency against the real"

url = "https://economia.awesomeapi.com.br/json/last/" + currency + "-BRL"
data = GET url
rate = data[currency + "BRL"].bid
TALK "1 " + currency + " = R$ " + FORMAT(rate, "0.00")
