"""The redline engine: word-level, unicode-safe, never the character-level default."""
import re
import time
from pathlib import Path

from django.template.loader import render_to_string
from hypothesis import given, settings
from hypothesis import strategies as st

from drafting.markdown_format import parse
from drafting.redline import DELETE, EQUAL, INSERT, Piece, redline, tokenize, with_separators


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


def test_short_word_becoming_a_longer_word_is_one_replacement():
    """"of" -> "firmly" share an "f": cleaned up at character level this came out as ~~o~~f<ins>irmly</ins>."""
    assert ops(redline("territory of the Republic", "territory firmly the Republic")) == [
        (EQUAL, "territory "), (DELETE, "of"), (INSERT, "firmly"), (EQUAL, " the Republic"),
    ]


def _boundaries(text):
    offsets, at = {0}, 0
    for token in tokenize(text):
        at += len(token)
        offsets.add(at)
    return offsets


def _concept_text():
    return next(c for c in parse(CONCEPT.read_text(encoding="utf-8")).walk() if c.number == "4.1.1").body


CONCEPT = Path(__file__).resolve().parent.parent / "seeds" / "concept_2007.md"
CONCEPT_WORDS = _concept_text().split(" ")
PIECES_OF_TEXT = ["of", "firmly", "f", "the", "These", " ", "  ", "\n\n", ",", ".", "ərazi", "ə", "\x00", "\t", "1993"]


@st.composite
def _edited_concept(draw):
    """A stretch of 4.1.1 and a copy with words replaced, inserted and deleted, often by near-identical words."""
    start = draw(st.integers(0, len(CONCEPT_WORDS) - 12))
    words = CONCEPT_WORDS[start:start + 12]
    changed = list(words)
    for _ in range(draw(st.integers(1, 4))):
        at = draw(st.integers(0, len(changed)))
        new = draw(st.lists(st.sampled_from(words + PIECES_OF_TEXT), max_size=3))
        changed[at:at + draw(st.integers(0, 2))] = new
    return " ".join(words), " ".join(changed)


@settings(max_examples=500, deadline=None, database=None)
@given(st.one_of(_edited_concept(), st.tuples(st.text(max_size=30), st.text(max_size=30))))
def test_redline_never_splits_a_word(texts):
    """Every piece boundary is a token boundary of both texts, and the pieces rebuild both texts."""
    old, new = texts
    pieces = redline(old, new)
    old_at = new_at = 0
    old_ends, new_ends = _boundaries(old), _boundaries(new)
    for piece in pieces:
        assert piece.text
        old_at += 0 if piece.is_insert else len(piece.text)
        new_at += 0 if piece.is_delete else len(piece.text)
        assert old_at in old_ends and new_at in new_ends, pieces
    assert "".join(p.text for p in pieces if not p.is_insert) == old
    assert "".join(p.text for p in pieces if not p.is_delete) == new


def _render(pieces):
    return render_to_string("drafting/_redline.html", {"pieces": pieces})


def test_redline_of_a_replacement_keeps_the_space():
    """~~unified~~single read as one word: a space now stands between the elements, in neither text."""
    html = _render(redline("is unified, inviolable", "is single, inviolable"))
    assert "<del>unified</del> <ins>single</ins>" in html
    assert re.sub(r"<[^>]+>", "", html).strip() == "is unified single, inviolable"  # what a copy reads


def test_no_extra_space_where_white_space_already_separates():
    pieces = [Piece(EQUAL, "the "), Piece(DELETE, "final "), Piece(INSERT, "fine"), Piece(EQUAL, " notes")]
    assert "<del>final </del><ins>fine</ins>" in _render(pieces)
    assert with_separators([Piece(INSERT, "a"), Piece(EQUAL, "b")]) == [(Piece(INSERT, "a"), False), (Piece(EQUAL, "b"), False)]


def test_a_text_with_more_distinct_words_than_characters_is_diffed_whole(monkeypatch):
    monkeypatch.setattr("drafting.redline.MAX_DISTINCT_TOKENS", 3)
    assert ops(redline("one two three", "one two four")) == [(DELETE, "one two three"), (INSERT, "one two four")]
    assert ops(redline("a b c d", "a b c d")) == [(EQUAL, "a b c d")]


# What drafting/_redline.html was before the `redline` filter took its place (the filter must write the same
# bytes: cached fragments and page tests compare text).
_TEMPLATE_BEFORE_THE_FILTER = (
    '{% load redlines %}{% if pieces.is_coarse %}<span class="redline-note">{{ pieces.note }}</span> {% endif %}'
    '<span class="redline">{% for piece, separated in pieces|with_separators %}{% if separated %} {% endif %}'
    '{% if piece.is_insert %}<ins>{{ piece.text }}</ins>{% elif piece.is_delete %}<del>{{ piece.text }}</del>'
    '{% else %}{{ piece.text }}{% endif %}{% endfor %}</span>\n'
)


@settings(max_examples=150, deadline=None)
@given(st.text(max_size=60), st.text(max_size=60))
def test_redline_filter_writes_what_the_template_wrote(old, new):
    """The filter and the include it replaced write the same bytes, user text escaped: `<`, `&`, quotes."""
    from django.template import engines

    from drafting.redline import BY_SENTENCE, Redline
    from drafting.templatetags.redlines import redline as redline_filter

    before = engines["django"].from_string(_TEMPLATE_BEFORE_THE_FILTER)
    for pieces in (redline(old, new), Redline(redline(old, new), BY_SENTENCE), [], None,
                   [Piece(DELETE, "<b>\"x\" & 'y'"), Piece(INSERT, "<script>z</script>")]):
        expected = before.render({"pieces": pieces})
        assert redline_filter(pieces) == expected
        assert _render(pieces) == expected  # the template, now the filter, is what any other include gets
