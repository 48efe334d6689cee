"""In real Chromium, at 1280 and 390 px: a reviewer suggests a change in a thread and sees it as a redline in the
comment; the author applies it with one click and sees the new proposed text; a second suggestion, made outdated
by an edit of the text, says "outdated" and offers no Apply button."""
import pytest
from playwright.sync_api import expect

from drafting.models import Comment, Member, Review

from ..amendment_builders import modify
from ..builders import make_member
from .conftest import sign_in

BODY = "Test clause text. The working group reads the draft and decides."


@pytest.fixture
def amendment(transactional_db):
    from drafting.seeds import load_concept

    concept = load_concept()
    author = make_member("browser_drafter", Member.Role.DRAFTER, full_name="Browser Drafter")
    reviewer = make_member("browser_reviewer", Member.Role.REVIEWER, full_name="Browser Reviewer")
    made = modify(author, concept.clauses.get(number="4.1.1"), body=BODY, submit=True)
    made.review(reviewer, Review.Decision.REQUEST_CHANGES, "Reword it.")
    return made


@pytest.mark.parametrize("width", [1280, 390])
def test_member_suggests_author_applies_and_an_outdated_suggestion_cannot_be_applied(new_page, amendment, width):
    viewport = {"width": width, "height": 900 if width > 600 else 844}
    reviewer = sign_in(new_page(viewport=viewport), "browser_reviewer")
    reviewer.goto(amendment.get_absolute_url())
    form = reviewer.locator("#discussion form.comment-form")
    form.locator("textarea[name=body]").fill("“Studies” says what the group does.")
    form.locator("details.suggest-change > summary").click()
    form.locator("textarea[name=suggest_original]").fill("reads")
    form.locator("textarea[name=suggest_replacement]").fill("studies")
    form.screenshot(path=f"/work/screens/suggest-form-{width}.png")
    form.get_by_role("button", name="Post comment").click()
    suggestion = reviewer.locator(".suggestion").first
    expect(suggestion.locator("del")).to_have_text("reads")
    expect(suggestion.locator("ins")).to_have_text("studies")
    expect(suggestion.get_by_role("button", name="Apply suggestion")).to_have_count(0)  # not the author
    reviewer.screenshot(path=f"/work/screens/suggest-posted-{width}.png", full_page=True)

    author = sign_in(new_page(viewport=viewport), "browser_drafter")
    author.goto(amendment.get_absolute_url())
    author.locator(".suggestion").first.scroll_into_view_if_needed()
    author.screenshot(path=f"/work/screens/suggest-author-{width}.png", full_page=False)
    author.get_by_role("button", name="Apply suggestion").click()
    expect(author.locator(".message.success")).to_contain_text("Suggestion applied")
    expect(author.locator(".suggestion-state.applied")).to_be_visible()
    expect(author.locator("section.proposal")).to_contain_text("studies")
    expect(author.locator(".amendment-history")).to_contain_text(
        "suggestion by Browser Reviewer applied by Browser Drafter")
    amendment.refresh_from_db()
    assert amendment.proposed_body == BODY.replace("reads", "studies") and amendment.revision == 2

    # A second suggestion, then the author rewords the text by hand: the suggestion is outdated.
    second = Comment.post(author=Member.objects.get(user__username="browser_reviewer"), target=amendment,
                          body="And this.", suggestion={"language": "en", "original": "decides", "replacement": "agrees",
                                                        "start": amendment.proposed_body.index("decides")})
    amendment.revise(amendment.author, fields={"proposed_body": amendment.proposed_body + " Edited by hand."})
    author.goto(amendment.get_absolute_url())
    outdated = author.locator(f"#suggestion-{second.pk}")
    expect(outdated.locator(".suggestion-state.outdated")).to_have_text("outdated")
    expect(outdated.locator("del")).to_have_text("decides")
    expect(outdated.get_by_role("button", name="Apply suggestion")).to_have_count(0)
    assert author.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    outdated.scroll_into_view_if_needed()
    author.screenshot(path=f"/work/screens/suggest-outdated-{width}.png", full_page=False)
