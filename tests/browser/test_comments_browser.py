"""In real Chromium: a reviewer comments on an amendment, the drafter replies from the inbox link, the reviewer
resolves the thread, each in place with htmx (a marker set on each page's window survives: no reload)."""
import re

import pytest
from playwright.sync_api import expect

from drafting.models import Comment, Member
from drafting.seeds import load_concept

from ..amendment_builders import modify
from ..builders import make_member
from .conftest import sign_in


@pytest.fixture
def amendment(transactional_db):
    concept = load_concept()
    author = make_member("browser_drafter", Member.Role.DRAFTER, full_name="Browser Drafter")
    make_member("browser_reviewer", Member.Role.REVIEWER, full_name="Browser Reviewer")
    return modify(author, concept.clauses.get(number="4.1.1"), body="A shorter text.", submit=True)


def mark(page):
    page.evaluate("window.__noReload = 'still here'")


def not_reloaded(page):
    return page.evaluate("window.__noReload") == "still here"


def test_reviewer_comments_drafter_replies_from_inbox_reviewer_resolves(new_page, amendment):
    reviewer = sign_in(new_page(), "browser_reviewer")
    reviewer.goto(amendment.get_absolute_url())
    mark(reviewer)
    reviewer.fill("#discussion form.comment-form textarea[name=body]", "Is the shorter text enough?")
    reviewer.get_by_role("button", name="Post comment").click()
    thread = reviewer.locator("article.thread").first
    thread.locator(".comment-body").get_by_text("Is the shorter text enough?").wait_for()
    assert not_reloaded(reviewer)
    opening = Comment.objects.get()

    drafter = sign_in(new_page(), "browser_drafter")
    drafter.goto("/inbox/")
    assert drafter.locator("#inbox-link .unread-count").inner_text() == "1"
    drafter.get_by_role("link", name="Browser Reviewer commented on A-1").click()
    drafter.wait_for_url(re.compile(rf"/amendments/{amendment.number}/#comment-{opening.pk}$"))
    mark(drafter)
    comment = drafter.locator(f"#comment-{opening.pk}")
    comment.locator("details.reply > summary").first.click()
    drafter.fill(f"#reply-{opening.pk}", "Yes: the rest stays as it is.")
    comment.get_by_role("button", name="Post reply").first.click()
    drafter.locator(".replies .comment-body").get_by_text("Yes: the rest stays as it is.").wait_for()
    assert not_reloaded(drafter)
    assert drafter.locator("#inbox-link .unread-count").count() == 0  # opening the notification read it

    reviewer.get_by_role("button", name="Resolve thread").click()
    reviewer.get_by_text("Resolved by Browser Reviewer on").wait_for()
    expect(reviewer.locator(".replies .comment-body").get_by_text("Yes: the rest stays as it is.")).to_be_visible()  # the thread came back whole
    expect(reviewer.get_by_role("button", name="Reopen thread")).to_be_visible()
    assert not_reloaded(reviewer)
    opening.refresh_from_db()
    assert opening.is_resolved and opening.resolved_by.full_name == "Browser Reviewer"
