"""Comment threads on a clause: posting, replies, resolve and reopen, edit with history, withdraw."""
import pytest
from django.urls import reverse

from drafting.models import Comment
from drafting.models.comments import BODY_MAX_LENGTH

from .comment_builders import comment, htmx, reply
from .conftest import login


@pytest.fixture
def clause(concept):
    return concept.clauses.get(number="4.1.1")


def url(name, c):
    return reverse(name, args=[c.document.slug, c.pk])


def test_member_starts_a_thread_on_a_clause_with_a_plain_form_post(as_drafter, drafter, clause):
    response = as_drafter.post(reverse("clause_comment", args=["concept", clause.pk]), {"body": "Too long a sentence."})
    new = Comment.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"{clause.get_absolute_url()}#comment-{new.pk}"
    assert (new.author, new.clause, new.document, new.body) == (drafter, clause, clause.document, "Too long a sentence.")
    page = as_drafter.get(clause.get_absolute_url())
    assert "Too long a sentence." in page.text and 'id="discussion"' in page.text


def test_posting_with_htmx_returns_the_discussion_in_place(as_drafter, clause):
    response = as_drafter.post(
        reverse("clause_comment", args=["concept", clause.pk]), {"body": "In place."}, **htmx()
    )
    assert response.status_code == 200
    assert response.text.lstrip().startswith('<section class="discussion" id="discussion"')
    assert "In place." in response.text and "<html" not in response.text


def test_replies_to_replies_are_shown_indented_two_levels(as_drafter, drafter, reviewer, clause):
    first = comment(reviewer, clause, "Opening point.")
    second = reply(drafter, first, "First reply.")
    reply(reviewer, second, "Reply to the reply.")
    page = as_drafter.get(clause.get_absolute_url()).text
    opening = page.index("Opening point.")
    nested = page.index('<ol class="replies">', opening)
    nested_twice = page.index('<ol class="replies">', nested + 1)
    assert opening < page.index("First reply.") < nested_twice < page.index("Reply to the reply.")


def test_reply_with_htmx_returns_the_thread_and_keeps_target(as_reviewer, drafter, reviewer, clause):
    first = comment(drafter, clause, "Opening point.")
    response = as_reviewer.post(url("comment_reply", first), {"body": "Agreed."}, **htmx())
    new = Comment.objects.get(body="Agreed.")
    assert response.text.lstrip().startswith(f'<article class="thread" id="thread-{first.pk}"')
    assert (new.parent, new.thread, new.clause, new.author) == (first, first, clause, reviewer)


def test_empty_comment_is_refused_with_the_reason_beside_the_field(as_drafter, clause):
    response = as_drafter.post(reverse("clause_comment", args=["concept", clause.pk]), {"body": "   "})
    assert response.status_code == 200
    assert "Write something before posting." in response.text
    assert not Comment.objects.exists()


