"""Races on PostgreSQL: two people act on the same amendment (or the same place) at the same moment.

Each test repeats its race ITERATIONS times; in each, two threads with their own database connection and their
own signed-in browser (a test Client) are released together by a barrier and post through the real views. After
every race the record must agree with itself: an amendment is applied at most once, every clause it touched has
exactly one history row naming it, its state matches the document text, every decision the page confirmed is
stored, and no request answered 500.
"""
import threading

import pytest
from django.contrib.messages import get_messages
from django.db import connection
from django.test import Client
from django.urls import reverse

from drafting.models import Amendment, Clause, Document, Review
from drafting.seeds import CONCEPT_SLUG, load_concept

from .amendment_builders import insert, modify
from .builders import make_member
from .conftest import login

ITERATIONS = 30

pytestmark = [pytest.mark.postgresql, pytest.mark.django_db(transaction=True)]


def race(*actions):
    """Run each action in its own thread, released together; return their results (or exceptions)."""
    barrier = threading.Barrier(len(actions))
    results = [None] * len(actions)

    def run(index, action):
        try:
            barrier.wait(timeout=10)
            results[index] = action()
        except Exception as error:  # noqa: BLE001 — reported by the assertions
            results[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=pair) for pair in enumerate(actions)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


def browser(member):
    client = Client(raise_request_exception=False)
    return login(client, member)


def review(client, amendment, decision, note="", revision=None):
    url = reverse("amendment_review", args=[amendment.document.slug, amendment.number])
    data = {"decision": decision, "note": note}
    if revision is not None:
        data["revision"] = revision
    return lambda: client.post(url, data)


def said(response):
    """The messages this post left for the next page: how the person was told it went."""
    storage = get_messages(response.wsgi_request)
    return [(m.level_tag, str(m)) for m in storage._queued_messages or list(storage)[-1:]]


def confirmed(response):
    return any(level in ("success", "warning") for level, _ in said(response))


def assert_no_server_error(responses):
    for response in responses:
        assert not isinstance(response, Exception), response
        assert response.status_code < 500, response.status_code
        assert response.status_code == 302, (response.status_code, response.content[:300])


def assert_record_agrees(amendment):
    """The amendment's state agrees with the document: applied exactly once, or not at all."""
    amendment.refresh_from_db()
    rows = Clause.history.filter(amendment=amendment)
    per_clause = {}
    for row in rows:
        per_clause[row.id] = per_clause.get(row.id, 0) + 1
    applied_rows = amendment.history.filter(state=Amendment.State.APPLIED).exclude(
        history_change_reason__startswith="reviewed"
    )
    transitions_to_applied = [h for h in applied_rows if h.history_change_reason == "applied"]
    if amendment.is_applied:
        assert per_clause and set(per_clause.values()) == {1}, per_clause
        assert len(transitions_to_applied) == 1
        assert amendment.applied_at is not None and amendment.applied_by_id is not None
        if amendment.is_insert:
            assert list(per_clause) == [amendment.result_clause_id] or amendment.result_clause_id in per_clause
            assert Clause.objects.filter(pk=amendment.result_clause_id, heading=amendment.proposed_heading).exists()
        elif amendment.is_modify:  # the version it wrote reads as it says it wrote (later ones may follow)
            assert rows.get(id=amendment.clause_id).body == amendment.applied_body
    else:
        assert per_clause == {}, per_clause
        assert transitions_to_applied == []
        assert amendment.applied_at is None and amendment.applied_by_id is None


@pytest.fixture
def stage():
    load_concept()
    document = Document.objects.get(slug=CONCEPT_SLUG)
    return {
        "document": document,
        "drafters": [make_member(f"race_drafter_{i}") for i in range(2)],
        "reviewers": [make_member(f"race_reviewer_{i}", role="reviewer") for i in range(2)],
    }


def clause_4_1_1():
    return Clause.objects.get(number="4.1.1", status=Clause.Status.IN_FORCE)


def test_same_amendment_approved_twice_at_quorum_one_is_applied_once(stage):
    drafter, reviewers = stage["drafters"][0], stage["reviewers"]
    clients = [browser(r) for r in reviewers]
    for i in range(ITERATIONS):
        clause = clause_4_1_1()
        if i % 2:
            amendment = modify(drafter, clause, body=f"{clause.body} Sentence {i}.", submit=True)
        else:
            amendment = insert(drafter, clause, Amendment.Placement.AFTER, f"New clause {i}", f"Text {i}.", submit=True)
        clauses_before = Clause.objects.count()
        responses = race(*(review(c, amendment, Review.Decision.APPROVE) for c in clients))
        assert_no_server_error(responses)
        assert_record_agrees(amendment)
        assert amendment.is_applied
        assert Clause.objects.count() == clauses_before + (1 if amendment.is_insert else 0)
        # Every decision the page confirmed is stored; the one that came after the application was refused.
        stored = set(Review.objects.filter(amendment=amendment).values_list("reviewer_id", flat=True))
        for reviewer, response in zip(reviewers, responses):
            assert (reviewer.pk in stored) == confirmed(response), said(response)
        assert len(stored) == 1


