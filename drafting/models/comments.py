"""Comment threads on an amendment or on a clause: where the working group discusses and decides.

A comment targets exactly one of an amendment or a clause. Two nullable foreign keys with a check constraint
(rather than a generic relation) keep the target a real, constrained key: pages fetch a target's comments, with
their target, in one joined query, and the database refuses a comment on both or on neither. `document` is
copied from the target so the activity and counts per document need no join through either.

A thread is a top-level comment and every reply below it; each reply points at its parent (for indenting) and at
its thread's first comment (so a whole thread is read in one query). Only threads are resolved. Editing keeps the
earlier versions in the history table; withdrawing hides the text ("comment withdrawn") and keeps the replies.
A quoted passage is "outdated" when it no longer appears in the target's current text: computed on reading, from
the target loaded with the comment, so it can never disagree with the text.
"""
import re

from django.core.exceptions import PermissionDenied
from django.db import models, transaction
from django.db.models import Count, Max, Q
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .. import mentions
from ..languages import AZ, EN, field

BODY_MAX_LENGTH = 5000
QUOTE_MAX_LENGTH = 1000
_SPACES = re.compile(r"\s+")


def normalise(text):
    """Compare passages as a reader does: runs of spaces and line breaks count as one space."""
    return _SPACES.sub(" ", text or "").strip()


def quotable_text(target):
    """The text a quote is taken from: a clause as it reads now (nothing once removed), or what an amendment's
    page shows as its proposal: the text it removes, the new text it inserts, or for a rewording both the words
    it deletes from its base and its proposed text (so a quote goes outdated when the amendment is redone)."""
    from .amendments import Amendment

    if isinstance(target, Amendment):
        # In both text languages (without reading the document, which a page of many comments would pay for once
        # per amendment): a bilingual amendment's page shows a redline per language, quoted from either.
        base = "\n".join(f"{heading}\n{body}" for heading, body in
                         (_text_of(target.base, language) for language in (EN, AZ)) if heading or body)
        proposed = "\n".join(f"{heading}\n{body}" for heading, body in
                             (target.proposed_in(language) for language in (EN, AZ)) if heading or body)
        return {Amendment.Kind.REMOVE: base, Amendment.Kind.INSERT: proposed}.get(target.kind, f"{base}\n{proposed}")
    return "" if target.is_removed else f"{target.heading}\n{target.body}"


def _text_of(version, language):
    return getattr(version, field("heading", language)), getattr(version, field("body", language))


class CommentQuerySet(models.QuerySet):
    def threads(self):
        return self.filter(thread__isnull=True)

    def open_threads(self):
        return self.threads().filter(resolved_at__isnull=True)

    def visible_to(self, member):
        """Comments on clauses, and on the amendments `member` may read: derived from
        `AmendmentQuerySet.visible_to`, so a draft's discussion is its sponsors' alone, as the draft is."""
        from .amendments import Amendment
        from .documents import Document

        if member is None or not member.can_read():
            return self.none()
        on_documents = self if member.is_admin else self.filter(document__in=Document.objects.visible_to(member))
        return on_documents.filter(Q(amendment__isnull=True) | Q(amendment__in=Amendment.objects.visible_to(member)))

    def for_display(self):
        """Everything a thread shows, in a constant number of queries whatever the number of comments."""
        return self.select_related(
            "document", "author__user", "resolved_by__user", "clause", "amendment__base", "amendment__document",
            "suggestion__decided_by__user", "suggestion__applied_revision",
        ).prefetch_related("mentioned__user").order_by("created_at", "pk")

    def on(self, target):
        from .amendments import Amendment

        return self.filter(amendment=target) if isinstance(target, Amendment) else self.filter(clause=target)

    def open_thread_counts_by_clause(self, document, member):
        """{clause id: open threads `member` may read on the clause or on any of its amendments}, in one query."""
        rows = (
            self.visible_to(member).open_threads().filter(document=document)
            .annotate(on_clause=Coalesce("clause_id", "amendment__clause_id"))
            .values("on_clause").annotate(n=Count("id")).order_by()
        )
        return {row["on_clause"]: row["n"] for row in rows}

    def open_thread_counts_by_amendment(self, document, member):
        """{amendment id: open threads on it that `member` may read}, in one query."""
        rows = (
            self.visible_to(member).open_threads().filter(document=document, amendment__isnull=False)
            .values("amendment_id").annotate(n=Count("id")).order_by()
        )
        return {row["amendment_id"]: row["n"] for row in rows}

    def last_comment_at_by_amendment(self, document):
        """{amendment id: when its latest comment was posted}, for the amendment list's last activity, in one query."""
        rows = (
            self.filter(document=document, amendment__isnull=False)
            .values("amendment_id").annotate(at=Max("created_at")).order_by()
        )
        return {row["amendment_id"]: row["at"] for row in rows}


