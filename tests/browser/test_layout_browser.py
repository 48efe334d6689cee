"""The amendment journey's pages at a laptop's 1,280 px and a phone's 390 px, in real Chromium: nothing wider than
the window, the preview and the decision form in view without scrolling, and axe-core's WCAG 2.1 A/AA checks with
no violation and no broken id reference on every page of the story.

With SCREENSHOT_DIR set, every page is also saved there as a full-page PNG (how the screenshots for a review of the
layout are made: `SCREENSHOT_DIR=/tmp/screens .venv/bin/python -m pytest tests/browser/test_layout_browser.py`).
"""
import os
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone

from drafting.models import Amendment, Member, Milestone, Review, Tag
from drafting.seeds import CONCEPT_SLUG, load_concept

from ..amendment_builders import REMOVED_SENTENCE, insert, modify
from ..builders import make_member
from ..comment_builders import comment
from .conftest import accessibility_problems, overflows_horizontally, sign_in

LAPTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}
LONG_NAME = "Gülnarə Abdulrəhmanova-Səfərəliyeva-Hacıbəyova-Mirzəyeva"


@pytest.fixture
def story(transactional_db):
    """4.1.1 after one amendment applied, one that now needs a rebase, one before the reviewers, a new clause."""
    concept = load_concept()
    drafter = make_member("browser_drafter", Member.Role.DRAFTER, full_name="Browser Drafter")
    second = make_member("browser_second", Member.Role.DRAFTER, full_name="Second Drafter",
                         agency="State Agency for the Protection of Strategic Facilities")
    reviewer = make_member("browser_reviewer", Member.Role.REVIEWER, full_name="Browser Reviewer")
    make_member("browser_admin", Member.Role.ADMIN, full_name="Browser Admin")
    make_member("long_named_member_of_the_state_service_for_special_communications", Member.Role.REVIEWER,
                full_name=LONG_NAME,
                agency="State Service for Special Communications and Information Security of the Republic of Azerbaijan")
    Tag.objects.create(name="Territorial integrity")
    Tag.objects.create(name="Artificial intelligence and the security of critical information infrastructure")
    clause = concept.clauses.get(number="4.1.1")
    rebasing = modify(second, clause, body=clause.body.replace("OSCE Minsk Group", "United Nations"), submit=True)
    applied = modify(drafter, clause, body=clause.body.replace(REMOVED_SENTENCE, ""), submit=True)
    applied.review(reviewer, Review.Decision.APPROVE)
    assert rebasing.review(reviewer, Review.Decision.APPROVE) == Amendment.State.NEEDS_REBASE
    clause.refresh_from_db()
    pending = modify(drafter, clause, heading="The restoration and protection of the territorial integrity of the "
                     "Republic of Azerbaijan", submit=True)
    comment(reviewer, pending, body="Does “protection” add anything the text does not already say?")
    Milestone.objects.create(document=concept, moment=timezone.now(), created_by=reviewer,
                             name="Draft for inter-agency consultation with the Ministry of Foreign Affairs, the State "
                                  "Security Service and the Presidential Security Service, second reading (revised)")
    insert(second, concept.clauses.get(number="3"), Amendment.Placement.LAST_CHILD,
           "Threats arising from artificial intelligence",
           "The misuse of artificial intelligence against the state and society is a threat to national security.",
           submit=True)
    return {"concept": concept, "clause": clause, "rebasing": rebasing, "pending": pending, "applied": applied}


