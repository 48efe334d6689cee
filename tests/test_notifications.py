"""Notifications: exactly the people concerned, never the actor; the inbox; email after commit, never failing."""
import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from drafting.models import Notification, Review

from .amendment_builders import REMOVED_SENTENCE, modify
from .comment_builders import comment, htmx, reply
from .conftest import login

APPROVE, CHANGES = Review.Decision.APPROVE, Review.Decision.REQUEST_CHANGES


@pytest.fixture(autouse=True)
def _email_in_memory(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


@pytest.fixture
def clause(concept):
    return concept.clauses.get(number="4.1.1")


def told(kind=None):
    rows = Notification.objects.all()
    if kind:
        rows = rows.filter(kind=kind)
    return sorted(n.recipient.full_name for n in rows)


def test_reply_notifies_everyone_in_the_thread_but_the_replier(drafter, second_drafter, reviewer, admin_member, clause):
    thread = comment(drafter, clause)
    reply(second_drafter, thread)
    Notification.objects.all().delete()
    reply(reviewer, thread)
    assert told() == ["Dinara Əliyeva", "Samir Quliyev"]
    assert {n.kind for n in Notification.objects.all()} == {Notification.Kind.REPLY}
    assert all(n.actor == reviewer for n in Notification.objects.all())


def test_a_new_thread_on_a_clause_notifies_nobody(drafter, reviewer, clause):
    comment(reviewer, clause)
    assert told() == []


def test_comment_on_an_amendment_notifies_its_author_and_cosponsors(drafter, second_drafter, reviewer, clause):
    amendment = modify(drafter, clause, body="x", submit=False)
    amendment.cosponsors.add(second_drafter)
    amendment.submit(drafter)
    Notification.objects.all().delete()
    comment(reviewer, amendment, "Why?")
    assert told(Notification.Kind.COMMENT) == ["Dinara Əliyeva", "Samir Quliyev"]
    Notification.objects.all().delete()
    comment(drafter, amendment, "My own note.")
    assert told() == ["Samir Quliyev"]  # the author is never told of their own comment


def test_mention_notifies_the_member_once_not_as_a_reply_too(drafter, reviewer, second_reviewer, clause):
    thread = comment(drafter, clause)
    reply(second_reviewer, thread)
    Notification.objects.all().delete()
    reply(reviewer, thread, "@Leyla Məmmədova and @drafter_dina, see this. @reviewer_rauf too.")
    assert sorted((n.recipient.full_name, n.kind) for n in Notification.objects.all()) == [
        ("Dinara Əliyeva", "mention"), ("Leyla Məmmədova", "mention"),
    ]


def test_editing_notifies_only_newly_mentioned_members(drafter, reviewer, second_reviewer, clause):
    mine = comment(drafter, clause, "@reviewer_rauf look")
    Notification.objects.all().delete()
    mine.edit(drafter, "@reviewer_rauf look, and @reviewer_leyla too")
    assert told() == ["Leyla Məmmədova"]


def test_deactivated_members_are_not_notified(drafter, reviewer, deactivated, clause):
    thread = comment(deactivated.__class__.objects.get(pk=drafter.pk), clause)
    Comment = thread.__class__
    Comment.objects.create(
        document=thread.document, clause=clause, parent=thread, thread=thread, author=deactivated, body="old"
    )
    reply(reviewer, thread)
    assert told() == ["Dinara Əliyeva"]


def test_review_decision_notifies_author_and_cosponsors_not_the_reviewer(
    drafter, second_drafter, reviewer, clause, django_capture_on_commit_callbacks
):
    amendment = modify(drafter, clause, body="shorter")
    amendment.cosponsors.add(second_drafter)
    with django_capture_on_commit_callbacks(execute=True):
        amendment.submit(drafter)
    assert told() == ["Samir Quliyev"]  # submitted: the co-sponsor hears, the author acted
    Notification.objects.all().delete()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        amendment.review(reviewer, CHANGES, "Please explain.")
    assert told() == []  # nobody hears of a decision before it is committed
    for callback in callbacks:
        callback()
    assert sorted((n.recipient.full_name, n.kind, n.detail) for n in Notification.objects.all()) == [
        ("Dinara Əliyeva", "review", "request_changes"), ("Samir Quliyev", "review", "request_changes"),
    ]
    assert Notification.objects.filter(recipient=reviewer).count() == 0


def test_approval_that_applies_tells_sponsors_of_the_decision_and_the_application(
    drafter, reviewer, clause, django_capture_on_commit_callbacks
):
    amendment = modify(drafter, clause, body=clause.body.replace(REMOVED_SENTENCE, ""), submit=True)
    with django_capture_on_commit_callbacks(execute=True):
        amendment.review(reviewer, APPROVE)
    summaries = [n.summary for n in Notification.objects.order_by("pk")]
    assert summaries == ["Rauf Həsənov approved A-1", "A-1 was applied by Rauf Həsənov"]
    assert told() == ["Dinara Əliyeva", "Dinara Əliyeva"]


def test_applied_amendment_tells_sponsors_of_other_open_amendments_their_base_is_stale(
    drafter, second_drafter, reviewer, second_reviewer, admin_member, clause, django_capture_on_commit_callbacks
):
    theirs = modify(second_drafter, clause, body=clause.body + " Extra.", submit=True)
    theirs.cosponsors.add(admin_member)
    reviewers_own = modify(reviewer, clause, body=clause.body + " Mine.", submit=True)
    applied = modify(drafter, clause, body=clause.body.replace(REMOVED_SENTENCE, ""), submit=True)
    Notification.objects.all().delete()
    with django_capture_on_commit_callbacks(execute=True):
        applied.review(second_reviewer, APPROVE)
    stale = Notification.objects.filter(kind=Notification.Kind.STALE)
    assert sorted((n.recipient.full_name, n.amendment.label) for n in stale) == [
        ("Aysel Nəsirova", theirs.label), ("Rauf Həsənov", reviewers_own.label), ("Samir Quliyev", theirs.label),
    ]
    assert "A-3 was applied to the clause A-1 changes" in stale.filter(amendment=theirs).first().summary


def test_email_is_sent_once_after_commit(drafter, reviewer, clause, django_capture_on_commit_callbacks):
    thread = comment(drafter, clause)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        reply(reviewer, thread, "Answer <b>here</b>")
    assert mail.outbox == []  # nothing before the commit
    for callback in callbacks:
        callback()
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [drafter.user.email]
    assert "Rauf Həsənov replied in a thread on 4.1.1" in message.subject
    assert "Answer <b>here</b>" in message.body  # plain text: sent as written, not HTML-escaped
    assert f"#comment-{thread.pk + 1}" in message.body


def test_members_who_turned_email_off_get_no_email_but_a_notification(
    client, drafter, reviewer, clause, django_capture_on_commit_callbacks
):
    login(client, drafter).post(reverse("email_preference"), {"email_frequency": "none"})
    drafter.refresh_from_db()
    assert drafter.email_frequency == "none"
    thread = comment(drafter, clause)
    with django_capture_on_commit_callbacks(execute=True):
        reply(reviewer, thread)
    assert mail.outbox == [] and told() == ["Dinara Əliyeva"]


class FailingBackend:
    def __init__(self, *args, **kwargs):
        pass

    def open(self):
        raise ConnectionRefusedError("mail server down")

    def close(self):
        pass

    def send_messages(self, messages):
        raise ConnectionRefusedError("mail server down")


def test_a_failing_email_backend_is_logged_and_the_request_succeeds(
    client, drafter, reviewer, clause, settings, caplog, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = "tests.test_notifications.FailingBackend"
    thread = comment(drafter, clause)
    login(client, reviewer)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("comment_reply", args=["concept", thread.pk]), {"body": "Still posted."})
    assert response.status_code == 302
    assert told() == ["Dinara Əliyeva"]
    assert "failed 5 times; not retried" in caplog.text


# --- the inbox -------------------------------------------------------------------------------------------
def test_inbox_lists_notifications_and_the_header_counts_unread(client, drafter, reviewer, clause):
    thread = comment(drafter, clause, "Question")
    reply(reviewer, thread, "First answer")
    reply(reviewer, thread, "Second answer")
    login(client, drafter)
    page = client.get(reverse("inbox"))
    assert page.text.count("Rauf Həsənov replied in a thread on 4.1.1") == 2
    assert '<span class="badge unread-count" title="unread">2</span>' in page.text
    assert "Second answer" in page.text


def test_the_header_counts_only_unread_notifications_the_member_may_still_read(
    client, drafter, reviewer, clause, concept
):
    from drafting.models import DocumentAccess

    thread = comment(drafter, clause, "Question")
    reply(reviewer, thread, "Answer")
    login(client, drafter)
    assert '<span class="badge unread-count" title="unread">1</span>' in client.get(reverse("inbox")).text
    DocumentAccess.revoke(concept, drafter)
    assert Notification.objects.unread().filter(recipient=drafter).count() == 1  # still there, unread
    assert "unread-count" not in client.get(reverse("inbox")).text
    DocumentAccess.grant(concept, drafter, DocumentAccess.Role.DRAFTER)
    Notification.objects.update(read_at=timezone.now())
    assert "unread-count" not in client.get(reverse("inbox")).text


def test_following_a_notification_marks_it_read_and_lands_on_the_comment(client, drafter, reviewer, clause):
    thread = comment(drafter, clause)
    answer = reply(reviewer, thread)
    note = Notification.objects.get()
    response = login(client, drafter).get(reverse("notification_open", args=[note.pk]))
    assert response["Location"] == f"{clause.get_absolute_url()}#comment-{answer.pk}"
    note.refresh_from_db()
    assert note.read_at is not None


def test_mark_read_in_place_and_mark_all_read(client, drafter, reviewer, clause):
    thread = comment(drafter, clause)
    reply(reviewer, thread)
    reply(reviewer, thread)
    first, second = Notification.objects.order_by("pk")
    login(client, drafter)
    response = client.post(reverse("notification_read", args=[first.pk]), **htmx())
    assert f'id="notification-{first.pk}"' in response.text and 'hx-swap-oob="true"' in response.text
    assert '<span class="badge unread-count" title="unread">1</span>' in response.text
    assert Notification.objects.unread().count() == 1
    assert client.post(reverse("notifications_read_all")).status_code == 302
    assert Notification.objects.unread().count() == 0


def test_nobody_reads_or_opens_another_members_notification(client, drafter, second_drafter, reviewer, clause):
    thread = comment(drafter, clause)
    reply(reviewer, thread)
    note = Notification.objects.get()
    login(client, second_drafter)
    assert client.get(reverse("notification_open", args=[note.pk])).status_code == 404
    assert client.post(reverse("notification_read", args=[note.pk])).status_code == 404
    client.post(reverse("notifications_read_all"))
    note.refresh_from_db()
    assert note.read_at is None
    assert "replied" not in client.get(reverse("inbox")).text


def test_outsider_has_no_inbox(client, outsider):
    login(client, outsider)
    assert client.get(reverse("inbox")).status_code == 403


def test_inbox_query_count_does_not_grow_with_notifications(client, drafter, reviewer, clause, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    thread = comment(drafter, clause)
    login(client, drafter)

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse("inbox")).status_code == 200
        return len(captured)

    reply(reviewer, thread)
    few = queries()
    for _ in range(25):
        reply(reviewer, thread)
    assert queries() == few
