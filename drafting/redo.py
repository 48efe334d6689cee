"""Redoing an amendment that needs a rebase: what its author sees, and the text the redo form starts from.

When an approved amendment could not be applied because the clause had changed in an overlapping way, its author
redoes it on the current text. Two things help them:

- one three-way view, in the same order everywhere (the amendment page and the redo form): the **base** it was
  written on, the **current** text (as a redline of what others changed since the base) and **this amendment**
  (as a redline of what it changed in the base);
- a starting text that is the current text with each of the amendment's own edits applied where it still fits,
  i.e. where it neither overlaps nor touches a later change (the same rule drafting.rebase uses, edit by edit).
  The edits that clash are left out and named, so the author redoes only those, by hand.
"""
from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

from .excerpts import excerpt
from .languages import field as field_in
from .languages import language_label
from .rebase import conflicts, edits
from .redline import EQUAL, Piece, redline, tokenize

# Words of context around each change in the three-way view; the whole texts stay a click away.
CONTEXT_WORDS = 12
_LEFT_OUT_IN = _("%(words)s (%(language)s)")


@dataclass
class RedoStart:
    heading: str
    body: str
    left_out: list = field(default_factory=list)  # the words of each edit that clashed, as the base had them
    preview: dict = field(default_factory=dict)  # the starting text as redline against the current text
    texts: dict = field(default_factory=dict)  # {language: (heading, body)}, each language the amendment writes


@dataclass
class _Version:
    heading: str
    body: str


def _carry(base, proposed, current):
    """`current` with the edits base -> proposed that do not clash applied; and the words of those that do."""
    base, proposed, current = base or "", proposed or "", current or ""
    if proposed == base:
        return current, []
    if current == base:
        return proposed, []
    tokens = tokenize(base)
    ours, theirs = edits(tokens, proposed), edits(tokens, current)
    clashing = [a for a, _ in conflicts(tokens, ours, theirs)]
    fitting = [a for a in ours if a not in clashing]
    out, index = [], 0
    for edit in sorted(fitting + theirs, key=lambda e: (e.start, e.end)):
        out.extend(tokens[index:edit.start])
        out.extend(edit.replacement)
        index = max(index, edit.end)
    out.extend(tokens[index:])
    left_out = []
    for edit in dict.fromkeys(clashing):
        words = "".join(tokens[edit.start:edit.end]).strip() or "".join(edit.replacement).strip()
        left_out.append(words)
    return "".join(out), left_out


def redo_start(amendment, current):
    """The heading and text the redo form opens with, and the amendment's edits it could not carry over.

    On a bilingual document each language the amendment writes is carried over on its own: `texts` holds
    {language: (heading, body)}, `left_out` names the language of each edit left out, and the preview has a
    redline per language (`preview["languages"]`); `heading` and `body` are the first language's."""
    texts, left_out, by_language = {}, [], []
    bilingual = len(amendment.languages) > 1
    for language in amendment.languages:
        base, proposed, now = _in(amendment.base, language), amendment.proposed_in(language), _in(current, language)
        heading, heading_left = _carry(base[0], proposed[0], now[0])
        body, body_left = _carry(base[1], proposed[1], now[1])
        texts[language] = (heading, body)
        label = language_label(language)
        left_out += [_LEFT_OUT_IN % {"language": label, "words": words} if bilingual else words
                     for words in heading_left + body_left]
        by_language.append({"language": language, "label": label,
                            "heading": redline(now[0], heading), "body": redline(now[1], body)})
    first = by_language[0]
    preview = {"heading": first["heading"], "body": first["body"]}
    if bilingual:
        preview["languages"] = by_language
    heading, body = texts[amendment.languages[0]]
    return RedoStart(heading, body, left_out, preview, texts)


def _in(version, language):
    return getattr(version, field_in("heading", language)), getattr(version, field_in("body", language))


def three_way(amendment, current, language=None):
    """Base, current and this amendment, each as redline pieces against the base (heading and text), in
    `language` (default: the first the amendment writes).

    Each side also has `excerpt`: its text cut to the changed words with some context (the base's own words
    around the amendment's changes, for the base), or None when nothing would be cut, so a long clause does not
    fill three screens; the page folds the whole text below.
    """
    language = language or amendment.languages[0]
    base = _Version(*_in(amendment.base, language))
    current = _Version(*_in(current, language))
    proposed = _Version(*amendment.proposed_in(language))
    theirs = redline(base.body, current.body)
    ours = redline(base.body, proposed.body)
    base_words = [Piece(EQUAL, "".join(p.text for p in excerpt(ours, CONTEXT_WORDS) if not p.is_insert))]
    return {
        "base": {"heading": redline(base.heading, base.heading), "body": redline(base.body, base.body),
                 "excerpt": _if_cut(base_words, [Piece(EQUAL, base.body)])},
        "current": {"heading": redline(base.heading, current.heading), "body": theirs,
                    "excerpt": _if_cut(excerpt(theirs, CONTEXT_WORDS), theirs)},
        "amendment": {"heading": redline(base.heading, proposed.heading), "body": ours,
                      "excerpt": _if_cut(excerpt(ours, CONTEXT_WORDS), ours)},
    }


def _if_cut(cut, whole):
    """The excerpt, if it leaves something out of the whole; None when it is empty or the whole itself."""
    shown = "".join(p.text for p in cut)
    if not shown.strip() or shown == "".join(p.text for p in whole):
        return None
    return cut
