"""A member signs in, opens the Concept, opens 4.1.1 and sees its history, in real Chromium."""
import pytest
from playwright.sync_api import expect

from drafting.models import Member
from drafting.seeds import load_concept

from ..builders import make_member
from .conftest import sign_in


@pytest.fixture
def seeded(transactional_db):
    load_concept()
    return make_member("browser_drafter", Member.Role.DRAFTER, full_name="Browser Drafter")


def test_member_reads_the_concept_and_the_history_of_4_1_1(new_page, seeded):
    page = new_page()
    page.goto("/")
    assert "/accounts/login/" in page.url  # a stranger is sent to sign in
    sign_in(page, "browser_drafter")
    page.get_by_role("link", name="National Security Concept of the Republic of Azerbaijan").click()
    expect(page.get_by_role("navigation", name="Table of contents")).to_be_visible()
    # The Concept reads in Azerbaijani first; its English translation holds 4.1.1's wording.
    page.get_by_role("navigation", name="Text language").get_by_role("link", name="English").click()
    page.get_by_role("heading", name="4.1.1 The restoration of the territorial integrity").get_by_role("link").click()
    expect(page.get_by_text("The territory of the Republic of Azerbaijan is unified")).to_be_visible()
    history = page.locator("#history table.versions tbody tr")
    assert history.count() == 1
    assert "imported" in history.first.inner_text()
