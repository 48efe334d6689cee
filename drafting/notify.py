"""Who hears about what: the rules that turn events into notifications, and the email that follows them.

Notified, never the person who acted, and only active members:
- a new comment on an amendment: its author and co-sponsors (they take part in every thread on it); a comment
  that suggests a change tells them so;
- a suggested change applied or declined: the member who suggested it;
- a reply: everyone who wrote in that thread, and on an amendment its author and co-sponsors;
- a mention: the member mentioned (one notification per event: a mention replaces the reply notice);
- a review decision on an amendment: its author and co-sponsors;
- a state change an author or co-sponsor did not make themself (submitted and withdrawn reach the co-sponsors;
  applied and needs-rebase reach all sponsors; the states a review decides are covered by the review notice);
- an amendment applied to a clause: the sponsors of every other open amendment whose base it made stale;
- a compromise that supersedes, gives back or closes amendments: the sponsors of each of them.
- a review request (drafting/models/rapporteurs.py): the rapporteur asked, once per request.

Every event reaches this module the same way: the model method that makes it calls a function here. Amendment
transitions and review decisions call it through `after_commit`, once their transaction has committed, so
nobody is told of a state that was rolled back, and no notification row is written while an approval holds
its locks (that deadlocked with a competing approval). A comment's notifications are written in the comment's
own transaction. Nothing here listens to model signals.

This module imports no model module at load time except the inbox's own, so the models can import it.

Email is queued after the transaction commits, one task per message (drafting/tasks.py): a worker process
renders it in the recipient's language, sends it and retries a failure, so a slow or failing mail server neither
breaks nor slows the request, and a restart of the web process loses nothing. Members choose how they hear by
email (Member.email_frequency): each notification at once (here), a daily or weekly digest (drafting/digests.py),
or none.
"""
import logging
import threading
from contextlib import contextmanager
from functools import partial

from django.apps import apps
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from .links import absolute_url
from .models.notifications import Notification, readable_by_their_recipients
from .tasks import as_data, describe, enqueue_email

logger = logging.getLogger(__name__)


def after_commit(function, *args):
    """Run `function(*args)` once the current transaction commits (at once outside one). A failure there is
    logged, never raised: the change it reports is already committed and must not turn into an error page."""
    transaction.on_commit(partial(function, *args), robust=True)


def _model(name):
    return apps.get_model("drafting", name)


# --- the rules -----------------------------------------------------------------------------------------------
def _active(members, actor):
    return {m.pk: m for m in members if m.is_active and (actor is None or m.pk != actor.pk)}


def sponsors(amendment):
    return [amendment.author, *amendment.cosponsors.select_related("user")]


def comment_posted(comment, mentioned):
    Comment, Member = _model("Comment"), _model("Member")
    recipients = {}  # member pk -> (member, kind)
    if comment.thread_id:
        in_thread = Comment.objects.filter(pk=comment.thread_id) | Comment.objects.filter(thread_id=comment.thread_id)
        authors = Member.objects.filter(pk__in=in_thread.values("author")).select_related("user")
        for pk, member in _active(authors, comment.author).items():
            recipients[pk] = (member, Notification.Kind.REPLY)
    if comment.amendment_id:
        kind = Notification.Kind.REPLY if comment.thread_id else Notification.Kind.COMMENT
        if kind == Notification.Kind.COMMENT and hasattr(comment, "suggestion"):
            kind = Notification.Kind.SUGGESTION
        for pk, member in _active(sponsors(comment.amendment), comment.author).items():
            recipients.setdefault(pk, (member, kind))
    for pk, member in _active(mentioned, comment.author).items():
        recipients[pk] = (member, Notification.Kind.MENTION)
    _create(
        [
            Notification(recipient=member, actor=comment.author, kind=kind, document=comment.document, comment=comment)
            for member, kind in recipients.values()
        ]
    )


def suggestion_decided(suggestion, actor):
    """A suggested change applied or declined: its suggester hears which, and from whom."""
    comment = suggestion.comment
    _create(
        [
            Notification(
                recipient=member, actor=actor, kind=Notification.Kind.SUGGESTION, document_id=comment.document_id,
                comment=comment, amendment_id=suggestion.amendment_id, detail=suggestion.state,
            )
            for member in _active([comment.author], actor).values()
        ]
    )


def comment_edited(comment, newly_mentioned):
    """An edit tells only the members it newly mentions."""
    _create(
        [
            Notification(
                recipient=member, actor=comment.author, kind=Notification.Kind.MENTION,
                document=comment.document, comment=comment,
            )
            for member in _active(newly_mentioned, comment.author).values()
        ]
    )


def review_recorded(review):
    amendment = review.amendment
    _create(
        [
            Notification(
                recipient=member, actor=review.reviewer, kind=Notification.Kind.REVIEW,
                document=amendment.document, amendment=amendment, detail=review.decision,
            )
            for member in _active(sponsors(amendment), review.reviewer).values()
        ]
    )


