"""The what-if view: the document with all open amendments (or a chosen set) shown as redline."""
from django.shortcuts import render

from .. import params
from ..access import get_document_for
from ..fragments import amendment_rows_state, cached_fragment, cached_fragments, text_state
from ..languages import BOTH, reading_choice, reading_languages, reading_options
from ..models import Amendment
from ..what_if import draft_with, row_parts


def what_if(request, slug):
    document = get_document_for(request.member, slug)
    choice = reading_choice(request, document)
    languages = reading_languages(choice, document)
    visible = Amendment.objects.visible_to(request.member).open().filter(document=document)
    chosen = set(params.integers(request.GET.getlist("a")))
    # The page is cached whole under the amendments this member may read (another member's draft is never
    # among them), each with its update time, revision and state, the choice, and the text: on a hit nothing
    # else is read.
    state, numbers = amendment_rows_state(visible)
    selected_numbers = [n for n in numbers if n in chosen] if chosen else numbers
    # Reviewers are offered a compromise on each clause with competing amendments: part of the cache key.
    can_compromise = request.member.can_review(document=document)

    def context():
        outline = document.outline()
        clauses = {entry.clause.pk: entry.clause for entry in outline}
        open_amendments = list(visible.select_related("author__user", "base").order_by("number"))
        for amendment in open_amendments:  # the objects already read, not one copy of each per amendment
            amendment.document = document
            amendment.clause = clauses[amendment.clause_id]
        selected = [a for a in open_amendments if a.number in selected_numbers]
        rows = draft_with(document, selected, languages, outline=outline)
        # Each row is a fragment of its own, under everything it shows: after a review or an edit only the rows
        # of the amendments that changed are rendered again (one cache round trip for all of them).
        side_by_side = choice == BOTH
        row_context = {"document": document, "languages": languages, "side_by_side": side_by_side,
                       "can_compromise": can_compromise}
        row_htmls = cached_fragments("what-if-row", {
            index: (row_parts(row, document, languages, side_by_side, can_compromise),
                    lambda row=row: {**row_context, "row": row})
            for index, row in enumerate(rows)
        }, "drafting/amendments/_what_if_row.html")
        return {"document": document, "row_htmls": [row_htmls[index] for index in range(len(rows))],
                "open_amendments": open_amendments,
                "selected": set(selected_numbers), "competing": sum(1 for r in rows if r.competing),
                "languages": languages, "side_by_side": choice == BOTH, "choice": choice,
                "can_compromise": can_compromise}

    draft_html = cached_fragment("what-if", [text_state(document), state, selected_numbers, choice, can_compromise],
                                 "drafting/amendments/_what_if.html", context)
    return render(request, "drafting/amendments/what_if.html", {
        "document": document, "draft_html": draft_html, "reading_options": reading_options(request, document, choice),
        "side_by_side": choice == BOTH})
