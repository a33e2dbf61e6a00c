PARAM city AS STRING LIKE "Lisbon" DESCRIPTION "City to check"
PARAM unit AS STRING ENUM ["C", "F"] DESCRIPTION "Temperature unit"
DESCRIPTION "Reports the weather"
SET SCHEDULE "every day at 7am"
WEBHOOK "weather-hook"
USE WEBSITE "https://weather.example.com"
USE WEBSITE "https://news.example.com" REFRESH "1h"
report = WEATHER city
TALK report
