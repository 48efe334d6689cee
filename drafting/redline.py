"""Word-level redlines built on diff-match-patch.

diff-match-patch diffs characters and gives up silently after `Diff_Timeout` (1 s by default), returning
"replace everything" on long texts. We diff words instead: every token (a word, a run of white space, or one
punctuation mark) is mapped to a single private character, the encoded strings are diffed with no time limit,
decoded back to tokens and cleaned up semantically so a person reads whole changed phrases.

The result is data: a `Redline`, a list of `Piece(op, text)`. Templates render it with <ins>/<del>, escaping the
text. Every diff has a fixed budget of work (drafting/diff_budget.py): when two texts differ too much for a word
diff within it, the redline is made by sentence, then by paragraph, then as the whole text, each still exact,
and says so (`Redline.unit`), so the page can tell the reader; never a silent "replace everything".
"""
import re
from dataclasses import dataclass

from .diff_budget import PARAGRAPH, SENTENCE, BoundedEngine, TooCostly, split

EQUAL, INSERT, DELETE = "equal", "insert", "delete"
_OPS = {0: EQUAL, 1: INSERT, -1: DELETE}

TOKEN = re.compile(r"\w+|\s+|[^\w\s]", re.UNICODE)


@dataclass(frozen=True)
class Piece:
    op: str
    text: str

    @property
    def is_equal(self):
        return self.op == EQUAL

    @property
    def is_insert(self):
        return self.op == INSERT

    @property
    def is_delete(self):
        return self.op == DELETE


WORD, BY_SENTENCE, BY_PARAGRAPH, WHOLE = "word", "sentence", "paragraph", "whole"


class Redline(list):
    """Redline pieces, with the unit they were compared by: "word", or a coarser one when the texts differ too
    much for a word diff within the budget (the page then says "Shown by sentence: ...")."""

    unit = WORD

    def __init__(self, pieces=(), unit=WORD):
        super().__init__(pieces)
        self.unit = unit

    @property
    def is_coarse(self):
        return self.unit != WORD

    @property
    def note(self):
        """What the reader is told of a coarse redline."""
        shown = {BY_SENTENCE: "Shown by sentence", BY_PARAGRAPH: "Shown by paragraph", WHOLE: "Shown as a whole"}
        return f"{shown.get(self.unit, 'Shown by word')}: the texts differ too much for a word-by-word comparison."

    def keeping(self, op):
        """The pieces but those of kind `op`, same unit (one side of a side-by-side view)."""
        return Redline((piece for piece in self if piece.op != op), self.unit)


def tokenize(text):
    return TOKEN.findall(text or "")


def _engine():
    return BoundedEngine()  # never gives up half way: it finishes exactly or raises TooCostly


def _encode(tokens, vocabulary, alphabet):
    chars = []
    for token in tokens:
        code = vocabulary.get(token)
        if code is None:
            code = len(alphabet)
            vocabulary[token] = code
            alphabet.append(token)
        chars.append(chr(code))
    return "".join(chars)


def unit_diff(old_units, new_units):
    """Diff two lists of units (tokens, sentences, ...), one character each, within the work budget: tuples
    (op, text), cleaned up semantically. Raises TooCostly rather than answer inexactly."""
    # Index 0 is left unused: diff_charsToLines maps chr(0) back too, but "" keeps it harmless.
    vocabulary, alphabet = {}, [""]
    encoded_old = _encode(old_units, vocabulary, alphabet)
    encoded_new = _encode(new_units, vocabulary, alphabet)
    dmp = _engine()
    diffs, _spent = dmp.bounded_diff(encoded_old, encoded_new)
    dmp.diff_charsToLines(diffs, alphabet)
    dmp.diff_cleanupSemantic(diffs)
    return diffs


def word_diff(old, new):
    """Raw word-level diff as diff-match-patch tuples (op, text), cleaned up semantically. Raises TooCostly."""
    return unit_diff(tokenize(old), tokenize(new))


def _pieces(diffs, unit):
    pieces = Redline(unit=unit)
    for op, text in diffs:
        if not text:
            continue
        kind = _OPS[op]
        if pieces and pieces[-1].op == kind:
            pieces[-1] = Piece(kind, pieces[-1].text + text)
        else:
            pieces.append(Piece(kind, text))
    return pieces


def redline(old, new):
    """The pieces that turn `old` into `new`, adjacent pieces of one kind merged: by word, or by the finest
    coarser unit whose diff fits the budget (see `Redline.unit`)."""
    old, new = old or "", new or ""
    try:
        return _pieces(word_diff(old, new), WORD)
    except TooCostly:
        pass
    for unit, pattern in ((BY_SENTENCE, SENTENCE), (BY_PARAGRAPH, PARAGRAPH)):
        try:
            return _pieces(unit_diff(split(old, pattern), split(new, pattern)), unit)
        except TooCostly:
            continue
    return _pieces([(-1, old), (1, new)], WHOLE)


def has_changes(pieces):
    return any(not piece.is_equal for piece in pieces)
