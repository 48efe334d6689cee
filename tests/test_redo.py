"""Redoing an amendment that needs a rebase: the three-way view and the text the redo form starts from."""
import pytest
from django.urls import reverse

from drafting.models import Amendment, Review
from drafting.redo import _carry, redo_start, three_way

from .amendment_builders import REMOVED_SENTENCE, modify
from .conftest import english_only, login


def test_redo_start_keeps_the_others_change_and_carries_the_edits_that_still_fit():
    base = "Publish the draft notes of the meeting by Friday, in full."
    ours = "Publish the approved draft notes of the meeting by Monday, in full."  # two edits
    theirs = "Publish the final notes of the meeting by Friday, in full."  # touches "approved" only
    text, left_out = _carry(base, ours, theirs)
    assert text == "Publish the final notes of the meeting by Monday, in full."
    assert left_out == ["approved"]  # the insertion touching the others' change is named, not guessed


def test_redo_start_is_the_proposal_when_nothing_else_changed_and_the_current_text_when_all_clash():
    assert _carry("a b c", "a x c", "a b c") == ("a x c", [])
    text, left_out = _carry("a b c", "a x c", "a y c")
    assert text == "a y c" and left_out == ["b"]

@pytest.fixture
def concept(concept):
    """The seeded Concept declared English-only: these are the single-language form's rules (the bilingual
    form's are in tests/test_bilingual_amendments.py)."""
    english_only(concept)
    return concept


@pytest.fixture
def needing_rebase(concept, drafter, second_drafter, reviewer):
    clause = concept.clauses.get(number="4.1.1")
    ours = modify(drafter, clause, body=clause.body.replace("OSCE Minsk Group", "United Nations")
                  .replace("unified, inviolable", "single, inviolable"), submit=True)
    modify(second_drafter, clause, body=clause.body.replace(REMOVED_SENTENCE, ""), submit=True).review(
        reviewer, Review.Decision.APPROVE)
    assert ours.review(reviewer, Review.Decision.APPROVE) == Amendment.State.NEEDS_REBASE
    ours.refresh_from_db()
    return ours


def test_redo_form_starts_from_the_current_text_with_the_amendments_edits_that_still_fit(client, drafter, needing_rebase):
    current = needing_rebase.clause.history.latest()
    start = redo_start(needing_rebase, current)
    assert "single, inviolable" in start.body  # our edit elsewhere in the clause, carried over
    assert "OSCE Minsk Group" not in start.body and "United Nations" not in start.body  # the others removed it
    assert start.left_out and "Minsk" in " ".join(start.left_out)
    login(client, drafter)
    page = client.get(reverse("amendment_edit", args=["concept", needing_rebase.number]))
    assert page.context["form"].initial["proposed_body"] == start.body
    assert "Not carried over, because others changed the same words" in page.text


def test_three_way_view_is_base_current_amendment_each_against_the_base(client, drafter, reviewer, needing_rebase):
    current = needing_rebase.clause.history.latest()
    view = three_way(needing_rebase, current)
    assert list(view) == ["base", "current", "amendment"]
    assert not any(p.is_delete or p.is_insert for p in view["base"]["body"])
    assert "OSCE Minsk Group" in "".join(p.text for p in view["current"]["body"] if p.is_delete)
    assert "United Nations" in "".join(p.text for p in view["amendment"]["body"] if p.is_insert)
    for who in (drafter, reviewer):
        login(client, who)
        for path in (needing_rebase.get_absolute_url(), reverse("amendment_edit", args=["concept", needing_rebase.number])):
            page = client.get(path)
            if page.status_code != 200:
                continue  # only the author may open the redo form
            text = page.text
            assert text.index("1. Base") < text.index("2. Current") < text.index("3. This amendment")


def test_needs_rebase_page_tells_one_story(client, drafter, needing_rebase):
    login(client, drafter)
    text = client.get(needing_rebase.get_absolute_url()).text
    assert text.count('class="notice') == 1
    assert "Redline against the current text" not in text  # which read as re-adding the others' removal
    assert "If approved now" not in text  # the leftover warning that contradicted the notice


def test_three_way_view_of_a_long_clause_shows_the_changed_words_and_folds_the_rest(client, drafter, needing_rebase):
    view = three_way(needing_rebase, needing_rebase.clause.history.latest())
    for side in ("base", "current", "amendment"):
        shown = "".join(p.text for p in view[side]["excerpt"])
        assert len(shown) < len("".join(p.text for p in view[side]["body"])) / 2, side
    assert "OSCE Minsk Group" in "".join(p.text for p in view["base"]["excerpt"])
    login(client, drafter)
    text = client.get(needing_rebase.get_absolute_url()).text
    assert text.count("<summary>The whole text</summary>") == 3
