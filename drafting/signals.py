"""Write a SignInEvent for every sign-in, failed sign-in, refusal by the throttle, and sign-out."""
from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from . import two_factor
from .models.audit import SignInEvent
from .models.sessions import SessionRecord


def _ip(request):
    # django-axes has already worked out the client address (proxy-aware, per settings) on this request.
    return getattr(request, "axes_ip_address", None) or (request.META.get("REMOTE_ADDR") if request else None)


@receiver(user_logged_in)
def record_sign_in(sender, request, user, **kwargs):
    SignInEvent.objects.create(kind=SignInEvent.Kind.SIGNED_IN, user=user, username=user.get_username(),
                               ip_address=_ip(request))
    # A password alone completes the sign-in only where no code follows; otherwise the code step does.
    if request is not None and not two_factor.needs_code(user):
        two_factor.sign_in_completed(request, user)


@receiver(user_logged_out)
def record_sign_out(sender, request, user, **kwargs):
    if request is not None and request.session.session_key:
        SessionRecord.objects.filter(session_key=request.session.session_key).delete()
    if user is not None:
        SignInEvent.objects.create(kind=SignInEvent.Kind.SIGNED_OUT, user=user, username=user.get_username(),
                                   ip_address=_ip(request))


@receiver(user_login_failed)
def record_failure(sender, credentials, request=None, **kwargs):
    username = (credentials.get("username") or "")[:150]
    # axes' own receiver runs first ("axes" precedes "drafting" in INSTALLED_APPS) and flags a refusal.
    locked = getattr(request, "axes_locked_out", False)
    SignInEvent.objects.create(
        kind=SignInEvent.Kind.LOCKED_OUT if locked else SignInEvent.Kind.FAILED,
        username=username,
        user=get_user_model().objects.filter(username=username).first() if username else None,
        ip_address=_ip(request) if request else None,
    )
