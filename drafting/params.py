"""Numbers and dates read from a request (the query string or a posted field), read strictly.

What arrives in a URL is whatever someone typed, pasted or edited. `str.isdigit()` accepts "²" and other
Unicode digits that `int()` then refuses (a 500), `int()` itself accepts " 12" and "1_000", and a number
longer than a database column holds is a 500 too (PostgreSQL's bigint ends at 2**63 - 1; SQLite's INTEGER
at the same). So every id or number a view reads from the query string or a form goes through `integer()`:
ASCII digits only, within bounds, and anything else counts as absent. (Ids in a URL's path go through the
int converter, ASCII digits only, and Django answers one past a column's range with "not found".)

Dates and times go through `day()` and `moment()`, which refuse what they cannot represent (30 February, year
123456, a day whose end in the site's time zone lies past year 9999) with a message for the person, so a
view shows the message instead of a traceback.
"""
import re
from datetime import date, datetime, time
from datetime import timezone as dt_timezone

from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

MAX_ID = 2**63 - 1
_DIGITS = re.compile(r"[0-9]{1,19}")
_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
DATE_HELP = _("write a date as 2026-03-01")


class DateError(ValueError):
    """A date or time that cannot be read; the message is for the person who wrote it."""


class DateOutOfRange(DateError):
    """A well-formed date the site cannot represent (its moment in UTC lies before year 1 or after 9999)."""


def integer(raw, *, maximum=MAX_ID):
    """`raw` as a whole number from 0 to `maximum`; None when absent or anything else ("²", "-1", " 7",
    "1e3", thirty digits)."""
    if not isinstance(raw, str) or not _DIGITS.fullmatch(raw):
        return None
    value = int(raw)
    return value if value <= maximum else None


def integers(raws, *, maximum=MAX_ID):
    """The values of a repeated parameter (`?a=1&a=3`) that are numbers; the others are dropped."""
    return [value for value in (integer(raw, maximum=maximum) for raw in raws) if value is not None]


def _representable(moment):
    """Whether an aware moment survives conversion to UTC, as every database write and comparison does."""
    try:
        moment.astimezone(dt_timezone.utc)
    except OverflowError:
        return False
    return True


def _out_of_range(raw):
    return DateOutOfRange(gettext("“%(raw)s” is outside the dates this site can read; choose a date between "
                                  "year 1 and year 9999.") % {"raw": raw})


def day(raw):
    """A calendar date written as YYYY-MM-DD (ASCII digits), whose whole day in the site's time zone can be
    represented. Raises DateError with a message."""
    text = (raw or "").strip()
    if not _DAY.fullmatch(text):
        raise DateError(gettext("“%(raw)s” is not a date I can read: %(help)s.") % {"raw": raw, "help": DATE_HELP})
    try:
        value = date.fromisoformat(text)
    except ValueError:
        raise DateError(gettext("“%(raw)s” is not a date on the calendar: %(help)s.") % {"raw": raw, "help": DATE_HELP}) from None
    if not (_representable(start_of(value)) and _representable(end_of(value))):
        raise _out_of_range(raw)
    return value


def start_of(value):
    """The first moment of a day in the site's time zone."""
    return timezone.make_aware(datetime.combine(value, time.min))


def end_of(value):
    """The last moment of a day in the site's time zone (so "until" a day needs no day after it, which for
    31 December 9999 does not exist)."""
    return timezone.make_aware(datetime.combine(value, time.max))


def moment(raw):
    """A date and time in ISO 8601 ("2026-03-01 14:30", "2026-03-01T14:30:00+04:00"), in the site's time
    zone unless it says otherwise; a date alone means the end of that day. Raises DateError with a message."""
    text = (raw or "").strip().replace(" ", "T", 1)
    if not text.isascii():
        raise DateError(gettext("“%(raw)s” is not a date and time I can read.") % {"raw": raw})
    try:
        value = datetime.fromisoformat(text)
    except ValueError:
        raise DateError(gettext("“%(raw)s” is not a date and time I can read.") % {"raw": raw}) from None
    if len(text) <= 10:  # a date without a time: the text as it stood when that day ended
        value = datetime.combine(value.date(), time.max)
    if timezone.is_naive(value):
        value = timezone.make_aware(value)
    if not _representable(value):
        raise _out_of_range(raw)
    return value
