"""Notifications: what a member's inbox holds. Who receives which is decided in `drafting/notify.py`.

A notification points at what it is about (a comment, or an amendment) rather than copying text, so the inbox
always shows the current state (a withdrawn comment reads "comment withdrawn") and never stores user text twice.
`detail` holds a fixed value, never user text: a review decision, a new state, or the label of the amendment
whose application made another one stale.
"""
from datetime import date

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _


class NotificationQuerySet(models.QuerySet):
    def for_member(self, member):
        return self.filter(recipient=member)

    def visible_to(self, member):
        """`member`'s own notifications about what they may still read: the amendment and comment rules apply
        here too, so a co-sponsor who signed off a draft no longer sees its discussion quoted in their inbox."""
        from .amendments import Amendment
        from .comments import Comment
        from .documents import Document

        if member is None or not member.can_read():
            return self.none()
        return self.for_member(member).filter(
            Q(amendment__isnull=True) | Q(amendment__in=Amendment.objects.visible_to(member)),
            Q(comment__isnull=True) | Q(comment__in=Comment.objects.visible_to(member)),
            document__in=Document.objects.visible_to(member),
        )

    def unread(self):
        return self.filter(read_at__isnull=True)

    def for_inbox(self, member):
        return self.visible_to(member).select_related(
            "actor__user", "document", "amendment", "comment__document", "comment__clause", "comment__amendment"
        ).order_by("-created_at", "-pk")

    def mark_read(self):
        return self.unread().update(read_at=timezone.now())


# Whole sentences, so that each language can word them its own way.
_COMMENT_SUMMARIES = {
    "reply": _("%(actor)s replied in a thread on %(where)s"),
    "comment": _("%(actor)s commented on %(where)s"),
    "mention": _("%(actor)s mentioned you on %(where)s"),
}
_SUGGESTION_SUMMARIES = {
    "": _("%(actor)s suggested a change to %(where)s"),
    "applied": _("%(actor)s applied your suggested change to %(where)s"),
    "declined": _("%(actor)s declined your suggested change to %(where)s"),
}
_REVIEW_SUMMARIES = {
    "approve": _("%(actor)s approved %(label)s"),
    "request_changes": _("%(actor)s requested changes to %(label)s"),
    "reject": _("%(actor)s rejected %(label)s"),
}
_STATE_SUMMARIES = {
    "submitted": _("%(label)s was submitted"),
    "withdrawn": _("%(label)s was withdrawn"),
    "applied": _("%(label)s was applied"),
}
_STATE_SUMMARIES_BY = {
    "submitted": _("%(label)s was submitted by %(actor)s"),
    "withdrawn": _("%(label)s was withdrawn by %(actor)s"),
    "applied": _("%(label)s was applied by %(actor)s"),
}


# A compromise's news about one of the amendments it combines (drafting/models/compromises.py); the detail is
# "<event> <compromise label>".
_COMPROMISE_SUMMARIES = {
    "superseded": _("%(label)s was superseded by compromise %(compromise)s of %(actor)s: sign on to it or object in its thread"),
    "restored": _("%(label)s is open again: compromise %(compromise)s was withdrawn or rejected"),
    "closed": _("%(label)s was closed: compromise %(compromise)s was applied"),
}


