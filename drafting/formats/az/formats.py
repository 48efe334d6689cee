"""Azerbaijani dates as official letters write them: "5 dekabr 2026, 14:30" (the month's full name, in lower
case; the time with two-digit hours, as in English)."""
from django.utils.translation import pgettext_lazy

DATE_FORMAT = "j E Y"
DATETIME_FORMAT = "j E Y, H:i"

# Django's own Azerbaijani catalog capitalises month names ("5 Dekabr 2026"); Azerbaijani spelling writes them in
# lower case inside a date. Our catalog comes first (LOCALE_PATHS), so these entries, which "E" reads, win.
# Listed here so `make messages` keeps them in the catalog.
MONTHS_IN_A_DATE = [
    pgettext_lazy("alt. month", "January"), pgettext_lazy("alt. month", "February"),
    pgettext_lazy("alt. month", "March"), pgettext_lazy("alt. month", "April"),
    pgettext_lazy("alt. month", "May"), pgettext_lazy("alt. month", "June"),
    pgettext_lazy("alt. month", "July"), pgettext_lazy("alt. month", "August"),
    pgettext_lazy("alt. month", "September"), pgettext_lazy("alt. month", "October"),
    pgettext_lazy("alt. month", "November"), pgettext_lazy("alt. month", "December"),
]
