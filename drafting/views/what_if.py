"""The what-if view: the document with all open amendments (or a chosen set) shown as redline."""
from django.shortcuts import render

from ..access import get_document_for
from ..fragments import amendments_state, cached_fragment, text_state
from ..models import Amendment
from ..what_if import draft_with


def what_if(request, slug):
    document = get_document_for(request.member, slug)
    open_amendments = list(
        Amendment.objects.visible_to(request.member).open().filter(document=document)
        .select_related("author__user", "clause", "base", "document").order_by("number")
    )
    chosen = {int(n) for n in request.GET.getlist("a") if n.isdigit()}
    selected = [a for a in open_amendments if a.number in chosen] if chosen else open_amendments

    def draft_context():
        rows = draft_with(document, selected)
        return {"document": document, "rows": rows, "competing": sum(1 for r in rows if r.competing)}

    # Keyed by the amendments this member may read and chose: another member's draft is never among them.
    draft_html = cached_fragment("what-if", [text_state(document), amendments_state(selected)],
                                 "drafting/amendments/_what_if.html", draft_context)
    return render(request, "drafting/amendments/what_if.html", {
        "document": document, "open_amendments": open_amendments, "draft_html": draft_html,
        "selected": {a.number for a in selected},
    })
