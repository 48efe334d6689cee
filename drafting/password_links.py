"""Invitation and password-reset links, made with Django's token machinery, and the emails that carry them.

A token covers the user's password hash, last login and email, so it stops working once used (setting a
password changes the hash) and after PASSWORD_RESET_TIMEOUT (72 hours). Invitations use their own salt, so a
reset link cannot stand in for an invitation or the other way round.

Emails are queued after the surrounding transaction commits (no email for a member that was rolled back) for
the email worker (drafting/tasks.py), which retries a failing mail server and logs what it could not send;
the request never waits for the mail server. An admin can also send the invitation again from the member list.
"""
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.tokens import PasswordResetTokenGenerator, default_token_generator
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.encoding import force_bytes
from django.utils.http import base36_to_int, urlsafe_base64_decode, urlsafe_base64_encode
from django.utils.translation import gettext_lazy as _

from . import notify
from .links import absolute_url


class InvitationTokenGenerator(PasswordResetTokenGenerator):
    key_salt = "drafting.password_links.InvitationTokenGenerator"


@dataclass(frozen=True)
class Purpose:
    url_name: str
    tokens: PasswordResetTokenGenerator
    subject: str
    email_template: str


INVITATION = Purpose("invite_accept", InvitationTokenGenerator(), _("You are invited to Drafting"),
                     "drafting/account/email_invitation.txt")
PASSWORD_RESET = Purpose("password_reset_confirm", default_token_generator, _("Choose a new Drafting password"),
                         "drafting/account/email_password_reset.txt")
PURPOSES = {purpose.url_name: purpose for purpose in (INVITATION, PASSWORD_RESET)}

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


def email_link(user, purpose, base_url=None):
    """Queue an email to `user` with a link for `purpose`, once the current transaction commits; the request
    never waits for the mail server, and the worker renders it in the recipient's language (`render_email`).
    Returns the link."""
    url = absolute_url(link_path(user, purpose), base_url)
    message = {"email": "password_link", "purpose": purpose.url_name, "user": user.pk, "url": url, "to": [user.email]}
    transaction.on_commit(lambda: notify.send_in_background([message]))
    return url


def render_email(message):
    """(subject, body) of a link's email, rendered at sending in the recipient's language (a member's own, else
    the deployment's); None when the account is gone."""
    user = get_user_model().objects.filter(pk=message["user"]).first()
    if user is None:
        return None
    purpose = PURPOSES[message["purpose"]]
    member = getattr(user, "member", None)
    with translation.override(member.interface_language if member else settings.LANGUAGE_CODE):
        context = {"user": user, "url": message["url"], "hours": settings.PASSWORD_RESET_TIMEOUT // 3600,
                   "name": member.full_name if member else user.get_username()}
        return str(purpose.subject), render_to_string(purpose.email_template, context)
