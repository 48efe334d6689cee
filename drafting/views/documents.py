"""Reading documents: the list, and a document as a numbered outline with a table of contents."""
from django.shortcuts import render

from ..access import get_document_for
from ..models import Amendment, Document


def document_list(request):
    documents = Document.objects.visible_to(request.member)
    return render(request, "drafting/documents/list.html", {"documents": documents})


def document_detail(request, slug):
    document = get_document_for(request.member, slug)
    open_counts = Amendment.objects.open_counts_by_clause(document, request.member)
    outline = [entry for entry in document.outline() if not entry.clause.is_removed]
    for entry in outline:
        entry.open_amendments = open_counts.get(entry.clause.pk, 0)
    return render(request, "drafting/documents/detail.html", {"document": document, "outline": outline})
