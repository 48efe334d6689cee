"""Where a member is signed in: one SessionRecord per signed-in browser, for the "Your sessions" page.

Django's session rows hold only an encoded blob and an expiry date, so the browser, the address and the
last activity are kept here beside them, keyed by the session key. A record is only ever shown while its
session row is alive; signing a session out deletes both, so the browser's next request is signed out.
"""
from datetime import timedelta

from django.conf import settings
from django.contrib.sessions.models import Session
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

# Last activity is written at most this often per session: one small write a minute, not one per request.
SEEN_EVERY = timedelta(minutes=1)


class SessionRecordQuerySet(models.QuerySet):
    def live(self):
        """Records whose session still signs a browser in (expired or deleted sessions are not shown)."""
        alive = Session.objects.filter(expire_date__gt=timezone.now()).values("session_key")
        return self.filter(session_key__in=alive)


class SessionRecord(models.Model):
    session_key = models.CharField(max_length=40, unique=True, verbose_name=_("session key"))
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="session_records", verbose_name=_("user"))
    user_agent = models.CharField(max_length=300, blank=True, verbose_name=_("user agent"))
    ip_address = models.GenericIPAddressField(null=True, blank=True, verbose_name=_("IP address"))
    created = models.DateTimeField(default=timezone.now, verbose_name=_("signed in at"))
    last_seen = models.DateTimeField(default=timezone.now, verbose_name=_("last seen"))

    objects = SessionRecordQuerySet.as_manager()

    class Meta:
        ordering = ["-last_seen", "-id"]
        verbose_name = _("session")
        verbose_name_plural = _("sessions")

    def __str__(self):
        return f"{self.user} on {self.browser}"

    @property
    def browser(self):
        """A short name for the browser and system, read from the user agent; the full string is in a title."""
        agent = self.user_agent
        found = next((name for key, name in _BROWSERS if key in agent), gettext("Unknown browser"))
        system = next((name for key, name in _SYSTEMS if key in agent), "")
        return gettext("%(browser)s on %(system)s") % {"browser": found, "system": system} if system else found

    def sign_out(self):
        """End this session: its row goes, so the browser holding its cookie is signed out on its next request."""
        Session.objects.filter(session_key=self.session_key).delete()
        self.delete()

    @classmethod
    def seen(cls, request):
        """Note that this request's session is in use; called for signed-in requests, writes at most once a
        minute per session (the time of the last write is kept in the session itself)."""
        session = request.session
        now = timezone.now()
        last = session.get(SEEN_KEY)
        if last is not None and now.timestamp() - last < SEEN_EVERY.total_seconds():
            return
        session[SEEN_KEY] = now.timestamp()
        if session.session_key is None:
            session.save()
        cls.objects.update_or_create(
            session_key=session.session_key,
            defaults={"user": request.user, "last_seen": now, "ip_address": _ip(request),
                      "user_agent": request.META.get("HTTP_USER_AGENT", "")[:300]},
            create_defaults={"user": request.user, "last_seen": now, "created": now, "ip_address": _ip(request),
                             "user_agent": request.META.get("HTTP_USER_AGENT", "")[:300]},
        )


SEEN_KEY = "drafting_seen_at"
# Order matters: Edge and Opera also say "Chrome", and Chrome also says "Safari".
_BROWSERS = [("Edg/", "Edge"), ("OPR/", "Opera"), ("Firefox/", "Firefox"), ("Chrome/", "Chrome"),
             ("Chromium/", "Chromium"), ("Safari/", "Safari")]
_SYSTEMS = [("Windows", "Windows"), ("Android", "Android"), ("iPhone", "iPhone"), ("iPad", "iPad"),
            ("Mac OS X", "macOS"), ("CrOS", "ChromeOS"), ("Linux", "Linux")]


def _ip(request):
    # The address as django-axes reads it (behind a TLS proxy, from X-Forwarded-For as the settings say).
    from axes.helpers import get_client_ip_address

    return get_client_ip_address(request) or None
