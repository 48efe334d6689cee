"""A drafter proposes a rewording with the live redline preview; a reviewer approves it; the document
shows the new text. Real Chromium, with the CSP on."""
import pytest

from drafting.models import Member
from drafting.seeds import load_concept

from ..builders import make_member
from .conftest import sign_in

CONCEPT = "National Security Concept of the Republic of Azerbaijan"
MINSK = ("The Republic of Azerbaijan continues to advocate for the peaceful settlement of the conflict within the "
         "framework of the OSCE Minsk Group to eliminate the consequences of aggression against it and the "
         "occupation of a part of its territory.")


@pytest.fixture
def group(transactional_db):
    load_concept()
    make_member("browser_drafter", Member.Role.DRAFTER, full_name="Browser Drafter")
    make_member("browser_reviewer", Member.Role.REVIEWER, full_name="Browser Reviewer")


def test_drafter_proposes_with_live_preview_and_reviewer_approves(new_page, group):
    csp_violations = []
    drafter = new_page()
    drafter.on("console", lambda m: csp_violations.append(m.text) if "Content Security Policy" in m.text else None)
    sign_in(drafter, "browser_drafter")
    drafter.get_by_role("link", name=CONCEPT).click()
    # The Concept reads in Azerbaijani first; its English translation holds 4.1.1's wording.
    drafter.get_by_role("navigation", name="Text language").get_by_role("link", name="English").click()
    drafter.get_by_role("heading", name="4.1.1 The restoration").get_by_role("link").first.click()
    drafter.get_by_role("link", name="Reword this clause").click()

    body = drafter.get_by_label("Text in English")  # the Concept's English translation (4.1.1 has no Azerbaijani text yet)
    text = body.input_value()
    assert MINSK in text
    body.fill(text.replace(" " + MINSK, ""))  # typing fires the debounced htmx preview
    deleted = drafter.locator("#preview .redline del")
    deleted.first.wait_for()
    assert "OSCE Minsk Group" in deleted.first.inner_text()
    assert drafter.url.endswith("/amend/modify/")  # updated in place, no navigation
    drafter.get_by_label("Rationale").fill("Since 2023 the Minsk Group process is over.")
    drafter.get_by_role("button", name="Save and submit for review").click()
    drafter.get_by_text("A-1 saved as submitted.").wait_for()

    reviewer = new_page()
    sign_in(reviewer, "browser_reviewer")
    reviewer.goto(drafter.url)
    assert "OSCE Minsk Group" in reviewer.locator(".proposal .redline del").first.inner_text()
    reviewer.get_by_label("Approve").check()
    reviewer.get_by_role("button", name="Record decision").click()
    reviewer.get_by_text("A-1 approved and applied").wait_for()

    reviewer.get_by_role("link", name=CONCEPT).first.click()
    reviewer.get_by_role("navigation", name="Text language").get_by_role("link", name="English").click()
    clause_text = reviewer.locator("section.clause", has_text="4.1.1").inner_text()
    assert "The territory of the Republic of Azerbaijan is unified" in clause_text
    assert "OSCE Minsk Group" not in clause_text
    assert not csp_violations, csp_violations
