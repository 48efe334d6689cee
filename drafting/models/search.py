"""The search index: one row per piece of text a member may look for, kept beside the text it copies.

Search reads four kinds of text (a clause as it reads now, a clause as it read before, an amendment's proposal and
rationale, a comment) in two languages. Rather than search each table (and the history tables) apart, every write
of one of them also writes its rows here, in the same transaction (`drafting/search.py`, from the history row each
save writes): the rows carry what the visibility rule needs (document, amendment) and the text twice, as written
(for the excerpt) and folded (`drafting.azerbaijani.fold`, for matching), so "ucun" finds "üçün" and "İSTİQLAL"
finds "istiqlal" alike on both databases.

The folded text is indexed by the database's own full-text engine: a GIN index over
`to_tsvector('simple', drafting_unaccent(folded))` on PostgreSQL, an FTS5 table kept by triggers on SQLite (both
made by migration 0011). `manage.py rebuild_search_index` writes the whole index again from the text.
"""
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class SearchEntryQuerySet(models.QuerySet):
    def visible_to(self, member):
        """The rows `member` may find: on the documents they are on, and for amendments and their discussion,
        only the amendments `AmendmentQuerySet.visible_to` lets them read (a draft is its sponsors' alone).
        Comments follow the same rule as `CommentQuerySet.visible_to`; withdrawn ones have no row."""
        from .amendments import Amendment
        from .documents import Document

        if member is None or not member.can_read():
            return self.none()
        on_documents = self if member.is_admin else self.filter(document__in=Document.objects.visible_to(member))
        return on_documents.filter(Q(amendment__isnull=True) | Q(amendment__in=Amendment.objects.visible_to(member)))


class SearchEntry(models.Model):
    class Kind(models.TextChoices):
        CLAUSE = "clause", _("Clause")
        VERSION = "version", _("Past version")
        AMENDMENT = "amendment", _("Amendment")
        COMMENT = "comment", _("Comment")

    document = models.ForeignKey("drafting.Document", on_delete=models.CASCADE, related_name="+",
                                 verbose_name=_("document"))
    kind = models.CharField(max_length=10, choices=Kind.choices, verbose_name=_("kind"))
    clause = models.ForeignKey("drafting.Clause", null=True, blank=True, on_delete=models.CASCADE, related_name="+",
                               verbose_name=_("clause"))
    amendment = models.ForeignKey("drafting.Amendment", null=True, blank=True, on_delete=models.CASCADE,
                                  related_name="+", verbose_name=_("amendment"))
    comment = models.ForeignKey("drafting.Comment", null=True, blank=True, on_delete=models.CASCADE,
                                related_name="+", verbose_name=_("comment"))
    # The clause history row a past version was read from (a plain number: history rows are never deleted).
    history_id = models.BigIntegerField(null=True, blank=True, verbose_name=_("history row"))
    language = models.CharField(max_length=2, blank=True, verbose_name=_("language"))
    title = models.CharField(max_length=600, blank=True, verbose_name=_("title"))
    text = models.TextField(verbose_name=_("text"))
    folded = models.TextField(verbose_name=_("folded text"))
    moment = models.DateTimeField(verbose_name=_("moment"))

    objects = SearchEntryQuerySet.as_manager()

    class Meta:
        indexes = [models.Index(fields=["moment"]), models.Index(fields=["kind", "clause"])]
        verbose_name = _("search entry")
        verbose_name_plural = _("search entries")

    def __str__(self):
        return f"{self.kind} {self.title}"