class Comment(models.Model):
    document = models.ForeignKey("drafting.Document", on_delete=models.PROTECT, related_name="comments", verbose_name=_("document"))
    amendment = models.ForeignKey(
        "drafting.Amendment", null=True, blank=True, on_delete=models.PROTECT, related_name="comments",
        verbose_name=_("amendment"),
    )
    clause = models.ForeignKey("drafting.Clause", null=True, blank=True, on_delete=models.PROTECT, related_name="comments", verbose_name=_("clause"))
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="replies", verbose_name=_("parent"))
    thread = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        help_text=_("The thread's first comment; empty for that comment itself."),
        verbose_name=_("thread"),
    )
    author = models.ForeignKey("drafting.Member", on_delete=models.PROTECT, related_name="comments", verbose_name=_("author"))
    body = models.TextField(max_length=BODY_MAX_LENGTH, verbose_name=_("text"))
    quote = models.TextField(max_length=QUOTE_MAX_LENGTH, blank=True, help_text=_("A passage of the target's text."), verbose_name=_("quote"))
    mentioned = models.ManyToManyField("drafting.Member", blank=True, related_name="mentioned_in", verbose_name=_("mentioned"))
    created_at = models.DateTimeField(default=timezone.now, editable=False, verbose_name=_("created at"))
    edited_at = models.DateTimeField(null=True, blank=True, verbose_name=_("edited at"))
    withdrawn_at = models.DateTimeField(null=True, blank=True, verbose_name=_("withdrawn at"))
    resolved_at = models.DateTimeField(null=True, blank=True, verbose_name=_("resolved at"))
    resolved_by = models.ForeignKey("drafting.Member", null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("resolved by"))
    history = HistoricalRecords(excluded_fields=["mentioned"])

    objects = CommentQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["document", "created_at"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(amendment__isnull=False, clause__isnull=True) | Q(amendment__isnull=True, clause__isnull=False),
                name="comment_targets_amendment_or_clause",
            ),
            models.CheckConstraint(
                condition=Q(parent__isnull=True, thread__isnull=True) | Q(parent__isnull=False, thread__isnull=False),
                name="comment_reply_has_parent_and_thread",
            ),
            models.CheckConstraint(
                condition=Q(thread__isnull=True) | Q(resolved_at__isnull=True), name="comment_only_threads_resolve"
            ),
        ]
        verbose_name = _("comment")
        verbose_name_plural = _("comments")

    def __str__(self):
        return f"Comment {self.pk} by {self.author} on {self.target_label}"

    # --- reading -------------------------------------------------------------------------------------------
    @property
    def target(self):
        return self.amendment if self.amendment_id else self.clause

    @property
    def target_label(self):
        return self.amendment.label if self.amendment_id else self.clause.label

    @property
    def thread_id_or_own(self):
        return self.thread_id or self.pk

    @property
    def is_thread(self):
        return self.thread_id is None

    @property
    def is_withdrawn(self):
        return self.withdrawn_at is not None

    @property
    def is_resolved(self):
        return self.resolved_at is not None

    @property
    def has_suggestion(self):
        """Whether this comment suggests a change (loaded with the comment by `for_display`)."""
        return hasattr(self, "suggestion")

    def target_text(self):
        return quotable_text(self.target)

    @property
    def is_outdated(self):
        return bool(self.quote) and normalise(self.quote) not in normalise(self.target_text())

    def paragraphs(self):
        """The body as paragraphs of text and mention pieces; mentioned members come prefetched."""
        return mentions.paragraphs(self.body, self.mentioned.all())

    def get_absolute_url(self):
        slug = self.document.slug
        if self.amendment_id:
            page = reverse("amendment_detail", args=[slug, self.amendment.number])
        else:
            page = reverse("clause_detail", args=[slug, self.clause_id])
        return f"{page}#comment-{self.pk}"

    # --- who may do what -----------------------------------------------------------------------------------
    def can_be_replied_to_by(self, member):
        return member is not None and member.can_comment(self.document_id) and not self.is_withdrawn

    def can_be_edited_by(self, member):
        """Only the author, while a member, and not after withdrawing it."""
        return (
            member is not None and member.can_comment(self.document_id) and member.pk == self.author_id
            and not self.is_withdrawn
        )

    can_be_withdrawn_by = can_be_edited_by

    def can_be_resolved_by(self, member):
        """The person who opened the thread, or a reviewer (admins review too)."""
        return (
            self.is_thread and member is not None and member.can_comment(self.document_id)
            and (member.pk == self.author_id or member.can_review(document=self.document_id))
        )

    # --- changes -------------------------------------------------------------------------------------------
    @classmethod
    def post(cls, *, author, target=None, parent=None, body, quote="", suggestion=None):
        """A new thread on `target`, or a reply to `parent`; records mentions and notifies who it concerns.

        `suggestion` ({language, original, start, replacement}) makes the new thread a suggested change of the
        amendment's proposed text (drafting/models/suggestions.py): refused with a TransitionError, and nothing
        posted, when it could not be applied as made."""
        if parent is not None:
            if not parent.can_be_replied_to_by(author):
                raise PermissionDenied(gettext("You cannot reply to this comment."))
            where = {"amendment_id": parent.amendment_id, "clause_id": parent.clause_id}
            where.update(document_id=parent.document_id, parent=parent, thread_id=parent.thread_id_or_own)
            quote = ""
        else:
            if author is None or not author.can_comment(target.document_id):
                raise PermissionDenied(gettext("Only members of this document can comment."))
            from .amendments import Amendment

            key = "amendment" if isinstance(target, Amendment) else "clause"
            where = {key: target, "document_id": target.document_id}
        with transaction.atomic():
            if suggestion is not None and where.get("amendment") is not None:
                # The amendment's row first, as everywhere (amendment, then what refers to it): the comment's insert
                # takes a key-share lock on that row, and only then upgrading it to an update lock invites deadlocks.
                type(where["amendment"]).objects.select_for_update().get(pk=where["amendment"].pk)
            comment = cls.objects.create(author=author, body=body, quote=quote, **where)
            if suggestion is not None:
                from .suggestions import Suggestion

                if parent is not None or not comment.amendment_id:
                    raise PermissionDenied(gettext("Changes are suggested in a new thread on an amendment."))
                Suggestion.make(comment, **suggestion)
            mentioned = comment._record_mentions()
            from ..notify import comment_posted

            comment_posted(comment, mentioned)
        return comment

    def _record_mentions(self):
        """Store who the body mentions; return those not mentioned before (they are the ones to notify)."""
        from .members import Member

        candidates = Member.objects.filter(user__is_active=True).select_related("user")
        now = mentions.mentioned_members(self.body, candidates)
        before = set(self.mentioned.values_list("pk", flat=True)) if self.edited_at else set()
        self.mentioned.set(now)
        return [member for member in now if member.pk not in before]

    def edit(self, member, body):
        if not self.can_be_edited_by(member):
            raise PermissionDenied(gettext("Only the author can edit a comment."))
        if body == self.body:
            return []
        with transaction.atomic():
            self.body = body
            self.edited_at = timezone.now()
            self.save()
            mentioned = self._record_mentions()
            from ..notify import comment_edited

            comment_edited(self, mentioned)
        return mentioned

    def withdraw(self, member):
        if not self.can_be_withdrawn_by(member):
            raise PermissionDenied(gettext("Only the author can withdraw a comment."))
        self.withdrawn_at = timezone.now()
        self.save()

    def resolve(self, member):
        if not self.can_be_resolved_by(member):
            raise PermissionDenied(gettext("Only the person who opened the thread or a reviewer can resolve it."))
        if not self.is_resolved:
            self.resolved_at, self.resolved_by = timezone.now(), member
            self.save()

    def reopen(self, member):
        if not self.can_be_resolved_by(member):
            raise PermissionDenied(gettext("Only the person who opened the thread or a reviewer can reopen it."))
        if self.is_resolved:
            self.resolved_at, self.resolved_by = None, None
            self.save()

    def versions(self):
        """Every text the comment has had, oldest first, with when it was written (from the history table)."""
        rows = self.history.order_by("history_date", "history_id").values_list("body", "history_date")
        result = []
        for body, moment in rows:
            if not result or result[-1]["body"] != body:
                result.append({"body": body, "at": moment})
        return result


