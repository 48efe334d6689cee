"""An admin adds a member and deactivates another, who is signed out at once, in real Chromium with the CSP on."""
import pytest
from playwright.sync_api import expect

from drafting.models import Member
from drafting.seeds import load_concept

from ..builders import make_member
from .conftest import sign_in

CONCEPT = "National Security Concept of the Republic of Azerbaijan"


@pytest.fixture
def group(transactional_db):
    load_concept()
    make_member("browser_admin", Member.Role.ADMIN, full_name="Browser Admin")
    make_member("browser_leaving", Member.Role.DRAFTER, full_name="Leaving Drafter")


def watch_for_csp_violations(page):
    violations = []
    page.on("console", lambda message: violations.append(message.text)
            if "Content Security Policy" in message.text else None)
    return violations


def test_admin_adds_a_member_and_deactivates_another_who_is_signed_out_on_the_next_click(new_page, group):
    leaving = new_page()
    leaving_violations = watch_for_csp_violations(leaving)
    sign_in(leaving, "browser_leaving")
    expect(leaving.get_by_role("link", name=CONCEPT)).to_be_visible()

    admin = new_page()
    admin_violations = watch_for_csp_violations(admin)
    sign_in(admin, "browser_admin")
    assert admin.evaluate("typeof htmx") == "object"  # loaded from our own static files, allowed by the CSP
    admin.get_by_role("link", name="Members").click()
    admin.get_by_role("link", name="Add a member").click()
    admin.get_by_label("Full name").fill("Nigar Hüseynova")
    admin.get_by_label("Email").fill("nigar@mfa.example.test")
    admin.get_by_label("Agency").fill("Ministry of Foreign Affairs")
    admin.get_by_label("Position").fill("Deputy Minister")
    admin.get_by_label("Role").select_option("reviewer")
    admin.get_by_role("button", name="Add and send the invitation").click()
    expect(admin.get_by_text("Nigar Hüseynova was added; an invitation was sent")).to_be_visible()
    expect(admin.locator("tr", has_text="Nigar Hüseynova").get_by_text("Reviewer")).to_be_visible()

    admin.locator("tr[data-member=browser_leaving]").get_by_role("button", name="Deactivate").click()
    expect(admin.get_by_text("Leaving Drafter was deactivated and signed out everywhere.")).to_be_visible()
    expect(admin.locator("tr[data-member=browser_leaving]").get_by_text("Deactivated")).to_be_visible()

    leaving.get_by_role("link", name=CONCEPT).click()
    leaving.wait_for_url("**/accounts/login/**")
    expect(leaving.get_by_role("heading", name="Sign in")).to_be_visible()
    assert admin_violations == [] and leaving_violations == []
