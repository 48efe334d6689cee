"""Notifications: what a member's inbox holds. Who receives which is decided in `drafting/notify.py`.

A notification points at what it is about (a comment, or an amendment) rather than copying text, so the inbox
always shows the current state (a withdrawn comment reads "comment withdrawn") and never stores user text twice.
`detail` holds a fixed value, never user text: a review decision, a new state, or the label of the amendment
whose application made another one stale.
"""
from django.db import models
from django.db.models import Q
from django.utils import timezone


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


class Notification(models.Model):
    class Kind(models.TextChoices):
        REPLY = "reply", "Reply in a thread you take part in"
        COMMENT = "comment", "Comment on your amendment"
        MENTION = "mention", "Mention"
        REVIEW = "review", "Review of your amendment"
        STATE = "state", "Your amendment changed state"
        STALE = "stale", "Your amendment's base changed"

    recipient = models.ForeignKey("drafting.Member", on_delete=models.CASCADE, related_name="notifications")
    actor = models.ForeignKey("drafting.Member", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    document = models.ForeignKey("drafting.Document", on_delete=models.CASCADE, related_name="+")
    comment = models.ForeignKey("drafting.Comment", null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    amendment = models.ForeignKey(
        "drafting.Amendment", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    detail = models.CharField(max_length=40, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["recipient", "read_at"]), models.Index(fields=["recipient", "-created_at"])]

    def __str__(self):
        return self.summary

    @property
    def is_unread(self):
        return self.read_at is None

    @property
    def summary(self):
        """One line of plain text (templates escape it; email sends it as it is)."""
        actor = self.actor.display_name if self.actor_id else "Someone"
        K = self.Kind
        if self.kind in (K.REPLY, K.COMMENT, K.MENTION):
            where = self.comment.target_label
            return {
                K.REPLY: f"{actor} replied in a thread on {where}",
                K.COMMENT: f"{actor} commented on {where}",
                K.MENTION: f"{actor} mentioned you on {where}",
            }[self.kind]
        label = self.amendment.label
        if self.kind == K.REVIEW:
            verb = {"approve": "approved", "request_changes": "requested changes to", "reject": "rejected"}
            return f"{actor} {verb.get(self.detail, 'reviewed')} {label}"
        if self.kind == K.STALE:
            return f"{self.detail} was applied to the clause {label} changes: redo {label} on the current text"
        state = {
            "submitted": "was submitted", "withdrawn": "was withdrawn", "applied": "was applied",
            "needs_rebase": "could not be applied: the clause has changed; it needs redoing on the current text",
        }.get(self.detail, f"is now {self.detail.replace('_', ' ')}")
        by = f" by {actor}" if self.actor_id and self.detail != "needs_rebase" else ""
        return f"{label} {state}{by}"

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
