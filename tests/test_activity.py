"""A document's activity: built from existing records, newest first, paged, and a page costs one query
per kind of event on it (never one per event)."""
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from drafting.models import Review

from .amendment_builders import REMOVED_SENTENCE, modify
from .comment_builders import comment, reply


@pytest.fixture
def clause(concept):
    return concept.clauses.get(number="4.1.1")


def activity(client, **params):
    response = client.get(reverse("document_activity", args=["concept"]), params)
    assert response.status_code == 200
    return response


def test_activity_shows_proposals_reviews_applications_comments_and_the_import_newest_first(
    as_drafter, drafter, reviewer, clause
):
    amendment = modify(drafter, clause, body=clause.body.replace(REMOVED_SENTENCE, ""), submit=True)
    thread = comment(reviewer, amendment, "Looks right.")
    reply(drafter, thread, "Thanks.")
    amendment.review(reviewer, Review.Decision.APPROVE)
    events = activity(as_drafter).context["events"]
    assert [e.kind for e in events] == ["applied", "reviewed", "commented", "commented", "proposed", "imported"]
    text = activity(as_drafter).text
    assert f'href="{amendment.get_absolute_url()}">A-1</a>' in text
    assert f'href="{thread.get_absolute_url()}">A-1</a>' in text
    assert "imported" in text and "9 clauses" in text


def test_activity_is_paged(as_drafter, drafter, clause):
    thread = comment(drafter, clause)
    for i in range(60):
        reply(drafter, thread, f"Reply {i}")
    first = activity(as_drafter)
    assert len(first.context["events"]) == 50 and "Page 1 of 2" in first.text
    assert len(activity(as_drafter, page=2).context["events"]) == 12


def test_activity_query_count_does_not_grow_with_events(as_drafter, drafter, reviewer, clause, capsys):
    def measure():
        with CaptureQueriesContext(connection) as queries:
            activity(as_drafter)
        return len(queries)

    amendment = modify(drafter, clause, body="short", submit=True)
    thread = comment(reviewer, amendment)
    amendment.review(reviewer, Review.Decision.REQUEST_CHANGES)
    small = measure()
    for i in range(40):
        reply(drafter, thread, f"Reply {i}")
        modify(drafter, clause, body=f"v{i}", submit=True)
    # The same kinds of event on the first page as before, among many more rows.
    modify(drafter, clause, body="last", submit=True).review(reviewer, Review.Decision.REQUEST_CHANGES)
    reply(reviewer, thread, "Last word.")
    large = measure()
    with capsys.disabled():
        print(f"\n[query count] activity: {small} queries with few events, {large} with a full page")
    assert small == large


def test_outsider_cannot_read_the_activity(client, outsider, concept):
    from .conftest import login

    login(client, outsider)
    assert client.get(reverse("document_activity", args=["concept"])).status_code == 403
