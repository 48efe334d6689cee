"""The what-if view: the document with all open amendments (or a chosen set) shown as redline.

Cached in layers (drafting/fragments.py), so that what a review or an edit changes is all that is worked out
again, and the amendments are read as objects only for what is rendered:
- the whole page per reader and browser (drafting/page_cache.py);
- the page's fragment, under the text state, every open amendment the reader may read (update time, revision,
  state, author) and the choice;
- the draft's rows together, under what they show: the chosen amendments' texts, kinds, places and authors,
  not their states or update times, so a review that sends an amendment back leaves them as they are;
- each row on its own, keyed from the amendments' values and the clauses' places (drafting/what_if.py
  `row_parts`, `Place`, kept under the text state): a rejection or an edit renders its clause's row, reading that
  row's clause and amendments (the outline only when many rows are missing), and no other amendment;
- each amendment's line in the list to choose from, under what the line shows.
"""
from django.core.cache import cache
from django.shortcuts import render
from django.utils.safestring import mark_safe

from .. import page_cache, params
from ..access import get_document_for
from ..fragments import cached_fragment, cached_fragments_together, key_for, text_state
from ..languages import BOTH, reading_choice, reading_languages, reading_options
from ..models import Amendment, Clause
from ..models.clauses import OutlineEntry
from ..what_if import CHECKED, PROPOSED_FIELDS, Row, choice_line, layout, places_of, row_parts

# Up to this many rows to render again read their own clauses rather than the whole outline: a review or an edit
# renders one or two; a text change renders its clause's row, a new reading choice every row.
FEW_ROWS = 50


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
        "result_clause_id", "author__full_name", "author__user__is_active", *PROPOSED_FIELDS, named=True))
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

        def places():
            """The clauses' places (drafting/what_if.py `Place`): shared by every reader, kept under the text."""
            places_key = key_for("what-if-places", text)
            found = cache.get(places_key)
            if found is None:
                found = places_of(outline_once())
                cache.set(places_key, found)
            return found

        def rows():
            chosen = [a for a in light if a.number in selected]
            drafted = layout(places(), chosen)
            insertions = tuple((a.pk, a.clause_id, a.placement) for a in chosen if a.kind == Amendment.Kind.INSERT)
            row_context = {"document": document, "languages": languages, "side_by_side": side_by_side,
                           "can_compromise": can_compromise}

            def row_entries(missing):
                """{clause id: OutlineEntry} of the rows `missing`. A few rows (after a review or an edit) read their
                own clauses, with their parents (a closing text is named after its parent), in one query; more read
                the outline, read first so that the amendments share its clauses."""
                if len(missing) > FEW_ROWS or outlines:
                    return {entry.clause.pk: entry for entry in outline_once()}
                depths = {drafted[index][0].clause_id: drafted[index][0].depth
                          for index in missing if drafted[index][0] is not None}
                entries = {}
                for clause in Clause.objects.filter(document=document, pk__in=depths).select_related("parent"):
                    clause.document = document  # its address names the document
                    entries[clause.pk] = OutlineEntry(clause, depths[clause.pk], clause.number)
                if len(entries) != len(depths) or text_state(document) != text:  # the places as the keys have them
                    raise _Moved
                return entries

            def rendered(missing):
                """The rows `missing` as objects: their clauses (`row_entries`) and the amendments of these rows
                alone; every chosen insertion when one of them is missing, as they are numbered together."""
                entries = row_entries(missing)
                wanted = {a.pk for index in missing for a in drafted[index][1]}
                wanted |= {drafted[index][2].pk for index in missing if drafted[index][2] is not None}
                if wanted & {pk for pk, _, _ in insertions}:
                    wanted |= {pk for pk, _, _ in insertions}
                objects = dict(zip(sorted(wanted), amendments(sorted(wanted))))
                # Under "keep", the new clauses are numbered as if all were applied (drafting/models/clauses.py).
                Amendment.number_insertions(sorted((objects[pk] for pk, _, _ in insertions if pk in objects),
                                                   key=lambda a: a.number), together=True)
                made = []
                for index in missing:
                    place, changed, insertion = drafted[index]
                    made.append((index, Row(insertion=objects[insertion.pk], languages=languages) if place is None
                                 else Row(entry=entries[place.clause_id], changed_by=[objects[a.pk] for a in changed],
                                          languages=languages)))
                return {**row_context, "rows": made}

            htmls = cached_fragments_together(
                "what-if-row", {index: row_parts(row, document, languages, side_by_side, can_compromise, text, insertions)
                                for index, row in enumerate(drafted)},
                "drafting/amendments/_what_if_rows.html", rendered)
            return "".join(htmls[index] for index in range(len(drafted))), sum(1 for r in drafted if len(r[1]) > 1)

        # The rows under what they show (`row_parts` names it all; these are its inputs): a state is shown only as
        # whether the amendment is a draft (the compromise form offers submitted ones).
        rows_key = key_for("what-if-rows", text, choice, can_compromise, [
            (a.pk, a.number, a.kind, a.placement, a.clause_id, a.result_clause_id, a.base_id, a.author__full_name,
             a.author__user__is_active, a.state == Amendment.State.DRAFT, *(getattr(a, name) for name in PROPOSED_FIELDS))
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
