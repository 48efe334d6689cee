"""The what-if draft: the whole document as it would read if a set of amendments were all approved.

Pure data for the template: the outline in reading order, each clause with the amendments that change or
remove it (as redline against its current text), new clauses at their provisional places, and a flag where
several amendments compete for one clause. Two queries whatever the number of clauses or amendments.

Each row is rendered and cached on its own (views/what_if.py) under `row_parts`, everything it shows, so a review
or an edit of one amendment works out that amendment's row again, not the whole draft: a row's redlines are
worked out only when it is rendered (`Row.changes`).

Each change is worked out in each language the reader reads (drafting/languages.py), the authoritative first.
"""
import unicodedata
from dataclasses import dataclass, field
from functools import cached_property

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


def draft_with(document, amendments, languages=(EN,), outline=None):
    """The rows of the draft; `outline` is the document's outline when the caller has read it already."""
    # Under "keep", the new clauses are numbered as if all were applied (drafting/models/clauses.py).
    Amendment.number_insertions(amendments, together=True)
    entries = [e for e in (document.outline() if outline is None else outline) if not e.clause.is_removed]
    changes, first_children, after = {}, {}, {}
    for amendment in amendments:
        if amendment.kind == Amendment.Kind.INSERT:
            bucket = first_children if amendment.placement == Amendment.Placement.FIRST_CHILD else after
            bucket.setdefault(amendment.clause_id, []).append(amendment)
        else:
            changes.setdefault(amendment.clause_id, []).append(amendment)

    rows, closing = [], []  # closing: (depth, insertions) waiting for the end of a clause's subtree
    for entry in entries:
        while closing and closing[-1][0] >= entry.depth:
            rows.extend(closing.pop()[1])
        clause = entry.clause
        rows.append(Row(entry=entry, changed_by=changes.get(clause.pk, []), languages=languages))
        rows.extend(Row(insertion=a, languages=languages) for a in first_children.get(clause.pk, []))
        # "after" and "last child" insertions both land once this clause's sub-clauses have been listed.
        pending = [Row(insertion=a, languages=languages) for a in after.get(clause.pk, [])]
        if pending:
            closing.append((entry.depth, pending))
    while closing:
        rows.extend(closing.pop()[1])
    return rows


def _texts_of(item, prefix, languages):
    return [getattr(item, field_in(prefix + name, language)) for language in languages for name in ("heading", "body")]


def row_parts(row, document, languages, side_by_side, can_compromise):
    """Everything a row of the what-if draft shows, as a cache key's parts (drafting/fragments.py): the texts
    themselves rather than ids, so a row is rendered again exactly when what it prints changes. An amendment's
    redline follows from the clause's text, its proposed texts and its base (a history row, never edited); of its
    state a row shows only whether it is submitted (the compromise form offers those), so a review that sends it
    back renders nothing again."""
    common = [document.slug, tuple(languages), side_by_side]
    if row.insertion is not None:
        a = row.insertion
        return ["insertion", *common, a.pk, a.number, a.provisional_label(), *_texts_of(a, "proposed_", languages)]
    clause = row.entry.clause
    parts = ["clause", *common, can_compromise, clause.pk, clause.status, row.entry.depth, clause.number,
             *_texts_of(clause, "", languages)]
    for a in row.changed_by:
        parts += [a.pk, a.number, a.kind, a.is_open and not a.is_draft, a.base_id, a.base_is_current, a.title,
                  a.author.display_name, *_texts_of(a, "proposed_", languages)]
    return parts


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