def amendment_state_changed(amendment, state, actor):
    """A state change, told to the sponsors who did not make it. `actor` is who made it (None: nobody did,
    as when an approval found the text moved on). Approved, changes requested and rejected are told by the
    review that decided them."""
    State = type(amendment).State
    if state not in (State.SUBMITTED, State.WITHDRAWN, State.APPLIED, State.NEEDS_REBASE):
        return
    _create(
        [
            Notification(
                recipient=member, actor=actor, kind=Notification.Kind.STATE,
                document=amendment.document, amendment=amendment, detail=state,
            )
            for member in _active(sponsors(amendment), actor).values()
        ]
    )
    if state == State.APPLIED:
        _stale_bases(amendment, actor)


def compromise_news(compromise, originals, event, actor):
    """A compromise superseded, gave back ("restored") or closed its originals: their sponsors hear of it on each
    original (whose page links to the compromise), so they may sign on to it or object in its thread."""
    _create(
        [
            Notification(
                recipient=member, actor=actor, kind=Notification.Kind.STATE, document=compromise.document,
                amendment=original, detail=f"{event} {compromise.label}",
            )
            for original in originals
            for member in _active(sponsors(original), actor).values()
        ]
    )


def _stale_bases(applied, actor):
    """The sponsors of open amendments on the clauses this one changed, whose base is no longer current."""
    Amendment, Clause = _model("Amendment"), _model("Clause")
    touched = Clause.history.filter(amendment=applied).values("id")
    others = (
        Amendment.objects.open().filter(clause_id__in=touched).exclude(pk=applied.pk)
        .select_related("clause", "base", "document", "author__user").prefetch_related("cosponsors__user")
    )
    notifications = []
    for other in others:
        if other.base_is_current:
            continue
        people = _active([other.author, *other.cosponsors.all()], actor)
        notifications += [
            Notification(
                recipient=member, actor=actor, kind=Notification.Kind.STALE,
                document=applied.document, amendment=other, detail=applied.label,
            )
            for member in people.values()
        ]
    _create(notifications)


def review_requested(request_pks):
    """The members asked to review, one notice per request still open when its transaction has committed."""
    ReviewRequest = _model("ReviewRequest")
    requests = (ReviewRequest.objects.open().filter(pk__in=request_pks)
                .select_related("member__user", "amendment__document", "requested_by__user").order_by("pk"))
    _create(
        [
            Notification(
                recipient=request.member, actor=request.requested_by, kind=Notification.Kind.REQUEST,
                document=request.amendment.document, amendment=request.amendment,
                detail=request.due_date.isoformat(),
            )
            for request in requests if request.member.is_active and request.member.pk != request.requested_by_id
        ]
    )


# --- delivery ------------------------------------------------------------------------------------------------
_quiet = threading.local()


@contextmanager
def without_email():
    """Notifications without email, for seeding demo data."""
    _quiet.on = True
    try:
        yield
    finally:
        _quiet.on = False


def _create(notifications):
    # Whoever the rules above name, a notification goes only to a member who may read what it is about (a
    # draft is its sponsors' alone): one visibility rule, the inbox's, for every kind of notice.
    notifications = readable_by_their_recipients(notifications)
    if not notifications:
        return []
    Notification.objects.bulk_create(notifications)
    if getattr(_quiet, "on", False):
        return notifications
    messages = [_email(n) for n in notifications]
    messages = [m for m in messages if m is not None]
    if messages:
        transaction.on_commit(lambda: send_in_background(messages))
    return notifications


def _wants_email(recipient):
    # Only members who chose each notification at once; digest members hear of it in their digest
    # (drafting/digests.py), members who chose none only in the inbox.
    return (recipient.email_frequency == recipient.EmailFrequency.IMMEDIATE and recipient.is_active
            and bool(recipient.user.email))


def _email(notification):
    """The queued message for one notification: what it is about, rendered by the worker (`render_email`)."""
    if not _wants_email(notification.recipient):
        return None
    return {"email": "notification", "notification": notification.pk, "to": [notification.recipient.user.email]}


def render_email(message):
    """(subject, body) of a notification's email, rendered at sending in the recipient's language; None when it
    is no longer to be sent (deleted, email turned off, or no longer readable by the recipient)."""
    notification = (
        Notification.objects.select_related("recipient__user", "document", "actor__user", "amendment", "comment")
        .filter(pk=message["notification"]).first()
    )
    if notification is None or not _wants_email(notification.recipient):
        return None
    recipient = notification.recipient
    if not Notification.objects.visible_to(recipient).filter(pk=notification.pk).exists():
        return None
    with translation.override(recipient.interface_language):
        body = render_to_string(
            "drafting/inbox/email.txt",
            {"notification": notification, "recipient": recipient,
             "link": absolute_url(notification.get_absolute_url()), "inbox": absolute_url(reverse("inbox"))},
        )
        subject = " ".join(f"[{notification.document}] {notification.summary}".split())[:200]
    return subject, body


def send_in_background(messages):
    """Queue each message (an EmailMessage, or the data of one of ours, rendered by the worker) for the email
    worker. The change is committed whatever happens here: a message that cannot even be queued is logged,
    never raised into the request."""
    for message in messages:
        data = message if isinstance(message, dict) else as_data(message)
        try:
            enqueue_email(data)
        except Exception:
            logger.exception("Email %r to %s could not be queued", describe(data), ", ".join(data["to"]))