def test_two_approvals_at_once_at_quorum_two_apply_it_once(stage):
    document, drafter, reviewers = stage["document"], stage["drafters"][0], stage["reviewers"]
    Document.objects.filter(pk=document.pk).update(quorum=2)
    clients = [browser(r) for r in reviewers]
    for i in range(ITERATIONS):
        clause = clause_4_1_1()
        amendment = modify(drafter, clause, body=f"{clause.body} Quorum {i}.", submit=True)
        responses = race(*(review(c, amendment, Review.Decision.APPROVE) for c in clients))
        assert_no_server_error(responses)
        assert all(confirmed(r) for r in responses), [said(r) for r in responses]
        assert Review.objects.filter(amendment=amendment, round=1).count() == 2  # no review lost
        assert_record_agrees(amendment)
        assert amendment.is_applied  # the second approval saw the first and reached the quorum


def test_approve_and_reject_at_once_leave_a_state_that_agrees_with_the_text(stage):
    drafter, (approver, rejecter) = stage["drafters"][0], stage["reviewers"]
    clients = browser(approver), browser(rejecter)
    outcomes = set()
    for i in range(ITERATIONS):
        clause = clause_4_1_1()
        before = clause.body
        amendment = modify(drafter, clause, body=f"{clause.body} Contested {i}.", submit=True)
        responses = race(review(clients[0], amendment, Review.Decision.APPROVE),
                         review(clients[1], amendment, Review.Decision.REJECT, "No."))
        assert_no_server_error(responses)
        assert_record_agrees(amendment)
        assert amendment.state in (Amendment.State.APPLIED, Amendment.State.REJECTED)
        assert clause_4_1_1().body == (amendment.applied_body if amendment.is_applied else before)
        stored = set(Review.objects.filter(amendment=amendment).values_list("reviewer_id", flat=True))
        for reviewer, response in zip((approver, rejecter), responses):
            assert (reviewer.pk in stored) == confirmed(response), said(response)
        outcomes.add(amendment.state)
    print(f"[race] approve vs reject: outcomes seen {sorted(outcomes)}")


def test_approve_and_withdraw_at_once_never_apply_a_withdrawn_amendment(stage):
    drafter, reviewer = stage["drafters"][0], stage["reviewers"][0]
    author, approver = browser(drafter), browser(reviewer)
    outcomes = set()
    for i in range(ITERATIONS):
        clause = clause_4_1_1()
        before = clause.body
        amendment = modify(drafter, clause, body=f"{clause.body} Withdrawn {i}?", submit=True)
        withdraw_url = reverse("amendment_withdraw", args=[amendment.document.slug, amendment.number])
        responses = race(review(approver, amendment, Review.Decision.APPROVE), lambda url=withdraw_url: author.post(url))
        assert_no_server_error(responses)
        assert_record_agrees(amendment)
        assert amendment.state in (Amendment.State.APPLIED, Amendment.State.WITHDRAWN)
        assert clause_4_1_1().body == (amendment.applied_body if amendment.is_applied else before)
        assert confirmed(responses[0]) == amendment.is_applied
        assert confirmed(responses[1]) == amendment.is_withdrawn
        outcomes.add(amendment.state)
    print(f"[race] approve vs withdraw: outcomes seen {sorted(outcomes)}")


def test_approve_and_edit_at_once_never_apply_words_the_reviewer_did_not_read(stage):
    drafter, reviewer = stage["drafters"][0], stage["reviewers"][0]
    author, approver = browser(drafter), browser(reviewer)
    outcomes = set()
    for i in range(ITERATIONS):
        clause = clause_4_1_1()
        read = f"{clause.body} Read {i}."
        amendment = modify(drafter, clause, body=read, submit=True)
        amendment.review(reviewer, Review.Decision.REQUEST_CHANGES, "Shorter.")
        amendment.refresh_from_db()
        edit_url = reverse("amendment_edit", args=[amendment.document.slug, amendment.number])
        edit = {"proposed_heading": amendment.proposed_heading, "proposed_heading_az": amendment.proposed_heading_az,
                "proposed_body": f"{clause.body} Unread {i}.", "rationale": "Because.",
                "edited_at": amendment.updated_at.isoformat(), "save": "1"}
        responses = race(review(approver, amendment, Review.Decision.APPROVE, revision=amendment.revision),
                         lambda url=edit_url, edit=edit: author.post(url, edit))
        for response in responses:  # the edit form re-renders (200) when the edit is refused as stale
            assert not isinstance(response, Exception) and response.status_code < 500
        assert_record_agrees(amendment)
        if amendment.is_applied:
            assert clause_4_1_1().body == read
        else:
            assert amendment.changes_requested and amendment.proposed_body.endswith(f"Unread {i}.")
            assert clause_4_1_1().body == clause.body
        outcomes.add(amendment.state)
    print(f"[race] approve vs edit: outcomes seen {sorted(outcomes)}")


