"""Rebasing: disjoint changes merge; overlapping or touching ones are conflicts, never silent wrong merges."""
import pytest

from drafting.rebase import RebaseConflict, rebase

BASE = "The committee will publish the draft notes after the meeting."
PROPOSED = "The committee will publish the approved draft notes after the meeting."


def test_overlapping_change_is_a_conflict():
    """FIELD-NOTES row 1: both changed "draft"; diff-match-patch alone would write "the approved final notes"."""
    with pytest.raises(RebaseConflict):
        rebase(BASE, PROPOSED, BASE.replace("the draft", "the final"))


def test_touching_change_is_a_conflict():
    """Row 2: "the" -> "a" ends where "approved" is inserted; only white space between them."""
    with pytest.raises(RebaseConflict):
        rebase(BASE, PROPOSED, BASE.replace("the draft", "a draft"))


def test_change_a_word_apart_rebases_cleanly():
    """Row 3: the others changed "notes", the amendment inserts before "draft": a word apart."""
    current = BASE.replace("notes", "minutes")
    assert rebase(BASE, PROPOSED, current) == "The committee will publish the approved draft minutes after the meeting."


def test_unchanged_current_takes_the_proposal():
    assert rebase(BASE, PROPOSED, BASE) == PROPOSED


def test_removal_of_a_sentence_rebases_over_a_change_elsewhere():
    base = "First sentence stays. Second sentence goes. Third sentence stays."
    proposed = "First sentence stays. Third sentence stays."
    current = "First sentence stays. Second sentence goes. Third sentence, amended, stays."
    assert rebase(base, proposed, current) == "First sentence stays. Third sentence, amended, stays."


def test_removal_overlapping_an_edit_inside_it_is_a_conflict():
    base = "First sentence stays. Second sentence goes. Third sentence stays."
    proposed = "First sentence stays. Third sentence stays."
    current = "First sentence stays. Second sentence, reworded, goes. Third sentence stays."
    with pytest.raises(RebaseConflict):
        rebase(base, proposed, current)


def test_same_change_on_both_sides_is_not_a_conflict():
    assert rebase(BASE, PROPOSED, PROPOSED) == PROPOSED


def test_azerbaijani_text_rebases_by_word():
    base = "Ərazi bütövlüyünün bərpası əsas vəzifədir. Sülh və əməkdaşlıq."
    proposed = "Ərazi bütövlüyünün qorunması əsas vəzifədir. Sülh və əməkdaşlıq."
    current = "Ərazi bütövlüyünün bərpası əsas vəzifədir. Sülh və regional əməkdaşlıq."
    assert rebase(base, proposed, current) == "Ərazi bütövlüyünün qorunması əsas vəzifədir. Sülh və regional əməkdaşlıq."


def test_repeated_phrases_do_not_fool_the_merge():
    base = "the draft notes and the draft notes and the draft notes"
    proposed = "the draft notes and the approved draft notes and the draft notes"
    current = "the draft notes and the draft notes and the final notes"
    assert rebase(base, proposed, current) == "the draft notes and the approved draft notes and the final notes"
