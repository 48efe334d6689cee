"""Threads on the amendment page, folded on the clause page, counted on the outline and the amendment list;
quotes going outdated; drafts' discussions stay with their sponsors; query counts that do not grow."""
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from drafting.models import Comment, Review

from .amendment_builders import REMOVED_SENTENCE, modify
from .comment_builders import comment, htmx, reply
from .conftest import login

APPROVE = Review.Decision.APPROVE


@pytest.fixture
def clause(concept):
    return concept.clauses.get(number="4.1.1")


@pytest.fixture
def amendment(drafter, clause):
    return modify(drafter, clause, body=clause.body.replace(REMOVED_SENTENCE, ""), submit=True)


def test_reviewer_comments_on_an_amendment_in_place(as_reviewer, reviewer, amendment):
    url = reverse("amendment_comment", args=["concept", amendment.number])
    response = as_reviewer.post(url, {"body": "Is this still needed?", "quote": "OSCE Minsk Group"}, **htmx())
    new = Comment.objects.get()
    assert (new.amendment, new.clause, new.author, new.quote) == (amendment, None, reviewer, "OSCE Minsk Group")
    assert "Is this still needed?" in response.text and "outdated" not in response.text
    page = as_reviewer.get(amendment.get_absolute_url())
    assert f'id="comment-{new.pk}"' in page.text


def test_amendment_threads_show_folded_on_the_clause_page(as_drafter, reviewer, amendment, clause):
    thread = comment(reviewer, amendment, "On the amendment.")
    comment(reviewer, clause, "On the clause.")
    page = as_drafter.get(clause.get_absolute_url()).text
    assert "On the clause." in page
    folded = page.index(f'<details class="folded-threads" id="amendment-threads-{amendment.pk}">')
    assert page.index("On the amendment.") > folded
    assert f"{amendment.label} (modify, submitted): 1 thread, 1 open" in page
    assert f'id="comment-{thread.pk}"' in page


def test_open_thread_counts_on_the_outline_and_the_amendment_list(as_drafter, drafter, reviewer, amendment, clause):
    comment(reviewer, amendment)
    comment(reviewer, amendment).resolve(reviewer)
    comment(reviewer, clause)
    outline = as_drafter.get(clause.document.get_absolute_url()).text
    assert "2 open threads</a>" in outline  # one on the clause, one on its amendment
    listing = as_drafter.get(reverse("amendment_list", args=["concept"])).text
    assert f'class="open-threads"><a href="{amendment.get_absolute_url()}#discussion">1</a></td>' in listing


def test_quote_that_disappears_when_an_amendment_is_applied_marks_the_comment_outdated(
    as_drafter, reviewer, amendment, clause
):
    kept = comment(reviewer, clause, "Fine.", quote="The territory of the Republic of Azerbaijan is unified")
    gone = comment(reviewer, clause, "Obsolete.", quote="within the framework of the OSCE Minsk Group")
    assert not kept.is_outdated and not gone.is_outdated
    amendment.review(reviewer, APPROVE)
    kept, gone = Comment.objects.for_display().order_by("pk")
    assert not kept.is_outdated and gone.is_outdated
    page = as_drafter.get(clause.get_absolute_url()).text
    assert page.count('<span class="badge outdated-mark"') == 1
    assert "within the framework of the OSCE Minsk Group" in page  # shown, not lost


def test_discussion_of_a_draft_stays_with_its_sponsors(client, drafter, second_drafter, reviewer, clause):
    draft = modify(drafter, clause, body="draft text")
    mine = comment(drafter, draft, "Note to self, @reviewer_rauf")
    assert mine.mentioned.get() == reviewer and not reviewer.notifications.exists()
    login(client, second_drafter)
    assert "Note to self" not in client.get(clause.get_absolute_url()).text
    assert client.post(reverse("comment_reply", args=["concept", mine.pk]), {"body": "x"}).status_code == 404
    assert client.post(reverse("amendment_comment", args=["concept", draft.number]), {"body": "x"}).status_code == 404
    assert "Note to self" not in client.get(reverse("document_activity", args=["concept"])).text


def _amendment_page_queries(client, authors, clause, count):
    amendment = modify(authors[0], clause, body=f"Version for {count} comments.", submit=True)
    roots = []
    for i in range(count):
        if i % 3 == 0 or not roots:
            roots.append(Comment.objects.create(
                document=amendment.document, amendment=amendment, author=authors[i % 2], body=f"Point {i} @x"
            ))
        else:
            parent = roots[-1]
            Comment.objects.create(
                document=amendment.document, amendment=amendment, author=authors[i % 2], body=f"Reply {i}",
                parent=parent, thread=parent,
            )
    roots[0].mentioned.add(authors[0])
    with CaptureQueriesContext(connection) as queries:
        response = client.get(amendment.get_absolute_url())
    assert response.status_code == 200
    assert response.text.count('class="comment depth-') == count
    return len(queries)


def test_amendment_page_query_count_does_not_grow_with_comments(as_reviewer, drafter, reviewer, amendment, capsys):
    small = _amendment_page_queries(as_reviewer, (drafter, reviewer), amendment.clause, 10)
    large = _amendment_page_queries(as_reviewer, (drafter, reviewer), amendment.clause, 300)
    with capsys.disabled():
        print(f"\n[query count] amendment page: {small} queries at 10 comments, {large} at 300 comments")
    assert small == large


def test_clause_page_query_count_does_not_grow_with_comments(as_reviewer, drafter, reviewer, amendment, clause, capsys):
    def measure(count):
        on = modify(drafter, clause, body=f"Version for {count} comments.", submit=True)
        Comment.objects.filter(clause=clause).update(clause=None, amendment=amendment)  # keep only the new ones
        for i in range(count):
            target = {"clause": clause} if i % 2 else {"amendment": on}
            Comment.objects.create(document=clause.document, author=drafter, body=f"Point {i}", quote="Azerbaijan", **target)
        with CaptureQueriesContext(connection) as queries:
            response = as_reviewer.get(clause.get_absolute_url())
        assert response.text.count('class="comment depth-') == count + (10 if count == 300 else 0)
        return len(queries)

    small, large = measure(10), measure(300)
    with capsys.disabled():
        print(f"\n[query count] clause page: {small} queries at 10 comments, {large} at 300 comments")
    assert small == large


def test_reply_on_an_amendment_thread_keeps_the_amendment_as_target(reviewer, drafter, amendment):
    thread = comment(reviewer, amendment)
    answer = reply(drafter, thread)
    assert (answer.amendment, answer.clause, answer.document) == (amendment, None, amendment.document)
