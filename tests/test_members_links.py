"""Invitation and password-reset links: emailed after commit, usable once, for 72 hours."""
import logging
import re
import threading
from datetime import timedelta

from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.urls import reverse

from drafting.models import Member
from drafting.password_links import INVITATION, PASSWORD_RESET, InvitationTokenGenerator, link_path

NEW_PASSWORD = "a-brand-new-passphrase-2026"


def add_member(client, **extra):
    data = {"full_name": "Nigar Hüseynova", "email": "nigar@example.test", "agency": "Ministry of Foreign Affairs",
            "position": "Deputy Minister", "role": "reviewer", **extra}
    return client.post(reverse("member_add"), data)


def link_in(message):
    return re.search(r"https?://\S+", message.body).group(0).replace("http://testserver", "")


def set_password(client, path):
    return client.post(path, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})


def test_adding_a_member_emails_an_invitation_after_commit(as_admin, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = add_member(as_admin)
    assert response.status_code == 302 and len(callbacks) == 1
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["nigar@example.test"]
    assert "/accounts/invitation/" in mail.outbox[0].body and "72 hours" in mail.outbox[0].body
    nigar = Member.objects.get(full_name="Nigar Hüseynova")
    assert nigar.role == "reviewer" and not nigar.user.has_usable_password()


def test_no_email_is_sent_before_the_member_is_committed(as_admin):
    add_member(as_admin)  # inside the test's transaction, which never commits
    assert mail.outbox == []


def test_a_mail_failure_is_logged_and_the_member_is_still_added(as_admin, settings, caplog,
                                                                django_capture_on_commit_callbacks):
    settings.EMAIL_BACKEND = "tests.test_members_links.BrokenBackend"
    with caplog.at_level(logging.ERROR), django_capture_on_commit_callbacks(execute=True):
        response = add_member(as_admin)
    assert response.status_code == 302
    assert Member.objects.filter(full_name="Nigar Hüseynova").exists()
    assert "failed 5 times; not retried" in caplog.text  # the email worker tried, and says what it gave up


class BrokenBackend:
    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        raise ConnectionRefusedError("mail server down")


def test_invitation_link_works_once(client, as_admin, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        add_member(as_admin)
    as_admin.logout()
    path = link_in(mail.outbox[0])
    assert "Welcome to Drafting" in client.get(path).text
    assert set_password(client, path).status_code == 302
    again = client.get(path)
    assert again.status_code == 400 and "This link has already been used" in again.text
    assert set_password(client, path).status_code == 400
    signed_in = client.post(reverse("login"), {"username": "nigar@example.test", "password": NEW_PASSWORD})
    assert signed_in.status_code == 302 and signed_in["Location"] == reverse("document_list")


def test_invitation_link_fails_after_72_hours(client, admin_member, monkeypatch):
    nigar = Member.add(full_name="Nigar", email="nigar@example.test", role="drafter", by=admin_member)
    path = link_path(nigar.user, INVITATION)
    real_now = InvitationTokenGenerator._now
    monkeypatch.setattr(InvitationTokenGenerator, "_now",
                        lambda self: real_now(self) + timedelta(hours=72, seconds=1))
    response = client.get(path)
    assert response.status_code == 400 and "This link has expired" in response.text
    assert set_password(client, path).status_code == 400
    nigar.user.refresh_from_db()
    assert not nigar.user.has_usable_password()


def test_invitation_link_still_works_just_before_72_hours(client, admin_member, monkeypatch):
    nigar = Member.add(full_name="Nigar", email="nigar@example.test", role="drafter", by=admin_member)
    path = link_path(nigar.user, INVITATION)
    real_now = InvitationTokenGenerator._now
    monkeypatch.setattr(InvitationTokenGenerator, "_now",
                        lambda self: real_now(self) + timedelta(hours=71, minutes=59))
    assert client.get(path).status_code == 200


def test_a_tampered_link_is_refused(client, admin_member):
    nigar = Member.add(full_name="Nigar", email="nigar@example.test", role="drafter", by=admin_member)
    path = link_path(nigar.user, INVITATION)
    assert client.get(path[:-3] + "abc/").status_code == 400
    assert client.get(reverse("invite_accept", args=["bm9ib2R5", "x-y"])).status_code == 400


def test_a_reset_link_cannot_stand_in_for_an_invitation(client, admin_member):
    nigar = Member.add(full_name="Nigar", email="nigar@example.test", role="drafter", by=admin_member)
    reset_path = link_path(nigar.user, PASSWORD_RESET)
    invitation_path = reset_path.replace("/accounts/reset/", "/accounts/invitation/")
    assert client.get(invitation_path).status_code == 400


def test_a_deactivated_members_invitation_no_longer_works(client, admin_member):
    nigar = Member.add(full_name="Nigar", email="nigar@example.test", role="drafter", by=admin_member)
    path = link_path(nigar.user, INVITATION)
    nigar.deactivate(by=admin_member)
    assert client.get(path).status_code == 400


def test_password_reset_sends_a_link_that_works_once(client, drafter, settings, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("password_reset"), {"email": drafter.email})
    assert "Check your email" in response.text and len(mail.outbox) == 1
    path = link_in(mail.outbox[0])
    assert set_password(client, path).status_code == 302
    assert "already been used" in client.get(path).text
    drafter.user.refresh_from_db()
    assert drafter.user.check_password(NEW_PASSWORD)


def test_password_reset_answers_the_same_for_an_unknown_address(client, deactivated,
                                                                django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        unknown = client.post(reverse("password_reset"), {"email": "nobody@example.test"})
        former = client.post(reverse("password_reset"), {"email": deactivated.email})
    assert "Check your email" in unknown.text and "Check your email" in former.text
    assert mail.outbox == []


class HeldMailServer(BaseEmailBackend):
    """A mail server that answers only when the test lets it: a request that sent through it inline could not
    return before `release` is set."""

    release = threading.Event()
    received = []  # (thread that sent, messages)

    def send_messages(self, messages):
        HeldMailServer.release.wait(timeout=10)
        HeldMailServer.received.append((threading.current_thread(), list(messages)))
        return len(messages)


def test_password_reset_answers_before_the_mail_server_does_so_timing_tells_nothing(
    client, drafter, settings, django_capture_on_commit_callbacks
):
    # As in production: the email is queued for the worker (drafting/tasks.py), never sent by the request.
    from django_tasks_db.models import DBTaskResult

    from .test_email_tasks import DATABASE_QUEUE

    settings.TASKS = DATABASE_QUEUE
    settings.EMAIL_BACKEND = "tests.test_members_links.HeldMailServer"
    HeldMailServer.release.clear()
    HeldMailServer.received.clear()
    with django_capture_on_commit_callbacks(execute=True):
        known = client.post(reverse("password_reset"), {"email": drafter.email})
        unknown = client.post(reverse("password_reset"), {"email": "nobody@example.test"})
    # Both answered alike, and no mail server was spoken to: the one message is waiting in the queue.
    assert known.status_code == unknown.status_code
    assert "Check your email" in known.text and "Check your email" in unknown.text
    assert HeldMailServer.received == []
    [queued] = DBTaskResult.objects.all()
    assert queued.args_kwargs["args"][0]["to"] == [drafter.email]
    assert "/accounts/reset/" in queued.args_kwargs["args"][0]["url"]


def test_admin_can_send_the_invitation_again(as_admin, admin_member, django_capture_on_commit_callbacks):
    nigar = Member.add(full_name="Nigar", email="nigar@example.test", role="drafter", by=admin_member)
    with django_capture_on_commit_callbacks(execute=True):
        as_admin.post(reverse("member_invite", args=[nigar.pk]))
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["nigar@example.test"]


def test_no_invitation_is_sent_to_a_member_who_has_a_password(as_admin, drafter):
    response = as_admin.post(reverse("member_invite", args=[drafter.pk]), follow=True)
    assert "already has a password" in response.text and mail.outbox == []
