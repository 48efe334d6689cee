"""Clauses: the versioned units of a document, arranged as a tree.

A clause's primary key is its stable identity: rows are never deleted (removal only changes the status),
so the key names the same clause for its whole life, whatever number it shows. The display number
("4.1.1") is decided by `in_reading_order` under the document's numbering policy (`Numbering`) and stored by
`Document.renumber`, so that each history row records the number the clause had at that moment.

Numbering policies (chosen per document on its Settings page):

- *renumber* (a new edition, the default): a clause's number is its place among its in-force numbered siblings,
  so what follows an insertion or a removal is renumbered.
- *keep* (an amending act): numbers are fixed, as legislative practice amends a law in force. A clause keeps the
  number it has; a removed clause keeps its number and reads "4.1.2 (removed)"; a number is never given twice.
  A new clause takes the next free *derived* number after the numbered clause before it (removed ones count):
    - after 4.1.1 → 4.1.1-1; after 4.1.1-1 → 4.1.1-2 (the series continues while it sorts before the next
      clause); between 4.1.1-1 and an existing 4.1.1-2 → 4.1.1-1-1 (one level of dashes deeper); right after
      4.1.1, in front of an existing 4.1.1-1 → 4.1.1-0;
    - the first sub-clause of a clause without any → 4.1.1.1 (a new level, as in a new edition), and under a
      derived clause 4.1.1-1.1; a new first sub-clause before an existing 4.1.1 → 4.1.0;
    - in the rare place where no number sorts between its neighbours (squeezed in front of a derived number
      of the clause before it), the first free number of the series after the clause before it is taken: it
      is never a number another clause has or had, though it may not sort in reading order.
  Numbers sort part by part, dashes included: 4.1.1 < 4.1.1-1 < 4.1.1-1-1 < 4.1.1-2 < 4.1.2.
"""
from dataclasses import dataclass

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from ..languages import field
from .history import AmendmentHistory


class Numbering(models.TextChoices):
    """A document's numbering policy (see the module docstring)."""

    RENUMBER = "renumber", _("Renumber (a new edition)")
    KEEP = "keep", _("Keep numbers (an amending act)")


def numbering_statement(policy):
    """What a comparison or an export says of the policy in its header."""
    if policy == Numbering.KEEP:
        return gettext("Numbering: kept (amending act)")
    return gettext("Numbering: renumbered (new edition)")


class ClauseQuerySet(models.QuerySet):
    def translation_outdated(self):
        """Clauses in force whose translation was made from an older authoritative text (see `Clause`), on
        documents that have a translation."""
        return self.filter(status=Clause.Status.IN_FORCE, translated_from__lt=models.F("authoritative_version")).exclude(
            document__translation_language="")


