"""The languages a document's text is kept in, and which field of a clause or an amendment holds each.

Drafting keeps two text languages: Azerbaijani (the official language of the documents) and English (their
working translation). English text lives in the original fields (`heading`, `body`, `proposed_body`, ...), kept
from the time the app held English only; Azerbaijani text in the `_az` fields beside them. A document declares
which language is authoritative and which, if any, is its translation.
"""
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
_READING_KEY = "reading_language"


def reading_choice(request, document):
    """What the reader chose to read `document` in: one of its languages, or BOTH side by side.

    Chosen with `?text=az|en|both` on any reading page (outline, clause, what-if, comparison) and remembered in
    the session for the next page; an unknown or unavailable choice falls back to the remembered one, then to the
    document's authoritative language.
    """
    options = document.languages + ([BOTH] if len(document.languages) > 1 else [])
    choice = request.GET.get("text")
    if choice in options:
        request.session[_READING_KEY] = choice
        return choice
    remembered = request.session.get(_READING_KEY)
    return remembered if remembered in options else document.authoritative_language


def reading_languages(choice, document):
    """The languages a page shows for `choice`, the authoritative one first."""
    return document.languages if choice == BOTH else [choice]
