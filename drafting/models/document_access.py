"""Who is on which document, in what role there (issue 12, need-to-know), and every export's trace.

A member reads a document only with a `DocumentAccess` row for it (deny by default: a document with no rows
is seen by deployment admins alone). The row's role decides what they may do there: a drafter proposes and
comments, a reviewer also reviews, a reader reads and comments but never proposes or reviews. Deployment
admins keep every capability on every document, as they keep managing members and access.

Every change goes through `DocumentAccess.grant` / `DocumentAccess.revoke`, so the Access page, the seeds and
any future caller apply the same rule (the last reviewer of a document with open amendments stays) and leave
the same history (who, when, what): the audit page reads those history rows. Removing a member from a
document deletes only the row; their amendments and comments stay under their name. A member who stops being
a reviewer of the document (taken off, or given another role) stops being its rapporteur: their assignments
there end and their open review requests are cancelled.
"""
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .history import attribute

LAST_REVIEWER = _(
    "%(member)s is the last reviewer of %(document)s, which has open amendments: put another reviewer on the "
    "document first, so those amendments can still be decided."
)
UNKNOWN_ACCESS_ROLE = _("Choose one of the roles: drafter, reviewer or reader.")


class DocumentAccess(models.Model):
    class Role(models.TextChoices):
        DRAFTER = "drafter", _("Drafter")
        REVIEWER = "reviewer", _("Reviewer")
        READER = "reader", _("Reader")

    document = models.ForeignKey("drafting.Document", on_delete=models.CASCADE, related_name="access", verbose_name=_("document"))
    member = models.ForeignKey("drafting.Member", on_delete=models.CASCADE, related_name="document_access", verbose_name=_("member"))
    role = models.CharField(max_length=10, choices=Role.choices, verbose_name=_("role"))
    history = HistoricalRecords()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["document", "member"], name="one_access_row_per_member")]
        ordering = ["member__full_name"]
        verbose_name = _("access to a document")
        verbose_name_plural = _("access to documents")

    def __str__(self):
        return f"{self.member.full_name} on {self.document}: {self.get_role_display().lower()}"

    @classmethod
    def grant(cls, document, member, role, *, by=None):
        """Put `member` on `document` as `role`, or change their role there; nothing is written if unchanged."""
        if role not in cls.Role.values:
            raise ValidationError({"role": UNKNOWN_ACCESS_ROLE}, code="unknown_role")
        with transaction.atomic():
            row = cls.objects.select_for_update().filter(document=document, member=member).first()
            if row is not None and row.role == role:
                return row
            if row is None:
                row, reason = cls(document=document, member=member, role=role), f"put on as {role}"
            else:
                _refuse_if_last_reviewer(row)
                reason = f"role {row.role} → {role}"  # the record is in English: drafting/models/history.py
                row.role = role
            attribute(row, user=getattr(by, "user", by), reason=reason)
            row.save()
            if role != cls.Role.REVIEWER:
                _end_rapporteur(member, document, by, "no longer a reviewer of the document")
        member.__dict__.pop("_roles_on_documents", None)  # what the instance kept of its roles is now old
        return row

    @classmethod
    def revoke(cls, document, member, *, by=None):
        """Take `member` off `document`: their past work stays, under their name."""
        with transaction.atomic():
            row = cls.objects.select_for_update().filter(document=document, member=member).first()
            if row is None:
                return False
            _refuse_if_last_reviewer(row)
            attribute(row, user=getattr(by, "user", by), reason="taken off the document")
            row.delete()
            _end_rapporteur(member, document, by, "taken off the document")
        member.__dict__.pop("_roles_on_documents", None)
        return True


def _end_rapporteur(member, document, by, reason):
    """Only a document's reviewers may be its rapporteurs (drafting/models/rapporteurs.py): a member who stops
    reviewing it (a deployment admin keeps reviewing everywhere) has their assignments there ended."""
    from .rapporteurs import Rapporteur

    if not member.is_admin:
        Rapporteur.end_all_of(member, getattr(document, "pk", document), by if hasattr(by, "user") else None, reason)


def _refuse_if_last_reviewer(row):
    """A reviewer may leave a document (or stop reviewing it) unless nobody would be left to decide its open
    amendments. Rows are locked so that two admins removing the last two reviewers at once cannot both pass."""
    from .amendments import Amendment

    if row.role != DocumentAccess.Role.REVIEWER:
        return
    if not Amendment.objects.filter(document_id=row.document_id).open().exists():
        return
    others = (
        DocumentAccess.objects.select_for_update()
        .filter(document_id=row.document_id, role=DocumentAccess.Role.REVIEWER, member__user__is_active=True)
        .exclude(pk=row.pk)
    )
    if not others.exists():
        raise ValidationError(
            LAST_REVIEWER % {"member": row.member.full_name, "document": row.document}, code="last_reviewer"
        )


class ExportEvent(models.Model):
    """One download of a document's text or table: who, which document, which format, which version, when.
    The file itself carries the same trace ("Exported for ..., 23 Nov 2026 14:05"); these rows are only added."""

    class Format(models.TextChoices):
        DOCX = "docx", _("Word (comparison)")
        MARKDOWN = "markdown", _("Markdown")
        CSV = "csv", _("CSV (disposition table)")
        XLSX = "xlsx", _("XLSX (disposition table)")
        PDF = "pdf", _("PDF with line numbers")

    member = models.ForeignKey("drafting.Member", on_delete=models.PROTECT, related_name="+", verbose_name=_("member"))
    document = models.ForeignKey("drafting.Document", on_delete=models.PROTECT, related_name="exports", verbose_name=_("document"))
    format = models.CharField(max_length=10, choices=Format.choices, verbose_name=_("format"))
    version = models.CharField(max_length=300, help_text=_("The version (or the two versions compared) exported."), verbose_name=_("version"))
    at = models.DateTimeField(default=timezone.now, db_index=True, verbose_name=_("at"))

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("export")
        verbose_name_plural = _("exports")

    def __str__(self):
        return f"{self.get_format_display()} of {self.document} for {self.member.full_name} at {self.at:%Y-%m-%d %H:%M}"

    @classmethod
    def record(cls, member, document, format, version):
        """The trace of one export: the row, and the line the file carries."""
        return cls.objects.create(member=member, document=document, format=format, version=version[:300],
                                  at=timezone.now())

    @property
    def trace(self):
        """The line the exported file carries, in the site's time zone and the exporting member's language (the
        request's active language)."""
        moment = date_format(timezone.localtime(self.at), "j M Y H:i")
        return gettext("Exported for %(member)s, %(moment)s") % {"member": self.member.full_name, "moment": moment}
