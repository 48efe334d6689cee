"""Two-factor sign-in: who must use it, enrolling an authenticator app, backup codes, and checking a code.

The second step comes after a correct password: Django's sign-in completes as before, and until the session
is verified (django-otp keeps the device that verified it in the session) TwoFactorMiddleware
(drafting/middleware.py) lets the member do nothing but give a code, enrol, or sign out. Members of the roles
in settings.TWO_FACTOR_ROLES who have not enrolled are taken to enrolment; anyone who has enrolled gives a code.

A wrong code counts as a failed sign-in for the account in django-axes (the same throttle as passwords), and
the lockout is checked before any code is tried. The count is forgotten only when the whole sign-in succeeds
(`sign_in_completed`: the password, and the code where one is needed), never after the password alone: else
each correct password would buy a fresh set of code tries. Every refusal says the same thing, whatever the
reason: wrong, already used (replayed), malformed, or refused by the device's own throttle.
"""
import base64
from base64 import b32encode
from io import BytesIO

import qrcode
import qrcode.image.svg
from axes.handlers.proxy import AxesProxyHandler
from django.conf import settings
from django.contrib.auth.signals import user_login_failed
from django.db import transaction
from django.utils.translation import gettext_lazy as _
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

BACKUP_CODE_COUNT = 10
APP_DEVICE = "Authenticator app"
BACKUP_DEVICE = "Backup codes"
CODE_REFUSED = _("That code was not accepted. Enter the current code from your authenticator app, or an unused backup code.")


def required_for(member):
    """Whether this member's role must sign in with a second factor (settings.TWO_FACTOR_ROLES)."""
    return member is not None and member.role in settings.TWO_FACTOR_ROLES


def app_device(user, confirmed=True):
    return TOTPDevice.objects.devices_for_user(user, confirmed=confirmed).first()


def is_enrolled(user):
    return app_device(user) is not None


def needs_second_step(request):
    """Signed in with the password but not yet with a code, though this account must give one."""
    user = request.user
    if not user.is_authenticated or user.is_verified():
        return False
    return is_enrolled(user) or required_for(getattr(request, "member", None))


# --- enrolment -------------------------------------------------------------------------------------------
def pending_device(user):
    """The unconfirmed device being enrolled: the same secret while the enrolment page is reloaded, so a
    code from the app scanned a moment ago still matches."""
    device = app_device(user, confirmed=False)
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=APP_DEVICE, confirmed=False)
    return device


def secret_for_display(device):
    """The secret as authenticator apps expect it typed (base32), in groups of four."""
    secret = b32encode(device.bin_key).decode()
    return " ".join(secret[i:i + 4] for i in range(0, len(secret), 4))


def qr_code_data_uri(device):
    """The enrolment QR code as an SVG data: URI for an <img> (the CSP allows data: images, not inline SVG
    styles), drawn on the server so no script is needed."""
    image = qrcode.make(device.config_url, image_factory=qrcode.image.svg.SvgPathImage, box_size=8, border=2)
    buffer = BytesIO()
    image.save(buffer)
    return "data:image/svg+xml;base64," + base64.b64encode(buffer.getvalue()).decode()


def confirm_enrolment(request, device, code):
    """Confirm the pending device with a code from the app; on success it replaces any earlier app device,
    this session counts as verified, and ten new backup codes are returned (to be shown once)."""
    with transaction.atomic():
        if not device.verify_token(_digits(code)):
            return None
        TOTPDevice.objects.filter(user=device.user).exclude(pk=device.pk).delete()
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        _verified(request, device)
        return replace_backup_codes(device.user)


def replace_backup_codes(user):
    """Ten new single-use backup codes; the earlier ones stop working. Returned once: only the device keeps them."""
    with transaction.atomic():
        device, _ = StaticDevice.objects.get_or_create(user=user, name=BACKUP_DEVICE, defaults={"confirmed": True})
        device.token_set.all().delete()
        codes = [StaticToken.random_token() for _ in range(BACKUP_CODE_COUNT)]
        StaticToken.objects.bulk_create([StaticToken(device=device, token=code) for code in codes])
    return codes


def backup_codes_left(user):
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


def reset(user):
    """Remove every second factor of this account (an admin's reset, audited by the caller): the member enrols
    again at the next sign-in if their role requires it."""
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()


# --- the second step -------------------------------------------------------------------------------------
def is_locked_out(request):
    return AxesProxyHandler.is_locked(request, _credentials(request.user))


def verify(request, code):
    """Check a code against the member's app, then their backup codes. True when accepted (this session is
    then verified); otherwise the failure is counted by django-axes for this account."""
    user = request.user
    code = (code or "").strip().replace(" ", "")
    with transaction.atomic():
        for device in _devices(user, code) if code else []:
            if device.verify_token(code):
                _verified(request, device)
                return True
    user_login_failed.send(sender=__name__, credentials=_credentials(user), request=request)
    return False


def needs_code(user):
    """Whether this account's sign-in has a second step (its role requires one, or it enrolled)."""
    from .models.members import member_of

    return is_enrolled(user) or required_for(member_of(user))


def sign_in_completed(request, user):
    """The whole sign-in succeeded: forget the account's (and the address's) failed attempts, as django-axes
    would after a password if AXES_RESET_ON_SUCCESS were on (it is off, so that a correct password alone
    forgets nothing)."""
    AxesProxyHandler.update_request(request)
    AxesProxyHandler.get_implementation().reset_user_attempts(request, _credentials(user))


def _verified(request, device):
    otp_login(request, device)
    sign_in_completed(request, device.user)


def _devices(user, code):
    # Six digits are an app code, eight letters a backup code: each is tried only where it could match, so a
    # mistyped app code does not also count against the backup codes' own throttle.
    if _digits(code):
        return list(TOTPDevice.objects.select_for_update().filter(user=user, confirmed=True))
    return list(StaticDevice.objects.select_for_update().filter(user=user, confirmed=True))


def _digits(code):
    code = (code or "").strip().replace(" ", "")
    return code if code.isascii() and code.isdigit() and len(code) == 6 else ""


def _credentials(user):
    return {"username": user.get_username()}
