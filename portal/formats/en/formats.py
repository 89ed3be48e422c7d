# English pages use the day-month-year order the Dutch pages use: "19 January 2027 14:05".
DATE_FORMAT = "j F Y"
DATETIME_FORMAT = "j F Y H:i"
