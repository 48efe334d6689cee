"""Search in real Chromium: type in the header's box, see the matches highlighted, follow one; at a laptop's
1,280 px and a phone's 390 px, nothing wider than the window and axe-core's WCAG 2.1 A/AA checks with no violation.

Screenshots go to SCREENSHOT_DIR when it is set (as in test_layout_browser.py)."""
import pytest
from django.urls import reverse

from drafting.models import Member
from drafting.seeds import CONCEPT_SLUG, load_concept

from ..builders import make_member
from ..comment_builders import comment
from .conftest import accessibility_problems, overflows_horizontally, sign_in
from .test_layout_browser import LAPTOP, PHONE, screenshot


@pytest.fixture
def searchable(transactional_db):
    concept = load_concept()
    make_member("search_drafter", Member.Role.DRAFTER, full_name="Search Drafter")
    clause = concept.clauses.get(number="4.1.1")
    comment(make_member("search_reviewer", Member.Role.REVIEWER), clause,
            body="Should the Minsk Group <still> be named here?")
    return clause


@pytest.mark.parametrize("viewport", [LAPTOP, PHONE], ids=["1280px", "390px"])
def test_search_from_the_header_highlights_matches_and_leads_to_the_place(new_page, searchable, axe_source, viewport):
    page = sign_in(new_page(viewport=viewport), "search_drafter")
    page.goto(reverse("document_detail", args=[CONCEPT_SLUG]))
    box = page.get_by_role("searchbox", name="Search the documents")
    box.fill("minsk")
    box.press("Enter")
    page.wait_for_url("**/search/?q=minsk**")
    marks = page.locator(".search-results mark")
    assert marks.count() >= 2 and marks.first.inner_text().lower() == "minsk"
    assert "<still>" in page.locator(".search-results").inner_text()  # shown as typed, never as markup
    problems = accessibility_problems(page, axe_source)
    assert not overflows_horizontally(page), page.evaluate("document.documentElement.scrollWidth")
    assert problems == [], "\n".join(problems)
    screenshot(page, "search", viewport)
    page.locator(".search-results li", has=page.locator(".search-kind", has_text="Clause")).first.locator("a").click()
    page.wait_for_url(f"**{searchable.get_absolute_url()}")
    page.locator("form.site-search").wait_for()
    screenshot(page, "search-followed", viewport)