def test_over_long_comment_comes_back_with_its_text_and_the_limit(as_drafter, clause):
    text = "word " * (BODY_MAX_LENGTH // 5) + "end"
    for headers in ({}, htmx()):
        response = as_drafter.post(reverse("clause_comment", args=["concept", clause.pk]), {"body": text}, **headers)
        assert f"A comment can be at most {BODY_MAX_LENGTH} characters; this one has {len(text)}." in response.text
        assert text.strip() in response.text
    assert not Comment.objects.exists()


def test_invalid_reply_with_htmx_reopens_the_reply_form_with_the_reason(as_reviewer, drafter, clause):
    first = comment(drafter, clause)
    response = as_reviewer.post(url("comment_reply", first), {"body": ""}, **htmx())
    assert "Write something before posting." in response.text
    assert '<details class="reply" open>' in response.text


def test_quote_must_come_from_the_current_text(as_drafter, clause):
    post = reverse("clause_comment", args=["concept", clause.pk])
    response = as_drafter.post(post, {"body": "Hm.", "quote": "words that are nowhere"})
    assert "That passage is not in the current text" in response.text
    assert as_drafter.post(post, {"body": "Hm.", "quote": "The territory of the Republic of Azerbaijan"}).status_code == 302
    assert Comment.objects.get().quote == "The territory of the Republic of Azerbaijan"


def test_thread_opener_resolves_and_reopens_with_who_and_when(as_drafter, drafter, clause):
    thread = comment(drafter, clause)
    response = as_drafter.post(url("comment_resolve", thread), **htmx())
    thread.refresh_from_db()
    assert thread.resolved_by == drafter and thread.resolved_at is not None
    assert "Resolved by Dinara Əliyeva on" in response.text and "Reopen thread" in response.text
    response = as_drafter.post(url("comment_reopen", thread))
    thread.refresh_from_db()
    assert response.status_code == 302 and thread.resolved_at is None and thread.resolved_by is None


def test_reviewer_resolves_a_thread_opened_by_someone_else(client, drafter, reviewer, clause):
    thread = comment(drafter, clause)
    login(client, reviewer).post(url("comment_resolve", thread))
    thread.refresh_from_db()
    assert thread.resolved_by == reviewer


def test_another_drafter_cannot_resolve_or_reopen_a_thread(client, drafter, second_drafter, clause):
    thread = comment(drafter, clause)
    login(client, second_drafter)
    assert client.post(url("comment_resolve", thread)).status_code == 403
    thread.resolve(drafter)
    assert client.post(url("comment_reopen", thread)).status_code == 403


def test_a_reply_is_not_a_thread_and_cannot_be_resolved(as_drafter, drafter, reviewer, clause):
    answer = reply(drafter, comment(reviewer, clause))
    assert as_drafter.post(url("comment_resolve", answer)).status_code == 403


def test_edit_keeps_earlier_versions_and_shows_the_edited_mark(as_drafter, drafter, clause):
    mine = comment(drafter, clause, "First wording.")
    response = as_drafter.post(url("comment_edit", mine), {"body": "Second wording."}, **htmx())
    assert "Second wording." in response.text and ">edited</a>" in response.text
    mine.refresh_from_db()
    assert mine.body == "Second wording." and mine.edited_at is not None
    assert [v["body"] for v in mine.versions()] == ["First wording.", "Second wording."]
    versions = as_drafter.get(url("comment_versions", mine)).text
    assert "First wording." in versions and "Second wording." in versions


def test_only_the_author_edits_or_withdraws(client, drafter, reviewer, admin_member, clause):
    theirs = comment(drafter, clause, "Mine.")
    for other in (reviewer, admin_member):
        login(client, other)
        assert client.post(url("comment_edit", theirs), {"body": "Hijacked."}).status_code == 403
        assert client.post(url("comment_withdraw", theirs)).status_code == 403
    theirs.refresh_from_db()
    assert theirs.body == "Mine." and not theirs.is_withdrawn


def test_withdrawn_comment_reads_withdrawn_and_its_replies_stay(as_drafter, drafter, reviewer, clause):
    mine = comment(drafter, clause, "Regrettable remark.")
    reply(reviewer, mine, "An answer that stays.")
    response = as_drafter.post(url("comment_withdraw", mine), **htmx())
    assert "Comment withdrawn." in response.text and "An answer that stays." in response.text
    assert "Regrettable remark." not in response.text
    page = as_drafter.get(clause.get_absolute_url()).text
    assert "Regrettable remark." not in page and "An answer that stays." in page
    assert as_drafter.post(url("comment_edit", mine), {"body": "Back."}).status_code == 403


def test_nobody_replies_to_a_withdrawn_comment(as_reviewer, drafter, clause):
    mine = comment(drafter, clause)
    mine.withdraw(drafter)
    assert as_reviewer.post(url("comment_reply", mine), {"body": "Hello?"}).status_code == 403


def test_outsider_cannot_comment(client, outsider, clause):
    login(client, outsider)
    response = client.post(reverse("clause_comment", args=["concept", clause.pk]), {"body": "Hello"})
    assert response.status_code == 403 and not Comment.objects.exists()


def test_deactivated_member_cannot_comment(client, drafter, clause):
    login(client, drafter)
    drafter.user.is_active = False
    drafter.user.save()
    response = client.post(reverse("clause_comment", args=["concept", clause.pk]), {"body": "Hello"})
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    assert not Comment.objects.exists()


def test_comment_form_is_not_shown_to_whoever_cannot_comment(drafter, clause):
    from django.core.exceptions import PermissionDenied

    drafter.user.is_active = False
    drafter.user.save()
    with pytest.raises(PermissionDenied):
        comment(drafter, clause)


def test_comment_actions_refuse_get(as_drafter, drafter, clause):
    thread = comment(drafter, clause)
    for name in ("comment_reply", "comment_edit", "comment_withdraw", "comment_resolve", "comment_reopen"):
        assert as_drafter.get(url(name, thread)).status_code == 405


def test_comment_in_another_document_is_not_reachable_through_this_one(as_drafter, drafter):
    from .builders import make_document

    other = make_document(10, slug="other")
    make_document(10, slug="third")
    theirs = comment(drafter, other.clauses.first())
    response = as_drafter.post(reverse("comment_resolve", args=["third", theirs.pk]))
    assert response.status_code == 404
