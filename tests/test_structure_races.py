"""Races on PostgreSQL around a parent's closing text (issue 14, point 2): sub-clauses inserted at the end of
its parent at the same moment as each other, or as an amendment of the closing text, all land once, and the
closing text is still read after every sub-clause."""
import pytest

from drafting.models import Amendment, Clause, Review

from .amendment_builders import insert, modify_texts
from .builders import make_member, make_structured_document
from .test_concurrency import assert_no_server_error, assert_record_agrees, browser, race, review

pytestmark = [pytest.mark.postgresql, pytest.mark.django_db(transaction=True)]

ITERATIONS = 10


@pytest.fixture
def stage():
    return {
        "document": make_structured_document(slug="structured-race"),
        "drafters": [make_member(f"race_drafter_{i}") for i in range(2)],
        "reviewers": [make_member(f"race_reviewer_{i}", role="reviewer") for i in range(2)],
    }


def section(document):
    return Clause.objects.get(document=document, number="2")


def assert_closing_text_last(document):
    parent = section(document)
    order = [entry.clause for entry in document.outline() if entry.clause.parent_id == parent.pk]
    assert order[-1].is_closing and not any(c.is_closing for c in order[:-1])
    numbers = [c.number for c in order if c.numbered]
    assert numbers == [f"2.{n}" for n in range(1, len(numbers) + 1)]
    positions = [c.position for c in Clause.objects.filter(parent=parent)]
    assert len(positions) == len(set(positions))  # nobody shares a place


def test_two_sub_clauses_inserted_at_the_end_at_once_land_before_the_closing_text(stage):
    document, drafters, reviewers = stage["document"], stage["drafters"], stage["reviewers"]
    clients = [browser(r) for r in reviewers]
    for i in range(ITERATIONS):
        parent = section(document)
        pair = [insert(d, parent, Amendment.Placement.LAST_CHILD, f"Yarış {i}/{n}", f"Mətn {i}/{n}.", submit=True)
                for n, d in enumerate(drafters)]
        responses = race(*(review(c, a, Review.Decision.APPROVE) for c, a in zip(clients, pair)))
        assert_no_server_error(responses)
        for amendment in pair:
            assert_record_agrees(amendment)
            assert amendment.is_applied
        assert_closing_text_last(document)


def test_the_closing_text_reworded_while_a_sub_clause_is_inserted_both_apply(stage):
    document, drafters, reviewers = stage["document"], stage["drafters"], stage["reviewers"]
    clients = [browser(r) for r in reviewers]
    for i in range(ITERATIONS):
        parent = section(document)
        closing = parent.children.get(role=Clause.Role.CLOSING)
        pair = [
            modify_texts(drafters[0], closing, {"az": ("", f"Yekun mətn {i}.")}, submit=True),
            insert(drafters[1], parent, Amendment.Placement.LAST_CHILD, f"Yeni {i}", f"Mətn {i}.", submit=True),
        ]
        responses = race(*(review(c, a, Review.Decision.APPROVE) for c, a in zip(clients, pair)))
        assert_no_server_error(responses)
        for amendment in pair:
            assert_record_agrees(amendment)
            assert amendment.is_applied
        closing.refresh_from_db()
        assert closing.body_az == f"Yekun mətn {i}." and closing.is_closing and closing.number == ""
        assert_closing_text_last(document)
