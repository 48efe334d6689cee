"""Reading a clause or a whole document as it was at a past moment."""
from datetime import timedelta

import pytest
from django.utils import timezone

from drafting.models import Clause
from drafting.models.history import attribute

from .builders import make_document


@pytest.mark.django_db
def test_document_as_of_a_past_moment_shows_the_text_then():
    document = make_document(10, slug="asof")
    clause = document.clauses.get(number="1.1")
    before = timezone.now()
    later = before + timedelta(minutes=5)
    clause.body = "Rewritten."
    attribute(clause, reason="amendment A-1", date=later)
    clause.save()
    then = {e.clause.id: e.clause.body for e in document.outline_as_of(before)}
    now = {e.clause.id: e.clause.body for e in document.outline_as_of(later + timedelta(seconds=1))}
    assert then[clause.pk].startswith("First paragraph of 1.1")
    assert now[clause.pk] == "Rewritten."


@pytest.mark.django_db
def test_as_of_before_a_removal_still_shows_the_clause():
    document = make_document(10, slug="asof2")
    clause = document.clauses.get(number="1.2")
    before = timezone.now()
    clause.status = Clause.Status.REMOVED
    attribute(clause, date=before + timedelta(minutes=1))
    clause.save()
    document.renumber(date=before + timedelta(minutes=1))
    numbers_then = [e.number for e in document.outline_as_of(before) if e.number]
    numbers_now = [e.number for e in document.outline() if e.number]
    assert "1.9" in numbers_then and "1.9" not in numbers_now
    assert len(numbers_now) == len(numbers_then) - 1


@pytest.mark.django_db
def test_clause_as_of_reads_one_clause(concept):
    clause = concept.clauses.get(number="4.1.1")
    before = timezone.now()
    clause.heading = "New heading"
    attribute(clause, date=before + timedelta(minutes=1))
    clause.save()
    assert clause.history.as_of(before).heading.startswith("The restoration")
