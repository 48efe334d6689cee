"""What official texts contain, read in Chromium (issue 14, point 2): a section with an opening text, a lettered
list with Azerbaijani letters, a footnote and a closing text, on the clause page and the outline, at 1,280 and
390 px: the list is a list with its markers as written, the footnote link jumps to the note (and back), the
closing text follows the last sub-clause; nothing wider than the window, axe-core finding nothing."""
import pytest
from django.urls import reverse

from drafting.models import Clause, Member

from ..builders import make_member, make_structured_document
from .conftest import accessibility_problems, overflows_horizontally, sign_in
from .test_layout_browser import LAPTOP, PHONE, screenshot


@pytest.fixture
def structured(transactional_db):
    make_member("structure_reader", Member.Role.DRAFTER, full_name="Səbinə Əhmədova")
    return make_structured_document()


def _check(page, name, axe_source, problems):
    if overflows_horizontally(page):
        problems.append(f"{name}: wider than the window")
    problems += [f"{name}: {problem}" for problem in accessibility_problems(page, axe_source)]


@pytest.mark.parametrize("viewport", [LAPTOP, PHONE], ids=["1280px", "390px"])
def test_a_list_a_footnote_and_a_closing_text_read_as_such(new_page, structured, axe_source, viewport):
    problems = []
    section = Clause.objects.get(document=structured, number="2")
    closing = section.children.get(role=Clause.Role.CLOSING)
    page = sign_in(new_page(viewport=viewport), "structure_reader")

    page.goto(reverse("clause_detail", args=[structured.slug, section.pk]))
    items = page.locator("main ol.text-list.lettered > li")
    assert items.count() == 4
    assert items.nth(3).inner_text().startswith("ç)")
    # The marker sits in the margin, each item below the one before (a list, not a run-on line).
    boxes = [items.nth(n).bounding_box() for n in range(4)]
    assert all(later["y"] > earlier["y"] for earlier, later in zip(boxes, boxes[1:]))
    marker = page.locator("main ol.text-list.lettered > li .marker").first.bounding_box()
    assert marker["x"] < boxes[0]["x"] + 2
    page.locator("main sup.note-ref a").first.click()
    note = page.locator("main ol.footnotes > li").first
    assert note.inner_text().endswith("Test qeydi: ölkə.")
    assert page.evaluate("location.hash").endswith("-fn-1")
    assert note.evaluate("element => getComputedStyle(element).backgroundColor") != "rgba(0, 0, 0, 0)"  # :target
    screenshot(page, "structure-clause", viewport)
    _check(page, "clause page", axe_source, problems)
    note.locator("a").click()
    assert page.evaluate("location.hash").endswith("-ref-1")

    page.goto(reverse("clause_detail", args=[structured.slug, closing.pk]))
    assert page.locator("main h1").inner_text() == "Closing text of 2"
    assert "Bölmənin yekun test mətni." in page.locator("main").inner_text()
    assert page.get_by_role("link", name="Insert a sub-clause", exact=True).count() == 0
    screenshot(page, "structure-closing", viewport)
    _check(page, "closing text page", axe_source, problems)

    page.goto(structured.get_absolute_url())
    outline = page.locator(".outline").inner_text()
    assert outline.index("İkinci alt bəndin mətni.") < outline.index("Closing text") < outline.index(
        "Bölmənin yekun test mətni.") < outline.index("Üçüncü bölmə")
    assert page.locator(".outline ul.text-list.dashed > li").count() == 2
    page.locator(f"#clause-{section.pk} sup.note-ref a").click()
    assert page.locator(f"#clause-{section.pk} ol.footnotes > li").first.is_visible()
    screenshot(page, "structure-outline", viewport)
    _check(page, "outline", axe_source, problems)
    assert problems == []
