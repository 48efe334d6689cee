"""Whole-document versions and their comparison: the engine behind the Versions pages and the exports.

A *point* names a moment in a document's life: a milestone ("m12"), a date and time ("2026-03-01 14:30"; a
date alone means the end of that day), or "now". A *version* is the document read from the history tables
at that moment, in a constant number of queries whatever its size. A *comparison* aligns two versions by
each clause's stable identity (its primary key), so a clause renumbered from 4.1.2 to 4.1.1 is renumbered,
not removed and added; a clause is absent from a version when it, or any clause above it, is removed.

Each clause is compared in each text language (drafting/languages.py): its heading and its text in Azerbaijani
and in English, whichever the document holds, so a page or an export shows either language, or both side by
side, from one comparison.

Everything here returns plain data (rows of redline pieces and flags); templates and exporters render it.
"""
from dataclasses import dataclass, field
from datetime import datetime
from functools import cached_property

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from . import params
from .languages import AZ, EN
from .languages import field as field_in
from .models import Amendment, Clause, Document, Numbering
from .models.clauses import numbering_statement
from .redline import DELETE, EQUAL, INSERT, WORD, Piece, Redline, redline

NOW = "now"
LANGUAGES = (AZ, EN)  # every text language a clause holds; a document's own order is `Document.languages`
UNCHANGED, CHANGED, INSERTED, REMOVED = "unchanged", "changed", "inserted", "removed"
DATE_HELP = _("write a date as 2026-03-01, or a date and time as 2026-03-01 14:30")


class PointError(ValueError):
    """A point that cannot be read; the message is shown to the user as it is."""


@dataclass(frozen=True)
class Point:
    raw: str  # as written in a URL: "now", "m12", "2026-03-01T14:30"
    label: str  # as shown: "2007 original", "now", "1 Mar 2026, 14:30"
    moment: datetime
    milestone: object = None


def _label_for(moment):
    return date_format(timezone.localtime(moment), "DATETIME_FORMAT")


def resolve_point(document, raw, *, milestones=None, now=None):
    """Read a point typed or linked by a user. Raises PointError with a message for the user."""
    raw = (raw or "").strip()
    now = now or timezone.now()
    if not raw:
        raise PointError(gettext('Choose a milestone, "now", or a date and time (%(help)s).') % {"help": DATE_HELP})
    if raw.lower() == NOW:
        return Point(NOW, gettext("now"), now)
    if raw[0] in "mM" and raw[1:].isdigit():
        if milestones is None:
            milestones = document.milestones.all()
        pk = params.integer(raw[1:])
        milestone = next((m for m in milestones if m.pk == pk and m.document_id == document.pk), None)
        if milestone is None:
            raise PointError(gettext('There is no milestone "%(raw)s" in %(document)s; choose one from the list.')
                             % {"raw": raw, "document": document})
        return Point(milestone.point, milestone.name, milestone.moment, milestone)
    try:
        moment = params.moment(raw)
    except params.DateOutOfRange as error:
        raise PointError(str(error)) from None
    except params.DateError:
        raise PointError(gettext('"%(raw)s" is not a date and time I can read: %(help)s.') % {"raw": raw, "help": DATE_HELP}) from None
    if moment > now and _is_date_alone(raw) and timezone.localdate(moment) == timezone.localdate(now):
        # Today, asked for as a date: "as it stands at the end of today" is, so far, the text as it is now.
        return Point(raw, gettext("%(moment)s (today so far)") % {"moment": _label_for(now)}, now)
    if moment > now:
        raise PointError(gettext('%(moment)s is in the future; choose "now" to read the current text.')
                         % {"moment": _label_for(moment)})
    return Point(raw, _label_for(moment), moment)


def _is_date_alone(raw):
    return len(raw.strip()) <= 10


