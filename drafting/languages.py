"""The languages a document's text is kept in, and which field of a clause or an amendment holds each.

Drafting keeps two text languages: Azerbaijani (the official language of the documents) and English (their
working translation). English text lives in the original fields (`heading`, `body`, `proposed_body`, ...), kept
from the time the app held English only; Azerbaijani text in the `_az` fields beside them. A document declares
which language is authoritative and which, if any, is its translation.
"""
from dataclasses import dataclass

from django.http import QueryDict
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

AZ = "az"
EN = "en"
TEXT_LANGUAGES = [(AZ, _("Azerbaijani")), (EN, _("English"))]

_SUFFIX = {AZ: "_az", EN: ""}


def language_label(code):
    """The language's name, in the active language ("Azerbaijani")."""
    return dict(TEXT_LANGUAGES)[code]


def field(name, language):
    """The model field holding `name` ("heading", "body", "proposed_body", ...) in `language`."""
    return name + _SUFFIX[language]


BOTH = "both"  # side by side: two columns, aligned clause by clause
READING_KEY = "reading_language"


def reading_choice(request, document):
    """What the reader chose to read `document` in: one of its languages, or BOTH side by side.

    Chosen with `?text=az|en|both` on any reading page (outline, clause, what-if, comparison) and remembered in
    the session for the next page; an unknown or unavailable choice falls back to the remembered one, then to the
    document's authoritative language.
    """
    options = document.languages + ([BOTH] if len(document.languages) > 1 else [])
    choice = request.GET.get("text")
    if choice in options:
        request.session[READING_KEY] = choice
        return choice
    remembered = request.session.get(READING_KEY)
    return remembered if remembered in options else document.authoritative_language


def reading_languages(choice, document):
    """The languages a page shows for `choice`, the authoritative one first."""
    return document.languages if choice == BOTH else [choice]


# Each text language named in itself, as a reader looks for it whatever the interface language ("Azərbaycanca"
# for someone reading the English interface): the reading control and the columns' labels.
OWN_NAMES = {AZ: "Azərbaycanca", EN: "English"}


@dataclass(frozen=True)
class ReadingOption:
    """One link of a page's reading control: a language (or BOTH), its name, its address, whether chosen."""

    code: str
    name: str
    url: str
    chosen: bool

    @property
    def lang(self):
        """The `lang` of the name: a language's own name is in that language; "side by side" in the interface's."""
        return "" if self.code == BOTH else self.code


def reading_options(request, document, choice):
    """The reading control of a page of `document`: each of its languages, then side by side; this page's own
    address with `?text=` changed (its other parameters kept; `request` None: no other parameter). Empty for a
    document in one language."""
    if len(document.languages) < 2:
        return []
    options = [(code, OWN_NAMES[code]) for code in document.languages] + [(BOTH, gettext("Side by side"))]
    links = []
    for code, name in options:
        query = request.GET.copy() if request is not None else QueryDict(mutable=True)
        query["text"] = code
        links.append(ReadingOption(code, name, f"?{query.urlencode()}", code == choice))
    return links


@dataclass(frozen=True)
class Text:
    """A clause's (or a clause version's) heading and text in one language."""

    language: str
    number: str
    heading: str
    body: str

    @property
    def name(self):
        return OWN_NAMES[self.language]

    @property
    def label(self):
        """The clause as a reader of this language names it: "4.1.1 Ərazi bütövlüyü", or its number alone."""
        return " ".join(part for part in (self.number, self.heading) if part)


def texts(clause, languages):
    """`clause`'s heading and text in each of `languages`, in that order: works on a clause and on its history
    rows alike, which carry the same fields."""
    return [Text(language, clause.number, getattr(clause, field("heading", language)),
                 getattr(clause, field("body", language))) for language in languages]
