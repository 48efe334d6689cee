"""Invitation and password-reset links, made with Django's token machinery, and the emails that carry them.

A token covers the user's password hash, last login and email, so it stops working once used (setting a
password changes the hash) and after PASSWORD_RESET_TIMEOUT (72 hours). Invitations use their own salt, so a
reset link cannot stand in for an invitation or the other way round.

Emails go out after the surrounding transaction commits (no email for a member that was rolled back), and a
mail server failure is logged, never shown to the admin as an error page: the member exists, and the admin
can send the invitation again from the member list. A password-reset email goes out on a background thread
(`in_background`), so the page answers as fast for a member's address as for an unknown one: how long the
request takes must not tell anyone whether an address belongs to the working group.
"""
import logging
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.tokens import PasswordResetTokenGenerator, default_token_generator
from django.core.mail import EmailMessage, send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import base36_to_int, urlsafe_base64_decode, urlsafe_base64_encode

from .notify import send_in_background

log = logging.getLogger(__name__)


class InvitationTokenGenerator(PasswordResetTokenGenerator):
    key_salt = "drafting.password_links.InvitationTokenGenerator"


@dataclass(frozen=True)
class Purpose:
    url_name: str
    tokens: PasswordResetTokenGenerator
    subject: str
    email_template: str


INVITATION = Purpose("invite_accept", InvitationTokenGenerator(), "You are invited to Drafting",
                     "drafting/account/email_invitation.txt")
PASSWORD_RESET = Purpose("password_reset_confirm", default_token_generator, "Choose a new Drafting password",
                         "drafting/account/email_password_reset.txt")

EXPIRED = "expired"
USED = "used"


def link_path(user, purpose):
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    return reverse(purpose.url_name, args=[uid, purpose.tokens.make_token(user)])


def user_for(uidb64):
    try:
        pk = urlsafe_base64_decode(uidb64).decode()
        return get_user_model().objects.get(pk=pk)
    except (ValueError, TypeError, OverflowError, get_user_model().DoesNotExist):
        return None


def link_problem(user, token, purpose):
    """None if the link may be used now; EXPIRED if it is too old; USED if it was used (or never valid)."""
    if user is None or not user.is_active:
        return USED
    if purpose.tokens.check_token(user, token):
        return None
    try:
        issued = base36_to_int(token.split("-")[0])
    except ValueError:
        return USED
    age = purpose.tokens._num_seconds(purpose.tokens._now()) - issued
    return EXPIRED if age > settings.PASSWORD_RESET_TIMEOUT else USED


def email_link(user, purpose, base_url, *, in_background=False):
    """Email `user` a link for `purpose` once the current transaction commits; with `in_background`, on
    another thread, so the request does not wait for the mail server."""
    url = base_url.rstrip("/") + link_path(user, purpose)
    context = {"user": user, "url": url, "hours": settings.PASSWORD_RESET_TIMEOUT // 3600,
               "name": getattr(getattr(user, "member", None), "full_name", user.get_username())}
    body = render_to_string(purpose.email_template, context)
    if in_background:
        message = EmailMessage(subject=purpose.subject, body=body, to=[user.email])
        transaction.on_commit(lambda: send_in_background([message]))
    else:
        transaction.on_commit(lambda: _send(purpose.subject, body, user.email))
    return url


def _send(subject, body, to):
    try:
        send_mail(subject, body, None, [to])
    except Exception:  # any transport error: the change is saved; the admin can send the link again
        log.exception("Could not send %r to %s", subject, to)
