"""Redlines item by item (issue 14, point 2): when both texts hold lists or notes, lines are aligned as units
first, then words within each changed line; both sides stay exact, and the diff budget still bounds the work."""
import time
from difflib import SequenceMatcher

from hypothesis import given, settings
from hypothesis import strategies as st

from drafting.redline import BY_PARAGRAPH, DELETE, EQUAL, INSERT, WORD, redline
from drafting.structure import units

WORDS = ["bir", "iki", "sahə", "ölkə", "şəxs", "güc", "ığ", "və", "test"]
MARKERS = ["a) ", "b) ", "c) ", "ç) ", "– ", "1) ", "", "[^1]: "]
lines = st.builds(lambda marker, words: marker + " ".join(words) + ";", st.sampled_from(MARKERS),
                  st.lists(st.sampled_from(WORDS), min_size=1, max_size=5))
structured = st.lists(lines, min_size=1, max_size=12).map(lambda items: "Giriş:\n\na) bir;\n" + "\n".join(items))


def sides(pieces):
    old = "".join(piece.text for piece in pieces if piece.op != INSERT)
    new = "".join(piece.text for piece in pieces if piece.op != DELETE)
    return old, new


def kept_lines(old, pieces):
    """The old text's lines that lie wholly inside unchanged pieces."""
    equal_spans, at = [], 0
    for piece in pieces:
        if piece.op == INSERT:
            continue
        if piece.op == EQUAL:
            equal_spans.append((at, at + len(piece.text)))
        at += len(piece.text)
    kept, at = 0, 0
    for unit in units(old):
        if any(start <= at and at + len(unit) <= end for start, end in equal_spans):
            kept += 1
        at += len(unit)
    return kept


@settings(max_examples=300, deadline=None)
@given(old=structured, new=structured)
def test_a_redline_by_item_reads_both_texts_exactly(old, new):
    pieces = redline(old, new)
    assert sides(pieces) == (old, new)


@settings(max_examples=300, deadline=None)
@given(old=structured, new=structured)
def test_a_redline_by_item_keeps_at_least_the_lines_difflib_keeps(old, new):
    # An independent oracle: difflib's matching of the lines (not minimal, so never more than ours).
    matcher = SequenceMatcher(None, units(old), units(new), autojunk=False)
    oracle = sum(block.size for block in matcher.get_matching_blocks())
    assert kept_lines(old, redline(old, new)) >= oracle - 1  # the last line may gain a line break


@settings(max_examples=300, deadline=None)
@given(items=st.lists(lines, min_size=1, max_size=10), new_item=lines, data=st.data())
def test_an_inserted_item_shows_as_one_inserted_item(items, new_item, data):
    place = data.draw(st.integers(min_value=0, max_value=len(items)))
    old = "Giriş:\n\n" + "\n".join(["a) başlanğıc;"] + items)
    new = "Giriş:\n\n" + "\n".join(["a) başlanğıc;"] + items[:place] + [new_item] + items[place:])
    pieces = redline(old, new)
    assert sides(pieces) == (old, new)
    assert [piece.op for piece in pieces if piece.op != EQUAL] == [INSERT]
    [inserted] = [piece.text for piece in pieces if piece.op == INSERT]
    assert inserted.strip("\n") == new_item or new_item in inserted and inserted.count("\n") == 1


def test_a_changed_item_is_compared_word_by_word_and_relettering_shows_as_letters():
    old = "Sahələr:\n\na) bir sahə;\nb) iki sahə;\nc) üç."
    new = "Sahələr:\n\na) bir sahə;\nb) yeni sahə əlavə;\nc) iki sahə;\nç) üç sahə."
    pieces = redline(old, new)
    assert pieces.unit == WORD
    assert [(p.op, p.text) for p in pieces if p.op != EQUAL] == [
        (INSERT, "b) yeni sahə əlavə;\n"), (DELETE, "b"), (INSERT, "c"), (DELETE, "c"), (INSERT, "ç"), (INSERT, " sahə")]


def test_texts_without_lists_are_compared_as_before():
    assert [(p.op, p.text) for p in redline("bir iki üç", "bir dörd üç")] == [
        (EQUAL, "bir "), (DELETE, "iki"), (INSERT, "dörd"), (EQUAL, " üç")]


def test_two_large_unrelated_structured_texts_stay_within_the_budget():
    old = "\n".join(f"{chr(97 + n % 26)}) söz{n} " + " ".join(f"x{n}y{k}" for k in range(30)) for n in range(400))
    new = "\n".join(f"– tire{n} " + " ".join(f"p{n}q{k}" for k in range(30)) for n in range(400))
    started = time.perf_counter()
    pieces = redline(old, new)
    assert time.perf_counter() - started < 5
    assert sides(pieces) == (old, new)


def test_changed_lines_past_the_shared_budget_are_shown_whole_and_said_so():
    # Each pair of lines alone fits the budget; together they do not.
    old = "\n".join(f"a) {' '.join(f'o{n}w{k}' for k in range(300))}" for n in range(60))
    new = "\n".join(f"a) {' '.join(f'o{n}w{k}' if k % 2 else f'n{n}w{k}' for k in range(300))}" for n in range(60))
    pieces = redline(old, new)
    assert sides(pieces) == (old, new)
    assert pieces.unit == BY_PARAGRAPH and "paragraph" in pieces.note
