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


def field(name, language):
    """The model field holding `name` ("heading", "body", "proposed_body", ...) in `language`."""
    return name + _SUFFIX[language]
