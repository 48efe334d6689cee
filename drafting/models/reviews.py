"""A reviewer's decision on an amendment, one per reviewer per submission round (changeable until applied)."""
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class ReviewQuerySet(models.QuerySet):
    def visible_to(self, member):
        """Reviews of the amendments `member` may read (derived from `AmendmentQuerySet.visible_to`)."""
        from .amendments import Amendment

        return self.filter(amendment__in=Amendment.objects.visible_to(member))


class Review(models.Model):
    class Decision(models.TextChoices):
        APPROVE = "approve", _("Approve")
        REQUEST_CHANGES = "request_changes", _("Request changes")
        REJECT = "reject", _("Reject")

    amendment = models.ForeignKey("drafting.Amendment", on_delete=models.PROTECT, related_name="reviews", verbose_name=_("amendment"))
    reviewer = models.ForeignKey("drafting.Member", on_delete=models.PROTECT, related_name="reviews", verbose_name=_("reviewer"))
    round = models.PositiveIntegerField(verbose_name=_("round"))
    decision = models.CharField(max_length=20, choices=Decision.choices, verbose_name=_("decision"))
    note = models.TextField(blank=True, verbose_name=_("note"))
    created_at = models.DateTimeField(default=timezone.now, editable=False, verbose_name=_("created at"))
    updated_at = models.DateTimeField(auto_now=True, verbose_name=_("updated at"))
    history = HistoricalRecords()

    objects = ReviewQuerySet.as_manager()

    class Meta:
        ordering = ["-round", "created_at"]
        constraints = [
            models.UniqueConstraint(fields=["amendment", "reviewer", "round"], name="one_review_per_reviewer_per_round")
        ]
        verbose_name = _("review")
        verbose_name_plural = _("reviews")

    def __str__(self):
        return f"{self.reviewer} {self.get_decision_display().lower()}s {self.amendment}"

    # Decisions as properties, so templates never compare raw strings.
    @property
    def is_approval(self):
        return self.decision == self.Decision.APPROVE

    @property
    def is_request_for_changes(self):
        return self.decision == self.Decision.REQUEST_CHANGES

    @property
    def is_rejection(self):
        return self.decision == self.Decision.REJECT
