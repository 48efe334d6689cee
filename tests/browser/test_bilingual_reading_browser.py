"""Reading the Concept side by side in real Chromium (issue 13, point 1): the Azerbaijani and English columns both
visible and level clause by clause at a laptop's 1,280 px, stacked per clause without overflow on a phone's
390 px, and axe-core's WCAG 2.1 A/AA checks with no violation.

With SCREENSHOT_DIR set, the outline and the clause page are saved there side by side at both widths
(`SCREENSHOT_DIR=/work/screens/bilingual .venv/bin/python -m pytest tests/browser/test_bilingual_reading_browser.py`).
"""
import pytest
from django.urls import reverse

from drafting.models import Member
from drafting.models.history import attribute
from drafting.seeds import CONCEPT_SLUG, load_concept

from ..amendment_builders import modify
from ..builders import make_member
from .conftest import accessibility_problems, overflows_horizontally, sign_in
from .test_layout_browser import LAPTOP, PHONE, screenshot

# Test text, not official text: the seeds never invent the Concept's Azerbaijani body.
AZ_BODY = "Azərbaycan Respublikasının ərazisi vahiddir, toxunulmazdır və bölünməzdir."


@pytest.fixture
def concept(transactional_db):
    concept = load_concept()
    reader = make_member("bilingual_reader", Member.Role.DRAFTER, full_name="Bilingual Reader")
    clause = concept.clauses.get(number="4.1.1")
    clause.body_az = AZ_BODY
    attribute(clause, reason="test")
    clause.save()
    # An open amendment of both texts, for the what-if page's redlines.
    modify(reader, clause, body=clause.body.replace(" OSCE Minsk Group", " United Nations"),
           proposed_body_az=AZ_BODY.replace(" toxunulmazdır və", ""), submit=True)
    return concept


def columns(page, clause_selector):
    """The bounding boxes of a clause's Azerbaijani and English columns."""
    clause = page.locator(clause_selector)
    return (clause.locator('.clause-language[lang="az"]').bounding_box(),
            clause.locator('.clause-language[lang="en"]').bounding_box())


def choose_side_by_side(page):
    page.get_by_role("navigation", name="Text language").get_by_role("link", name="Side by side").click()
    page.wait_for_url("**?text=both")


def test_concept_side_by_side_at_1280_px_two_level_columns_that_pass_axe(new_page, concept, axe_source):
    page = sign_in(new_page(viewport=LAPTOP), "bilingual_reader")
    page.goto(reverse("document_detail", args=[CONCEPT_SLUG]))
    choose_side_by_side(page)
    assert page.locator('nav.reading-control a[aria-current="true"]').inner_text() == "Side by side"
    clause = concept.clauses.get(number="4.1.1")
    az, en = columns(page, f"#clause-{clause.pk}")
    assert az["width"] > 300 and en["width"] > 300
    assert en["x"] >= az["x"] + az["width"]  # beside it, not under it
    assert abs(az["y"] - en["y"]) < 1  # level
    # The next clause starts level on both sides, below the longer of the two texts (the English one).
    following = page.locator(f"#clause-{clause.pk} ~ section.clause").first
    next_az, next_en = following.locator(".clause-language").nth(0).bounding_box(), \
        following.locator(".clause-language").nth(1).bounding_box()
    assert abs(next_az["y"] - next_en["y"]) < 1
    assert next_az["y"] >= en["y"] + en["height"]
    assert page.locator(f"#clause-{clause.pk} .clause-language[lang='az']").inner_text().count("toxunulmazdır") == 1
    assert not overflows_horizontally(page)
    assert accessibility_problems(page, axe_source) == []
    screenshot(page, "outline-side-by-side", LAPTOP)
    # The choice is remembered on the clause page.
    page.goto(clause.get_absolute_url())
    az, en = columns(page, ".clause-page-texts")
    assert en["x"] >= az["x"] + az["width"] and abs(az["y"] - en["y"]) < 1
    assert not overflows_horizontally(page)
    assert accessibility_problems(page, axe_source) == []
    screenshot(page, "clause-side-by-side", LAPTOP)
    # And on the what-if page, the document with the open amendments, still side by side.
    page.goto(reverse("what_if", args=[CONCEPT_SLUG]))
    changes = page.locator(f"#clause-{clause.pk} .change .clause-language")
    assert changes.count() == 2
    assert "toxunulmazdır" in changes.nth(0).locator("del").first.inner_text()
    assert "OSCE" in changes.nth(1).locator("del").first.inner_text()
    assert not overflows_horizontally(page)
    assert accessibility_problems(page, axe_source) == []
    screenshot(page, "what-if-side-by-side", LAPTOP)


def test_concept_side_by_side_at_390_px_stacks_each_clause_without_overflow(new_page, concept, axe_source):
    page = sign_in(new_page(viewport=PHONE), "bilingual_reader")
    page.goto(reverse("document_detail", args=[CONCEPT_SLUG]))
    choose_side_by_side(page)
    clause = concept.clauses.get(number="4.1.1")
    az, en = columns(page, f"#clause-{clause.pk}")
    assert en["y"] >= az["y"] + az["height"]  # under it, in the same clause
    following = page.locator(f"#clause-{clause.pk} ~ section.clause").first.bounding_box()
    assert following["y"] >= en["y"] + en["height"]
    assert not overflows_horizontally(page)
    assert accessibility_problems(page, axe_source) == []
    screenshot(page, "outline-side-by-side", PHONE)
    page.goto(clause.get_absolute_url())
    az, en = columns(page, ".clause-page-texts")
    assert en["y"] >= az["y"] + az["height"]
    assert not overflows_horizontally(page)
    assert accessibility_problems(page, axe_source) == []
    screenshot(page, "clause-side-by-side", PHONE)
