"""The project's date formats per interface language (settings.FORMAT_MODULE_PATH), over Django's own.

Templates print dates with `|date:"DATETIME_FORMAT"` or `|date:"DATE_FORMAT"`, never a literal format, so each
language reads its own: "5 Dec 2026, 14:30" in English, "5 dekabr 2026, 14:30" in Azerbaijani.
"""
