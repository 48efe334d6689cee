"""Word-level redlines built on diff-match-patch.

diff-match-patch diffs characters and gives up silently after `Diff_Timeout` (1 s by default), returning
"replace everything" on long texts. We diff words instead: every token (a word, a run of white space, or one
punctuation mark) is mapped to a single private character, the encoded strings are diffed with no time limit,
decoded back to tokens and cleaned up semantically so a person reads whole changed phrases.

The result is data: a list of `Piece(op, text)`. Templates render it with <ins>/<del>, escaping the text.
"""
import re
from dataclasses import dataclass

from diff_match_patch import diff_match_patch

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


def tokenize(text):
    return TOKEN.findall(text or "")


def _engine():
    dmp = diff_match_patch()
    dmp.Diff_Timeout = 0  # never give up half way: a clause is small at word level
    return dmp


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


def word_diff(old, new):
    """Raw word-level diff as diff-match-patch tuples (op, text), cleaned up semantically."""
    # Index 0 is left unused: diff_charsToLines maps chr(0) back too, but "" keeps it harmless.
    vocabulary, alphabet = {}, [""]
    encoded_old = _encode(tokenize(old), vocabulary, alphabet)
    encoded_new = _encode(tokenize(new), vocabulary, alphabet)
    dmp = _engine()
    diffs = dmp.diff_main(encoded_old, encoded_new, False)
    dmp.diff_charsToLines(diffs, alphabet)
    dmp.diff_cleanupSemantic(diffs)
    return diffs


def redline(old, new):
    """The pieces that turn `old` into `new`, adjacent pieces of one kind merged."""
    pieces = []
    for op, text in word_diff(old or "", new or ""):
        if not text:
            continue
        kind = _OPS[op]
        if pieces and pieces[-1].op == kind:
            pieces[-1] = Piece(kind, pieces[-1].text + text)
        else:
            pieces.append(Piece(kind, text))
    return pieces


def has_changes(pieces):
    return any(not piece.is_equal for piece in pieces)
