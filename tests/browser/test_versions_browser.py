"""A member picks two milestones, reads the comparison, jumps between changes by keyboard, downloads the DOCX."""
import os
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
    # The demo amendments change the English text: read it in English (remembered on the next pages).
    page.get_by_role("navigation", name="Text language").get_by_role("link", name="English").click()
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
        page.locator("a[download]", has_text="English").click()  # the English Word file
    download = download_info.value
    assert download.suggested_filename == "concept-2007-original-to-draft-for-inter-agency-consultation-en.docx"
    saved = tmp_path / download.suggested_filename
    download.save_as(saved)
    with zipfile.ZipFile(saved) as archive:
        xml = archive.read("word/document.xml").decode("utf-8")
    assert "<w:ins " in xml and "<w:del " in xml and 'w:author="Browser Drafter"' in xml


LAPTOP, PHONE = {"width": 1280, "height": 800}, {"width": 390, "height": 844}
# Test text, not official text (the seeds never invent the Concept's Azerbaijani body).
AZ_TEXT = "Azərbaycan Respublikasının ərazisi vahiddir, toxunulmazdır və bölünməzdir."


@pytest.fixture
def bilingual_story(story):
    from drafting.models.history import attribute

    story.authoritative_language, story.translation_language = "az", "en"
    story.save()
    clause = story.clauses.get(number="4.2.1")  # 4.1.1 of the 2007 text, renumbered by the story
    clause.body_az = AZ_TEXT.replace(", toxunulmazdır", "")
    attribute(clause, reason="test", date=timezone.now())
    clause.save()
    return story


@pytest.mark.parametrize("viewport", [LAPTOP, PHONE], ids=["1280px", "390px"])
def test_member_reads_a_comparison_in_both_languages_side_by_side(new_page, bilingual_story, axe_source, viewport):
    from .conftest import accessibility_problems, overflows_horizontally

    page = sign_in(new_page(viewport=viewport), "browser_drafter")
    original = bilingual_story.milestones.order_by("moment").first().point
    page.goto(f"/d/{CONCEPT_SLUG}/versions/compare/?old={original}&new=now")
    # The authoritative language first; the reader switches to both, side by side.
    clause = page.locator("section.clause", has_text="4.2.1").first
    expect(clause.locator('[lang="az"] .redline-body')).to_contain_text("vahiddir və bölünməzdir")
    expect(clause.locator('[lang="en"]')).to_have_count(0)
    page.get_by_role("link", name="Both languages", exact=True).click()
    clause = page.locator("section.clause", has_text="4.2.1").first
    azerbaijani, english = clause.locator('.language-text[lang="az"]'), clause.locator('.language-text[lang="en"]')
    expect(english).to_contain_text("The territory of the Republic of Azerbaijan")
    expect(azerbaijani.locator(".redline-body ins")).to_contain_text("vahiddir və bölünməzdir")
    left, right = azerbaijani.bounding_box(), english.bounding_box()
    if viewport is LAPTOP:
        assert left["x"] + left["width"] <= right["x"] and abs(left["y"] - right["y"]) < 2  # two columns
    else:
        assert left["y"] + left["height"] <= right["y"]  # one above the other on a phone
        expect(english.locator(".language-name")).to_have_text("English")
    assert not overflows_horizontally(page)
    assert accessibility_problems(page, axe_source) == []
    folder = os.environ.get("SCREENSHOT_DIR")
    if folder:
        page.screenshot(path=f"{folder}/compare-both-languages-{viewport['width']}.png", full_page=False)
        clause.evaluate("element => element.scrollIntoView()")
        page.screenshot(path=f"{folder}/compare-both-languages-clause-{viewport['width']}.png")
    # The choice is remembered: the next comparison opens in both languages.
    page.goto(f"/d/{CONCEPT_SLUG}/versions/compare/?old={original}&new=now&view=side")
    expect(page.locator('section.clause .language-text[lang="en"]').first).to_be_visible()
    assert not overflows_horizontally(page)
    assert accessibility_problems(page, axe_source) == []
