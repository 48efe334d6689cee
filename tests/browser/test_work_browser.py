"""Rapporteurs and the Work page (issue 15 point 3) in real Chromium, at a laptop's 1,280 px and a phone's 390 px:
an admin assigns a section with a due date; the rapporteur finds the request in their inbox and on the Work page,
overdue items first. axe-core's WCAG 2.1 A/AA checks, and nothing wider than the window.

With SCREENSHOT_DIR set, each page is also saved there as a full-page PNG."""
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from drafting.models import Document, Member, Rapporteur, ReviewRequest
from drafting.seeds import CONCEPT_SLUG, load_concept

from ..amendment_builders import modify
from ..builders import make_member
from .conftest import sign_in
from .test_access_browser import VIEWPORTS, looks_right


@pytest.fixture
def world(transactional_db):
    load_concept()
    concept = Document.objects.get(slug=CONCEPT_SLUG)
    admin = make_member("work_admin", Member.Role.ADMIN, full_name="Aysel Nəsirova")
    drafter = make_member("work_drafter", Member.Role.DRAFTER, full_name="Dinara Əliyeva")
    rapporteur = make_member("work_rapporteur", Member.Role.REVIEWER, full_name="Rauf Həsənov")
    # An earlier assignment of section 1, now overdue (the rule refuses a past date: moved back here).
    first = concept.clauses.get(number="1")
    earlier = Rapporteur.assign(clause=first, member=rapporteur, due_date=timezone.localdate(), by=admin)
    late = modify(drafter, first, body="Test clause text, reworded.", submit=True)
    past = timezone.localdate() - timedelta(days=4)
    Rapporteur.objects.filter(pk=earlier.pk).update(due_date=past)
    ReviewRequest.objects.filter(rapporteur=earlier).update(due_date=past)
    waiting = modify(drafter, concept.clauses.get(number="4.1.1"), body="Test clause text, shorter.", submit=True)
    return {"concept": concept, "late": late, "waiting": waiting}


@pytest.mark.parametrize("device", VIEWPORTS)
def test_admin_assigns_a_section_and_the_rapporteur_sees_it_overdue_first(new_page, world, axe_source, device):
    concept, late, waiting = world["concept"], world["late"], world["waiting"]
    due = timezone.localdate() + timedelta(days=10)
    page = sign_in(new_page(viewport=VIEWPORTS[device]), "work_admin")
    page.goto(reverse("document_detail", args=[concept.slug]))
    page.get_by_role("navigation", name="Document").get_by_role("link", name="Work").click()
    page.get_by_role("heading", name="Rapporteurs").wait_for()
    section = concept.clauses.get(number="4")
    page.get_by_label("Section or clause").select_option(value=str(section.pk))
    page.get_by_label("Rapporteur", exact=True).select_option(label="Rauf Həsənov")
    page.get_by_label("Due date").fill(due.isoformat())
    page.get_by_role("button", name="Assign").click()
    page.get_by_text("Rauf Həsənov is rapporteur for").wait_for()
    looks_right(page, axe_source, f"work-assigned-{device}")
    # The clause's page names who answers for it (through its section) and offers the same form for the clause.
    page.goto(reverse("clause_detail", args=[concept.slug, waiting.clause_id]))
    rapporteurs = page.locator(".clause-rapporteurs")
    assert "Rauf Həsənov, for 4 " in rapporteurs.locator("li").first.inner_text()
    assert rapporteurs.get_by_label("Section or clause").input_value() == str(waiting.clause_id)
    looks_right(page, axe_source, f"work-clause-{device}")

    page = sign_in(new_page(viewport=VIEWPORTS[device]), "work_rapporteur")
    page.goto(reverse("inbox"))
    requests = page.locator(".review-requests li")
    requests.first.wait_for()
    assert requests.count() == 2
    assert late.label in requests.nth(0).inner_text() and "Overdue since" in requests.nth(0).inner_text()
    assert waiting.label in requests.nth(1).inner_text()
    looks_right(page, axe_source, f"work-inbox-{device}")

    page.goto(reverse("document_work", args=[concept.slug]))
    mine = page.locator(".member-work").first
    assert "(you)" in mine.get_by_role("heading").first.inner_text()
    items = mine.locator(".work-item")
    assert late.label in items.nth(0).inner_text() and "Overdue since" in items.nth(0).inner_text()
    assert waiting.label in items.nth(1).inner_text() and "Due " in items.nth(1).inner_text()
    looks_right(page, axe_source, f"work-page-{device}")
