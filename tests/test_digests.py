"""Email digests: what a daily or weekly member receives, when, in which language, and only once."""
import threading
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.urls import reverse
from django.utils import timezone
from django_tasks import task_backends

from drafting import digests
from drafting.models import DocumentAccess, Member, Notification

from .amendment_builders import modify
from .builders import make_document, make_member
from .comment_builders import comment, reply
from .conftest import login

BAKU = ZoneInfo("Asia/Baku")
DAILY, WEEKLY, IMMEDIATE, NONE = (Member.EmailFrequency.DAILY, Member.EmailFrequency.WEEKLY,
                                  Member.EmailFrequency.IMMEDIATE, Member.EmailFrequency.NONE)


def at(day, hour, minute=0, second=0):
    """A moment of December 2026 in Baku: the 7th and the 14th are Mondays."""
    return datetime(2026, 12, day, hour, minute, second, tzinfo=BAKU)


MONDAY_8AM = at(7, 8)
SUNDAY_7AM, SUNDAY_NOON = at(6, 7), at(6, 12)


@pytest.fixture(autouse=True)
def _digest_settings(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.TIME_ZONE = "Asia/Baku"
    settings.DIGEST_HOUR = 7


@pytest.fixture
def clause(concept):
    return concept.clauses.get(number="4.1.1")


def choose(member, frequency, last_digest_at=SUNDAY_7AM):
    member.email_frequency = frequency
    member.last_digest_at = last_digest_at
    member.save()
    return member


def news(member, about, *, actor, kind=Notification.Kind.COMMENT, when=SUNDAY_NOON):
    """A notification in `member`'s inbox about a comment or an amendment, written at `when`."""
    target = {"comment": about} if kind in (Notification.Kind.COMMENT, Notification.Kind.REPLY) else {"amendment": about}
    detail = "" if "comment" in target else "submitted"
    return Notification.objects.create(recipient=member, actor=actor, kind=kind, document=about.document,
                                       detail=detail, created_at=when, **target)


def digest_of(member):
    sent = [m for m in mail.outbox if m.to == [member.user.email]]
    assert len(sent) <= 1, [m.subject for m in sent]
    return sent[0] if sent else None


# --- content ---------------------------------------------------------------------------------------------------
def test_digest_holds_the_news_since_the_last_digest(drafter, reviewer, clause):
    choose(drafter, DAILY)
    news(drafter, comment(reviewer, clause, "Before"), actor=reviewer, when=at(6, 6))  # in the previous digest
    news(drafter, comment(reviewer, clause, "After"), actor=reviewer, when=at(6, 12))
    assert digests.send_due(MONDAY_8AM) == 1
    message = digest_of(drafter)
    assert message.subject == "Daily digest: 1 new notification"
    assert message.body.count("Rauf Həsənov commented on 4.1.1") == 1
    assert "http://" in message.body and "#comment-" in message.body
    drafter.refresh_from_db()
    assert drafter.last_digest_at == MONDAY_8AM


def test_digest_leaves_out_a_document_the_member_was_taken_off_since(drafter, reviewer, clause, admin_member):
    other = make_document(3, title="Cyber Strategy")
    choose(drafter, DAILY)
    news(drafter, comment(reviewer, clause), actor=reviewer)
    news(drafter, comment(reviewer, other.clauses.first()), actor=reviewer)
    DocumentAccess.revoke(other, drafter, by=admin_member)
    digests.send_due(MONDAY_8AM)
    body = digest_of(drafter).body
    assert "National Security Concept" in body and "Cyber Strategy" not in body


def test_digest_with_access_to_both_documents_holds_both(drafter, reviewer, clause):
    other = make_document(3, title="Cyber Strategy")
    choose(drafter, DAILY)
    news(drafter, comment(reviewer, clause), actor=reviewer)
    news(drafter, comment(reviewer, other.clauses.first()), actor=reviewer)
    digests.send_due(MONDAY_8AM)
    message = digest_of(drafter)
    assert "Cyber Strategy" in message.body and "National Security Concept" in message.body
    assert message.subject == "Daily digest: 2 new notifications"


def test_an_invisible_draft_is_never_in_a_digest(drafter, second_drafter, reviewer, clause):
    draft = modify(second_drafter, clause, body="Someone else's draft.")
    choose(drafter, DAILY)
    news(drafter, draft, actor=second_drafter, kind=Notification.Kind.STATE)  # written past the rules, as a bypass
    digests.send_due(MONDAY_8AM)
    assert digest_of(drafter) is None  # it was the only item: no digest at all
    news(drafter, comment(reviewer, clause), actor=reviewer, when=at(7, 12))
    digests.send_due(at(8, 8))
    body = digest_of(drafter).body
    assert draft.label not in body and "Someone else's draft" not in body


def test_digest_is_grouped_by_document_then_kind(drafter, reviewer, second_drafter, clause):
    other = make_document(3, title="Aaa Cyber Strategy")  # sorts before the Concept
    choose(drafter, DAILY)
    amendment = modify(drafter, clause, body="Mine.", submit=True)
    thread = comment(drafter, clause)
    news(drafter, reply(reviewer, thread), actor=reviewer, kind=Notification.Kind.REPLY, when=at(6, 9))
    news(drafter, comment(reviewer, amendment), actor=reviewer, when=at(6, 10))
    news(drafter, reply(second_drafter, thread), actor=second_drafter, kind=Notification.Kind.REPLY, when=at(6, 11))
    news(drafter, comment(reviewer, other.clauses.first()), actor=reviewer, when=at(6, 12))
    digests.send_due(MONDAY_8AM)
    body = digest_of(drafter).body
    headings = [line for line in body.splitlines() if line.startswith("== ")]
    assert headings == ["== Aaa Cyber Strategy ==", f"== {clause.document} =="]
    concept_part = body.split(f"== {clause.document} ==")[1]
    replies = concept_part.index("Reply in a thread you take part in")
    comments = concept_part.index("Comment on your amendment")
    assert replies < comments  # kinds in a fixed order, each once
    assert concept_part.count("Reply in a thread you take part in") == 1
    assert concept_part.index("Rauf Həsənov replied") < concept_part.index("Samir Quliyev replied") < comments


@pytest.mark.azerbaijani
def test_digest_is_in_the_members_language(settings, drafter, reviewer, clause):
    settings.LANGUAGE_CODE = "en"
    drafter.language = "az"
    choose(drafter, WEEKLY, last_digest_at=at(1, 7))
    news(drafter, comment(reviewer, clause), actor=reviewer)
    news(drafter, comment(reviewer, clause), actor=reviewer)
    digests.send_due(MONDAY_8AM)
    message = digest_of(drafter)
    assert message.subject == "Həftəlik xülasə: 2 yeni bildiriş"
    assert "Drafting-dən həftəlik xülasəniz" in message.body
    assert "Weekly" not in message.body and "digest" not in message.body


def test_digest_queries_stay_flat_in_the_number_of_items(drafter, reviewer, clause, django_assert_max_num_queries):
    def queries_for(count, member):
        choose(member, DAILY)
        for _ in range(count):
            news(member, comment(reviewer, clause), actor=reviewer)
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as captured:
            digests.send_due(MONDAY_8AM)
        return len(captured)

    few = queries_for(2, drafter)
    choose(drafter, NONE)  # so each run looks at one member
    many = queries_for(20, make_member("drafter_many", Member.Role.DRAFTER))
    assert many == few


# --- who gets what ---------------------------------------------------------------------------------------------
def test_nothing_to_send_sends_nothing(drafter):
    choose(drafter, DAILY)
    assert digests.send_due(MONDAY_8AM) == 0
    assert mail.outbox == []


def test_immediate_members_get_no_digest_and_keep_immediate_emails(drafter, reviewer, clause,
                                                                   django_capture_on_commit_callbacks):
    choose(drafter, IMMEDIATE)
    thread = comment(drafter, clause)
    with django_capture_on_commit_callbacks(execute=True):
        reply(reviewer, thread)
    assert len(mail.outbox) == 1 and "replied" in mail.outbox[0].subject
    assert digests.send_due(MONDAY_8AM) == 0 and len(mail.outbox) == 1


def test_digest_members_get_no_immediate_email_but_the_notification(drafter, reviewer, clause,
                                                                    django_capture_on_commit_callbacks):
    choose(drafter, DAILY, last_digest_at=timezone.now() - timedelta(days=2))
    thread = comment(drafter, clause)
    with django_capture_on_commit_callbacks(execute=True):
        reply(reviewer, thread)
    assert mail.outbox == []
    assert Notification.objects.filter(recipient=drafter).count() == 1
    assert digests.send_due(timedelta(days=1) + Notification.objects.get().created_at) == 1


def test_none_gets_nothing(drafter, reviewer, clause):
    choose(drafter, NONE)
    reply(reviewer, comment(drafter, clause))
    news(drafter, comment(reviewer, clause), actor=reviewer)
    assert digests.send_due(MONDAY_8AM) == 0
    assert mail.outbox == []


def test_deactivated_members_get_no_digest(drafter, reviewer, clause):
    choose(drafter, DAILY)
    news(drafter, comment(reviewer, clause), actor=reviewer)
    drafter.deactivate()
    assert digests.send_due(MONDAY_8AM) == 0 and mail.outbox == []


def test_a_digest_is_sent_once_per_period(drafter, reviewer, clause):
    choose(drafter, DAILY)
    news(drafter, comment(reviewer, clause), actor=reviewer)
    assert digests.send_due(MONDAY_8AM) == 1
    news(drafter, comment(reviewer, clause), actor=reviewer, when=at(7, 8, 30))
    assert digests.send_due(at(7, 9)) == 0 and digests.send_due(at(8, 6, 59)) == 0
    assert digests.send_due(at(8, 7)) == 1
    assert len(mail.outbox) == 2


def test_a_digest_rendered_after_access_ended_is_not_sent(drafter, reviewer, clause, settings, admin_member):
    """The worker checks again at sending: access taken away between queueing and sending empties it."""
    choose(drafter, DAILY)
    news(drafter, comment(reviewer, clause), actor=reviewer)
    message = {"email": "digest", "member": drafter.pk, "frequency": DAILY, "since": at(6, 7).isoformat(),
               "until": MONDAY_8AM.isoformat(), "to": [drafter.user.email]}
    assert digests.render_email(message) is not None
    DocumentAccess.revoke(clause.document, drafter, by=admin_member)
    assert digests.render_email(message) is None


# --- the schedule ----------------------------------------------------------------------------------------------
@pytest.mark.parametrize(("last", "now", "due"), [
    (at(6, 7), at(7, 6, 59, 59), False),   # Monday before the hour: yesterday's was sent
    (at(6, 7), at(7, 7), True),            # on the hour
    (at(7, 7), at(7, 23, 59), False),      # today's went out
    (at(4, 7), at(7, 6), True),            # missed days: sent at the next run, once
    (at(6, 7), at(7, 7) - timedelta(microseconds=1), False),
])
def test_daily_digest_is_due_once_a_day_after_the_digest_hour(drafter, last, now, due):
    choose(drafter, DAILY, last_digest_at=last)
    assert digests.is_due(drafter, now) is due


@pytest.mark.parametrize(("last", "now", "due"), [
    (at(1, 9), at(6, 23, 59), False),      # Sunday night
    (at(1, 9), at(7, 6, 59, 59), False),   # Monday before the hour
    (at(1, 9), at(7, 7), True),            # Monday on the hour
    (at(7, 7), at(8, 12), False),          # Tuesday: this week's went out
    (at(1, 9), at(9, 12), True),           # Monday's run was missed: sent on Wednesday
    (at(7, 7), at(14, 7), True),           # next Monday
])
def test_weekly_digest_is_due_on_mondays_after_the_digest_hour(drafter, last, now, due):
    choose(drafter, WEEKLY, last_digest_at=last)
    assert digests.is_due(drafter, now) is due


def test_digest_hour_is_a_setting(settings, drafter):
    settings.DIGEST_HOUR = 18
    choose(drafter, DAILY, last_digest_at=at(6, 18))
    assert not digests.is_due(drafter, at(7, 17, 59)) and digests.is_due(drafter, at(7, 18))
    assert digests.next_run(at(7, 17)) == at(7, 18) and digests.next_run(at(7, 18)) == at(8, 18)


def test_the_digest_task_sends_the_due_digests_and_queues_itself_for_the_next_hour(settings, drafter, reviewer,
                                                                                    clause):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    backend = task_backends["default"]
    choose(drafter, DAILY, last_digest_at=timezone.now() - timedelta(days=3))
    news(drafter, comment(reviewer, clause), actor=reviewer, when=timezone.now() - timedelta(minutes=5))
    digests.send_due_digests.call()
    queued = [(r.task.name, r.task.run_after) for r in backend.results]
    assert ("send_email", None) in queued  # the digest, for the email worker
    (run_after,) = [when for name, when in queued if name == "send_due_digests"]
    local = run_after.astimezone(BAKU)
    assert (local.hour, local.minute, local.second) == (7, 0, 0)
    assert timezone.now() < run_after <= timezone.now() + timedelta(days=1)


def test_the_digest_task_does_not_loop_on_a_backend_that_cannot_defer(drafter):
    assert digests.schedule_next() is None  # the immediate backend of the tests: cron does the scheduling


def test_send_digests_command_sends_the_due_digests(drafter, reviewer, clause, capsys):
    choose(drafter, DAILY, last_digest_at=timezone.now() - timedelta(days=3))
    news(drafter, comment(reviewer, clause), actor=reviewer, when=timezone.now() - timedelta(minutes=5))
    call_command("send_digests")
    assert "Digests queued: 1." in capsys.readouterr().out
    assert digest_of(drafter) is not None


# --- the choice ------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("frequency", [IMMEDIATE, DAILY, WEEKLY, NONE])
def test_member_chooses_their_email_frequency_in_the_inbox(client, drafter, frequency):
    choose(drafter, NONE if frequency == IMMEDIATE else IMMEDIATE)
    response = login(client, drafter).post(reverse("email_preference"), {"email_frequency": frequency})
    assert response.status_code == 302
    drafter.refresh_from_db()
    assert drafter.email_frequency == frequency
    assert drafter.history.first().history_change_reason.startswith("email frequency")


def test_choosing_a_digest_starts_it_now_and_daily_to_weekly_keeps_its_start(client, drafter):
    login(client, drafter).post(reverse("email_preference"), {"email_frequency": DAILY})
    drafter.refresh_from_db()
    started = drafter.last_digest_at
    assert started is not None
    client.post(reverse("email_preference"), {"email_frequency": WEEKLY})
    drafter.refresh_from_db()
    assert drafter.last_digest_at == started


@pytest.mark.parametrize("value", ["hourly", "daily\x00", "", "٣", "x" * 100_000])
def test_an_unknown_email_frequency_is_refused_beside_the_field(client, drafter, value):
    response = login(client, drafter).post(reverse("email_preference"), {"email_frequency": value})
    assert response.status_code == 200
    assert b"has-error" in response.content
    drafter.refresh_from_db()
    assert drafter.email_frequency == IMMEDIATE


def test_inbox_shows_the_email_choice_as_radio_buttons(client, drafter):
    choose(drafter, WEEKLY)
    content = login(client, drafter).get(reverse("inbox")).content.decode()
    assert content.count('type="radio" name="email_frequency"') == 4
    checked = [line for line in content.splitlines() if 'name="email_frequency"' in line and "checked" in line]
    assert len(checked) == 1 and 'value="weekly"' in checked[0]


def test_profile_offers_the_email_frequency(client, drafter):
    response = login(client, drafter).post(reverse("profile"), {
        "full_name": drafter.full_name, "email": drafter.email, "email_frequency": DAILY})
    assert response.status_code == 302
    drafter.refresh_from_db()
    assert drafter.email_frequency == DAILY


# --- two workers at once ---------------------------------------------------------------------------------------
def race(*actions):
    """Each action in its own thread and database connection, released together (as tests/test_concurrency.py)."""
    barrier = threading.Barrier(len(actions))
    results = [None] * len(actions)

    def run(index, action):
        try:
            barrier.wait(timeout=10)
            results[index] = action()
        except Exception as error:  # noqa: BLE001 — reported by the assertions
            results[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=pair) for pair in enumerate(actions)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


@pytest.mark.postgresql
@pytest.mark.django_db(transaction=True)
def test_two_workers_sending_due_digests_at_once_send_one_email_per_member():
    from drafting.models import Document
    from drafting.seeds import CONCEPT_SLUG, load_concept

    load_concept()
    clause = Document.objects.get(slug=CONCEPT_SLUG).clauses.get(number="4.1.1")
    writer = make_member("reviewer_race", Member.Role.REVIEWER)
    readers = [make_member(f"drafter_race_{n}", Member.Role.DRAFTER) for n in range(3)]
    from .conftest import ROLE_ON_EVERY_DOCUMENT

    for member in [writer, *readers]:
        DocumentAccess.objects.get_or_create(document=clause.document, member=member,
                                             defaults={"role": ROLE_ON_EVERY_DOCUMENT[member.role]})
    said = comment(writer, clause)
    for round_ in range(30):
        now = at(7, 8) + timedelta(days=round_)
        for member in readers:
            Member.objects.filter(pk=member.pk).update(email_frequency=DAILY, last_digest_at=now - timedelta(days=1))
            news(member, said, actor=writer, when=now - timedelta(hours=1))
        before = len(mail.outbox)
        results = race(lambda now=now: digests.send_due(now), lambda now=now: digests.send_due(now))
        assert sum(results) == 3, results
        sent = mail.outbox[before:]
        assert sorted(m.to[0] for m in sent) == sorted(m.user.email for m in readers), round_


# --- the migration ---------------------------------------------------------------------------------------------
@pytest.mark.django_db(transaction=True)
def test_migration_moves_email_on_to_immediate_and_email_off_to_none_and_back():
    from django.db.migrations.executor import MigrationExecutor

    before, after = [("drafting", "0013_search")], [("drafting", "0014_email_frequency")]
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    try:
        old = MigrationExecutor(connection).loader.project_state(before).apps
        User, OldMember = old.get_model("auth", "User"), old.get_model("drafting", "Member")
        for name, on in (("on", True), ("off", False)):
            user = User.objects.create(username=name, email=f"{name}@example.test")
            OldMember.objects.create(user=user, full_name=name, email_notifications=on)
        executor = MigrationExecutor(connection)
        executor.migrate(after)
        new = MigrationExecutor(connection).loader.project_state(after).apps.get_model("drafting", "Member")
        assert dict(new.objects.values_list("full_name", "email_frequency")) == {"on": "immediate", "off": "none"}
        new.objects.filter(full_name="on").update(email_frequency="weekly")
        executor = MigrationExecutor(connection)
        executor.migrate(before)
        old = MigrationExecutor(connection).loader.project_state(before).apps.get_model("drafting", "Member")
        assert dict(old.objects.values_list("full_name", "email_notifications")) == {"on": True, "off": False}
    finally:
        # Back to the latest migrations, not to 0014: the tests after this one need every table of the app.
        executor = MigrationExecutor(connection)
        executor.loader.build_graph()
        executor.migrate(executor.loader.graph.leaf_nodes())


def test_a_profile_post_without_the_email_frequency_keeps_it(client, drafter):
    choose(drafter, WEEKLY)
    response = login(client, drafter).post(reverse("profile"), {"full_name": "Dinara Ə.", "email": drafter.email})
    assert response.status_code == 302
    drafter.refresh_from_db()
    assert (drafter.full_name, drafter.email_frequency) == ("Dinara Ə.", WEEKLY)
