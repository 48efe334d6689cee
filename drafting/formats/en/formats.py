# The one format the app has always shown (short month names, 24-hour time), kept for English readers.
DATE_FORMAT = "j M Y"
DATETIME_FORMAT = "j M Y, H:i"
