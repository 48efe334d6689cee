"""Email digests: for a member who chose a daily or weekly digest, one email with what reached their inbox since
their last digest, grouped by document and then by kind.

When: a daily digest is due once the day's DIGEST_HOUR (in TIME_ZONE) has passed, a weekly one once Monday's has,
and either only if none went out since that moment, so a worker that was down sends the missed digest when it
comes back and never sends two. `send_due_digests` is a task of the job queue that sends every due digest and
queues itself again for the next DIGEST_HOUR (`run_after`); `manage.py send_digests` does the same for cron.

Exactly once: each member's digest is decided in a transaction that locks the member's row, re-reads
`last_digest_at` under the lock, moves it on and queues the email, so two workers at the same moment send one
digest per member, and a rolled-back run sends none.

What: the notifications the member may see now (`Notification.objects.visible_to`), not when they were written:
a member taken off a document since, or no longer a co-sponsor of a draft, does not find it in their digest. The
queued email names the member and the period; the email worker renders it in the member's language when it sends
it, checking what they may see once more.
"""
import logging
from datetime import timedelta
from itertools import groupby

from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.dateparse import parse_datetime
from django.utils.translation import ngettext
from django_tasks import task

from .links import absolute_url
from .models import Member, Notification
from .tasks import enqueue_email

logger = logging.getLogger(__name__)

# Beyond this a digest lists the newest items and sends the reader to the inbox for the rest.
MOST_ITEMS = 200
DAY = timedelta(days=1)
WEEK = timedelta(days=7)


def latest_moment(frequency, now):
    """The latest scheduled digest moment at or before `now`: today's DIGEST_HOUR (yesterday's, before it);
    for weekly digests, that of the latest Monday."""
    local = timezone.localtime(now)
    moment = local.replace(hour=settings.DIGEST_HOUR, minute=0, second=0, microsecond=0)
    if moment > local:
        moment -= DAY
    if frequency == Member.EmailFrequency.WEEKLY:
        moment -= DAY * moment.weekday()
    return moment


def next_run(now):
    """When the scheduled task next has work: the next DIGEST_HOUR (every weekly moment is a daily one too)."""
    return latest_moment(Member.EmailFrequency.DAILY, now) + DAY


def is_due(member, now):
    if not member.wants_digest or not member.is_active or not member.user.email:
        return False
    return member.last_digest_at is None or member.last_digest_at < latest_moment(member.email_frequency, now)


def items(member, since, until):
    """The notifications of the digest: `member`'s, written in (since, until], that they may see now."""
    notifications = Notification.objects.for_inbox(member).filter(created_at__lte=until)
    if since is not None:
        notifications = notifications.filter(created_at__gt=since)
    return notifications


def grouped(notifications):
    """[(document, [(kind label, [notification, ...]), ...]), ...]: documents by title, kinds in the order of
    Notification.Kind, each group oldest first, so a digest reads as what happened."""
    kinds = list(Notification.Kind.values)
    ordered = sorted(notifications, key=lambda n: (str(n.document), n.document_id, kinds.index(n.kind), n.created_at, n.pk))
    result = []
    for _document_id, in_document in groupby(ordered, key=lambda n: n.document_id):
        in_document = list(in_document)
        by_kind = [(Notification.Kind(kind).label, list(group)) for kind, group in groupby(in_document, key=lambda n: n.kind)]
        result.append((in_document[0].document, by_kind))
    return result


def send_digest(member_pk, now):
    """Queue `member_pk`'s digest if it is due at `now` and holds anything; True when one was queued."""
    with transaction.atomic():
        # The lock is taken by the read, so the due check below sees what a competing worker committed.
        member = Member.objects.select_for_update(of=("self",)).select_related("user").get(pk=member_pk)
        if not is_due(member, now):
            return False
        since = member.last_digest_at
        Member.objects.filter(pk=member.pk).update(last_digest_at=now)  # bookkeeping: no history row
        if not items(member, since, now).exists():
            return False  # nothing to send sends nothing
        enqueue_email({
            "email": "digest", "member": member.pk, "frequency": member.email_frequency,
            "since": since.isoformat() if since else None, "until": now.isoformat(), "to": [member.user.email],
        })
    return True


def send_due(now=None):
    """Queue every digest due at `now`; the number queued."""
    now = now or timezone.now()
    members = Member.objects.active().filter(
        email_frequency__in=[Member.EmailFrequency.DAILY, Member.EmailFrequency.WEEKLY]
    ).values_list("pk", flat=True)
    sent = 0
    for pk in list(members):
        try:
            sent += send_digest(pk, now)
        except Exception:
            # One member's failure must not keep the others from their digest; the next run tries again.
            logger.exception("The digest of member %s could not be queued", pk)
    return sent


def schedule_next(now=None):
    """Queue `send_due_digests` for the next DIGEST_HOUR, where the backend can defer a task; None otherwise."""
    when = next_run(now or timezone.now())
    job = send_due_digests
    if not job.get_backend().supports_defer:
        # Running it at once would loop for ever: without deferral, cron runs `manage.py send_digests` instead.
        logger.warning("The task backend cannot defer tasks: schedule `manage.py send_digests` with cron instead.")
        return None
    return job.using(run_after=when).enqueue()


@task()
def send_due_digests():
    """The job queue's scheduled work: send the due digests, then queue the next run."""
    try:
        send_due()
    finally:
        schedule_next()


def render_email(message):
    """(subject, body) of a digest, in the member's language, rendered at sending; None when there is nothing
    left to send (the member left, chose another frequency, or may no longer see any of it)."""
    member = Member.objects.select_related("user").filter(pk=message["member"]).first()
    if member is None or not member.is_active or member.email_frequency != message["frequency"]:
        return None
    since = parse_datetime(message["since"]) if message["since"] else None
    until = parse_datetime(message["until"])
    notifications = items(member, since, until)
    total = notifications.count()
    if not total:
        return None
    shown = list(notifications[:MOST_ITEMS])
    with translation.override(member.interface_language):
        context = {
            "member": member, "documents": _grouped_with_links(shown), "total": total, "more": total - len(shown),
            "since": timezone.localtime(since) if since else None, "until": timezone.localtime(until),
            "inbox": absolute_url(reverse("inbox")), "weekly": member.email_frequency == Member.EmailFrequency.WEEKLY,
        }
        body = render_to_string("drafting/inbox/digest.txt", context)
        if context["weekly"]:
            subject = ngettext("Weekly digest: %(count)d new notification", "Weekly digest: %(count)d new notifications", total)
        else:
            subject = ngettext("Daily digest: %(count)d new notification", "Daily digest: %(count)d new notifications", total)
        subject = subject % {"count": total}
    return subject, body


def _grouped_with_links(notifications):
    for notification in notifications:
        notification.link = absolute_url(notification.get_absolute_url())
    return grouped(notifications)
