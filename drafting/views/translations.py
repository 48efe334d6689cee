"""The Translations page: a document's outdated translations, for its translators (drafting/translations.py)."""
from django.shortcuts import render
from django.views.decorators.http import require_safe

from ..access import get_document_for
from ..translations import outdated_translations


@require_safe
def document_translations(request, slug):
    document = get_document_for(request.member, slug)
    return render(request, "drafting/documents/translations.html", {
        "document": document, "outdated": outdated_translations(document),
    })
