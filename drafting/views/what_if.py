"""The what-if view: the document with all open amendments (or a chosen set) shown as redline.

Cached in three layers (drafting/fragments.py), so that what a review or an edit changes is all that is worked
out again:
- the page, under the text state, every open amendment the reader may read (update time, revision, state,
  author) and the choice: on a hit nothing else is read;
- the draft's rows together, under what they show: the chosen amendments' texts, kinds, places and authors,
  not their states or update times, so a review that sends an amendment back leaves them as they are; and each
  row on its own (drafting/what_if.py `row_parts`), so an edit renders one row again;
- each amendment's line in the list to choose from, under what the line shows.
Only on a miss are the amendments and the outline read as objects.
"""
from django.core.cache import cache
from django.shortcuts import render
from django.utils.safestring import mark_safe

from .. import page_cache, params
from ..access import get_document_for
from ..fragments import cached_fragment, cached_fragments_together, key_for, text_state
from ..languages import BOTH, reading_choice, reading_languages, reading_options
from ..models import Amendment
from ..what_if import CHECKED, PROPOSED_FIELDS, choice_line, draft_with, row_parts


class _Moved(Exception):
    """What a key was built from changed while the page was being worked out (a review, an edit, an apply): the
    page is worked out again from the start, so nothing is stored under a key it does not match."""


def what_if(request, slug):
    document = get_document_for(request.member, slug)
    # The amendments, not their discussion: a comment leaves the page as it was.
    return page_cache.serve(request, "what-if", document, lambda: _page(request, document), [page_cache.AMENDMENTS])


def _page(request, document):
    choice = reading_choice(request, document)
    languages = reading_languages(choice, document)
    for attempt in range(5):
        try:
            draft_html = _draft(request, document, choice, languages)
            break
        except _Moved:
            if attempt == 4:
                raise
    return render(request, "drafting/amendments/what_if.html", {
        "document": document, "draft_html": draft_html, "reading_options": reading_options(request, document, choice),
        "side_by_side": choice == BOTH})


def _draft(request, document, choice, languages):
    side_by_side = choice == BOTH
    visible = Amendment.objects.visible_to(request.member).open().filter(document=document)
    chosen = set(params.integers(request.GET.getlist("a")))
    # The amendments as values, one light query: enough for every key; objects are read only for what is missing.
    light = list(visible.order_by("number").values_list(
        "pk", "number", "updated_at", "revision", "state", "kind", "placement", "clause_id", "base_id",
        "author__full_name", "author__user__is_active", *PROPOSED_FIELDS, named=True))
    numbers = [a.number for a in light]
    selected_numbers = [n for n in numbers if n in chosen] if chosen else numbers
    selected = set(selected_numbers)
    # Reviewers are offered a compromise on each clause with competing amendments: part of the keys.
    can_compromise = request.member.can_review(document=document)
    text = text_state(document)
    by_pk = {a.pk: (a.updated_at, a.revision, a.state, a.author__full_name, a.author__user__is_active) for a in light}
    page_state = ",".join(f"{a.pk}.{a.number}.{a.updated_at.timestamp()}.{a.revision}.{a.state}.{a.author__full_name}."
                          f"{a.author__user__is_active}" for a in light)

    def context():
        loaded = {}

        def amendments(pks):
            """The amendments `pks` as objects, each read once, sharing the document and, when the outline has
            been read, its clauses (else each amendment's own clause and its parent, in the same query: a line of
            the list names the clause)."""
            missing = [pk for pk in pks if pk not in loaded]
            if missing:
                found = 0
                # All of them (the draft's rows, cold): no list of ids for the database to plan.
                query = (visible if len(missing) == len(light) else visible.filter(pk__in=missing)).select_related(
                    "author__user", "base")
                clauses = {entry.clause.pk: entry.clause for entry in outlines[0]} if outlines else None
                for amendment in query if clauses else query.select_related("clause__parent"):
                    amendment.document = document
                    if clauses:
                        amendment.clause = clause = clauses[amendment.clause_id]
                        if clause.parent_id:  # a closing text is named after its parent
                            clause.parent = clauses[clause.parent_id]
                    seen = (amendment.updated_at, amendment.revision, amendment.state, amendment.author.full_name,
                            amendment.author.user.is_active)
                    if seen != by_pk[amendment.pk]:  # moved on since the values were read
                        raise _Moved
                    loaded[amendment.pk] = amendment
                    found += 1
                if found != len(missing):  # closed (or out of reach) since the values were read
                    raise _Moved
                if not clauses and text_state(document) != text:  # the clauses' labels as the key has them
                    raise _Moved
            return [loaded[pk] for pk in pks]

        outlines = []

        def outline_once():
            if not outlines:
                outlines.append(document.outline())
                if text_state(document) != text:  # the text changed since its state was read
                    raise _Moved
            return outlines[0]

        def rows():
            outline_once()  # first: the amendments share its clauses
            chosen_amendments = sorted(amendments([a.pk for a in light if a.number in selected]),
                                       key=lambda a: a.number)
            drafted = draft_with(document, chosen_amendments, languages, outline=outline_once())
            row_context = {"document": document, "languages": languages, "side_by_side": side_by_side,
                           "can_compromise": can_compromise}
            htmls = cached_fragments_together(
                "what-if-row", {index: row_parts(row, document, languages, side_by_side, can_compromise)
                                for index, row in enumerate(drafted)},
                "drafting/amendments/_what_if_rows.html",
                lambda missing: {**row_context, "rows": [(index, drafted[index]) for index in missing]})
            return "".join(htmls[index] for index in range(len(drafted))), sum(1 for r in drafted if r.competing)

        # The rows under what they show (`row_parts` names it all; these are its inputs): a state is shown only as
        # whether the amendment is a draft (the compromise form offers submitted ones).
        rows_key = key_for("what-if-rows", text, choice, can_compromise, [
            (a.pk, a.number, a.kind, a.placement, a.clause_id, a.base_id, a.author__full_name, a.author__user__is_active,
             a.state == Amendment.State.DRAFT, *(getattr(a, name) for name in PROPOSED_FIELDS))
            for a in light if a.number in selected])
        found = cache.get(rows_key)
        if found is None:
            found = rows()
            cache.set(rows_key, found)
        rows_html, competing = found
        lines = cached_fragments_together("what-if-choice", {
            a.pk: [text, a.pk, a.number, a.state, a.kind, a.base_id, a.author__full_name, a.author__user__is_active,
                   *(getattr(a, name) for name in PROPOSED_FIELDS)]
            for a in light
        }, "drafting/amendments/_what_if_choices.html",
            lambda missing: {"lines": [(a.pk, choice_line(a)) for a in amendments(missing)]})
        choices = "".join(lines[a.pk].replace(CHECKED, " checked" if a.number in selected else "") for a in light)
        return {"document": document, "rows_html": mark_safe(rows_html), "choices": mark_safe(choices),
                "open_amendments": numbers, "selected": selected, "competing": competing}

    return cached_fragment("what-if", [text, page_state, selected_numbers, choice, can_compromise],
                           "drafting/amendments/_what_if.html", context)
