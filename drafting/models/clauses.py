"""Clauses: the versioned units of a document, arranged as a tree.

A clause's primary key is its stable identity: rows are never deleted (removal only changes the status),
so the key names the same clause for its whole life, whatever number it shows. The display number
("4.1.1") is derived from the clause's place among its in-force numbered siblings and stored by
`Document.renumber`, so that each history row records the number the clause had at that moment.
"""
from dataclasses import dataclass

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from ..languages import field
from .history import AmendmentHistory


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
    number: str  # the number its place gives it now; "" when unnumbered or removed
    parent: "OutlineEntry | None" = None

    @property
    def label(self):
        """The clause's label, a closing text's from its parent's entry (no query, at any size)."""
        if getattr(self.clause, "role", "") == Clause.Role.CLOSING and self.parent is not None:
            parent = self.parent
            return gettext("Closing text of %(parent)s") % {"parent": parent.number or parent.clause.label}
        return self.clause.label


def in_reading_order(clauses):
    """Arrange clauses (model instances or history rows) depth-first by position, numbering as it goes.

    Works from one flat list so that reading a whole document costs one query at any size.
    """
    children = {}
    for clause in clauses:
        children.setdefault(clause.parent_id, []).append(clause)
    for siblings in children.values():
        # A closing text comes after its siblings whatever its position (a sub-clause inserted at the end of its
        # parent takes the next position). History rows: pk is history_id, id the clause.
        siblings.sort(key=lambda c: (getattr(c, "role", "") == Clause.Role.CLOSING, c.position, c.id))

    entries = []

    def walk(parent, depth, prefix):
        counter = 0
        for clause in children.get(parent.clause.id if parent else None, ()):
            removed = clause.status == Clause.Status.REMOVED
            number = ""
            if clause.numbered and not removed:
                counter += 1
                number = f"{prefix}.{counter}" if prefix else str(counter)
            entry = OutlineEntry(clause, depth, number, parent)
            entries.append(entry)
            # Children of an unnumbered or removed part continue from the parent's own prefix.
            walk(entry, depth + 1, number or prefix)

    walk(None, 0, "")
    return entries
