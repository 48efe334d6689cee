"""Short redlines for lists and the what-if page: the changed words with a few words of context either side.

A whole clause is too long to scan in a list or to repeat once per competing amendment (4.1.1 alone fills a
screen); a reader wants what changes and enough around it to recognise the place. Unchanged stretches are cut
to a few words next to each change, and what is left out is marked with an ellipsis. Pure data in, pure data
out: `Piece`s from drafting.redline, rendered by the same template as any redline.
"""
import re

from .redline import EQUAL, Piece, tokenize

CONTEXT_WORDS = 6
ELLIPSIS = "…"
_WORD = re.compile(r"\w")


def _word_positions(tokens):
    return [i for i, token in enumerate(tokens) if _WORD.match(token)]


def _head(text, words):
    """The first `words` words of `text`, and whether anything was cut."""
    tokens = tokenize(text)
    positions = _word_positions(tokens)
    if len(positions) <= words:
        return text, False
    return "".join(tokens[:positions[words - 1] + 1]), True


def _tail(text, words):
    """The last `words` words of `text` (with what follows them), and whether anything was cut."""
    tokens = tokenize(text)
    positions = _word_positions(tokens)
    if len(positions) <= words:
        return text, False
    return "".join(tokens[positions[-words]:]), True


def excerpt(pieces, context=CONTEXT_WORDS):
    """The pieces with every unchanged stretch cut to `context` words beside a change.

    No change at all gives an empty list (there is nothing to show); a stretch between two changes that is
    short enough stays whole.
    """
    if all(piece.op == EQUAL for piece in pieces):
        return []
    out = []
    last = len(pieces) - 1
    for index, piece in enumerate(pieces):
        if piece.op != EQUAL:
            out.append(piece)
            continue
        before, after = index > 0, index < last  # a change on that side
        if before and after:
            head, cut = _head(piece.text, context)
            if cut:
                tail, _ = _tail(piece.text, context)
                text = f"{head} {ELLIPSIS} {tail}"
            else:
                text = piece.text
        elif after:
            tail, cut = _tail(piece.text, context)
            text = f"{ELLIPSIS} {tail}" if cut else tail
        else:
            head, cut = _head(piece.text, context)
            text = f"{head} {ELLIPSIS}" if cut else head
        out.append(Piece(EQUAL, text))
    return out


def is_cut(pieces, cut_pieces):
    """Whether the excerpt of a change leaves anything out (so a page offers the whole text, folded)."""
    return bool(cut_pieces) and "".join(p.text for p in pieces) != "".join(p.text for p in cut_pieces)
