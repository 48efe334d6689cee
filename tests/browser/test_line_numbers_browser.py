"""Line numbers as a person sees them (issue 14, point 5): the toggle on a version and on a comparison shows each
line's number beside it, the lines never wrap on a phone (their box scrolls sideways, the page does not), and
axe-core finds nothing, at 1,280 and 390 px."""
import pytest
from django.urls import reverse

from drafting.line_numbers import LINE_LENGTH
from drafting.models import Member

from ..builders import make_document, make_member
from .conftest import accessibility_problems, overflows_horizontally, sign_in
from .test_layout_browser import LAPTOP, PHONE, screenshot


@pytest.fixture
def document(transactional_db):
    make_member("browser_drafter", Member.Role.DRAFTER, full_name="Browser Drafter")
    return make_document(30, slug="lined")


@pytest.mark.parametrize("viewport", [LAPTOP, PHONE], ids=["1280px", "390px"])
def test_line_numbers_show_beside_each_line_and_fit_the_window(new_page, document, axe_source, viewport):
    page = sign_in(new_page(viewport=viewport), "browser_drafter")
    page.goto(reverse("versions_read", args=[document.slug]) + "?at=now")
    page.get_by_role("link", name="Show line numbers").click()
    page.wait_for_load_state("load")
    first = page.locator(".numbered-lines .line").first
    assert first.locator(".line-no").inner_text() == "1"
    assert first.locator(".line-text").inner_text() == "1 Section 1"
    assert first.locator(".line-no").is_visible()
    # Every line stays on one row: none is taller than the first (no wrapping), whatever the window.
    heights = page.locator(".numbered-lines .line").evaluate_all("rows => rows.map(r => r.getBoundingClientRect().height)")
    assert max(heights) <= heights[0] + 1
    assert max(len(t) for t in page.locator(".numbered-lines .line-text").all_inner_texts()) <= LINE_LENGTH
    assert not overflows_horizontally(page)
    assert accessibility_problems(page, axe_source) == []
    screenshot(page, "version-lines", viewport)
    page.get_by_role("link", name="Hide line numbers").click()
    page.wait_for_load_state("load")
    assert page.locator(".numbered-lines").count() == 0

    page.goto(reverse("versions_compare", args=[document.slug]) + "?new=now")
    page.get_by_role("link", name="Show line numbers").click()
    page.wait_for_load_state("load")
    assert page.locator(".numbered-lines .line-no").first.inner_text() == "1"
    assert not overflows_horizontally(page)
    assert accessibility_problems(page, axe_source) == []
    screenshot(page, "compare-lines", viewport)
