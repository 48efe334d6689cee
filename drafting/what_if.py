"""The what-if draft: the whole document as it would read if a set of amendments were all approved.

The outline in reading order, each clause with the amendments that change or remove it (as redline against its
current text), new clauses at their provisional places, and a flag where several amendments compete for one clause.

The draft is laid out (`layout`) and each row keyed (`row_parts`, everything it shows) from the clauses' places,
cached under the text's state, and the amendments' values, read in one query: nothing is read as objects to
tell which rows are cached. Each row is rendered and cached on its own (views/what_if.py), so a review or an
edit of one amendment renders that amendment's row again, reading that row's clause and amendments as objects
(`Row`) and no others: a row's redlines are worked out only when it is rendered (`Row.changes`).

Each change is worked out in each language the reader reads (drafting/languages.py), the authoritative first.
"""
import hashlib
import unicodedata
from dataclasses import dataclass, field
from functools import cached_property
from typing import NamedTuple

from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.text import Truncator

from .languages import EN, OWN_NAMES, TEXT_LANGUAGES
from .languages import field as field_in
from .models import Amendment
from .redline import redline


@dataclass
class Row:
    entry: object = None  # OutlineEntry for an existing clause
    insertion: object = None  # Amendment, for a proposed new clause
    changed_by: list = field(default_factory=list)  # the amendments that change this clause, in the order shown
    languages: tuple = (EN,)

    @cached_property
    def changes(self):
        """[(amendment, [redline dict per language])], worked out on first use: a cached row never needs them."""
        clause = self.entry.clause
        return [(a, [change_in(a, clause, language) for language in self.languages]) for a in self.changed_by]

    @property
    def inserted(self):
        """A proposed new clause's heading and text in each language read (a language it leaves empty: empty)."""
        return [{"language": language, "name": OWN_NAMES[language],
                 **{name: getattr(self.insertion, field_in("proposed_" + name, language)) for name in ("heading", "body")}}
                for language in self.languages]

    @property
    def competing(self):
        return len(self.changed_by) > 1


def _proposed(amendment, clause, name, language):
    """What approving `amendment` would make `clause`'s `name` ("heading", "body") read in `language`.

    The English fields, kept from before the Azerbaijani text existed, always carry the proposal; an
    Azerbaijani field proposes only where it differs from the amendment's base, as Amendment.apply keeps the
    clause's own text otherwise."""
    proposed = getattr(amendment, field_in("proposed_" + name, language))
    if amendment.kind == Amendment.Kind.INSERT:
        return "", proposed
    current = getattr(clause, field_in(name, language))
    if amendment.kind == Amendment.Kind.REMOVE:
        return current, ""
    if language != EN and proposed == getattr(amendment.base, field_in(name, language)):
        return current, current
    return current, proposed


def change_in(amendment, clause, language):
    """The amendment's change of `clause` (None for an insertion) in `language`, as redline pieces."""
    pieces = {name: redline(*_proposed(amendment, clause, name, language)) for name in ("heading", "body")}
    return {"language": language, "name": OWN_NAMES[language], **pieces}


class Place(NamedTuple):
    """A clause's place in the draft, as the rows' order and keys need it: cached under the text's state, so a
    draft whose text has not moved is laid out and keyed without reading the clauses."""

    clause_id: int
    depth: int
    removed: bool
    shown: str  # a digest of all a row prints of the clause: status, depth, number, label, texts in every language


def places_of(outline):
    """The outline's places. A closing text's label names its parent: the parent is set from the outline (no
    query), as the view sets it on the clauses its amendments share."""
    places = []
    for entry in outline:
        clause = entry.clause
        if clause.parent_id and entry.parent is not None:
            clause.parent = entry.parent.clause
        shown = "\x1f".join(str(part) for part in (
            clause.status, entry.depth, clause.number, clause.label, *_texts_of(clause, "", ALL_LANGUAGES)))
        places.append(Place(clause.pk, entry.depth, clause.is_removed,
                            hashlib.blake2b(shown.encode(), digest_size=16).hexdigest()))
    return places


