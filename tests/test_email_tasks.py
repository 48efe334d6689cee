"""Email is a durable queued task: enqueued after the commit, never sent by the web process, sent by the
worker command, a failure retried later with a growing wait (bounded), and every attempt recorded."""
import logging
from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from drafting import notify
from drafting.tasks import EMAIL_ATTEMPTS, retry_delay

from .comment_builders import comment
from .conftest import login

DATABASE_QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


class DownMailServer:
    attempts = 0

    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        DownMailServer.attempts += 1
        raise ConnectionRefusedError("mail server down")


@pytest.fixture(autouse=True)
def _email(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    DownMailServer.attempts = 0


@pytest.fixture
def database_queue(settings):
    settings.TASKS = DATABASE_QUEUE


def run_worker():
    call_command("db_worker", "--batch", "--no-startup-delay", "--interval", "0", verbosity=0)


def message(to="dinara@example.test"):
    return mail.EmailMessage(subject="Subject", body="Body", to=[to])


def test_a_comment_email_is_queued_after_the_commit_and_not_sent_by_the_request(
    client, concept, drafter, reviewer, database_queue, django_capture_on_commit_callbacks
):
    clause = concept.clauses.get(number="4.1.1")
    thread = comment(drafter, clause)
    login(client, reviewer)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = client.post(reverse("comment_reply", args=[concept.slug, thread.pk]), {"body": "An answer."})
    assert response.status_code == 302
    assert DBTaskResult.objects.count() == 0  # nothing queued before the commit
    for callback in callbacks:
        callback()
    queued = DBTaskResult.objects.get()
    assert queued.task_path == "drafting.tasks.send_email" and queued.status == TaskResultStatus.READY
    assert queued.args_kwargs["args"][0]["to"] == [drafter.user.email]
    assert mail.outbox == []


def test_a_password_reset_email_is_queued_and_not_sent_by_the_request(
    client, drafter, database_queue, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("password_reset"), {"email": drafter.user.email})
    assert response.status_code in (200, 302)
    assert DBTaskResult.objects.get().args_kwargs["args"][0]["to"] == [drafter.user.email]
    assert mail.outbox == []


@pytest.mark.django_db(transaction=True)
def test_the_worker_command_sends_a_queued_email(database_queue):
    notify.send_in_background([message()])
    run_worker()
    assert [m.to for m in mail.outbox] == [["dinara@example.test"]]
    assert DBTaskResult.objects.get().status == TaskResultStatus.SUCCESSFUL


@pytest.mark.django_db(transaction=True)
def test_the_task_worker_command_runs_the_database_worker_for_the_database_queue(database_queue):
    notify.send_in_background([message()])
    call_command("task_worker", "--burst", verbosity=0)
    assert [m.to for m in mail.outbox] == [["dinara@example.test"]]
    assert DBTaskResult.objects.get().status == TaskResultStatus.SUCCESSFUL


@pytest.mark.django_db(transaction=True)
def test_a_failed_send_is_recorded_and_retried_later(database_queue, settings):
    settings.EMAIL_BACKEND = "tests.test_email_tasks.DownMailServer"
    notify.send_in_background([message()])
    started = timezone.now()
    run_worker()  # the retry waits a minute: this run sends nothing more
    failed = DBTaskResult.objects.get(status=TaskResultStatus.FAILED)
    assert "mail server down" in failed.traceback
    retry = DBTaskResult.objects.get(status=TaskResultStatus.READY)
    assert retry.args_kwargs["args"][1] == 2
    assert started + retry_delay(1) <= retry.run_after <= timezone.now() + retry_delay(1)
    assert DownMailServer.attempts == 1
    # The mail server is back and the minute has passed: the worker sends it.
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    DBTaskResult.objects.filter(pk=retry.pk).update(run_after=timezone.now() - timedelta(seconds=1))
    run_worker()
    assert len(mail.outbox) == 1
    assert DBTaskResult.objects.get(pk=retry.pk).status == TaskResultStatus.SUCCESSFUL


def test_a_failing_email_is_tried_a_bounded_number_of_times_then_logged(settings, caplog):
    settings.EMAIL_BACKEND = "tests.test_email_tasks.DownMailServer"
    with caplog.at_level(logging.WARNING, logger="drafting.tasks"):
        notify.send_in_background([message()])
    assert DownMailServer.attempts == EMAIL_ATTEMPTS
    assert caplog.text.count("next attempt in") == EMAIL_ATTEMPTS - 1
    assert f"failed {EMAIL_ATTEMPTS} times; not retried" in caplog.text


def test_retries_wait_longer_each_time():
    assert [retry_delay(n) for n in range(1, EMAIL_ATTEMPTS)] == [
        timedelta(minutes=1), timedelta(minutes=5), timedelta(minutes=25), timedelta(minutes=125)]


def test_an_email_that_cannot_be_queued_is_logged_and_the_request_goes_on(monkeypatch, caplog, db):
    def refuse(*args):
        raise RuntimeError("queue unavailable")

    monkeypatch.setattr(notify, "enqueue_email", refuse)
    notify.send_in_background([message()])
    assert "could not be queued" in caplog.text
