"""Races on PostgreSQL for rapporteurs and review requests: two people act at the same moment on the same section,
amendment or assignment. Each race runs ITERATIONS times, two threads released together by a barrier
(tests/test_concurrency.py's `race`); afterwards the record must agree with itself."""
from datetime import timedelta

import pytest
from django.utils import timezone

from drafting.models import Member, Rapporteur, ReviewRequest, TransitionError
from drafting.seeds import CONCEPT_SLUG, load_concept

from .amendment_builders import modify
from .builders import make_member
from .test_concurrency import race

ITERATIONS = 15

pytestmark = [pytest.mark.postgresql, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def scene(db):
    from drafting.models import Document

    load_concept()
    concept = Document.objects.get(slug=CONCEPT_SLUG)
    return {
        "section": concept.clauses.get(number="4"), "clause": concept.clauses.get(number="4.1.1"),
        "drafter": make_member("race_drafter", Member.Role.DRAFTER),
        "rapporteur": make_member("race_rapporteur", Member.Role.REVIEWER),
        "admin": make_member("race_admin", Member.Role.ADMIN),
    }


def _due():
    return timezone.localdate() + timedelta(days=7)


def test_assignment_made_while_an_amendment_is_submitted_asks_exactly_once(scene):
    for _ in range(ITERATIONS):
        Rapporteur.objects.filter(active=True).update(active=False)  # each race starts with no rapporteur
        draft = modify(scene["drafter"], scene["clause"], body="Raced text.")
        results = race(
            lambda: Rapporteur.assign(clause=scene["section"], member=scene["rapporteur"], due_date=_due(),
                                      by=scene["admin"]),
            lambda draft=draft: draft.submit(scene["drafter"]),
        )
        assert not [r for r in results if isinstance(r, Exception)], results
        assert ReviewRequest.objects.open().filter(amendment=draft, member=scene["rapporteur"]).count() == 1


def test_two_reviews_at_once_settle_the_request_once(scene):
    assignment = Rapporteur.assign(clause=scene["section"], member=scene["rapporteur"], due_date=_due(),
                                   by=scene["admin"])
    for _ in range(ITERATIONS):
        amendment = modify(scene["drafter"], scene["clause"], body="Raced text.", submit=True)
        request = ReviewRequest.objects.get(amendment=amendment, rapporteur=assignment)
        results = race(*(lambda amendment=amendment: amendment.review(scene["rapporteur"], "request_changes", "More.") for _ in range(2)))
        assert not [r for r in results if isinstance(r, Exception)], results
        request.refresh_from_db()
        assert request.state == ReviewRequest.State.DONE
        assert request.history.filter(history_change_reason="reviewed").count() == 1
        amendment.withdraw(scene["drafter"])


def test_review_and_end_at_once_settle_the_request_once(scene):
    for _ in range(ITERATIONS):
        Rapporteur.objects.filter(active=True).update(active=False)
        assignment = Rapporteur.assign(clause=scene["section"], member=scene["rapporteur"], due_date=_due(),
                                       by=scene["admin"])
        amendment = modify(scene["drafter"], scene["clause"], body="Raced text.", submit=True)
        request = ReviewRequest.objects.get(amendment=amendment, rapporteur=assignment)
        results = race(lambda amendment=amendment: amendment.review(scene["rapporteur"], "request_changes", "More."),
                       lambda assignment=assignment: assignment.end(scene["admin"]))
        assert not [r for r in results if isinstance(r, Exception)], [str(r) for r in results]
        request.refresh_from_db()
        assert request.state in (ReviewRequest.State.DONE, ReviewRequest.State.CANCELLED)
        assert request.history.exclude(history_change_reason="requested").count() == 1
        amendment.withdraw(scene["drafter"])


def test_two_ends_at_once_end_once(scene):
    for _ in range(ITERATIONS):
        assignment = Rapporteur.assign(clause=scene["section"], member=scene["rapporteur"], due_date=_due(),
                                       by=scene["admin"])
        results = race(lambda assignment=assignment: assignment.end(scene["admin"]),
                       lambda pk=assignment.pk: Rapporteur.objects.get(pk=pk).end(scene["admin"]))
        refused = [r for r in results if isinstance(r, TransitionError)]
        assert len(refused) == 1 and sum(r is None for r in results) == 1, results
        assert assignment.history.filter(history_change_reason="ended").count() == 1
