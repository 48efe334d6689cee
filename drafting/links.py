"""Absolute addresses for the links people click in emails: the one way to build them.

Every emailed link (notifications, invitations, password resets) starts with SITE_URL, or with the address an
operator gives `create_member --base-url`. Never with the request's Host header: a client chooses that header,
and a password-reset link must not point wherever a forged request likes.
"""
from django.conf import settings


def absolute_url(path, base_url=None):
    return (base_url or settings.SITE_URL).rstrip("/") + path
