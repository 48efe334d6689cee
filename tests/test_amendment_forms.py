"""The propose and edit forms as a drafter meets them: every field usable, every group named, every help text
found by the id the field points at."""
import re

import pytest
from django.urls import reverse

from drafting.models import Amendment, Tag

from .amendment_builders import modify
from .conftest import english_only


@pytest.fixture
def concept(concept):
    """The seeded Concept declared English-only: these are the single-language form's rules (the bilingual
    form's are in tests/test_bilingual_amendments.py)."""
    english_only(concept)
    return concept


@pytest.fixture
def clause(concept):
    return concept.clauses.get(number="4.1.1")


@pytest.fixture
def tags(db):
    return [Tag.objects.create(name="Territorial integrity"), Tag.objects.create(name="Artificial intelligence")]


def propose_url(clause, kind="modify"):
    return reverse("amendment_new", args=[clause.document.slug, clause.pk, kind])


def test_propose_form_renders_tags_and_cosponsors_as_checkboxes(as_drafter, clause, tags, second_drafter, reviewer):
    page = as_drafter.get(propose_url(clause)).text
    for tag in tags:
        assert f'<input type="checkbox" name="tags" value="{tag.pk}"' in page
    for member in (second_drafter, reviewer):
        assert f'<input type="checkbox" name="cosponsors" value="{member.pk}"' in page


def test_tags_and_cosponsors_chosen_in_the_propose_form_are_saved(as_drafter, clause, tags, second_drafter, reviewer):
    response = as_drafter.post(propose_url(clause), {
        "base": clause.history.latest().history_id, "proposed_heading": clause.heading,
        "proposed_body": clause.body.replace("unified", "single"), "rationale": "One word.",
        "tags": [tags[0].pk], "cosponsors": [second_drafter.pk, reviewer.pk], "save": "1",
    })
    amendment = Amendment.objects.get()
    assert response.status_code == 302
    assert list(amendment.tags.all()) == [tags[0]]
    assert set(amendment.cosponsors.all()) == {second_drafter, reviewer}


def test_tags_and_cosponsors_are_changed_in_the_edit_form(as_drafter, drafter, clause, tags, second_drafter):
    amendment = modify(drafter, clause, body="A shorter text.")
    edit = reverse("amendment_edit", args=[clause.document.slug, amendment.number])
    page = as_drafter.get(edit).text
    assert f'<input type="checkbox" name="tags" value="{tags[1].pk}"' in page
    as_drafter.post(edit, {
        "edited_at": amendment.updated_at.isoformat(), "proposed_heading": clause.heading,
        "proposed_body": "A shorter text.", "rationale": "Because.", "tags": [tags[1].pk],
        "cosponsors": [second_drafter.pk], "save": "1",
    })
    assert list(amendment.tags.all()) == [tags[1]] and list(amendment.cosponsors.all()) == [second_drafter]


def test_author_is_not_offered_as_their_own_cosponsor(as_drafter, drafter, clause):
    page = as_drafter.get(propose_url(clause)).text
    assert f'name="cosponsors" value="{drafter.pk}"' not in page


def test_insert_placement_options_name_the_clause(as_drafter, clause):
    page = as_drafter.get(propose_url(clause, "insert") + "?placement=last_child").text
    label = "4.1.1 The restoration of the territorial integrity of the Republic of Azerbaijan"
    assert f"After {label}" in page
    assert f"As the first sub-clause of {label}" in page
    assert f"As the last sub-clause of {label}" in page


def test_radio_and_checkbox_groups_are_fieldsets_with_legends(as_drafter, as_reviewer, drafter, clause, tags):
    page = as_drafter.get(propose_url(clause, "insert")).text
    for legend in ("Place the new clause", "Tags", "Co-sponsors"):
        assert f"<legend>{legend}</legend>" in page
    assert 'for=""' not in page
    review = as_reviewer.get(modify(drafter, clause, body="x", submit=True).get_absolute_url()).text
    assert "<legend>Decision</legend>" in review and 'for=""' not in review


def ids_described_but_missing(html):
    ids = set(re.findall(r'\bid="([^"]+)"', html))
    wanted = {ref for value in re.findall(r'aria-describedby="([^"]+)"', html) for ref in value.split()}
    return wanted - ids


def test_every_help_text_a_field_points_at_exists(client, as_drafter, drafter, clause, concept):
    amendment = modify(drafter, clause, body="x")
    pages = [
        propose_url(clause), propose_url(clause, "insert"), propose_url(clause, "remove"),
        amendment.get_absolute_url(), clause.get_absolute_url(), reverse("password_change"),
        reverse("versions", args=[concept.slug]),
    ]
    for path in pages:
        assert ids_described_but_missing(as_drafter.get(path).text) == set(), path
    # With errors too: the error list carries the id the field names.
    invalid = as_drafter.post(propose_url(clause), {"proposed_heading": clause.heading, "proposed_body": "",
                                                    "rationale": "", "save": "1"})
    assert invalid.status_code == 200 and ids_described_but_missing(invalid.text) == set()


def test_propose_form_links_the_topic_tags_page(as_drafter, clause):
    assert f'href="{reverse("tag_list")}"' in as_drafter.get(propose_url(clause)).text


def test_preview_panel_shows_the_current_text_before_anything_is_typed(as_drafter, clause):
    page = as_drafter.get(propose_url(clause)).text
    panel = page[page.index('class="preview-panel"'):]
    assert "No change yet" in panel and "The territory of the Republic of Azerbaijan is unified" in panel
    assert page.index('class="preview-panel"') < page.index('name="rationale"')  # beside the text, not below the buttons
