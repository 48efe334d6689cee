"""Issue 13's journey in Chromium, on the seeded Concept (Azerbaijani authoritative, English translation): a drafter
switches the interface to Azerbaijani in the header, reads the Concept side by side, proposes an amendment in both
languages and sees both redlines, in the preview and on the amendment page; at 1,280 and 390 px, axe-core finding
nothing on any page."""
import pytest
from django.urls import reverse

from drafting.models import Clause, Member
from drafting.seeds import CONCEPT_SLUG, load_concept

from ..builders import make_member
from .conftest import accessibility_problems, overflows_horizontally, sign_in
from .test_layout_browser import LAPTOP, PHONE, screenshot

AZ_TEXT = "Sınaq mətni: ərazi bütövlüyü bərpa olunub."  # test input typed by the drafter, not official text


@pytest.fixture
def concept(transactional_db, settings):
    settings.LANGUAGE_CODE = "en"  # the deployment's default: the drafter starts in English and switches
    load_concept()
    make_member("journey_drafter", Member.Role.DRAFTER, full_name="Səbinə Əhmədova")
    return CONCEPT_SLUG


def _check(page, name, axe_source, problems):
    if overflows_horizontally(page):
        problems.append(f"{name}: wider than the window")
    problems += [f"{name}: {problem}" for problem in accessibility_problems(page, axe_source)]


@pytest.mark.azerbaijani
@pytest.mark.parametrize("viewport", [LAPTOP, PHONE], ids=["1280px", "390px"])
def test_switch_to_azerbaijani_read_side_by_side_and_propose_in_both_languages(new_page, concept, axe_source, viewport):
    problems = []
    page = sign_in(new_page(viewport=viewport), "journey_drafter")
    page.goto(reverse("document_list"))
    assert page.locator("html").get_attribute("lang") == "en"
    page.locator("#language-switcher button[value=az]").click()
    page.wait_for_load_state("load")
    assert page.locator("html").get_attribute("lang") == "az"
    assert page.locator("h1").inner_text() == "Sənədlər"

    # The Concept side by side: each clause's two languages in their own columns, level with each other.
    page.goto(reverse("document_detail", args=[concept]))
    page.locator(".reading-control").get_by_role("link", name="Yan-yana").click()
    page.wait_for_load_state("load")
    clause = page.locator("section.clause").filter(has_text="4.1.1").first
    az, en = clause.locator(".clause-language[lang=az]"), clause.locator(".clause-language[lang=en]")
    assert az.is_visible() and en.is_visible()
    assert "Mətn hələ daxil edilməyib." in az.inner_text()  # the official Azerbaijani text is not entered yet
    assert "The restoration of the territorial integrity" in en.inner_text()
    if viewport is LAPTOP:
        assert abs(az.bounding_box()["y"] - en.bounding_box()["y"]) < 2  # aligned, in two columns
    else:
        assert en.bounding_box()["y"] > az.bounding_box()["y"]  # stacked on a phone
    _check(page, "side by side", axe_source, problems)
    screenshot(page, "journey-side-by-side", viewport)

    # Propose in both languages: a redline per language in the live preview, then on the amendment page.
    target = Clause.objects.get(document__slug=concept, number="4.1.1")
    page.goto(reverse("amendment_new", args=[concept, target.pk, "modify"]))
    page.locator("#id_proposed_body_az").fill(AZ_TEXT)
    page.locator("#id_proposed_body").fill(target.body.replace("is unified, inviolable", "is single, inviolable"))
    page.locator("#preview ins", has_text="ərazi bütövlüyü").wait_for()
    page.locator("#preview ins", has_text="single").wait_for()
    assert page.locator("#preview h3.language-name").all_inner_texts() == ["Azərbaycan dili", "İngilis dili"]
    page.locator("#id_rationale").fill("Sınaq: hər iki dildə.")
    _check(page, "propose", axe_source, problems)
    screenshot(page, "journey-propose", viewport)
    page.locator("main button[name=submit]").click()
    page.wait_for_url("**/amendments/*/")
    page.locator("section[aria-labelledby=proposal-az] ins", has_text="ərazi bütövlüyü").wait_for()
    page.locator("section[aria-labelledby=proposal-en] ins", has_text="single").wait_for()
    page.locator("section[aria-labelledby=proposal-en] del", has_text="unified").wait_for()
    _check(page, "amendment", axe_source, problems)
    screenshot(page, "journey-amendment", viewport)
    assert problems == [], "\n".join(problems)
