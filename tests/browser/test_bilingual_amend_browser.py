"""Amendments in both languages in real Chromium, at a laptop's 1,280 px and a phone's 390 px: a drafter proposes
an amendment in Azerbaijani and English, sees a redline per language in the live preview and on the amendment page;
the Translations page lists an outdated translation. Each page fits the window and passes axe-core's WCAG 2.1 A/AA
checks.

Screenshots of the propose form and the Translations page are saved in SCREENSHOT_DIR (default
/work/screens/bilingual when that folder's parent exists).
"""
import os
from pathlib import Path

import pytest
from django.urls import reverse

from drafting.models import Member

from ..amendment_builders import modify_texts
from ..builders import make_bilingual_document, make_member
from ..version_builders import approve
from .conftest import accessibility_problems, overflows_horizontally, sign_in
from .test_layout_browser import LAPTOP, PHONE

SCREENS = os.environ.get("SCREENSHOT_DIR") or ("/work/screens/bilingual" if Path("/work/screens").is_dir() else "")


@pytest.fixture
def bilingual(transactional_db):
    document = make_bilingual_document(8, slug="bilingual-browser", title="Bilingual browser test")
    drafter = make_member("bi_drafter", Member.Role.DRAFTER, full_name="Nərmin Quliyeva")
    reviewer = make_member("bi_reviewer", Member.Role.REVIEWER, full_name="Elşən Məmmədov")
    # Clause 1.2's authoritative text changed alone: its English translation is outdated.
    outdated = document.clauses.get(number="1.2")
    approve(modify_texts(drafter, outdated, {"az": (outdated.heading_az, "Bənd 1.2 mətni, dəyişdirilmiş sınaq üçün.")},
                         submit=True), reviewer)
    return {"document": document, "clause": document.clauses.get(number="1.1")}


def _screenshot(page, name, viewport):
    if SCREENS:
        Path(SCREENS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(SCREENS) / f"{name}-{viewport['width']}.png"), full_page=True)


def _check(page, name, axe_source, problems):
    if overflows_horizontally(page):
        problems.append(f"{name}: {page.evaluate('document.documentElement.scrollWidth')} px wide")
    problems += [f"{name}: {problem}" for problem in accessibility_problems(page, axe_source)]


@pytest.mark.parametrize("viewport", [LAPTOP, PHONE], ids=["1280px", "390px"])
def test_an_amendment_proposed_in_both_languages_shows_a_redline_per_language(new_page, bilingual, axe_source, viewport):
    document, clause, problems = bilingual["document"], bilingual["clause"], []
    page = sign_in(new_page(viewport=viewport), "bi_drafter")
    page.goto(reverse("amendment_new", args=[document.slug, clause.pk, "modify"]))
    az, en = page.locator("#id_proposed_body_az"), page.locator("#id_proposed_body")
    assert az.get_attribute("lang") == "az" and en.get_attribute("lang") == "en"
    az.fill("Bənd 1.1 mətni, yenilənmiş sınaq üçün.")
    en.fill(clause.body.replace("First paragraph", "Opening paragraph"))
    # The live preview: one redline per language, each named.
    page.locator("#preview #preview-az").wait_for()
    page.locator("#preview ins", has_text="yenilənmiş").wait_for()
    page.locator("#preview ins", has_text="Opening").wait_for()
    assert page.locator("#preview h3.language-name").all_inner_texts() == ["Azerbaijani", "English"]
    page.get_by_label("Rationale").fill("Both languages say it better.")
    _check(page, "propose", axe_source, problems)
    _screenshot(page, "propose", viewport)

    page.get_by_role("button", name="Save and submit for review").click()
    page.wait_for_url("**/amendments/*/")
    for language, inserted in (("az", "yenilənmiş"), ("en", "Opening")):
        section = page.locator(f"section[aria-labelledby=proposal-{language}]")
        section.locator("ins", has_text=inserted).wait_for()
    assert page.locator("h3.language-name").all_inner_texts()[:2] == ["Azerbaijani", "English"]
    _check(page, "amendment", axe_source, problems)
    _screenshot(page, "amendment", viewport)

    page.goto(reverse("document_translations", args=[document.slug]))
    page.get_by_role("link", name="Update the translation").wait_for()
    page.locator(".translation-pair ins", has_text="dəyişdirilmiş").wait_for()
    _check(page, "translations", axe_source, problems)
    _screenshot(page, "translations", viewport)
    assert problems == [], "\n".join(problems)
