"""A member picks two milestones, reads the comparison, jumps between changes by keyboard, downloads the DOCX."""
import zipfile

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from drafting.models import Document, Member, Milestone
from drafting.seeds import CONCEPT_SLUG, load_concept

from ..builders import make_member
from ..version_builders import AI_HEADING, apply_demo_amendments
from .conftest import sign_in


@pytest.fixture
def story(transactional_db):
    load_concept()
    concept = Document.objects.get(slug=CONCEPT_SLUG)
    drafter = make_member("browser_drafter", Member.Role.DRAFTER, full_name="Browser Drafter")
    second = make_member("browser_second", Member.Role.DRAFTER, full_name="Second Drafter")
    reviewer = make_member("browser_reviewer", Member.Role.REVIEWER, full_name="Browser Reviewer")
    apply_demo_amendments(concept, drafter, second, reviewer)
    Milestone.objects.create(document=concept, name="Draft for inter-agency consultation",
                             moment=timezone.now(), created_by=reviewer)
    return concept


def test_member_compares_two_milestones_and_downloads_the_word_redline(new_page, story, tmp_path):
    page = new_page()
    sign_in(page, "browser_drafter")
    page.goto(f"/d/{CONCEPT_SLUG}/")
    page.get_by_role("link", name="Versions").click()
    page.select_option("#id_old", label=page.locator("#id_old option", has_text="2007 original").inner_text())
    page.select_option("#id_new", label=page.locator("#id_new option", has_text="Draft for inter-agency").inner_text())
    page.get_by_role("button", name="Compare").click()

    summary = page.get_by_role("region", name="Summary of changes")
    assert "1 changed" in " ".join(summary.inner_text().split())
    assert "2 added" in " ".join(summary.inner_text().split())
    assert "2 renumbered" in " ".join(summary.inner_text().split())
    expect(page.get_by_text(AI_HEADING).first).to_be_visible()
    # Shown only once the deferred script has run: wait for it, so "n" is never pressed before it listens.
    page.get_by_text("Press n for the next change").wait_for()

    page.keyboard.press("n")
    page.wait_for_function("location.hash === '#change-1'")
    assert page.evaluate("document.activeElement.id") == "change-1"
    page.keyboard.press("n")
    page.wait_for_function("location.hash === '#change-2'")
    page.keyboard.press("n")
    page.wait_for_function("location.hash === '#change-3'")
    page.keyboard.press("p")
    page.wait_for_function("location.hash === '#change-2'")
    assert page.evaluate("document.activeElement.id") == "change-2"
    assert "current" in page.locator("#change-2").get_attribute("class")

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Word with tracked changes (.docx)").click()
    download = download_info.value
    assert download.suggested_filename == "concept-2007-original-to-draft-for-inter-agency-consultation.docx"
    saved = tmp_path / download.suggested_filename
    download.save_as(saved)
    with zipfile.ZipFile(saved) as archive:
        xml = archive.read("word/document.xml").decode("utf-8")
    assert "<w:ins " in xml and "<w:del " in xml and 'w:author="Browser Drafter"' in xml
