"""Compromise races on PostgreSQL (issue 15 point 1): two people act at the same moment on the amendments a
compromise combines. Each race is repeated; after each, the record must agree with itself: an amendment is
superseded by at most one compromise, a compromise's originals are superseded exactly while it is open or
applied, an original is never applied once superseded, and no request answered 500."""
import pytest
from django.urls import reverse

from drafting.models import Amendment, Review
from drafting.seeds import load_concept

from .amendment_builders import modify
from .builders import make_member
from .test_concurrency import (
    assert_no_server_error,
    assert_record_agrees,
    browser,
    clause_4_1_1,
    confirmed,
    race,
    review,
)

ITERATIONS = 10

pytestmark = [pytest.mark.postgresql, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def stage():
    """The seeded Concept, two drafters who write the originals and two reviewers who start compromises."""
    load_concept()
    return {"drafters": [make_member(f"race_drafter_{i}") for i in range(2)],
            "reviewers": [make_member(f"race_reviewer_{i}", role="reviewer") for i in range(2)]}


@pytest.fixture
def approver(stage):
    """A third reviewer, who wrote none of the originals and started no compromise."""
    return make_member("race_reviewer_approver", role="reviewer")


def _originals(stage, i):
    clause = clause_4_1_1()
    return [modify(drafter, clause, body=f"{clause.body} Race {i} by {n}.", submit=True)
            for n, drafter in enumerate(stage["drafters"])]


def _start(client, originals, i):
    clause = originals[0].clause
    url = reverse("compromise_new", args=[clause.document.slug, clause.pk])
    data = {"original": [a.pk for a in originals], "seen": [f"{a.pk}:{a.revision}" for a in originals],
            "base": clause.history.latest().history_id, "proposed_heading": clause.heading,
            "proposed_body": f"{clause.body} Compromise {i}.", "rationale": "Both.", "submit": "1"}
    return lambda: client.post(url, data)


def _compromises_of(original):
    return Amendment.objects.filter(is_compromise=True, combines=original)


def _assert_chain_agrees(originals):
    """Every original is superseded by the one compromise that is open or applied, or by none."""
    for original in originals:
        original.refresh_from_db()
        live = [c for c in _compromises_of(original) if c.is_open or c.is_applied]
        assert len(live) <= 1, live
        if live:
            assert original.is_superseded and original.superseded_by_id == live[0].pk
        else:
            assert not original.is_superseded and original.superseded_by_id is None
        assert_record_agrees(original)


def test_two_reviewers_starting_compromises_of_the_same_amendments_only_one_wins(stage):
    clients = [browser(r) for r in stage["reviewers"]]
    for i in range(ITERATIONS):
        originals = _originals(stage, i)
        responses = race(*(_start(c, originals, i) for c in clients))
        for response in responses:
            assert not isinstance(response, Exception) and response.status_code < 500
        winners = [r for r in responses if r.status_code == 302]
        assert len(winners) == 1, [r.status_code for r in responses]
        loser = next(r for r in responses if r.status_code == 200)
        assert "is superseded" in loser.content.decode()
        compromises = Amendment.objects.filter(is_compromise=True, combines__in=originals).distinct()
        assert compromises.count() == 1
        _assert_chain_agrees(originals)


def test_compromise_started_while_an_original_is_approved(stage):
    starter, approver = browser(stage["reviewers"][0]), browser(stage["reviewers"][1])
    outcomes = set()
    for i in range(ITERATIONS):
        originals = _originals(stage, i)
        responses = race(_start(starter, originals, i), review(approver, originals[0], Review.Decision.APPROVE))
        for response in responses:
            assert not isinstance(response, Exception) and response.status_code < 500
        first = Amendment.objects.get(pk=originals[0].pk)
        started = _compromises_of(first).exists()
        assert started != first.is_applied  # one or the other, never both
        assert confirmed(responses[1]) == first.is_applied
        _assert_chain_agrees(originals)
        if started:  # the compromise stays open: withdraw it so the next round starts from a clean clause
            compromise = _compromises_of(first).get()
            compromise.withdraw(compromise.author)
        else:
            Amendment.objects.get(pk=originals[1].pk).withdraw(originals[1].author)
        outcomes.add("compromise" if started else "approved")
    print(f"[race] compromise vs approval: outcomes seen {sorted(outcomes)}")


def test_compromise_applied_while_an_original_is_withdrawn_or_approved(stage, approver):
    starter = stage["reviewers"][0]
    approver, other_reviewer = browser(approver), browser(stage["reviewers"][1])
    author = browser(stage["drafters"][0])
    for i in range(ITERATIONS):
        originals = _originals(stage, i)
        clause = clause_4_1_1()
        compromise = Amendment.start_compromise(
            starter=starter, originals=originals, proposed_heading=clause.heading,
            proposed_body=f"{clause.body} Compromise {i}.", rationale="Both.")
        original = originals[0]
        if i % 2:
            withdraw_url = reverse("amendment_withdraw", args=[original.document.slug, original.number])
            other = lambda url=withdraw_url: author.post(url)  # noqa: E731
        else:
            other = review(other_reviewer, original, Review.Decision.APPROVE)
        responses = race(review(approver, compromise, Review.Decision.APPROVE), other)
        assert_no_server_error(responses)
        compromise.refresh_from_db()
        assert compromise.is_applied and confirmed(responses[0])
        assert not confirmed(responses[1])  # a superseded amendment is neither withdrawn nor approved
        assert_record_agrees(compromise)
        _assert_chain_agrees(originals)
        for each in originals:
            each.refresh_from_db()
            assert each.is_closed_by_compromise
            assert each.history.filter(history_change_reason=f"closed by compromise {compromise.label}, applied").count() == 1
