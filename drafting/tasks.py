"""Outgoing email as durable tasks (django-tasks): notifications and invitation or password-reset links.

The web process only enqueues; with the database backend (the default) each message is a row in the task table
that `manage.py db_worker` (started by `make serve` beside gunicorn) sends. A restart of the web process loses
nothing, and a request never waits for a mail server. Email used to go from a thread inside the web process:
a restart lost whatever it had not sent yet.

A send that fails is tried again, EMAIL_ATTEMPTS times in all, waiting longer each time (1, 5, 25, 125 minutes):
each failed attempt stays in the task table as a failed row with its error, the next attempt is a new row, and
the last failure is logged as an error. Messages travel as plain JSON (a task's arguments are stored in the
database): an email of ours names what it is about (a notification, a password link) and is rendered by the
worker when it sends it, in the recipient's language (`Member.interface_language`), so a queued email never
depends on the language of the request that queued it; any other message travels composed (subject, body).
"""
import logging
from datetime import timedelta

from django.core.mail import EmailMessage
from django.utils import timezone
from django_tasks import task

logger = logging.getLogger(__name__)

EMAIL_ATTEMPTS = 5
FIRST_RETRY = timedelta(minutes=1)


def retry_delay(attempt):
    """How long to wait after failed attempt number `attempt` (1, 2, ...): 1, 5, 25, 125 minutes."""
    return FIRST_RETRY * 5 ** (attempt - 1)


def as_data(message):
    """An EmailMessage as the JSON a task stores."""
    return {"subject": message.subject, "body": message.body, "to": list(message.to)}


def compose(message):
    """(subject, body) of a queued message, or None when there is nothing to send any more (the notification
    was deleted, the recipient turned email off or lost sight of what it is about)."""
    kind = message.get("email")
    if kind is None:
        return message["subject"], message["body"]
    from . import digests, notify, password_links

    render = {"notification": notify.render_email, "password_link": password_links.render_email,
              "digest": digests.render_email}[kind]
    return render(message)


def describe(message):
    """How the log names a message: its subject, or what it is about when it is rendered at sending."""
    return message.get("subject") or f"{message.get('email')} email"


def enqueue_email(message, attempt=1, delay=None):
    """Queue one message (as_data) for the worker; `delay` postpones it where the backend can (a retry)."""
    job = send_email
    if delay is not None and job.get_backend().supports_defer:
        job = job.using(run_after=timezone.now() + delay)
    return job.enqueue(message, attempt)


@task()
def send_email(message, attempt=1):
    """Send one message; if that fails, queue the next attempt (bounded) and fail this one, so the task row
    records the error."""
    try:
        composed = compose(message)
        if composed is None:
            logger.info("%s to %s: nothing to send any more", describe(message), ", ".join(message["to"]))
            return
        subject, body = composed
        EmailMessage(subject=subject, body=body, to=message["to"]).send()
    except Exception:
        to = ", ".join(message["to"])
        if attempt >= EMAIL_ATTEMPTS:
            logger.error("Email %r to %s failed %d times; not retried", describe(message), to, attempt)
            raise
        delay = retry_delay(attempt)
        logger.warning("Email %r to %s failed (attempt %d of %d); next attempt in %s", describe(message), to,
                       attempt, EMAIL_ATTEMPTS, delay)
        enqueue_email(message, attempt + 1, delay)
        raise
