"""Characters the record does not hold: control characters, refused at input and replaced in exports.

Text pasted from another program can carry invisible control characters (a vertical tab from a word
processor's line break, a NUL from a PDF). None of them means anything in a clause, a name or a comment, and
they break things far from where they were typed: PostgreSQL refuses NUL in any string, XML (so XLSX and
DOCX) cannot hold most C0 characters, spreadsheets and the Markdown reader split lines at some of them. So:

- every form refuses them (`first_forbidden`), with a message naming the field: tab, line feed and carriage
  return are allowed in multi-line text only;
- every export replaces any that were stored anyway (before this rule, by a command, through the admin) with
  U+FFFD, the replacement character (`exportable`), rather than dropping them: the reader sees that something
  stood there, two words are never silently joined, and the stored text itself is left as it is.
"""
import re

from django.utils.translation import gettext

REPLACEMENT = "\ufffd"
LINE_BREAKS = "\t\n\r"
# C0 controls, DEL, C1 controls, the two non-characters XML 1.0 refuses, and lone surrogates (never valid
# UTF-8, so they cannot be written to a file either).
_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff\ud800-\udfff]")
_FORBIDDEN_ON_ONE_LINE = re.compile("[\x00-\x1f\x7f-\x9f\ufffe\uffff\ud800-\udfff]")


def first_forbidden(text, *, multiline):
    """The first character `text` may not hold (tab and line breaks are fine when `multiline`), or None."""
    found = (_FORBIDDEN if multiline else _FORBIDDEN_ON_ONE_LINE).search(text or "")
    return found.group() if found else None


def describe(character):
    """How a message names a character nobody can see."""
    if character in LINE_BREAKS:
        return gettext("a tab") if character == "\t" else gettext("a line break")
    return gettext("an invisible control character (U+%(code)s)") % {"code": f"{ord(character):04X}"}


def exportable(text):
    """`text` with every forbidden character except tab and line breaks replaced by U+FFFD."""
    return _FORBIDDEN.sub(REPLACEMENT, text) if text else text


def searchable(text):
    """`text` with forbidden characters (line breaks included) read as spaces: a search box answers for the
    visible words instead of refusing, and no NUL reaches the database."""
    return _FORBIDDEN_ON_ONE_LINE.sub(" ", text or "")