def arrange_threads(comments, member=None):
    """Threads from a flat list of comments: each thread's first comment, with `.children` set on every
    comment (replies in order) and `.depth` for indenting; what `member` may do is set alongside."""
    children = {}
    roots = []
    for comment in comments:
        comment.children = []
        comment.user_can_reply = comment.can_be_replied_to_by(member)
        comment.user_can_edit = comment.can_be_edited_by(member)
        comment.user_can_resolve = comment.can_be_resolved_by(member)
        if comment.has_suggestion:
            suggestion = comment.suggestion
            # The amendment and comment loaded with it, not read again per suggestion.
            suggestion.amendment, suggestion.comment = comment.amendment, comment
            suggestion.user_can_apply = suggestion.can_be_applied_by(member)
            suggestion.user_can_decline = suggestion.can_be_declined_by(member)
        if comment.parent_id is None:
            roots.append(comment)
        else:
            children.setdefault(comment.parent_id, []).append(comment)

    def place(comment, depth):
        comment.depth = depth
        comment.children = children.get(comment.pk, [])
        for child in comment.children:
            place(child, depth + 1)

    for root in roots:
        place(root, 0)
    for root in roots:
        root.reply_count = _count(root) - 1
    return roots


def _count(comment):
    return 1 + sum(_count(child) for child in comment.children)