@dataclass
class Version:
    """The whole document as it read at a point: its title then, and its clauses in reading order."""

    point: Point
    document: object  # the Document's history row at that moment (title, adopted, description)
    entries: list  # OutlineEntry over clause history rows, removed clauses included at their place
    present: set = field(default_factory=set)  # ids of clauses in force, with every clause above them

    @property
    def outline(self):
        """What a reader sees: the clauses in force, in reading order."""
        return [entry for entry in self.entries if entry.clause.id in self.present]

    @property
    def reading(self):
        """What a reader of the whole text sees: the outline, and under "keep numbers" each removed clause that
        keeps its number ("4.1.2 (removed)", `OutlineEntry.kept_removed`) at its place, under a clause in force."""
        return [entry for entry in self.entries if entry.clause.id in self.present
                or (entry.kept_removed and (entry.clause.parent_id is None or entry.clause.parent_id in self.present))]

    @property
    def clauses(self):
        return [entry.clause for entry in self.outline]

    def __len__(self):
        return len(self.present)

    @property
    def numbering_statement(self):
        """"Numbering: kept (amending act)" or "... renumbered (new edition)": the policy the version was under."""
        return numbering_statement(getattr(self.document, "numbering", Numbering.RENUMBER))


def read_version(document, point):
    """The document at `point`, in two queries. Raises PointError if it did not exist yet."""
    snapshot = (
        Document.history.filter(id=document.pk, history_date__lte=point.moment)
        .order_by("-history_date", "-history_id").first()
    )
    if snapshot is None:
        raise PointError(gettext("%(document)s did not exist yet at %(point)s.") % {"document": document, "point": point.label})
    entries = document.outline_as_of(point.moment, snapshot.numbering)
    present = set()
    for entry in entries:  # parents come before their children in reading order
        clause = entry.clause
        if clause.status != Clause.Status.REMOVED and (clause.parent_id is None or clause.parent_id in present):
            present.add(clause.id)
    return Version(point, snapshot, entries, present)


def _side(pieces, leaving_out):
    """One side of a side-by-side view; a coarse redline keeps its unit, so that side says so too."""
    return Redline((p for p in pieces if p.op != leaving_out), getattr(pieces, "unit", WORD))


@dataclass
class TextChange:
    """A clause's heading and text in one language across two versions, as redline pieces."""

    language: str
    heading: list
    body: list

    # For the side-by-side view: each side shows its own words, the changes marked.
    @property
    def heading_old(self):
        return _side(self.heading, INSERT)

    @property
    def heading_new(self):
        return _side(self.heading, DELETE)

    @property
    def body_old(self):
        return _side(self.body, INSERT)

    @property
    def body_new(self):
        return _side(self.body, DELETE)


@dataclass
class ClauseChange:
    """One clause across two versions: what happened to it, and its heading and text in each language as
    redline pieces (`texts`, by language)."""

    clause_id: int
    status: str  # unchanged, changed, inserted, removed
    old: object  # the clause's history row in the old version (None if absent)
    new: object  # and in the new one
    old_number: str
    new_number: str
    depth: int
    texts: dict  # {language: TextChange}
    moved: bool = False
    amendments: list = field(default_factory=list)  # applied between the two points, oldest first
    # For a clause only renumbered or moved: the amendment whose application moved it (an insertion or
    # removal nearby); its rows carry the same moment.
    caused_by: list = field(default_factory=list)
    change_index: int = 0  # 1, 2, ... among the changes, for "next / previous"; 0 when unchanged
    # The neighbouring changes' indices (0: none), set once by compare() so a page of n rows stays O(n).
    previous_change: int = 0
    next_change: int = 0

    @property
    def renumbered(self):
        return self.status in (UNCHANGED, CHANGED) and self.old_number != self.new_number

    @property
    def is_change(self):
        return self.status != UNCHANGED or self.renumbered or self.moved

    # Statuses as properties, so templates never compare raw strings.
    @property
    def is_changed(self):
        return self.status == CHANGED

    @property
    def is_inserted(self):
        return self.status == INSERTED

    @property
    def is_removed(self):
        return self.status == REMOVED

    @property
    def anchor(self):
        return f"change-{self.change_index}" if self.change_index else f"clause-{self.clause_id}"

    @property
    def number(self):
        return self.new_number if self.status != REMOVED else self.old_number

    @property
    def clause(self):
        """The row to read plain attributes from (numbered, position): the new one unless removed."""
        return self.new if self.status != REMOVED else self.old

    @property
    def is_closing(self):
        """Whether the row is of a parent's closing text, which has no heading and is shown as one."""
        return self.clause.is_closing

    def text(self, language):
        return self.texts[language]

    def in_languages(self, languages):
        """The row's TextChange for each of `languages`, in that order (for templates)."""
        return [self.texts[language] for language in languages]

    # The English heading and text, and the Azerbaijani heading, under the names they had before the
    # Azerbaijani text existed.
    @property
    def heading(self):
        return self.texts[EN].heading

    @property
    def body(self):
        return self.texts[EN].body

    @property
    def heading_az(self):
        return self.texts[AZ].heading

    @property
    def authors(self):
        """Who made the change, for attribution ("Leyla Məmmədova"); several amendments, several names."""
        names = []
        for amendment in self.amendments or self.caused_by:
            if amendment.author.full_name not in names:
                names.append(amendment.author.full_name)
        return names


