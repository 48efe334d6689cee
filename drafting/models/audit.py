"""The SignInEvent model: every sign-in, failed sign-in, refusal by the throttle and sign-out, for the audit page.

The audit page's other half, member changes, are Member history rows; drafting/audit_trail.py merges the two.

Kept in our own table, fed by Django's login signals, rather than read from django-axes: axes' rows are
throttling counters that an operator resets to unlock someone, and a failure count per account is not a
record of each attempt. These rows are only ever added.
"""
from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class SignInEvent(models.Model):
    class Kind(models.TextChoices):
        SIGNED_IN = "signed_in", _("Signed in")
        FAILED = "failed", _("Sign-in failed")
        LOCKED_OUT = "locked_out", _("Sign-in refused (too many failures)")
        SIGNED_OUT = "signed_out", _("Signed out")

    kind = models.CharField(max_length=12, choices=Kind.choices, verbose_name=_("kind"))
    at = models.DateTimeField(default=timezone.now, db_index=True, verbose_name=_("at"))
    # The name typed at the sign-in form, kept even when it matches no account.
    username = models.CharField(max_length=150, blank=True, verbose_name=_("username"))
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        verbose_name=_("user"),
    )
    ip_address = models.GenericIPAddressField(null=True, blank=True, verbose_name=_("IP address"))

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("sign-in event")
        verbose_name_plural = _("sign-in events")

    def __str__(self):
        return f"{self.get_kind_display()}: {self.username} at {self.at:%Y-%m-%d %H:%M}"
