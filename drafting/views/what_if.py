"""The what-if view: the document with all open amendments (or a chosen set) shown as redline."""
from django.shortcuts import render

from .. import params
from ..access import get_document_for
from ..models import Amendment
from ..what_if import draft_with


def what_if(request, slug):
    document = get_document_for(request.member, slug)
    open_amendments = list(
        Amendment.objects.visible_to(request.member).open().filter(document=document)
        .select_related("author__user", "clause", "base", "document").order_by("number")
    )
    chosen = set(params.integers(request.GET.getlist("a")))
    selected = [a for a in open_amendments if a.number in chosen] if chosen else open_amendments
    rows = draft_with(document, selected)
    return render(request, "drafting/amendments/what_if.html", {
        "document": document, "rows": rows, "open_amendments": open_amendments,
        "selected": {a.number for a in selected}, "competing": sum(1 for r in rows if r.competing),
    })
