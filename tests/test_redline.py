"""The redline engine: word-level, unicode-safe, never the character-level default."""
import time

from drafting.redline import DELETE, EQUAL, INSERT, redline, tokenize


def ops(pieces):
    return [(p.op, p.text) for p in pieces]


def test_insertion_is_whole_words():
    assert ops(redline("publish the draft notes", "publish the approved draft notes")) == [
        (EQUAL, "publish the "), (INSERT, "approved "), (EQUAL, "draft notes"),
    ]


def test_deletion_is_whole_words_not_characters():
    pieces = redline("the final notes", "the fine notes")
    assert (DELETE, "final") in ops(pieces) and (INSERT, "fine") in ops(pieces)


def test_azerbaijani_letters_are_word_characters():
    assert tokenize("ərazi bütövlüyü, çağırış") == ["ərazi", " ", "bütövlüyü", ",", " ", "çağırış"]
    pieces = redline("Ərazi bütövlüyünün bərpası", "Ərazi bütövlüyünün qorunması")
    assert ops(pieces) == [(EQUAL, "Ərazi bütövlüyünün "), (DELETE, "bərpası"), (INSERT, "qorunması")]


def test_punctuation_is_its_own_token():
    pieces = redline("peace, democracy and stability.", "peace, democracy; stability!")
    joined_old = "".join(p.text for p in pieces if p.op != INSERT)
    joined_new = "".join(p.text for p in pieces if p.op != DELETE)
    assert joined_old == "peace, democracy and stability."
    assert joined_new == "peace, democracy; stability!"
    assert (DELETE, ".") in ops(pieces) or any(p.op == DELETE and "." in p.text for p in pieces)


def test_empty_texts():
    assert redline("", "") == []
    assert ops(redline("", "new text")) == [(INSERT, "new text")]
    assert ops(redline("old text", "")) == [(DELETE, "old text")]
    assert ops(redline(None, "x")) == [(INSERT, "x")]


def test_identical_texts_are_one_equal_piece():
    assert ops(redline("same words here", "same words here")) == [(EQUAL, "same words here")]


def test_long_text_diffs_completely_and_fast_enough():
    """A 200 KB text: the character-level default would give up after 1 s and replace everything."""
    words = [f"word{i % 997}" for i in range(30000)]
    old = " ".join(words)
    changed = list(words)
    changed[15000] = "CHANGED"
    new = " ".join(changed)
    started = time.perf_counter()
    pieces = redline(old, new)
    assert time.perf_counter() - started < 10  # a sanity bound, not a benchmark
    assert [(p.op, p.text) for p in pieces if p.op != EQUAL] == [(DELETE, "word45"), (INSERT, "CHANGED")]
    assert "".join(p.text for p in pieces if p.op != INSERT) == old
    assert "".join(p.text for p in pieces if p.op != DELETE) == new


def test_many_distinct_tokens_round_trip():
    old = " ".join(f"t{i}" for i in range(70000))
    new = old.replace("t69999", "end")
    pieces = redline(old, new)
    assert "".join(p.text for p in pieces if p.op != DELETE) == new
