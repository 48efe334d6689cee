"""A policy document (the Concept, the Military Doctrine, ...): a tree of versioned clauses."""
from django.db import models, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from ..azerbaijani import slugify
from ..languages import EN, TEXT_LANGUAGES
from .clauses import Clause, Numbering
from .history import attribute


class DocumentQuerySet(models.QuerySet):
    def visible_to(self, member):
        """The documents `member` is on (deployment admins: all of them): the document dimension of THE
        visibility rule. Deny by default: a document with no access rows is seen by admins only."""
        if member is None or not member.can_read():
            return self.none()
        if member.is_admin:
            return self
        from .document_access import DocumentAccess

        return self.filter(pk__in=DocumentAccess.objects.filter(member_id=member.pk).values("document_id"))


# Addresses under /d/ that are not documents (config/urls.py): a document never takes one of these as its slug.
RESERVED_SLUGS = {"import"}


class Document(models.Model):
    title = models.CharField(max_length=300, verbose_name=_("title"))
    short_title = models.CharField(max_length=100, blank=True, verbose_name=_("short title"))
    slug = models.SlugField(max_length=100, unique=True, verbose_name=_("slug"))
    description = models.TextField(blank=True, verbose_name=_("description"))
    # Kept as written in the source ("2007", "2007-05-23"): the official texts give a year or a full date.
    adopted = models.CharField(_("date adopted"), max_length=30, blank=True)
    quorum = models.PositiveSmallIntegerField(
        default=1, help_text=_("Approvals an amendment needs before it is applied."),
        verbose_name=_("quorum"),
    )
    # Chosen by admins from settings.DOCUMENT_MARKINGS ("For official use only", ...); shown at the top and
    # bottom of every page of the document and on every export. Blank: no marking.
    marking = models.CharField(max_length=100, blank=True, verbose_name=_("marking"))
    # The language whose text is the official one, and the language of its working translation (blank: none).
    authoritative_language = models.CharField(max_length=5, choices=TEXT_LANGUAGES, default=EN, verbose_name=_("authoritative language"))
    translation_language = models.CharField(max_length=5, choices=TEXT_LANGUAGES, blank=True, verbose_name=_("translation language"))
    # How clauses are numbered after an insertion or a removal (drafting/models/clauses.py): changed only by
    # `change_settings`, which freezes or renumbers the clauses in the same moment.
    numbering = models.CharField(max_length=10, choices=Numbering.choices, default=Numbering.RENUMBER,
                                 verbose_name=_("numbering"))
    created_at = models.DateTimeField(default=timezone.now, editable=False, verbose_name=_("created at"))
    history = HistoricalRecords()

    objects = DocumentQuerySet.as_manager()

    class Meta:
        ordering = ["title"]
        verbose_name = _("document")
        verbose_name_plural = _("documents")

    def __str__(self):
        return self.short_title or self.title

    def get_absolute_url(self):
        return reverse("document_detail", args=[self.slug])

    @staticmethod
    def slug_from(title):
        """The slug a title gives, Azerbaijani letters kept as plain Latin ones ("Təhlükəsizlik" → "tehlukesizlik");
        never one of the RESERVED_SLUGS, whose addresses under /d/ are pages of their own."""
        slug = slugify(title)[:100].strip("-")
        return f"{slug}-document" if slug in RESERVED_SLUGS else slug

    def save(self, *args, **kwargs):
        # Whoever creates a document (the importer, the seeds, a command, the admin) gets the same slug rule.
        if not self.slug:
            self.slug = self.slug_from(self.short_title or self.title)
        super().save(*args, **kwargs)

    @property
    def marking_label(self):
        """The marking in the active language: the default one ("For official use only") is in the catalog;
        another from settings.DOCUMENT_MARKINGS reads as the deployment wrote it."""
        return gettext(self.marking) if self.marking else ""

    @property
    def languages(self):
        """The document's text languages, the authoritative one first."""
        return [self.authoritative_language] + ([self.translation_language] if self.translation_language else [])

    def outdated_translation_count(self):
        """How many clauses in force have an outdated translation (None for a document with no translation)."""
        if not self.translation_language:
            return None
        return self.clauses.translation_outdated().count()

    def outline(self):
        """The clauses in reading order with their depth, in one query."""
        from .clauses import in_reading_order

        return in_reading_order(self.clauses.all(), self.numbering)

    @property
    def keeps_numbers(self):
        return self.numbering == Numbering.KEEP

    def outline_as_of(self, moment, numbering=None):
        """The document as it read at `moment`: clause history rows, one query, reading order.

        The latest row of each clause at `moment` wins. An amendment writes all its rows at one moment, and a
        clause can get two rows at that same moment (moved down by an insertion, then renumbered), so ties on
        the date go to the later row; simple-history's own `as_of` would return both.

        Numbered under the policy the document had at `moment` (`numbering`, when the caller read it already):
        the rows carry the numbers they had, and the policy says whether a removed clause still shows its own.
        """
        from django.db.models import Exists, OuterRef, Q

        from .clauses import in_reading_order

        rows = Clause.history.filter(document_id=self.pk, history_date__lte=moment)
        later = Clause.history.filter(id=OuterRef("id"), history_date__lte=moment).filter(
            Q(history_date__gt=OuterRef("history_date"))
            | Q(history_date=OuterRef("history_date"), history_id__gt=OuterRef("history_id"))
        )
        rows = rows.filter(~Exists(later)).exclude(history_type="-").select_related("history_user__member")
        if numbering is None:
            snapshot = (type(self).history.filter(id=self.pk, history_date__lte=moment)
                        .order_by("-history_date", "-history_id").values_list("numbering", flat=True).first())
            numbering = snapshot or Numbering.RENUMBER
        return in_reading_order(rows, numbering)

    def renumber(self, *, user=None, reason="", date=None):
        """Store every in-force clause's display number as the numbering policy decides it (`in_reading_order`):
        under "renumber" from its place, under "keep" only the new clauses get one; save only what changed.

        Numbers are derived data, but stored so that history rows carry the number a clause had at the
        time (for as-of reading and comparison) and the outline needs no computation per request.
        """
        changed = []
        for entry in self.outline():
            clause = entry.clause
            if clause.is_removed:
                continue
            if clause.number != entry.number:
                clause.number = entry.number
                attribute(clause, user=user, reason=reason, date=date)
                clause.save(update_fields=["number"])
                changed.append(clause)
        return changed

    def change_settings(self, values, *, user=None):
        """Set the settings in `values` ({field: value}) that differ, in one history row naming them; returns the
        names changed. Under the document's row lock, as an amendment being applied holds it.

        A change of the numbering policy reaches the clauses in the same moment: to "keep", today's numbers are
        frozen as they stand, and a clause removed before has no number any more (its number was given to the
        next clause when it was removed, and a removed clause keeps its number under "keep"); to "renumber",
        the document is renumbered as a new edition. Both write the clauses' history rows.
        """
        with transaction.atomic():
            locked = type(self).objects.select_for_update().get(pk=self.pk)
            changed = [name for name, value in values.items() if getattr(locked, name) != value]
            if not changed:
                return []
            moment = timezone.now()
            # "authoritative language changed": the history names fields as people say them.
            reason = " and ".join(f"{name.replace('_', ' ')} changed" for name in changed)
            for name in changed:
                setattr(locked, name, values[name])
            attribute(locked, user=user, reason=reason, date=moment)
            locked.save()
            if "numbering" in changed:
                locked.numbering_switched(user=user, reason=reason, date=moment)
        for name in changed:
            setattr(self, name, getattr(locked, name))
        return changed

    def numbering_switched(self, *, user=None, reason="", date=None, removed_now=()):
        """Bring the stored numbers under the policy just chosen (see `change_settings`): to "keep", a clause
        removed earlier loses its number; either way, `renumber` then numbers what needs it.

        `removed_now`: ids of clauses removed in the same moment as the switch (an import of a file declaring
        "numbering: keep" that leaves them out). They were removed under "keep", so they keep their numbers, as
        an amendment removing them would have left them; unless a sibling in force holds the same number."""
        if self.keeps_numbers:
            in_force = set(self.clauses.filter(status=Clause.Status.IN_FORCE).exclude(number="")
                           .values_list("parent_id", "number"))
            for clause in self.clauses.filter(status=Clause.Status.REMOVED).exclude(number=""):
                if clause.pk in removed_now and (clause.parent_id, clause.number) not in in_force:
                    continue
                clause.number = ""
                attribute(clause, user=user, reason=reason, date=date)
                clause.save(update_fields=["number"])
        self.renumber(user=user, reason=reason, date=date)
