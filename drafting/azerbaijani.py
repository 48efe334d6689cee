"""Azerbaijani letters done right (issue 13): slugs, alphabetical order, case-insensitive and letter-insensitive
matching. One function per job, used everywhere the app makes a slug, sorts names or matches typed text.

- `slugify`: "Azərbaycan Respublikasının Milli Təhlükəsizlik Konsepsiyası" → "azerbaycan-respublikasinin-milli-
  tehlukesizlik-konsepsiyasi" (Django's slugify alone drops ə and ı: "azrbaycan-respublikasnn-...").
- `sort_key`: the Azerbaijani alphabet, a b c ç d e ə f g ğ h x ı i j k q l m n o ö p r s ş t u ü v y z (x after
  h, q after k, each special letter after its base). Sorting happens in Python on lists that are small (members,
  documents, tags, the choices of a form): neither SQLite nor PostgreSQL offers one collation that does this on
  both (SQLite has no ICU collations; PostgreSQL's "az-x-icu" depends on how the server was built), and a
  database-specific order would make the two differ.
- `casefold`: case-insensitive comparison that treats the dotted and dotless i (İ i I ı) as one letter, as
  mentions do: Python's "İ".lower() is two code points and "I".lower() is "i", which suits neither language.
- `fold` / `Folded`: what a search box compares, in Python and in the database alike: case and the special
  letters both folded to plain Latin (ə→e, ı/İ/I→i, ş→s, ç→c, ğ→g, ö→o, ü→u), so "ucun" finds "üçün" and
  "Memmedova" finds "Məmmədova", typed with or without the Azerbaijani keyboard.
"""
import unicodedata

from django.db.models import Value
from django.db.models.functions import Lower, Replace
from django.utils.text import slugify as django_slugify

ALPHABET = "abcçdeəfgğhxıijkqlmnoöprsştuüvyz"
_RANK = {letter: rank for rank, letter in enumerate(ALPHABET)}
# Each special letter, small and capital, and its plain Latin letter. I and İ are both "i" once folded.
PLAIN = {"ə": "e", "Ə": "e", "ı": "i", "I": "i", "İ": "i", "ş": "s", "Ş": "s", "ç": "c", "Ç": "c",
         "ğ": "g", "Ğ": "g", "ö": "o", "Ö": "o", "ü": "u", "Ü": "u"}
_PLAIN_TABLE = str.maketrans(PLAIN)
_DOT_ABOVE = "\u0307"


def _lower(character):
    """One letter in lower case the Azerbaijani way (I → ı, İ → i); always one code point."""
    if character == "I":
        return "ı"
    if character == "İ":
        return "i"
    lowered = character.lower()
    return lowered if len(lowered) == 1 else character


def slugify(text):
    """A slug that keeps the Azerbaijani letters as their plain Latin ones (Django's slugify drops ə and ı)."""
    return django_slugify((text or "").translate(_PLAIN_TABLE))


def casefold(text):
    """Lower case with the dotted and dotless i as one letter; one code point per code point, so a position
    in the folded text is a position in the original (mentions rely on it)."""
    return "".join("i" if character in "İIı" else _lower(character) for character in text or "")


def fold(text):
    """What a search compares: lower case, and every special letter as its plain Latin one. The combining dot
    above goes too: Python (and some keyboards) write a small İ as i + U+0307."""
    return "".join(PLAIN.get(character, character) for character in text or "").lower().replace(_DOT_ABOVE, "")


def Folded(expression):
    """`fold` in SQL, the same on SQLite and PostgreSQL: the special letters replaced, then lower case (SQLite
    lowers ASCII only, which is all that is left of an Azerbaijani name by then). Use with a folded needle:
    `.alias(folded=Folded("full_name")).filter(folded__contains=fold(typed))`."""
    for special, plain in [*PLAIN.items(), (_DOT_ABOVE, "")]:
        expression = Replace(expression, Value(special), Value(plain))
    return Lower(expression)


def _letter_key(character):
    lowered = _lower(character)
    if lowered in _RANK:
        return (2, _RANK[lowered], 0)
    if lowered.isalpha():
        # A letter from outside the alphabet (w, ä, ж): beside its base letter if it has one, else after z.
        base = unicodedata.normalize("NFD", lowered)[0]
        return (2, _RANK[base], ord(lowered)) if base in _RANK else (2, len(ALPHABET), ord(lowered))
    if lowered.isdigit():
        return (1, unicodedata.digit(lowered, 0), ord(lowered))
    return (0, ord(lowered), 0)  # spaces and punctuation first: "Ali Zeynalov" before "Aliyev"


def sort_key(text):
    """Azerbaijani alphabetical order, case ignored; ties broken by the text itself, so the order is total."""
    text = text or ""
    return tuple(_letter_key(character) for character in text), text


def sorted_by_name(items, name=str):
    """`items` in Azerbaijani alphabetical order of `name(item)`."""
    return sorted(items, key=lambda item: sort_key(name(item)))
