"""The record of co-sponsorship: every sign-on and sign-off, who made it, when, and in which round.

The amendment's `cosponsors` list says who sponsors it now; this log says who ever did. The review rule needs
both: a reviewer who is, or was during the current round, a co-sponsor cannot review it (signing off to approve
one's own text is refused), and the disposition of an amendment can name everyone who ever carried it.
Rows are only ever added, by `Amendment.sign_on` / `sign_off` / `start` / `revise`, inside their transactions.
"""
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class SponsorshipEvent(models.Model):
    class Action(models.TextChoices):
        SIGNED_ON = "signed_on", _("signed on")
        SIGNED_OFF = "signed_off", _("signed off")

    amendment = models.ForeignKey("drafting.Amendment", on_delete=models.PROTECT, related_name="sponsorship_events", verbose_name=_("amendment"))
    member = models.ForeignKey("drafting.Member", on_delete=models.PROTECT, related_name="+", verbose_name=_("member"))
    action = models.CharField(max_length=10, choices=Action.choices, verbose_name=_("action"))
    # The amendment's submission round at that moment: the review rule looks at the current round only.
    round = models.PositiveIntegerField(verbose_name=_("round"))
    # Who made the change: the member themself, or the author naming co-sponsors in the amendment form.
    by = models.ForeignKey("drafting.Member", on_delete=models.PROTECT, related_name="+", verbose_name=_("by"))
    at = models.DateTimeField(default=timezone.now, editable=False, verbose_name=_("at"))

    class Meta:
        ordering = ["at", "pk"]
        indexes = [models.Index(fields=["amendment", "member", "round"], name="sponsorship_lookup")]
        verbose_name = _("co-sponsorship event")
        verbose_name_plural = _("co-sponsorship events")

    def __str__(self):
        return f"{self.member} {self.get_action_display()} {self.amendment}"
