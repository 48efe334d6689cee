"""The Access page and the marking banner (issue 12) in real Chromium, at a laptop's 1,280 px and a phone's 390 px:
what an admin and a member see, axe-core's WCAG 2.1 A/AA checks, and nothing wider than the window.

With SCREENSHOT_DIR set, each page is also saved there as a full-page PNG."""
import os
from pathlib import Path

import pytest
from django.urls import reverse

from drafting.models import DocumentAccess, Member
from drafting.seeds import load_concept

from ..amendment_builders import modify
from ..builders import make_member
from .conftest import accessibility_problems, overflows_horizontally, sign_in

pytestmark = pytest.mark.need_to_know

VIEWPORTS = {"laptop": {"width": 1280, "height": 800}, "phone": {"width": 390, "height": 844}}
MARKING = "For official use only"


def screenshot(page, name):
    if os.environ.get("SCREENSHOT_DIR"):
        folder = Path(os.environ["SCREENSHOT_DIR"])
        folder.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(folder / f"{name}.png"), full_page=True)


def looks_right(page, axe_source, name):
    assert accessibility_problems(page, axe_source) == [], name
    assert not overflows_horizontally(page), name
    screenshot(page, name)


@pytest.fixture
def world(transactional_db):
    concept = load_concept()
    admin = make_member("browser_admin", Member.Role.ADMIN, full_name="Browser Admin")
    drafter = make_member("browser_drafter", Member.Role.DRAFTER, full_name="Gülnarə Abdulrəhmanova-Səfərəliyeva")
    reviewer = make_member("browser_reviewer", Member.Role.REVIEWER, full_name="Rauf Həsənov")
    return {"concept": concept, "admin": admin, "drafter": drafter, "reviewer": reviewer}


@pytest.mark.parametrize("device", VIEWPORTS)
def test_an_admin_grants_changes_and_revokes_access_and_sees_the_last_reviewer_refusal(
    new_page, world, axe_source, device
):
    concept, drafter, reviewer = world["concept"], world["drafter"], world["reviewer"]
    page = sign_in(new_page(viewport=VIEWPORTS[device]), "browser_admin")
    page.goto(reverse("document_access", args=[concept.slug]))
    page.get_by_text("Nobody is on this document yet").wait_for()
    looks_right(page, axe_source, f"access-empty-{device}")

    # Grant: the member and the role, chosen by their labels.
    page.get_by_label("Member").select_option(label=drafter.full_name)
    page.get_by_label("Role on this document").select_option(label="Drafter")
    page.get_by_role("button", name="Save").click()
    page.get_by_text(f"{drafter.full_name} is on").wait_for()
    assert page.get_by_role("cell", name=drafter.full_name, exact=True).is_visible()

    # Change the role in the member's own row.
    page.get_by_label(f"Role of {drafter.full_name}").select_option(label="Reader")
    page.get_by_role("row", name=drafter.full_name).get_by_role("button", name="Change").click()
    page.get_by_text(f"{drafter.full_name} is on {concept} as reader").wait_for()
    assert DocumentAccess.objects.get(document=concept, member=drafter).role == DocumentAccess.Role.READER
    looks_right(page, axe_source, f"access-granted-{device}")

    # Revoke.
    page.get_by_label(f"Role of {drafter.full_name}").select_option(label="Not on this document")
    page.get_by_role("row", name=drafter.full_name).get_by_role("button", name="Change").click()
    page.get_by_text(f"{drafter.full_name} is no longer on").wait_for()
    assert not DocumentAccess.objects.filter(document=concept, member=drafter).exists()

    # The last reviewer of a document with open amendments stays, and the page says why.
    DocumentAccess.grant(concept, drafter, DocumentAccess.Role.DRAFTER)
    DocumentAccess.grant(concept, reviewer, DocumentAccess.Role.REVIEWER)
    modify(drafter, concept.clauses.get(number="4.1.1"), body="Shorter.", submit=True)
    page.reload()
    page.get_by_label(f"Role of {reviewer.full_name}").select_option(label="Not on this document")
    page.get_by_role("row", name=reviewer.full_name).get_by_role("button", name="Change").click()
    refusal = page.locator(".message.error")
    refusal.wait_for()
    assert "is the last reviewer of" in refusal.inner_text() and refusal.is_visible()
    assert DocumentAccess.objects.get(document=concept, member=reviewer).role == DocumentAccess.Role.REVIEWER
    looks_right(page, axe_source, f"access-last-reviewer-{device}")


@pytest.mark.parametrize("device", VIEWPORTS)
def test_a_marked_document_shows_its_marking_at_the_top_and_bottom_and_in_the_title(
    new_page, world, axe_source, device
):
    concept, drafter = world["concept"], world["drafter"]
    concept.marking = MARKING
    concept.save()
    DocumentAccess.grant(concept, drafter, DocumentAccess.Role.DRAFTER)
    page = sign_in(new_page(viewport=VIEWPORTS[device]), "browser_drafter")
    clause = concept.clauses.get(number="4.1.1")
    for name, url in (("outline", concept.get_absolute_url()), ("clause", clause.get_absolute_url()),
                      ("versions", reverse("versions", args=[concept.slug]))):
        page.goto(url)
        assert page.title().startswith(f"[{MARKING}] "), name
        top, bottom = page.locator(".marking-top"), page.locator(".marking-bottom")
        assert top.text_content() == bottom.text_content() == MARKING  # shown in capitals by the style sheet
        # The top one is the first thing on the page, above the header; the bottom one the last, below the text.
        assert top.is_visible() and top.bounding_box()["y"] < 5, name
        page.evaluate("window.scrollTo(0, document.documentElement.scrollHeight)")
        assert bottom.is_visible() and bottom.bounding_box()["y"] + bottom.bounding_box()["height"] <= \
            VIEWPORTS[device]["height"] + 1, name
        assert bottom.bounding_box()["y"] > page.locator("main").bounding_box()["y"], name
        looks_right(page, axe_source, f"marking-{name}-{device}")
    page.goto(reverse("inbox"))  # not a page of the document: no marking
    assert page.locator(".marking-top").count() == 0 and not page.title().startswith("[")
