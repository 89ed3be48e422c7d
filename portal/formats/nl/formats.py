# Dates on pages, PDFs and sheets in Dutch form: "19 januari 2027", "19 januari 2027 14:05".
DATE_FORMAT = "j F Y"
DATETIME_FORMAT = "j F Y H:i"
