"""Mentions: `@` followed by a member's username or full name, e.g. `@leyla_m` or `@Leyla Məmmədova`.

The `@` must start the text or follow a character that is not a letter or digit (so `a@b.az` is no mention).
Full names are tried first, longest first, so `@Leyla Məmmədova` wins over a member called `Leyla`; matching
ignores case and treats the Azerbaijani dotted and dotless i (İ i I ı) as one letter, so `@ilham` finds İlham.
A name must end at a non-letter (`@Leyla Məmmədova,` is fine, `@Leylax` is not Leyla). A name that is no
member's stays plain text: a mention is a convenience, never an error.
"""
import re
from dataclasses import dataclass

from .azerbaijani import casefold

_USERNAME = re.compile(r"[\w.-]+")
_PARAGRAPH_BREAK = re.compile(r"\n\s*\n")


# One code point in, one out, so positions in the folded text are positions in the original.
_fold = casefold


@dataclass(frozen=True)
class Mention:
    start: int
    end: int
    member: object


def find_mentions(text, members):
    """The mentions in `text` of any of `members` (Member objects), in order of appearance."""
    members = list(members)
    by_name = sorted(((_fold(m.full_name), m) for m in members if m.full_name), key=lambda pair: -len(pair[0]))
    by_username = {_fold(m.user.username): m for m in members}
    folded = _fold(text)
    found = []
    position = 0
    while (at := text.find("@", position)) != -1:
        position = at + 1
        if at > 0 and (text[at - 1].isalnum() or text[at - 1] == "_"):
            continue
        match = None
        for name, member in by_name:
            end = at + 1 + len(name)
            if folded.startswith(name, at + 1) and (end == len(text) or not (text[end].isalnum() or text[end] == "_")):
                match = Mention(at, end, member)
                break
        if match is None:
            word = _USERNAME.match(text, at + 1)
            if word:
                username = word.group().rstrip(".-")
                member = by_username.get(_fold(username))
                if member is not None:
                    match = Mention(at, at + 1 + len(username), member)
        if match is not None:
            found.append(match)
            position = match.end
    return found


def mentioned_members(text, members):
    """Distinct members mentioned in `text`, in order of first mention."""
    seen = {}
    for mention in find_mentions(text, members):
        seen.setdefault(mention.member.pk, mention.member)
    return list(seen.values())


@dataclass(frozen=True)
class Piece:
    text: str
    member: object = None  # set when the piece is a mention


def paragraphs(text, members):
    """The text as paragraphs of pieces (plain text or a mention), for a template to render and escape."""
    result = []
    for paragraph in _PARAGRAPH_BREAK.split(text.replace("\r\n", "\n").strip()):
        pieces = []
        position = 0
        for mention in find_mentions(paragraph, members):
            if mention.start > position:
                pieces.append(Piece(paragraph[position:mention.start]))
            pieces.append(Piece(paragraph[mention.start:mention.end], mention.member))
            position = mention.end
        if position < len(paragraph):
            pieces.append(Piece(paragraph[position:]))
        if pieces:
            result.append(pieces)
    return result