class Notification(models.Model):
    class Kind(models.TextChoices):
        REPLY = "reply", _("Reply in a thread you take part in")
        COMMENT = "comment", _("Comment on your amendment")
        MENTION = "mention", _("Mention")
        REVIEW = "review", _("Review of your amendment")
        STATE = "state", _("Your amendment changed state")
        STALE = "stale", _("Your amendment's base changed")
        SUGGESTION = "suggestion", _("Suggested change")
        REQUEST = "request", _("Review requested of you as rapporteur")

    recipient = models.ForeignKey("drafting.Member", on_delete=models.CASCADE, related_name="notifications", verbose_name=_("recipient"))
    actor = models.ForeignKey("drafting.Member", null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("actor"))
    kind = models.CharField(max_length=10, choices=Kind.choices, verbose_name=_("kind"))
    document = models.ForeignKey("drafting.Document", on_delete=models.CASCADE, related_name="+", verbose_name=_("document"))
    comment = models.ForeignKey("drafting.Comment", null=True, blank=True, on_delete=models.CASCADE, related_name="+", verbose_name=_("comment"))
    amendment = models.ForeignKey(
        "drafting.Amendment", null=True, blank=True, on_delete=models.CASCADE, related_name="+",
        verbose_name=_("amendment"),
    )
    detail = models.CharField(max_length=40, blank=True, verbose_name=_("detail"))
    created_at = models.DateTimeField(default=timezone.now, verbose_name=_("created at"))
    read_at = models.DateTimeField(null=True, blank=True, verbose_name=_("read at"))

    objects = NotificationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["recipient", "read_at"]), models.Index(fields=["recipient", "-created_at"])]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")

    def __str__(self):
        return self.summary

    @property
    def is_unread(self):
        return self.read_at is None

    @property
    def summary(self):
        """One line of plain text (templates escape it; email sends it as it is), in the active language."""
        actor = self.actor.display_name if self.actor_id else gettext("Someone")
        K = self.Kind
        if self.kind in (K.REPLY, K.COMMENT, K.MENTION):
            return _COMMENT_SUMMARIES[self.kind] % {"actor": actor, "where": self.comment.target_label}
        if self.kind == K.SUGGESTION:
            return _SUGGESTION_SUMMARIES.get(self.detail, _SUGGESTION_SUMMARIES[""]) % {
                "actor": actor, "where": self.comment.target_label}
        values = {"actor": actor, "label": self.amendment.label, "detail": self.detail}
        if self.kind == K.REVIEW:
            return _REVIEW_SUMMARIES.get(self.detail, _("%(actor)s reviewed %(label)s")) % values
        if self.kind == K.REQUEST:
            # `detail` is the due date, written by the app (YYYY-MM-DD).
            try:
                due = date_format(date.fromisoformat(self.detail), "DATE_FORMAT")
            except ValueError:
                due = self.detail
            return gettext("You are asked to review %(label)s, as rapporteur, by %(date)s") % {**values, "date": due}
        if self.kind == K.STALE:
            return gettext(
                "%(detail)s was applied to the clause %(label)s changes: redo %(label)s on the current text"
            ) % values
        event, _space, compromise = self.detail.partition(" ")
        if event in _COMPROMISE_SUMMARIES and compromise:
            return _COMPROMISE_SUMMARIES[event] % {**values, "compromise": compromise}
        if self.detail == "needs_rebase":
            return gettext(
                "%(label)s could not be applied: the clause has changed; it needs redoing on the current text"
            ) % values
        by_whom = _STATE_SUMMARIES_BY if self.actor_id else _STATE_SUMMARIES
        if self.detail in by_whom:
            return by_whom[self.detail] % values
        from .amendments import Amendment

        state = Amendment.State(self.detail).label if self.detail in Amendment.State.values else self.detail
        return gettext("%(label)s is now in the state “%(state)s”") % {**values, "state": state}

    def get_absolute_url(self):
        if self.comment_id:
            return self.comment.get_absolute_url()
        if self.amendment_id:
            from django.urls import reverse

            return reverse("amendment_detail", args=[self.document.slug, self.amendment.number])
        return self.document.get_absolute_url()

    def mark_read(self):
        if self.read_at is None:
            self.read_at = timezone.now()
            self.save(update_fields=["read_at"])


def readable_by_their_recipients(notifications):
    """Of notifications about to be created, those whose recipient may read what they are about (by the same
    rule as the inbox), so nobody is told of, emailed or sent a link to another member's draft."""
    from .amendments import Amendment
    from .comments import Comment
    from .documents import Document

    kept = []
    for notification in notifications:
        recipient = notification.recipient
        if not Document.objects.visible_to(recipient).filter(pk=notification.document_id).exists():
            continue  # not on the document (any more): not told of anything in it
        if notification.amendment_id is not None and not Amendment.objects.visible_to(recipient).filter(
            pk=notification.amendment_id
        ).exists():
            continue
        if notification.comment_id is not None and not Comment.objects.visible_to(recipient).filter(
            pk=notification.comment_id
        ).exists():
            continue
        kept.append(notification)
    return kept