class Clause(models.Model):
    """A clause of a document, its heading and text in each of the document's languages.

    Translation status (migration 0011): `authoritative_version` counts the changes of the heading and text in
    the document's authoritative language (1 for the text as imported); `translated_from` is the count the
    translation was made from. The translation is outdated while `translated_from` is lower, and the history row
    of the clause with `authoritative_version == translated_from` holds the authoritative text it was made from
    (0: the clause was inserted without a translation). Both are kept by `write_texts`, which an applied
    amendment goes through; imports and seeds leave them equal (the texts arrive together).
    """

    class Status(models.TextChoices):
        IN_FORCE = "in_force", _("In force")
        REMOVED = "removed", _("Removed")

    class Role(models.TextChoices):
        CLAUSE = "clause", _("Clause")
        # A parent's closing text, after its sub-clauses (issue 14, point 2): an unnumbered child without a
        # heading, read after every sibling whatever its position, so that amendments (modify, remove), history,
        # comments and exports treat it as any clause.
        CLOSING = "closing", _("Closing text")

    document = models.ForeignKey("drafting.Document", on_delete=models.PROTECT, related_name="clauses", verbose_name=_("document"))
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children",
        verbose_name=_("parent"),
    )
    position = models.PositiveIntegerField(help_text=_("Order among its siblings, from 0."), verbose_name=_("place in order"))
    numbered = models.BooleanField(
        default=True, help_text=_("Unnumbered parts (Introduction, Final provisions) take no number."),
        verbose_name=_("numbered"),
    )
    number = models.CharField(max_length=40, blank=True, editable=False, verbose_name=_("number"))
    heading = models.CharField(max_length=500, blank=True, verbose_name=_("heading"))
    heading_az = models.CharField(_("Azerbaijani heading"), max_length=500, blank=True)
    body = models.TextField(blank=True, verbose_name=_("text"))
    body_az = models.TextField(_("Azerbaijani text"), blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.IN_FORCE, verbose_name=_("status"))
    role = models.CharField(max_length=10, choices=Role.choices, default=Role.CLAUSE, verbose_name=_("role"))
    authoritative_version = models.PositiveIntegerField(
        default=1, help_text=_("Counts the changes of the authoritative heading and text."),
        verbose_name=_("authoritative text version"),
    )
    translated_from = models.PositiveIntegerField(
        default=1, help_text=_("The authoritative text version the translation was made from."),
        verbose_name=_("translated from version"),
    )
    history = HistoricalRecords(bases=[AmendmentHistory])

    objects = ClauseQuerySet.as_manager()

    class Meta:
        ordering = ["document", "parent_id", "position"]
        indexes = [models.Index(fields=["document", "parent", "position"])]
        verbose_name = _("clause")
        verbose_name_plural = _("clauses")

    def __str__(self):
        return self.label

    @property
    def label(self):
        """How people refer to the clause: "4.1.1 The restoration ...", "Introduction", "4.1", "Closing text of
        3" (reads the parent)."""
        if self.is_closing and self.parent_id is not None:
            return gettext("Closing text of %(parent)s") % {"parent": self.parent.number or self.parent.label}
        return " ".join(part for part in (self.number, self.heading) if part) or gettext("Clause %(id)s") % {"id": self.pk}

    @property
    def is_closing(self):
        return self.role == self.Role.CLOSING

    @property
    def is_removed(self):
        return self.status == self.Status.REMOVED

    def get_absolute_url(self):
        return reverse("clause_detail", args=[self.document.slug, self.pk])

    @property
    def is_translation_outdated(self):
        """Whether the authoritative text changed since the translation was made (never for a document with no
        translation, nor for a removed clause)."""
        return (bool(self.document.translation_language) and not self.is_removed
                and self.translated_from < self.authoritative_version)

    def text_in(self, language):
        """(heading, text) in `language`."""
        return getattr(self, field("heading", language)), getattr(self, field("body", language))

    def write_texts(self, document, texts, *, translated=False, made_from=0):
        """Take the headings and texts {language: (heading, text)}, keeping the translation status; returns
        whether anything changed (the caller saves, once: a history row only for a real change).

        A change of the authoritative text counts a new version. The translation follows it only if this change
        wrote the translation too (`translated`) and that translation covers every earlier version: it was made
        from the current one (`made_from`, the version the writer read) or the clause's was current already.
        Otherwise it keeps remembering the older version it was made from, so a translator sees everything
        that changed since.
        """
        before_version, before_from = self.authoritative_version, self.translated_from
        changed = False
        for language, (heading, body) in texts.items():
            if self.text_in(language) != (heading, body):
                setattr(self, field("heading", language), heading)
                setattr(self, field("body", language), body)
                changed = True
                if language == document.authoritative_language:
                    self.authoritative_version = before_version + 1
        if not document.translation_language:
            self.translated_from = self.authoritative_version
        elif translated:
            covered = max(before_from, made_from)
            self.translated_from = self.authoritative_version if covered >= before_version else covered
        return changed or (self.authoritative_version, self.translated_from) != (before_version, before_from)

    def versions(self):
        """Every recorded version, newest first, with who made it."""
        return (
            self.history.select_related("history_user__member", "amendment")
            .order_by("-history_date", "-history_id")
        )


@dataclass
class OutlineEntry:
    """A clause (or a history row of one) at its place in the document."""

    clause: object
    depth: int
    number: str  # the number its place gives it; "" when unnumbered, or removed under "renumber"
    # Under "keep": a removed clause that keeps its number and shows it ("4.1.2 (removed)"), the topmost of a
    # removed part only (its sub-clauses went with it).
    kept_removed: bool = False
    parent: "OutlineEntry | None" = None

    @property
    def label(self):
        """The clause's label, a closing text's from its parent's entry (no query, at any size)."""
        if getattr(self.clause, "role", "") == Clause.Role.CLOSING and self.parent is not None:
            parent = self.parent
            return gettext("Closing text of %(parent)s") % {"parent": parent.number or parent.clause.label}
        return self.clause.label


def number_key(number):
    """A number's parts as numbers, for sorting: 4.1.1 < 4.1.1-1 < 4.1.1-1-1 < 4.1.1-2 < 4.1.2 < 4.1.10."""
    return tuple(tuple(int(part) for part in segment.split("-") if part.isdecimal()) for segment in number.split("."))


def _under(prefix, place):
    return f"{prefix}.{place}" if prefix else str(place)


