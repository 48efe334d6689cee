"""Reading documents: the list, and a document as a numbered outline with a table of contents."""
from django.shortcuts import render

from ..access import get_document_for
from ..azerbaijani import sorted_by_name
from ..fragments import cached_fragment, counts_state, text_state
from ..models import Amendment, Comment, Document


def document_list(request):
    documents = sorted_by_name(Document.objects.visible_to(request.member))
    return render(request, "drafting/documents/list.html", {"documents": documents})


def document_detail(request, slug):
    document = get_document_for(request.member, slug)
    # The badges are the only part that depends on the reader: their counts are part of the fragment's key.
    open_counts = Amendment.objects.open_counts_by_clause(document, request.member)
    thread_counts = Comment.objects.open_thread_counts_by_clause(document, request.member)

    def outline_context():
        outline = [entry for entry in document.outline() if not entry.clause.is_removed]
        for entry in outline:
            entry.open_amendments = open_counts.get(entry.clause.pk, 0)
        return {"document": document, "outline": outline, "thread_counts": thread_counts}

    outline_html = cached_fragment(
        "outline", [text_state(document), counts_state(open_counts), counts_state(thread_counts)],
        "drafting/documents/_outline.html", outline_context,
    )
    return render(request, "drafting/documents/detail.html", {"document": document, "outline_html": outline_html})