def layout(places, amendments):
    """The draft's rows in reading order: (place, [the amendments changing its clause], None) for a clause and
    (None, [], amendment) for a proposed new clause, at the place it would take. `amendments` in the order shown,
    as objects or as the values the view reads (anything with `kind`, `placement` and `clause_id`)."""
    changes, first_children, after = {}, {}, {}
    for amendment in amendments:
        if amendment.kind == Amendment.Kind.INSERT:
            bucket = first_children if amendment.placement == Amendment.Placement.FIRST_CHILD else after
            bucket.setdefault(amendment.clause_id, []).append(amendment)
        else:
            changes.setdefault(amendment.clause_id, []).append(amendment)

    rows, closing = [], []  # closing: (depth, insertions) waiting for the end of a clause's subtree
    for place in places:
        if place.removed:
            continue
        while closing and closing[-1][0] >= place.depth:
            rows.extend(closing.pop()[1])
        rows.append((place, changes.get(place.clause_id, []), None))
        rows.extend((None, [], a) for a in first_children.get(place.clause_id, []))
        # "after" and "last child" insertions both land once this clause's sub-clauses have been listed.
        pending = [(None, [], a) for a in after.get(place.clause_id, [])]
        if pending:
            closing.append((place.depth, pending))
    while closing:
        rows.extend(closing.pop()[1])
    return rows


def _texts_of(item, prefix, languages):
    return [getattr(item, field_in(prefix + name, language)) for language in languages for name in ("heading", "body")]


def row_parts(row, document, languages, side_by_side, can_compromise, text, insertions):
    """Everything a row of the draft (`layout`) shows, as a cache key's parts (drafting/fragments.py), from the
    values the view reads in one query: the texts themselves rather than ids, so a row is rendered again exactly
    when what it prints changes, and no object is read to tell.

    A clause's row: its place (`Place.shown`), and of each amendment changing it the texts, the kind, the base (a
    history row, never edited: with the clause's texts and the document's languages it says whether the base is
    current), the author's name as shown and, of its state, only whether it is submitted (the compromise form
    offers those), so a review that sends it back renders nothing again. A new clause's row: its texts and its
    provisional place, which follows from the document's `text` state and, under "keep", the other chosen
    `insertions` (numbered together)."""
    common = [document.slug, tuple(languages), side_by_side]
    place, changed, insertion = row
    if insertion is not None:
        a = insertion
        return ["insertion", *common, text, insertions, a.pk, a.number, a.placement, a.clause_id, a.result_clause_id,
                *(getattr(a, name) for name in PROPOSED_FIELDS)]
    parts = ["clause", *common, can_compromise, tuple(document.languages), place.clause_id, place.depth, place.shown]
    for a in changed:
        parts += [a.pk, a.number, a.kind, a.state in SUBMITTED_STATES, a.base_id, a.author__full_name,
                  a.author__user__is_active, *(getattr(a, name) for name in PROPOSED_FIELDS)]
    return parts


# The states a compromise may combine: open and not a draft.
SUBMITTED_STATES = frozenset(Amendment.OPEN_STATES) - {Amendment.State.DRAFT}
ALL_LANGUAGES = [code for code, _label in TEXT_LANGUAGES]


# Every proposed text of an amendment, in every language: what its row and its line in the list show of it.
PROPOSED_FIELDS = [field_in(f"proposed_{name}", code) for code, _label in TEXT_LANGUAGES for name in ("heading", "body")]

# Where " checked" goes in a line of the list to choose from: the lines are cached whatever is chosen. A template
# mark, so no user text can hold it (user text is escaped: no "<" of it reaches a line).
CHECKED = "<!--checked-->"


def choice_line(amendment):
    """The what-if page's checkbox for one open amendment ("A-3 Reword 4.1.1 ... (author, submitted)"), with
    `CHECKED` where a chosen one is marked. Written here rather than by a template loop, as that loop wrote it:
    each value escaped, the number without a thousands separator, the title cut at 90 characters."""
    return mark_safe(  # every value escaped here
        f'\n    <label class="choice"><input type="checkbox" name="a" value="{amendment.number}"{CHECKED}> '
        f"<strong>{escape(amendment.label)}</strong> {escape(_truncated(amendment.title, 90))} "
        f'<span class="muted">({escape(amendment.author.display_name)}, '
        f"{escape(amendment.get_state_display().lower())})</span></label>\n    ")


def _truncated(text, length):
    """`truncatechars`, skipped for a short text it would return as it is (Truncator also normalizes to NFC)."""
    if len(text) <= length and unicodedata.is_normalized("NFC", text):
        return text
    return Truncator(text).chars(length)