@dataclass
class Comparison:
    old: Version
    new: Version
    rows: list
    title: list  # the document's title, as redline pieces
    counts: dict

    # Cached: the compare page reads these once per changed row, and walking every row each time made the
    # page quadratic (77% of its time at 10,000 clauses).
    @cached_property
    def changes(self):
        return [row for row in self.rows if row.is_change]

    @cached_property
    def total_changes(self):
        return len(self.changes)

    @property
    def numbering_statement(self):
        """The numbering policy the comparison reads the numbers under: the newer version's."""
        return self.new.numbering_statement


TEXT_FIELDS = [field_in(name, language) for language in LANGUAGES for name in ("heading", "body")]


def _pieces(old, new):
    if old == new:
        return [Piece(EQUAL, old)] if old else []
    return redline(old, new)


def _whole(op, text):
    return [Piece(op, text)] if text else []


def _moved(old, new):
    """Clauses present in both versions whose place changed: another parent, or another order among the
    siblings both versions share (those outside the longest run kept in order)."""
    moved = set()
    old_siblings = {}
    for clause_id, entry in old.items():
        if clause_id in new:
            if entry.clause.parent_id != new[clause_id].clause.parent_id:
                moved.add(clause_id)
            else:
                old_siblings.setdefault(entry.clause.parent_id, []).append(entry)
    for entries in old_siblings.values():
        in_old_order = [e.clause.id for e in sorted(entries, key=lambda e: (e.clause.position, e.clause.id))]
        rank = {clause_id: i for i, clause_id in enumerate(in_old_order)}
        in_new_order = sorted(in_old_order, key=lambda c: (new[c].clause.position, c))
        kept = _longest_increasing([rank[c] for c in in_new_order])
        moved.update(c for c in in_new_order if rank[c] not in kept)
    return moved


def _longest_increasing(values):
    """The values of one longest strictly increasing subsequence (patience sorting)."""
    from bisect import bisect_left

    tails, tail_index, previous = [], [], [None] * len(values)
    for i, value in enumerate(values):
        at = bisect_left(tails, value)
        if at == len(tails):
            tails.append(value)
            tail_index.append(i)
        else:
            tails[at] = value
            tail_index[at] = i
        previous[i] = tail_index[at - 1] if at else None
    kept, i = set(), tail_index[-1] if tail_index else None
    while i is not None:
        kept.add(values[i])
        i = previous[i]
    return kept


def _amendments_by_clause(document, old, new):
    """{clause id: [amendments applied between the two points that changed it]}, and {moment: amendment}
    for the rows an amendment wrote without being their cause (renumbering), in one query.

    An insertion also writes rows for the siblings it moves down; only the clause it created is its work.
    A comparison (and its Word file) reads the same for every member, so it names only applied amendments,
    which every member may read (`AmendmentQuerySet.public`): a draft writes no clause history, and the filter
    makes sure no author of one is ever named.
    """
    low, high = sorted((old.point.moment, new.point.moment))
    applied = Amendment.objects.public().filter(state=Amendment.State.APPLIED)
    rows = (
        Clause.history.filter(document_id=document.pk, history_date__gt=low, history_date__lte=high,
                              amendment__in=applied)
        .select_related("amendment__author").order_by("history_date", "history_id")
    )
    found, by_moment = {}, {}
    for row in rows:
        amendment = row.amendment
        by_moment[row.history_date] = amendment
        if amendment.kind == Amendment.Kind.INSERT and amendment.result_clause_id != row.id:
            continue
        bucket = found.setdefault(row.id, [])
        if amendment not in bucket:
            bucket.append(amendment)
    return found, by_moment


