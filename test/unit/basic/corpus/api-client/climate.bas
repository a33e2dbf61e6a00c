PARAM location AS STRING LIKE "São Paulo" DESCRIPTION "City or location to get the weather for"
PARAM units AS STRING LIKE "celsius" DESCRIPTION "celsius or fahrenheit"
DESCRIPTION "Gets the current weather and the forecast for a city"

IF units = "" THEN units = "celsius"
now = WEATHER location
TALK "Weather in " + location + ": " + now
days = FORECAST location, 3
FOR EACH day IN days
  TALK day.date + ": " + day.min + "° to " + day.max + "°"
NEXT day
