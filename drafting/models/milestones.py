"""Milestones: named moments in a document's life ("2007 original", "Draft for inter-agency consultation").

A milestone is only a name for a moment; the text at that moment is read back from the history tables, so
setting one copies nothing and a milestone can never drift from what the document said then.
"""
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class Milestone(models.Model):
    document = models.ForeignKey("drafting.Document", on_delete=models.PROTECT, related_name="milestones", verbose_name=_("document"))
    name = models.CharField(max_length=200, verbose_name=_("name"))
    moment = models.DateTimeField(help_text=_("The document is read as it stood at this moment."), verbose_name=_("moment"))
    # Empty for the milestone the import makes: nobody set it, the document arrived.
    created_by = models.ForeignKey(
        "drafting.Member", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        verbose_name=_("created by"),
    )
    note = models.TextField(blank=True, verbose_name=_("note"))
    created_at = models.DateTimeField(default=timezone.now, editable=False, verbose_name=_("created at"))
    history = HistoricalRecords()

    class Meta:
        ordering = ["document", "moment", "pk"]
        constraints = [models.UniqueConstraint(fields=["document", "name"], name="milestone_name_per_document")]
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")

    def __str__(self):
        return self.name

    @property
    def is_import(self):
        """The milestone the import set: its moment is when the text arrived here, not the text's own date."""
        return self.created_by_id is None

    @property
    def point(self):
        """How a comparison names this milestone in a URL: "m12"."""
        return f"m{self.pk}"

    @classmethod
    def original_name(cls, document):
        """The import's milestone: "2007 original" for a document adopted in 2007, else "Imported"."""
        return f"{document.adopted} original" if document.adopted else "Imported"