def derived_number(prefix, previous, following, taken):
    """The number a new clause takes under "keep": after the numbered sibling `previous` (None: first) and
    before `following` (None: last), never one in `taken` (its siblings' numbers, removed ones included)."""
    def fits(candidate):
        return (candidate not in taken and (previous is None or number_key(candidate) > number_key(previous))
                and (following is None or number_key(candidate) < number_key(following)))

    if previous is None:
        candidates = [_under(prefix, 0 if following else 1)]
    else:
        candidates = []
        head, _dash, tail = previous.rpartition("-")
        if "-" in previous.rsplit(".", 1)[-1]:
            candidates.append(f"{head}-{int(tail) + 1}")  # 4.1.1-1 → 4.1.1-2: the series goes on
        candidates += [f"{previous}-1", f"{previous}-0"]
    for candidate in candidates:
        if fits(candidate):
            return candidate
    base, count = candidates[0], 1  # squeezed: unique, if out of order (see the module docstring)
    while f"{base}-{count}" in taken:
        count += 1
    return f"{base}-{count}"


def _numbers_of(siblings, prefix, keep):
    """The numbers of `siblings` (in reading order) under `prefix`: the one rule of both policies."""
    numbers, counter, previous = [], 0, None
    taken = {clause.number for clause in siblings if keep and clause.numbered and clause.number}
    for index, clause in enumerate(siblings):
        removed = clause.status == Clause.Status.REMOVED
        number = ""
        if not clause.numbered:
            pass
        elif keep and (clause.number or removed):
            number = clause.number  # fixed; a removed clause numbered before "keep" was chosen has none
        elif keep:
            following = next((c.number for c in siblings[index + 1:] if c.numbered and c.number), None)
            number = derived_number(prefix, previous, following, taken)
            taken.add(number)
        elif not removed:
            counter += 1
            number = _under(prefix, counter)
        previous = number or previous
        numbers.append(number)
    return numbers


def _by_parent(clauses):
    children = {}
    for clause in clauses:
        children.setdefault(clause.parent_id, []).append(clause)
    for siblings in children.values():
        siblings.sort(key=sibling_order)
    return children


def sibling_order(clause):
    """Siblings' reading order. A closing text comes after its siblings whatever its position (a sub-clause
    inserted at the end of its parent takes the next position). History rows: pk is history_id, id the clause."""
    return getattr(clause, "role", "") == Clause.Role.CLOSING, clause.position, clause.id


def in_reading_order(clauses, numbering=Numbering.RENUMBER):
    """Arrange clauses (model instances or history rows) depth-first by position, numbering as it goes under
    the `numbering` policy: the one place numbers are decided.

    Works from one flat list so that reading a whole document costs one query at any size.
    """
    keep = numbering == Numbering.KEEP
    children = _by_parent(clauses)
    entries = []

    def walk(parent, depth, prefix, parent_removed):
        siblings = children.get(parent.clause.id if parent else None, ())
        for clause, number in zip(siblings, _numbers_of(siblings, prefix, keep)):
            removed = clause.status == Clause.Status.REMOVED
            entry = OutlineEntry(clause, depth, number, parent=parent,
                                 kept_removed=keep and removed and bool(number) and not parent_removed)
            entries.append(entry)
            # Children of an unnumbered or removed part continue from the parent's own prefix.
            walk(entry, depth + 1, number or prefix, removed)

    walk(None, 0, "", False)
    return entries


@dataclass
class PlannedClause:
    """A clause not written yet (a proposed insertion) at the place it would take among its siblings: a
    position between theirs (3.5 lands after the clause at 3)."""

    key: object  # what the caller knows it by (an amendment's pk)
    parent_id: object
    position: float
    id: int = 0
    numbered: bool = True
    number: str = ""
    status: str = Clause.Status.IN_FORCE


def provisional_numbers(clauses, groups, numbering):
    """{planned.key: number} for `groups` of PlannedClause, the clauses of each group numbered as if written
    together into the document's `clauses` (and no other group), by the same rule as `in_reading_order`.
    Cost: one pass over the clauses, then each group's siblings."""
    keep = numbering == Numbering.KEEP
    children = _by_parent(clauses)
    prefixes = {}  # clause id -> the prefix its children number under
    for entry in in_reading_order(clauses, numbering):
        prefixes[entry.clause.id] = entry.number or prefixes.get(entry.clause.parent_id, "")
    found = {}
    for group in groups:
        by_parent = {}
        for planned in group:
            by_parent.setdefault(planned.parent_id, []).append(planned)
        for parent_id, planned in by_parent.items():
            siblings = sorted([*children.get(parent_id, ()), *planned], key=sibling_order)
            for clause, number in zip(siblings, _numbers_of(siblings, prefixes.get(parent_id, ""), keep)):
                if isinstance(clause, PlannedClause):
                    found[clause.key] = number
    return found
