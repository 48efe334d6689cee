"""A reviewer enrols an authenticator app after the password, then signs in with a code: real Chromium, CSP on."""
import re

import pytest
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from drafting.models import Member

from ..builders import PASSWORD, make_member
from .conftest import accessibility_problems, sign_in


@pytest.fixture
def reviewer(transactional_db):
    return make_member("browser_reviewer", Member.Role.REVIEWER, full_name="Browser Reviewer")


def test_a_reviewer_enrols_after_the_password_then_signs_in_with_a_code(new_page, reviewer, axe_source):
    csp_violations = []
    page = new_page()
    page.on("console", lambda m: csp_violations.append(m.text) if "Content Security Policy" in m.text else None)
    page.goto("/accounts/login/")
    page.fill("#id_username", "browser_reviewer")
    page.fill("#id_password", PASSWORD)
    page.click("main button[type=submit]")
    # Not enrolled, and the role requires it: enrolment, with the QR code drawn and the secret to type.
    page.wait_for_url("**/account/two-factor/**")
    assert page.locator("img[src^='data:image/svg+xml']").evaluate("img => img.naturalWidth") > 0
    assert accessibility_problems(page, axe_source) == []
    page.goto("/")  # nothing else opens before enrolment
    assert "/account/two-factor/" in page.url
    device = TOTPDevice.objects.get(user=reviewer.user, confirmed=False)
    page.get_by_label("Code from the app").fill(f"{totp(device.bin_key):06d}")
    page.get_by_role("button", name="Turn on two-factor sign-in").click()
    page.get_by_role("heading", name="Your backup codes").wait_for()
    assert len(re.findall(r"\b[a-z2-7]{8}\b", page.locator("ul.backup-codes").inner_text())) == 10
    page.get_by_role("link", name="Continue").click()
    page.get_by_role("heading", name="Documents").wait_for()

    # Signing in again: the password, then a code from the app.
    other = sign_in(new_page(), "browser_reviewer")
    other.get_by_role("heading", name="Documents").wait_for()
    assert "/accounts/" not in other.url
    assert not csp_violations, csp_violations


def test_a_wrong_code_is_refused_in_the_browser(new_page, reviewer):
    from ..builders import enrolled_device

    enrolled_device(reviewer.user)
    page = new_page()
    page.goto("/accounts/login/")
    page.fill("#id_username", "browser_reviewer")
    page.fill("#id_password", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url("**/accounts/two-factor/**")
    page.get_by_label("Code").fill("000000")
    page.get_by_role("button", name="Continue").click()
    page.get_by_role("alert").get_by_text("That code was not accepted").wait_for()
