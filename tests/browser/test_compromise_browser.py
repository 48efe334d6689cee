"""A compromise in Chromium (issue 15 point 1): three members have proposed competing rewordings of 4.1.1; a
reviewer chooses the three on the what-if page, starts from all of them applied, edits and submits; another
reviewer approves; the originals read "closed by compromise", and the clause reads the compromise's text. At a
desktop width and at a phone's."""
import pytest

from drafting.models import Clause, Member
from drafting.seeds import load_concept

from ..amendment_builders import REMOVED_SENTENCE, modify
from ..builders import make_member
from .conftest import accessibility_problems, overflows_horizontally, sign_in

CONCEPT = "National Security Concept of the Republic of Azerbaijan"
SCREENS = "/work/screens/compromise-{name}-{width}.png"


@pytest.fixture
def group(transactional_db):
    load_concept()
    clause = Clause.objects.get(number="4.1.1")
    authors = [make_member(f"agency_{n}", Member.Role.DRAFTER, full_name=f"Agency {n.title()}")
               for n in ("one", "two", "three")]
    make_member("browser_reviewer", Member.Role.REVIEWER, full_name="Browser Reviewer")
    make_member("second_reviewer", Member.Role.REVIEWER, full_name="Second Reviewer")
    changes = [("unified, inviolable, and indivisible", "unified and indivisible"),
               ("the most paramount task", "the foremost task"), (REMOVED_SENTENCE, "")]
    for author, (old, new) in zip(authors, changes):
        modify(author, clause, body=clause.body.replace(old, new), rationale="Test rationale.", submit=True)
    return clause


def _shot(page, name, width):
    page.screenshot(path=SCREENS.format(name=name, width=width), full_page=True)


@pytest.mark.parametrize("width", [1280, 390])
def test_reviewer_combines_three_amendments_into_a_compromise_that_is_applied(new_page, group, width, axe_source):
    viewport = {"width": width, "height": 900}
    reviewer = new_page(viewport=viewport)
    sign_in(reviewer, "browser_reviewer")
    reviewer.get_by_role("link", name=CONCEPT).click()
    reviewer.get_by_role("navigation", name="Text language").get_by_role("link", name="English").click()
    reviewer.goto(reviewer.url.split("?")[0].rstrip("/") + "/what-if/")

    competing = reviewer.locator("section.clause.competing")
    assert "competing: A-1, A-2, A-3" in competing.inner_text()
    choice = competing.locator("form.compromise-start")
    for label in ("A-1", "A-2", "A-3"):
        assert choice.get_by_label(label).is_checked()
    _shot(reviewer, "what-if", width)
    assert not overflows_horizontally(reviewer)
    assert not accessibility_problems(reviewer, axe_source)
    choice.get_by_role("button", name="Start a compromise").click()

    reviewer.get_by_role("heading", name="A compromise on 4.1.1").wait_for()
    assert reviewer.get_by_label("the text with all of them applied").is_checked()
    body = reviewer.get_by_label("Text in English")
    text = body.input_value()
    assert "unified and indivisible" in text and "the foremost task" in text and "OSCE Minsk Group" not in text
    body.fill(text.replace("the foremost task", "the first and foremost task"))
    reviewer.locator("#preview ins", has_text="first").first.wait_for()  # the live redline follows the edit
    reviewer.get_by_label("Rationale").fill("Test rationale: the three agencies' changes together.")
    _shot(reviewer, "form", width)
    assert not overflows_horizontally(reviewer)
    assert not accessibility_problems(reviewer, axe_source)
    reviewer.get_by_role("button", name="Submit the compromise").click()
    reviewer.get_by_text("A-4 submitted: it supersedes A-1, A-2, A-3.").wait_for()
    combines = reviewer.locator("section.compromise-originals").inner_text()
    assert all(label in combines for label in ("A-1", "A-2", "A-3")) and "Superseded" in combines
    _shot(reviewer, "submitted", width)
    assert not accessibility_problems(reviewer, axe_source)

    reviewer.get_by_role("link", name="A-1").first.click()
    assert "Superseded by compromise A-4." in reviewer.locator(".state-notice").inner_text()
    _shot(reviewer, "original-superseded", width)

    approver = new_page(viewport=viewport)
    sign_in(approver, "second_reviewer")
    approver.goto(reviewer.url.replace("/amendments/1/", "/amendments/4/"))
    approver.get_by_label("Approve").check()
    approver.get_by_role("button", name="Record decision").click()
    approver.get_by_text("A-4 approved and applied").wait_for()

    approver.get_by_role("link", name="A-2").first.click()
    assert "Closed by compromise A-4, applied." in approver.locator(".state-notice").inner_text()
    _shot(approver, "original-closed", width)
    assert not overflows_horizontally(approver)
    assert not accessibility_problems(approver, axe_source)

    approver.get_by_role("link", name="4.1.1").first.click()
    approver.get_by_role("navigation", name="Text language").get_by_role("link", name="English").click()
    clause_text = approver.locator("main").inner_text()
    assert "the first and foremost task" in clause_text and "unified and indivisible" in clause_text
    assert "OSCE Minsk Group" not in approver.locator("main .body").first.inner_text()
    _shot(approver, "clause-applied", width)
