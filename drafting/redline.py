"""Word-level redlines built on diff-match-patch.

diff-match-patch diffs characters and gives up silently after `Diff_Timeout` (1 s by default), returning
"replace everything" on long texts. We diff words instead: every token (a word, a run of white space, or one
punctuation mark) is mapped to a single character, the encoded strings are diffed with no time limit and cleaned
up while still encoded, then decoded back to tokens. Cleaning up the decoded text instead would let
diff-match-patch slide edit boundaries character by character into the middle of words ("of" -> "firmly" came out
as ~~o~~f<ins>irmly</ins>) and put any code that counts tokens per piece out of step (FIELD-NOTES). On the
encoded string the smallest thing that can move is a whole token, so every piece is a run of whole tokens of
both texts.

The result is data: a `Redline`, a list of `Piece(op, text)`. Templates render it with <ins>/<del>, escaping the
text. Every diff has a fixed budget of work (drafting/diff_budget.py): when two texts differ too much for a word
diff within it, the redline is made by sentence, then by paragraph, then as the whole text, each still exact,
and says so (`Redline.unit`), so the page can tell the reader; never a silent "replace everything".

Texts that both hold lists or footnotes (drafting/structure.py) are compared line by line first, each list item
its own unit, then word by word within each changed line (`_by_item`): an inserted item shows as one inserted
item, not as words scattered across its neighbours.
"""
import os
import re
import sys
from dataclasses import dataclass
from difflib import SequenceMatcher

from django.utils.translation import gettext

from .diff_budget import PARAGRAPH, SENTENCE, WORD_BUDGET, BoundedEngine, TooCostly, split
from .structure import is_structured, units

EQUAL, INSERT, DELETE = "equal", "insert", "delete"
_OPS = {0: EQUAL, 1: INSERT, -1: DELETE}

TOKEN = re.compile(r"\w+|\s+|[^\w\s]", re.UNICODE)

# One character per distinct token: past this many a text cannot be encoded and is diffed as a whole.
MAX_DISTINCT_TOKENS = sys.maxunicode + 1


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
        return {
            BY_SENTENCE: gettext("Shown by sentence: the texts differ too much for a word-by-word comparison."),
            BY_PARAGRAPH: gettext("Shown by paragraph: the texts differ too much for a word-by-word comparison."),
            WHOLE: gettext("Shown as a whole: the texts differ too much for a word-by-word comparison."),
        }.get(self.unit, gettext("Shown by word: the texts differ too much for a word-by-word comparison."))

    def keeping(self, op):
        """The pieces but those of kind `op`, same unit (one side of a side-by-side view)."""
        return Redline((piece for piece in self if piece.op != op), self.unit)


def tokenize(text):
    return TOKEN.findall(text or "")


class _TokenEngine(BoundedEngine):
    """diff-match-patch on encoded strings, where one character stands for one token.

    Its semantic clean-up slides a lone insertion or deletion along the text to the most readable place (a
    sentence end, then a line break, white space, punctuation), scoring the characters on either side of the
    edit. On encoded strings those characters stand for tokens, so the scores are taken from the tokens they
    stand for, and an edit moves a whole token at a time.
    """

    def __init__(self, alphabet):
        super().__init__()  # no clock: the diff is exact, or TooCostly past its budget of work
        self.alphabet = alphabet

    def diff_cleanupSemanticLossless(self, diffs):
        while self._slide_lone_edits(diffs):
            _coalesce(diffs)

    def _slide_lone_edits(self, diffs):
        """Move each edit between two equalities to its best place (ties: the later one). Rotating an edit one
        token at a time while its end equals the token before it (or its start the token after) leaves both
        texts as they were. Returns whether anything moved."""
        moved = False
        for pointer in range(1, len(diffs) - 1):
            (before_op, before), (op, edit), (after_op, after) = diffs[pointer - 1:pointer + 2]
            if before_op != 0 or op == 0 or after_op != 0 or not edit:
                continue
            while before and edit[-1] == before[-1]:  # as far up as it goes
                before, edit, after = before[:-1], before[-1] + edit[:-1], edit[-1] + after
            best, best_score = (before, edit, after), self._score(before, edit) + self._score(edit, after)
            while after and edit[0] == after[0]:
                before, edit, after = before + edit[0], edit[1:] + after[0], after[1:]
                score = self._score(before, edit) + self._score(edit, after)
                if score >= best_score:
                    best, best_score = (before, edit, after), score
            if best[0] != diffs[pointer - 1][1]:
                diffs[pointer - 1:pointer + 2] = [(0, best[0]), (op, best[1]), (0, best[2])]
                moved = True
        return moved

    def _score(self, one, two):
        """diff-match-patch's boundary score (6 best, 0 worst) for the tokens either side of a boundary."""
        if not one or not two:
            return 6  # the edges of the text
        one, two = self.alphabet[ord(one[-1])], self.alphabet[ord(two[0])]
        space_one, space_two = one[-1].isspace(), two[0].isspace()
        break_one, break_two = space_one and one[-1] in "\r\n", space_two and two[0] in "\r\n"
        if (break_one and self.BLANKLINEEND.search(one)) or (break_two and self.BLANKLINESTART.match(two)):
            return 5
        if break_one or break_two:
            return 4
        if not one[-1].isalnum() and not space_one and space_two:
            return 3  # the end of a sentence
        if space_one or space_two:
            return 2
        if not one[-1].isalnum() or not two[0].isalnum():
            return 1
        return 0


