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

from .history import AmendmentHistory


class Clause(models.Model):
    class Status(models.TextChoices):
        IN_FORCE = "in_force", _("In force")
        REMOVED = "removed", _("Removed")

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
    history = HistoricalRecords(bases=[AmendmentHistory])

    class Meta:
        ordering = ["document", "parent_id", "position"]
        indexes = [models.Index(fields=["document", "parent", "position"])]
        verbose_name = _("clause")
        verbose_name_plural = _("clauses")

    def __str__(self):
        return self.label

    @property
    def label(self):
        """How people refer to the clause: "4.1.1 The restoration ...", "Introduction", "4.1"."""
        return " ".join(part for part in (self.number, self.heading) if part) or gettext("Clause %(id)s") % {"id": self.pk}

    @property
    def is_removed(self):
        return self.status == self.Status.REMOVED

    def get_absolute_url(self):
        return reverse("clause_detail", args=[self.document.slug, self.pk])

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


def in_reading_order(clauses):
    """Arrange clauses (model instances or history rows) depth-first by position, numbering as it goes.

    Works from one flat list so that reading a whole document costs one query at any size.
    """
    children = {}
    for clause in clauses:
        children.setdefault(clause.parent_id, []).append(clause)
    for siblings in children.values():
        siblings.sort(key=lambda c: (c.position, c.id))  # history rows: pk is history_id, id the clause

    entries = []

    def walk(parent_id, depth, prefix):
        counter = 0
        for clause in children.get(parent_id, ()):
            removed = clause.status == Clause.Status.REMOVED
            number = ""
            if clause.numbered and not removed:
                counter += 1
                number = f"{prefix}.{counter}" if prefix else str(counter)
            entries.append(OutlineEntry(clause, depth, number))
            # Children of an unnumbered or removed part continue from the parent's own prefix.
            walk(clause.id, depth + 1, number or prefix)

    walk(None, 0, "")
    return entries