def test_two_insertions_at_the_same_place_both_land_once_in_order(stage):
    drafters, reviewers = stage["drafters"], stage["reviewers"]
    clients = [browser(r) for r in reviewers]
    for i in range(ITERATIONS):
        anchor = clause_4_1_1()
        pair = [insert(d, anchor, Amendment.Placement.AFTER, f"Race {i} by {n}", f"Text {i}/{n}.", submit=True)
                for n, d in enumerate(drafters)]
        responses = race(*(review(c, a, Review.Decision.APPROVE) for c, a in zip(clients, pair)))
        assert_no_server_error(responses)
        for amendment in pair:
            assert_record_agrees(amendment)
            assert amendment.is_applied
        siblings = Clause.objects.filter(parent_id=anchor.parent_id, status=Clause.Status.IN_FORCE)
        positions = list(siblings.values_list("position", flat=True))
        assert len(positions) == len(set(positions))  # nobody shares a place
        numbers = [c.number for c in siblings.order_by("position") if c.numbered]
        assert len(numbers) == len(set(numbers))
        new = {a.result_clause_id for a in pair}
        assert len(new) == 2


def test_two_amendments_to_one_clause_approved_at_once_never_lose_a_change(stage):
    drafters, reviewers = stage["drafters"], stage["reviewers"]
    clients = [browser(r) for r in reviewers]
    outcomes = []
    for i in range(ITERATIONS):
        clause = clause_4_1_1()
        if i % 2:  # both rewrite the same last words: whichever lands second overlaps the first
            bodies = [f"{clause.body} Ending {i} A.", f"{clause.body} Ending {i} B."]
        else:  # one changes the start, the other the end: both apply
            bodies = [f"Start {i}. {clause.body}", f"{clause.body} End {i}."]
        pair = [modify(d, clause, body=b, submit=True) for d, b in zip(drafters, bodies)]
        responses = race(*(review(c, a, Review.Decision.APPROVE) for c, a in zip(clients, pair)))
        assert_no_server_error(responses)
        for amendment in pair:
            assert_record_agrees(amendment)
        states = sorted(a.state for a in pair)
        final = clause_4_1_1().body
        if i % 2:
            assert states == ["applied", "needs_rebase"]
            winner = next(a for a in pair if a.is_applied)
            assert final == winner.proposed_body
        else:
            assert states == ["applied", "applied"]
            assert final.startswith(f"Start {i}.") and final.endswith(f"End {i}.")
        outcomes.append(states)
    assert len(outcomes) == ITERATIONS


def test_signing_on_and_reviewing_at_once_never_leave_a_sponsor_with_a_decision(stage):
    drafter, reviewer = stage["drafters"][0], stage["reviewers"][0]
    outcomes = set()
    for i in range(ITERATIONS):
        clause = clause_4_1_1()
        amendment = modify(drafter, clause, body=f"{clause.body} Sponsored {i}.", submit=True)
        tab_one, tab_two = browser(reviewer), browser(reviewer)  # the same reviewer, two tabs
        sign_url = reverse("amendment_cosponsor", args=[amendment.document.slug, amendment.number])
        responses = race(review(tab_one, amendment, Review.Decision.APPROVE),
                         lambda url=sign_url, tab=tab_two: tab.post(url))
        # When the sign-on lands first, the review is refused as a sponsor's: 403, with the reason.
        assert responses[0].status_code in (302, 403) and responses[1].status_code == 302
        assert_record_agrees(amendment)
        sponsor = amendment.cosponsors.filter(pk=reviewer.pk).exists()
        reviewed = Review.objects.filter(amendment=amendment, reviewer=reviewer).exists()
        assert not (sponsor and reviewed)
        assert sponsor or reviewed
        outcomes.add("sponsor" if sponsor else "review")
    print(f"[race] sign on vs review: outcomes seen {sorted(outcomes)}")