def _coalesce(diffs):
    """Drop emptied equalities and join the edits they separated, common ends moved out into the equalities.

    diff-match-patch's own diff_cleanupMerge would do this but also shifts edits sideways again, away from the
    place just chosen for them.
    """
    merged, deleted, inserted = [], "", ""

    def flush(following):
        nonlocal deleted, inserted
        common = len(os.path.commonprefix([deleted, inserted]))
        if common:
            if merged and merged[-1][0] == 0:
                merged[-1] = (0, merged[-1][1] + deleted[:common])
            else:
                merged.append((0, deleted[:common]))
            deleted, inserted = deleted[common:], inserted[common:]
        common = len(os.path.commonprefix([deleted[::-1], inserted[::-1]]))
        if common:
            following = deleted[len(deleted) - common:] + following
            deleted, inserted = deleted[:len(deleted) - common], inserted[:len(inserted) - common]
        merged.extend((op, text) for op, text in ((-1, deleted), (1, inserted)) if text)
        deleted = inserted = ""
        if following:
            if merged and merged[-1][0] == 0:
                merged[-1] = (0, merged[-1][1] + following)
            else:
                merged.append((0, following))

    for op, text in diffs:
        if op == -1:
            deleted += text
        elif op == 1:
            inserted += text
        elif text:
            flush(text)
    flush("")
    diffs[:] = merged


def _encode(tokens, vocabulary, alphabet):
    chars = []
    for token in tokens:
        code = vocabulary.get(token)
        if code is None:
            code = len(alphabet)
            if code >= MAX_DISTINCT_TOKENS:
                raise OverflowError("more distinct tokens than characters to encode them")
            vocabulary[token] = code
            alphabet.append(token)
        chars.append(chr(code))
    return "".join(chars)


def token_diff(old_tokens, new_tokens, semantic=True):
    """The edits that turn `old_tokens` into `new_tokens`, as [(op, tuple of whole tokens)].

    `semantic` merges edits separated by a small equality into one readable change (a person's redline);
    without it the diff is minimal.
    """
    return _token_diff(old_tokens, new_tokens, semantic)[0]


def _token_diff(old_tokens, new_tokens, semantic=True, limit=None):
    """token_diff, and the work it spent (within `limit`, drafting/diff_budget.py)."""
    vocabulary, alphabet = {}, []
    try:
        encoded_old = _encode(old_tokens, vocabulary, alphabet)
        encoded_new = _encode(new_tokens, vocabulary, alphabet)
    except OverflowError:
        # Millions of distinct words: say the whole text changed rather than fail.
        if list(old_tokens) == list(new_tokens):
            return ([(EQUAL, tuple(old_tokens))] if old_tokens else []), 0
        return [(op, tuple(tokens)) for op, tokens in ((DELETE, old_tokens), (INSERT, new_tokens)) if tokens], 0
    engine = _TokenEngine(alphabet)
    diffs, spent = engine.bounded_diff(encoded_old, encoded_new, limit)  # raises TooCostly past the budget
    if semantic:
        engine.diff_cleanupSemantic(diffs)
    else:
        engine.diff_cleanupSemanticLossless(diffs)
    return [(_OPS[op], tuple(alphabet[ord(char)] for char in text)) for op, text in diffs if text], spent


def _pieces(diffs, unit):
    pieces = Redline(unit=unit)
    for kind, tokens in diffs:
        text = "".join(tokens)
        if not text:
            continue
        if pieces and pieces[-1].op == kind:
            pieces[-1] = Piece(kind, pieces[-1].text + text)
        else:
            pieces.append(Piece(kind, text))
    return pieces


