"""A document's activity: what happened, newest first, paged."""
from django.core.paginator import Paginator
from django.shortcuts import render

from ..access import get_document_for
from ..activity import DocumentActivity

PER_PAGE = 50


def document_activity(request, slug):
    document = get_document_for(request.member, slug)
    page = Paginator(DocumentActivity(document, request.member), PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "drafting/activity/list.html", {"document": document, "page": page, "events": page.object_list})
