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


# The first and a later sentence of clause 4.1.1 of the Concept (seeds/concept_2007.md).
FIRST_SENTENCE = "The territory of the Republic of Azerbaijan is unified, inviolable, and indivisible."
THESE_DOCUMENTS = ("the Council of Europe. These documents have once again confirmed the sovereignty, territorial "
                   "integrity")


def test_rebase_after_short_word_became_longer_word_does_not_crash():
    """"of" -> "firmly" share an "f": a clean-up inside words put the token count out of step, and an edit at
    the end of the text then read past the last token (IndexError, a 500 on the amendment page)."""
    firmly = FIRST_SENTENCE.replace("territory of", "territory firmly")
    assert rebase(FIRST_SENTENCE, firmly + "!", FIRST_SENTENCE.replace("The", "A")) == (
        "A territory firmly the Republic of Azerbaijan is unified, inviolable, and indivisible.!")
    assert rebase(FIRST_SENTENCE, FIRST_SENTENCE.replace("The", "A"), firmly + "!") == (
        "A territory firmly the Republic of Azerbaijan is unified, inviolable, and indivisible.!")
    assert rebase(FIRST_SENTENCE, firmly + " Forever", FIRST_SENTENCE.replace("unified", "single")) == (
        "The territory firmly the Republic of Azerbaijan is single, inviolable, and indivisible. Forever")


def test_identical_insertions_merge_once():
    """Both sides doubled "These"; with a change elsewhere on one side the two diffs placed the insertion on
    either side of the first "These" and the merge wrote "These These These" as a clean merge."""
    doubled = THESE_DOCUMENTS.replace("These", "These These")
    expected = "the council of Europe. These These documents have once again confirmed the sovereignty, territorial integrity"
    assert rebase(THESE_DOCUMENTS, doubled, doubled.replace("Council", "council")) == expected
    assert rebase(THESE_DOCUMENTS, doubled.replace("Council", "council"), doubled) == expected


def test_identical_change_touching_a_change_of_one_side_is_a_conflict():
    """Taken once, a change both sides made is still a change: the other side's edit may not touch it."""
    both = FIRST_SENTENCE.replace("unified", "single")
    with pytest.raises(RebaseConflict):
        rebase(FIRST_SENTENCE, both, both.replace("is single", "was single"))


def test_a_change_that_could_sit_next_to_the_other_is_a_conflict():
    """Inserting "appropriate appearance " before "appropriate" can equally be read as inserting "appearance
    appropriate " after it, next to the deleted "assessment": git's diff reads it so and calls it a conflict."""
    base = "and to give an appropriate assessment, the Republic of Azerbaijan"
    proposed = "and to an appropriate appearance appropriate assessment, the Republic of Azerbaijan"
    current = "and to give an appropriate, the Republic of Azerbaijan"
    with pytest.raises(RebaseConflict):
        rebase(base, proposed, current)


def test_conflict_message_quotes_the_words_where_the_changes_meet():
    with pytest.raises(RebaseConflict, match='"publish the draft"'):
        rebase(BASE, PROPOSED, BASE.replace("the draft", "a draft"))


def test_a_rewrite_too_large_to_search_is_a_conflict_not_a_hang(monkeypatch):
    monkeypatch.setattr("drafting.rebase.MAX_ALIGNMENT_CELLS", 100)
    rewritten = " ".join(reversed(FIRST_SENTENCE.split()))
    with pytest.raises(RebaseConflict, match="too much"):
        rebase(FIRST_SENTENCE + " Stays.", rewritten + " Stays.", FIRST_SENTENCE + " Stays!")


def test_same_change_beside_a_word_that_could_pair_with_another_is_a_conflict():
    """Both made "peace" -> "peaceful"; the later change also turned "stability" into a second ",". Its diff
    may pair the base's "," with either ",", and paired with the second, its change reads "peace" ->
    "peaceful," instead: not the amendment's change, so the two are not the same change (git: a conflict)."""
    with pytest.raises(RebaseConflict):
        rebase("peace,stability", "peaceful,stability", "peaceful,,")
