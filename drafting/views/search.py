"""The search page: the header's search box leads here (`GET /search/?q=...`)."""
from django.shortcuts import render
from django.views.decorators.http import require_GET

from .. import params, search
from ..forms.search import SearchForm
from ..models import Document
from ..models.search import SearchEntry

PER_PAGE = 20
MAX_PAGES = 10  # 200 results at most: past that a narrower query (or a filter) serves better than paging


@require_GET
def search_page(request):
    documents = Document.objects.visible_to(request.member).order_by("title")
    form = SearchForm(request.GET or None, documents=documents)
    query = search.read_query(request.GET.get("q", ""))
    number = min(params.integer(request.GET.get("page", ""), maximum=MAX_PAGES) or 1, MAX_PAGES)
    results, has_next, at_the_limit = [], False, False
    if form.is_bound and form.is_valid() and query.words:
        entries = search.matching(SearchEntry.objects.visible_to(request.member), query.words)
        entries = filtered(entries, form.cleaned_data)
        rows = list(entries.select_related("document", "amendment")
                    .order_by("-moment", "-id")[(number - 1) * PER_PAGE:number * PER_PAGE + 1])
        has_next = len(rows) > PER_PAGE and number < MAX_PAGES
        at_the_limit = len(rows) > PER_PAGE and number == MAX_PAGES
        results = [search.Result(entry, query.words) for entry in rows[:PER_PAGE]]
    return render(request, "drafting/search/results.html", {
        "form": form, "query": query, "results": results, "page": number, "has_next": has_next,
        "at_the_limit": at_the_limit, "search_query": query.typed,
        "max_length": search.MAX_QUERY_LENGTH, "max_results": PER_PAGE * MAX_PAGES,
        "searched": form.is_bound and form.is_valid() and bool(query.words),
        "page_query": _without_page(request),
    })


def filtered(entries, cleaned):
    if cleaned.get("document"):
        entries = entries.filter(document_id=cleaned["document"])
    if cleaned.get("kind"):
        entries = entries.filter(kind=cleaned["kind"])
    if cleaned.get("date_from"):
        entries = entries.filter(moment__gte=params.start_of(cleaned["date_from"]))
    if cleaned.get("date_to"):
        entries = entries.filter(moment__lte=params.end_of(cleaned["date_to"]))
    return entries


def _without_page(request):
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()