def redline(old, new):
    """The pieces that turn `old` into `new`, adjacent pieces of one kind merged: by word, or by the finest
    coarser unit whose diff fits the budget (see `Redline.unit`)."""
    old, new = old or "", new or ""
    if is_structured(old) and is_structured(new):
        try:
            return _by_item(old, new)
        except TooCostly:
            pass
    try:
        return _pieces(token_diff(tokenize(old), tokenize(new)), WORD)
    except TooCostly:
        pass
    for unit, pattern in ((BY_SENTENCE, SENTENCE), (BY_PARAGRAPH, PARAGRAPH)):
        try:
            return _pieces(token_diff(split(old, pattern), split(new, pattern)), unit)
        except TooCostly:
            continue
    return _pieces([(DELETE, (old,)), (INSERT, (new,))], WHOLE)


def _by_item(old, new):
    """A redline of two texts holding lists or notes (drafting/structure.py): their lines (list items,
    paragraphs, notes) are aligned as units first, so an inserted item is one inserted item; then each changed
    line is compared word by word with the changed line it pairs with. The lines' word diffs share one budget;
    past it, the remaining changed lines are shown whole (and the redline says it is by paragraph)."""
    old_units, new_units = units(old), units(new)
    diffs = token_diff(old_units, new_units, semantic=False)  # minimal: every unchanged line stays equal
    result, unit, remaining = [], WORD, WORD_BUDGET
    deleted, inserted = [], []

    def flush():
        nonlocal unit, remaining
        for one, two in _pairs(deleted, inserted):
            if one is None or two is None:
                result.append((DELETE, (one,)) if two is None else (INSERT, (two,)))
                continue
            try:
                pair, spent = _token_diff(tokenize(one), tokenize(two), limit=remaining)
                remaining -= spent
                result.extend(pair)
            except TooCostly:
                remaining, unit = 0, BY_PARAGRAPH
                result.extend([(DELETE, (one,)), (INSERT, (two,))])
        deleted.clear()
        inserted.clear()

    for op, tokens in diffs:
        if op == EQUAL:
            flush()
            result.append((EQUAL, tokens))
        else:
            (deleted if op == DELETE else inserted).extend(tokens)
    flush()
    return _pieces(result, unit)


MAX_PAIRING = 400  # deleted × inserted lines past which a changed run is paired in order


def _pairs(deleted, inserted):
    """Deleted and inserted lines of one changed run, in order: (old, new) for a line that changed, (old, None)
    for one removed, (None, new) for one added. Lines pair by how many words they share (the best total, in
    order, as difflib's ratio counts it; below a third they do not pair); a long run pairs in order."""
    if len(deleted) * len(inserted) > MAX_PAIRING:
        pairs = list(zip(deleted, inserted))
        pairs += [(one, None) for one in deleted[len(inserted):]] + [(None, two) for two in inserted[len(deleted):]]
        return pairs
    scores = [[_likeness(one, two) for two in inserted] for one in deleted]
    best = [[0.0] * (len(inserted) + 1) for _ in range(len(deleted) + 1)]
    for i in range(len(deleted) - 1, -1, -1):
        for j in range(len(inserted) - 1, -1, -1):
            paired = best[i + 1][j + 1] + scores[i][j] if scores[i][j] >= 1 / 3 else -1
            best[i][j] = max(paired, best[i + 1][j], best[i][j + 1])
    pairs, i, j = [], 0, 0
    while i < len(deleted) or j < len(inserted):
        if i < len(deleted) and j < len(inserted) and scores[i][j] >= 1 / 3 \
                and best[i][j] == best[i + 1][j + 1] + scores[i][j]:
            pairs.append((deleted[i], inserted[j]))
            i, j = i + 1, j + 1
        elif i < len(deleted) and (j == len(inserted) or best[i][j] == best[i + 1][j]):
            pairs.append((deleted[i], None))
            i += 1
        else:
            pairs.append((None, inserted[j]))
            j += 1
    return pairs


def _likeness(one, two):
    words = [[token for token in tokenize(text) if not token.isspace()] for text in (one, two)]
    return SequenceMatcher(None, *words, autojunk=False).ratio()


def with_separators(pieces):
    """Each piece with whether a space should be shown before it.

    A replacement is a deletion next to an insertion; printed together they read as one word ("unifiedsingle").
    The space goes between the two elements, never into either text, so each side's text stays exact and
    copying the passage reads "unified single". Where white space already meets, none is added.
    """
    result = []
    for previous, piece in zip([None] + list(pieces), pieces):
        separated = (
            previous is not None and {previous.op, piece.op} == {INSERT, DELETE}
            and not previous.text[-1:].isspace() and not piece.text[:1].isspace()
        )
        result.append((piece, separated))
    return result


def has_changes(pieces):
    return any(not piece.is_equal for piece in pieces)
