"""The what-if draft's rows keyed from values (drafting/what_if.py `layout`, `row_parts`, `Place`): after a review,
an edit or a new amendment, the rows that are rendered again read their own amendments as objects and no others,
and the page always reads as one worked out with nothing cached (the oracle: a cold render in an empty cache)."""
import random

import pytest
from django.urls import reverse

from drafting.models import Amendment, Clause, Numbering

from .amendment_builders import insert, modify, remove
from .builders import make_document
from .conftest import _new_key_prefix, login, read_in
from .test_fragments import counting, draft_of, what_if_rows_rendered

AFTER, FIRST = Amendment.Placement.AFTER, Amendment.Placement.FIRST_CHILD


@pytest.fixture
def amendments_built(monkeypatch):
    """Every Amendment instance read from the database from now on (select_related ones included)."""
    built = []
    original = Amendment.from_db.__func__

    def from_db(cls, db, field_names, values):
        built.append(values[0])
        return original(cls, db, field_names, values)

    monkeypatch.setattr(Amendment, "from_db", classmethod(from_db))
    return built


def cold(client, settings, url, **query):
    """The page worked out with nothing cached (a new, empty key prefix); the warm cache is kept as it was."""
    warm = settings.CACHES
    _new_key_prefix(settings)
    try:
        return client.get(url, query)
    finally:
        settings.CACHES = warm


def numbered_clauses(document):
    return list(document.clauses.exclude(number="").filter(status=Clause.Status.IN_FORCE).order_by("pk"))


@pytest.mark.parametrize("competing", [False, True])
def test_a_rejection_reads_as_objects_only_the_amendments_of_the_row_it_renders_again(
    client, settings, drafter, second_drafter, reviewer, second_reviewer, amendments_built, competing
):
    """Under load, each rejection made the next reader's what-if read all 500 open amendments as objects to key the
    rows (66 ms of 1,000 clauses' page). Now the keys come from values: whatever the number of open amendments,
    the page after a rejection reads the amendments of the one row rendered again (none, or the one left)."""
    read = {}
    for n in (4, 40):
        document = make_document(60, slug=f"rows-{n}-{competing}")
        clauses = numbered_clauses(document)
        amendments = [modify(drafter if i % 2 else second_drafter, clauses[i], body=clauses[i].body + f" Change {i}.",
                             submit=True) for i in range(n)]
        if competing:  # a second amendment of the rejected one's clause stays in the draft
            modify(second_drafter, clauses[0], body=clauses[0].body + " Competing.", submit=True)
        login(client, reviewer)
        read_in(client, "en")
        url = reverse("what_if", args=[document.slug])
        assert client.get(url).status_code == 200
        Amendment.objects.get(pk=amendments[0].pk).review(second_reviewer, "reject", note="No.")
        amendments_built.clear()
        page = client.get(url)
        assert what_if_rows_rendered(page) == 1
        read[n] = sorted(set(amendments_built))
        assert "Change 0." not in draft_of(page.text)
        assert draft_of(page.text) == draft_of(cold(client, settings, url).text)
    assert len(read[4]) == len(read[40]) == (1 if competing else 0), read


def test_under_keep_a_rejected_insertion_moves_the_others_provisional_numbers_as_a_cold_page_does(
    client, settings, drafter, reviewer
):
    """New clauses are numbered together under "keep": one leaving the draft renumbers the others' rows."""
    document = make_document(12, slug="kept-rows")
    document.change_settings({"numbering": Numbering.KEEP})
    anchor = numbered_clauses(document)[2]
    first = insert(drafter, anchor, AFTER, "First new", "Test clause text.", submit=True)
    insert(drafter, anchor, AFTER, "Second new", "Test clause text.", submit=True)
    login(client, reviewer)
    read_in(client, "en")
    url = reverse("what_if", args=[document.slug])
    page = draft_of(client.get(url).text)
    assert f"{anchor.number}-2 (provisional)" in page
    first.review(reviewer, "reject", note="No.")
    page = draft_of(client.get(url).text)
    assert f"{anchor.number}-2 (provisional)" not in page and f"{anchor.number}-1 (provisional)" in page
    assert page == draft_of(cold(client, settings, url).text)


