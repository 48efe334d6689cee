"""The numbering policy in Chromium, at a laptop's 1,280 px and a phone's 390 px: an admin chooses "keep
numbers" on the Settings page (the warning beside it), and the outline then shows an inserted clause's derived
number (1.1.1-1) and a removed clause by its number, marked removed. Screenshots go to SCREENSHOT_DIR if set."""
import os
from pathlib import Path

import pytest

from drafting.importer import import_document
from drafting.markdown_format import parse
from drafting.models import Amendment, Clause, Member, Numbering, Review

from ..amendment_builders import insert, remove
from ..builders import make_member
from ..test_numbering import SOURCE
from .conftest import accessibility_problems, overflows_horizontally, sign_in

SIZES = {"1280": {"width": 1280, "height": 800}, "390": {"width": 390, "height": 844}}


def shoot(page, name):
    if os.environ.get("SCREENSHOT_DIR"):
        page.screenshot(path=str(Path(os.environ["SCREENSHOT_DIR"]) / f"numbering-{name}.png"), full_page=True)


@pytest.fixture
def document(transactional_db):
    document, _counts = import_document(parse(SOURCE), slug="numbering-test")
    for username, role in (("numbering_admin", Member.Role.ADMIN), ("numbering_drafter", Member.Role.DRAFTER),
                           ("numbering_reviewer", Member.Role.REVIEWER)):
        make_member(username, role, full_name=username.replace("_", " ").title())
    return document


@pytest.mark.parametrize("size", SIZES)
def test_admin_keeps_numbers_and_the_outline_shows_derived_and_removed_numbers(new_page, document, axe_source, size):
    page = sign_in(new_page(viewport=SIZES[size]), "numbering_admin")
    page.goto(f"/d/{document.slug}/settings/")
    choice = page.locator("select[name=numbering]")
    assert choice.is_visible()
    assert page.locator(".numbering-setting .notice").is_visible()
    assert not overflows_horizontally(page)
    assert accessibility_problems(page, axe_source) == []
    shoot(page, f"settings-{size}")
    choice.select_option("keep")
    page.locator("main button[type=submit]").click()
    page.wait_for_url(f"**/d/{document.slug}/settings/")
    document.refresh_from_db()
    assert document.numbering == Numbering.KEEP

    drafter, reviewer = Member.objects.get(user__username="numbering_drafter"), Member.objects.get(user__username="numbering_reviewer")
    first = Clause.objects.get(document=document, number="1.1.1")
    insert(drafter, first, Amendment.Placement.AFTER, "Inserted clause", "Test clause text.", submit=True).review(
        reviewer, Review.Decision.APPROVE)
    remove(drafter, Clause.objects.get(document=document, number="1.1.2"), submit=True).review(
        reviewer, Review.Decision.APPROVE)

    page.goto(f"/d/{document.slug}/")
    outline = page.locator(".outline")
    assert outline.get_by_text("1.1.1-1", exact=True).is_visible()
    removed = outline.locator(".removed-clause")
    assert removed.count() == 1
    assert "1.1.2" in removed.inner_text() and "(" in removed.inner_text()
    assert outline.get_by_text("1.1.3", exact=True).is_visible()
    assert "Test clause text two." not in outline.inner_text()
    assert not overflows_horizontally(page)
    assert accessibility_problems(page, axe_source) == []
    removed.scroll_into_view_if_needed()
    shoot(page, f"outline-{size}")

    page.goto(f"/d/{document.slug}/versions/compare/?old={document.milestones.get().point}&new=now")
    assert page.locator(".numbering-policy").is_visible()
    assert page.locator(".comparison").get_by_text("1.1.1-1").first.is_visible()
    assert not overflows_horizontally(page)
    shoot(page, f"compare-{size}")