def story_pages(story):
    """(who, name, path) for every page of the story, the four the issue names first."""
    slug, clause = CONCEPT_SLUG, story["clause"]
    return [
        ("browser_drafter", "propose", reverse("amendment_new", args=[slug, clause.pk, "modify"])),
        ("browser_reviewer", "review", story["pending"].get_absolute_url()),
        ("browser_second", "needs-rebase", story["rebasing"].get_absolute_url()),
        ("browser_admin", "members", reverse("member_list")),
        ("browser_second", "redo", reverse("amendment_edit", args=[slug, story["rebasing"].number])),
        ("browser_drafter", "propose-insert", reverse("amendment_new", args=[slug, clause.pk, "insert"]) + "?placement=last_child"),
        ("browser_drafter", "propose-remove", reverse("amendment_new", args=[slug, clause.pk, "remove"])),
        ("browser_drafter", "document", reverse("document_detail", args=[slug])),
        ("browser_drafter", "clause", clause.get_absolute_url()),
        ("browser_drafter", "amendment-list", reverse("amendment_list", args=[slug])),
        ("browser_drafter", "applied", story["applied"].get_absolute_url()),
        ("browser_drafter", "what-if", reverse("what_if", args=[slug])),
        ("browser_drafter", "versions", reverse("versions", args=[slug])),
        ("browser_drafter", "compare", reverse("versions_compare", args=[slug]) + "?new=now"),
        ("browser_drafter", "activity", reverse("document_activity", args=[slug])),
        ("browser_drafter", "inbox", reverse("inbox")),
        ("browser_drafter", "tags", reverse("tag_list")),
        ("browser_drafter", "profile", reverse("profile")),
        ("browser_drafter", "password", reverse("password_change")),
        ("browser_admin", "audit", reverse("audit_log")),
        ("browser_admin", "member-add", reverse("member_add")),
        ("browser_admin", "settings", reverse("document_settings", args=[slug])),
        ("browser_drafter", "not-found", "/no-such-page/"),
    ]


def screenshot(page, name, viewport):
    folder = os.environ.get("SCREENSHOT_DIR")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(folder) / f"{name}-{viewport['width']}.png"), full_page=True)


@pytest.mark.parametrize("viewport", [LAPTOP, PHONE], ids=["1280px", "390px"])
def test_every_page_of_the_story_fits_the_window_and_passes_axe(new_page, story, axe_source, viewport):
    pages, problems = {}, []
    login_page = new_page(viewport=viewport)
    login_page.goto(reverse("login"))
    problems += [f"sign-in: {p}" for p in accessibility_problems(login_page, axe_source)]
    if overflows_horizontally(login_page):
        problems.append("sign-in: wider than the window")
    screenshot(login_page, "sign-in", viewport)
    for who, name, path in story_pages(story):
        if who not in pages:
            pages[who] = sign_in(new_page(viewport=viewport), who)
        page = pages[who]
        page.goto(path)
        page.wait_for_load_state("load")
        if overflows_horizontally(page):
            width = page.evaluate("document.documentElement.scrollWidth")
            problems.append(f"{name}: {width} px wide in a {viewport['width']} px window")
        problems += [f"{name}: {problem}" for problem in accessibility_problems(page, axe_source)]
        screenshot(page, name, viewport)
    assert problems == [], "\n".join(problems)


def in_view(page, selector):
    """Whether the element's top and its first 200 px (or all of it) are inside the window."""
    box = page.locator(selector).first.bounding_box()
    height = page.evaluate("window.innerHeight")
    return box is not None and box["y"] >= 0 and box["y"] + min(box["height"], 200) <= height


def test_preview_is_in_view_without_scrolling_and_stays_there_while_typing(new_page, story):
    page = sign_in(new_page(viewport=LAPTOP), "browser_drafter")
    page.goto(reverse("amendment_new", args=[CONCEPT_SLUG, story["clause"].pk, "modify"]))
    assert in_view(page, "#preview")
    assert page.get_by_label("Heading in English", exact=True).bounding_box()["width"] > 500  # a 70-character heading fits
    body = page.get_by_label("Text in English", exact=True)
    body.fill(body.input_value().replace("unified", "single"))
    page.locator("#preview .redline del", has_text="unified").wait_for()
    page.get_by_label("Rationale").scroll_into_view_if_needed()
    page.get_by_label("Rationale").fill("One word says it better.")
    assert page.evaluate("window.scrollY") > 0  # the editor scrolled down to the rationale ...
    assert in_view(page, "#preview")  # ... and the redline came along


def test_decision_form_is_in_view_without_scrolling(new_page, story):
    page = sign_in(new_page(viewport=LAPTOP), "browser_reviewer")
    page.goto(story["pending"].get_absolute_url())
    assert page.evaluate("window.scrollY") == 0
    for selector in ("#review fieldset", "#review textarea", "#review button[type=submit]"):
        assert in_view(page, selector), selector
    # On a phone the panel comes first, before the redlines.
    phone = sign_in(new_page(viewport=PHONE), "browser_reviewer")
    phone.goto(story["pending"].get_absolute_url())
    review_top = phone.locator("#review").bounding_box()["y"]
    assert review_top < phone.locator(".proposal").bounding_box()["y"]