def _reading_order(old, new):
    """Every clause of either version once: the new version's order, with clauses the new version does not
    hold at all (only when comparing backwards in time) placed after their predecessor in the old one."""
    order = [entry.clause.id for entry in new.entries]
    known = set(order)
    previous = None
    for entry in old.entries:
        clause_id = entry.clause.id
        if clause_id not in known:
            at = order.index(previous) + 1 if previous is not None else 0
            order.insert(at, clause_id)
            known.add(clause_id)
        previous = clause_id
    return order


def compare(document, old, new):
    """Align two versions of `document` by clause identity. Pure data out; one query for attribution."""
    old_entries = {e.clause.id: e for e in old.entries if e.clause.id in old.present}
    new_entries = {e.clause.id: e for e in new.entries if e.clause.id in new.present}
    moved = _moved(old_entries, new_entries)
    attribution, by_moment = _amendments_by_clause(document, old, new)
    all_old = {e.clause.id: e for e in old.entries}
    all_new = {e.clause.id: e for e in new.entries}

    rows = []
    for clause_id in _reading_order(old, new):
        before, after = old_entries.get(clause_id), new_entries.get(clause_id)
        if before is None and after is None:
            continue  # removed before the old point, or not yet written at the new one
        if before and after:
            a, b = before.clause, after.clause
            changed = any(getattr(a, name) != getattr(b, name) for name in TEXT_FIELDS)
            status = CHANGED if changed else UNCHANGED
            texts = {language: TextChange(language, *(
                _pieces(getattr(a, field_in(name, language)), getattr(b, field_in(name, language)))
                for name in ("heading", "body"))) for language in LANGUAGES}
        else:
            a, b = (before.clause, None) if before else (None, after.clause)
            status, op, row = (REMOVED, DELETE, a) if before else (INSERTED, INSERT, b)
            texts = {language: TextChange(language, *(
                _whole(op, getattr(row, field_in(name, language))) for name in ("heading", "body")))
                for language in LANGUAGES}
        place = after or before or all_new.get(clause_id) or all_old.get(clause_id)
        rows.append(ClauseChange(
            clause_id=clause_id, status=status, old=a, new=b,
            old_number=before.number if before else "", new_number=after.number if after else "",
            depth=place.depth, texts=texts, moved=clause_id in moved, amendments=attribution.get(clause_id, []),
        ))
        row = rows[-1]
        if not row.amendments and (row.renumbered or row.moved) and b.history_date in by_moment:
            row.caused_by = [by_moment[b.history_date]]

    changes = [row for row in rows if row.is_change]
    for index, row in enumerate(changes, start=1):
        row.change_index = index
        row.previous_change = index - 1
        row.next_change = index + 1 if index < len(changes) else 0
    counts = {
        "changed": sum(1 for r in rows if r.status == CHANGED),
        "inserted": sum(1 for r in rows if r.status == INSERTED),
        "removed": sum(1 for r in rows if r.status == REMOVED),
        "renumbered": sum(1 for r in rows if r.renumbered),
        "moved": sum(1 for r in rows if r.moved),
    }
    title = _pieces(old.document.title, new.document.title)
    return Comparison(old=old, new=new, rows=rows, title=title, counts=counts)


def resolve_points(document, old_raw, new_raw):
    """Both points as typed or linked, resolved with one query for the milestones. Raises PointError."""
    milestones = list(document.milestones.all())
    return (resolve_point(document, old_raw, milestones=milestones),
            resolve_point(document, new_raw, milestones=milestones))


def compare_versions_at(document, old_point, new_point):
    """Read the document at both points and compare them. Raises PointError."""
    return compare(document, read_version(document, old_point), read_version(document, new_point))


def compare_points(document, old_raw, new_raw):
    """Resolve two points as typed or linked, read both versions and compare them. Raises PointError."""
    return compare_versions_at(document, *resolve_points(document, old_raw, new_raw))
