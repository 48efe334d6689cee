"""The interface language in real Chromium (issue 13, point 5): a member switches to Azerbaijani in the header,
reads Azerbaijani labels, the choice survives signing out and in again on another browser, and every page of the
amendment story still fits a 390 px phone and passes axe-core's WCAG 2.1 A/AA checks in Azerbaijani.

With SCREENSHOT_DIR set, the document list and an amendment page are saved there in Azerbaijani at both widths
(`SCREENSHOT_DIR=/work/screens/i18n .venv/bin/python -m pytest tests/browser/test_language_browser.py`).
"""
import pytest
from django.urls import reverse

from drafting.models import Member

from .conftest import accessibility_problems, overflows_horizontally, sign_in
from .test_layout_browser import LAPTOP, PHONE, screenshot, story, story_pages  # noqa: F401  (story is a fixture)

# The elements that reach past the window's right edge, for a failure message that says where to look.
WIDE = """() => [...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > window.innerWidth + 1)
  .slice(-4).map(e => `${e.tagName.toLowerCase()}.${e.className}: ${e.textContent.trim().slice(0, 40)}`)"""


def switch_to_azerbaijani(page):
    page.locator("#language-switcher").get_by_role("button", name="Azərbaycanca").click()
    page.wait_for_function("document.documentElement.lang === 'az'")
    return page


def test_switching_to_azerbaijani_in_the_header_is_kept_after_signing_out_and_in(new_page, story):  # noqa: F811
    page = sign_in(new_page(viewport=LAPTOP), "browser_drafter")
    page.goto(reverse("document_list"))
    assert page.locator("h1").inner_text() == "Documents"
    switch_to_azerbaijani(page)
    assert page.url.endswith(reverse("document_list"))  # back where the member was
    assert page.locator("h1").inner_text() == "Sənədlər"
    assert page.locator(".site-nav").inner_text().startswith("Sənədlər")
    assert page.locator("#language-switcher button[aria-pressed=true]").inner_text() == "Azərbaycanca"
    assert Member.objects.get(user__username="browser_drafter").language == "az"
    page.get_by_role("button", name="Çıxış").click()
    page.wait_for_url("**/accounts/login/**")
    assert page.locator("h1").inner_text() == "Daxil olun"  # the cookie keeps it on this browser
    # Another browser, no cookie: the sign-in page is in the deployment's language, the member's pages in theirs.
    other = new_page(viewport=LAPTOP)
    other.goto(reverse("login"))
    assert other.locator("h1").inner_text() == "Sign in"
    sign_in(other, "browser_drafter")
    other.goto(reverse("document_list"))
    assert other.locator("h1").inner_text() == "Sənədlər"
    assert other.evaluate("document.documentElement.lang") == "az"


def test_switching_back_to_english_works_signed_out(new_page, db):
    page = new_page(viewport=PHONE)
    page.goto(reverse("login"))
    switch_to_azerbaijani(page)
    assert page.locator("h1").inner_text() == "Daxil olun"
    page.locator("#language-switcher").get_by_role("button", name="English").click()
    page.wait_for_function("document.documentElement.lang === 'en'")
    assert page.locator("h1").inner_text() == "Sign in"


@pytest.mark.parametrize("viewport", [LAPTOP, PHONE], ids=["1280px", "390px"])
def test_every_page_of_the_story_in_azerbaijani_fits_the_window_and_passes_axe(
    new_page, story, axe_source, viewport  # noqa: F811
):
    pages, problems = {}, []
    for who, name, path in story_pages(story):
        if who not in pages:
            pages[who] = switch_to_azerbaijani(sign_in(new_page(viewport=viewport), who))
        page = pages[who]
        page.goto(path)
        page.wait_for_load_state("load")
        if page.evaluate("document.documentElement.lang") != "az":
            problems.append(f"{name}: not in Azerbaijani")
        if overflows_horizontally(page):
            width = page.evaluate("document.documentElement.scrollWidth")
            problems.append(f"{name}: {width} px wide in a {viewport['width']} px window: {page.evaluate(WIDE)}")
        problems += [f"{name}: {problem}" for problem in accessibility_problems(page, axe_source)]
        if name in ("document", "review", "amendment-list"):
            screenshot(page, f"az-{name}", viewport)
    page = pages["browser_drafter"]
    page.goto(reverse("document_list"))
    screenshot(page, "az-document-list", viewport)
    assert problems == [], "\n".join(problems)