@pytest.mark.parametrize("seed", range(4))
def test_the_what_if_after_random_changes_reads_as_a_page_worked_out_with_nothing_cached(
    client, settings, drafter, second_drafter, reviewer, second_reviewer, seed
):
    """A property test against an independent oracle: any sequence of reviews, edits, new amendments (rewordings,
    removals, new clauses at every place), clause edits, renamed or switched-off authors and numbering policies,
    each followed by the page warm (rows cached from before) and the same page cold, in one and in both
    languages."""
    rng = random.Random(seed)
    document = make_document(24, slug=f"random-{seed}")
    authors, reviewers = [drafter, second_drafter], [reviewer, second_reviewer]
    login(client, reviewer)
    read_in(client, "en")
    url = reverse("what_if", args=[document.slug])
    client.get(url)

    def open_ones(*states):
        return list(Amendment.objects.filter(document=document, state__in=states).order_by("pk"))

    def change():
        kind = rng.choice(["modify", "modify", "remove", "insert", "insert", "reject", "send back", "revise",
                           "edit clause", "rename", "numbering"])
        clauses = numbered_clauses(document)
        author = rng.choice(authors)
        if kind == "modify":
            target = rng.choice(clauses)
            modify(author, target, body=target.body + f" Reworded {rng.randrange(10**6)}.", submit=True)
        elif kind == "remove":
            remove(author, rng.choice(clauses), submit=True)
        elif kind == "insert":
            insert(author, rng.choice(clauses), rng.choice([AFTER, FIRST, Amendment.Placement.LAST_CHILD]),
                   f"New {rng.randrange(10**6)}", "Test clause text.", submit=True)
        elif kind in ("reject", "send back") and (found := open_ones(Amendment.State.SUBMITTED)):
            amendment = rng.choice(found)
            amendment.review(next(r for r in reviewers if r.pk != amendment.author_id),
                             "reject" if kind == "reject" else "request_changes", note="Noted.")
        elif kind == "revise" and (found := open_ones(Amendment.State.CHANGES_REQUESTED)):
            amendment = rng.choice(found)
            if amendment.kind == Amendment.Kind.MODIFY:
                amendment.revise(amendment.author, fields={"proposed_body": amendment.proposed_body + " Again."})
        elif kind == "edit clause":
            target = rng.choice(clauses)
            target.body += f" Edited {rng.randrange(10**6)}."
            target.save()
        elif kind == "rename":
            author.full_name = f"Renamed {rng.randrange(10**6)}"
            author.save()
        elif kind == "numbering":
            document.refresh_from_db()
            document.change_settings({"numbering": rng.choice([Numbering.KEEP, Numbering.RENUMBER])})
        return kind

    done = []
    for _step in range(8):
        done.append(change())
        for query in ({}, {"text": "both"}):
            warm = client.get(url, query)
            assert warm.status_code == 200
            assert draft_of(warm.text) == draft_of(cold(client, settings, url, **query).text), done


@pytest.mark.parametrize("change", ["rejected", "text edited"])
def test_rows_rendered_again_while_the_text_or_an_amendment_moves_on_are_worked_out_again(
    client, settings, drafter, second_drafter, reviewer, second_reviewer, monkeypatch, change
):
    """The few-rows path (a row's own clause read, not the outline) between the values and the objects.

    A text edit of the clause whose row is being rendered starts the page again, even for a row with no amendment
    left to read (the row's clause must read as its key says). A rejection of another amendment does not touch
    the row being rendered: the page shows the amendments as their values were read, a moment before, and the
    next request shows the rejection. Either way nothing stale is cached."""
    from drafting.views import what_if

    document = make_document(30, slug=f"moving-{change.split()[0]}")
    clauses = numbered_clauses(document)
    edited = modify(drafter, clauses[0], body=clauses[0].body + " First.", submit=True)
    leaving = modify(second_drafter, clauses[1], body=clauses[1].body + " Second.", submit=True)
    login(client, reviewer)
    read_in(client, "en")
    url = reverse("what_if", args=[document.slug])
    client.get(url)
    if change == "rejected":  # the row to render again: clause 0's, with its amendment revised
        edited.review(second_reviewer, "request_changes", note="Shorter.")
        Amendment.objects.get(pk=edited.pk).revise(drafter, fields={"proposed_body": clauses[0].body + " Revised."})
    else:  # the row to render again: clause 1's, its amendment gone, so no amendment is read
        leaving.review(second_reviewer, "reject", note="No.")
    original, moved = what_if.OutlineEntry, []

    def entry_then_move(*args, **kwargs):
        if not moved:  # once, after the values were read and while the missing row's clause is being read
            moved.append(1)
            if change == "rejected":
                Amendment.objects.get(pk=leaving.pk).review(second_reviewer, "reject", note="No.")
            else:
                clauses[1].body += " Edited meanwhile."  # the very clause whose row is being rendered
                clauses[1].save()
        return original(*args, **kwargs)

    monkeypatch.setattr(what_if, "OutlineEntry", entry_then_move)
    layouts = counting(monkeypatch, what_if, "layout")
    page = client.get(url)
    assert page.status_code == 200 and moved
    assert len(layouts) == (2 if change == "text edited" else 1)  # laid out again from the new text's places
    if change == "rejected":
        assert "Revised" in draft_of(page.text)  # in a redline: the word and its full stop may stand apart
    else:
        assert "Edited meanwhile." in draft_of(page.text)
    after = draft_of(client.get(url).text)
    assert ("Second." in after) is False
    assert after == draft_of(cold(client, settings, url).text)
