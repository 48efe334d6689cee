"""Your sessions: where a member is signed in, signing out another session, and an admin's sign-out
everywhere (audited); last activity is written at most once a minute."""
from datetime import timedelta

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from drafting.models import SessionRecord
from drafting.models.sessions import SEEN_KEY

from .builders import PASSWORD
from .conftest import login

FIREFOX = "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0"
CHROME_ANDROID = ("Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) "
                  "Chrome/131.0.0.0 Mobile Safari/537.36")


def signed_in(member, agent, address):
    """A browser signed in through the sign-in form (the drafter needs no code)."""
    client = Client(HTTP_USER_AGENT=agent, REMOTE_ADDR=address)
    assert client.post(reverse("login"), {"username": member.user.username, "password": PASSWORD}).status_code == 302
    return client


def test_a_member_sees_where_they_are_signed_in(drafter):
    laptop = signed_in(drafter, FIREFOX, "198.51.100.4")
    signed_in(drafter, CHROME_ANDROID, "203.0.113.77")
    page = laptop.get(reverse("session_list"))
    assert page.status_code == 200
    assert "Firefox on Linux" in page.text and "198.51.100.4" in page.text
    assert "Chrome on Android" in page.text and "203.0.113.77" in page.text
    assert page.text.count("this browser") == 1


def test_a_member_signs_out_another_of_their_sessions(drafter):
    laptop = signed_in(drafter, FIREFOX, "198.51.100.4")
    phone = signed_in(drafter, CHROME_ANDROID, "203.0.113.77")
    other = SessionRecord.objects.get(user=drafter.user, user_agent=CHROME_ANDROID)
    response = laptop.post(reverse("session_sign_out", args=[other.pk]))
    assert response.status_code == 302
    # The phone's next request is signed out; the laptop stays signed in.
    assert phone.get(reverse("document_list"))["Location"].startswith(reverse("login"))
    assert laptop.get(reverse("document_list")).status_code == 200
    assert "Chrome on Android" not in laptop.get(reverse("session_list")).text


def test_the_current_session_is_not_signed_out_from_the_list(drafter):
    laptop = signed_in(drafter, FIREFOX, "198.51.100.4")
    own = SessionRecord.objects.get(user=drafter.user)
    laptop.post(reverse("session_sign_out", args=[own.pk]))
    assert laptop.get(reverse("document_list")).status_code == 200


def test_another_members_session_is_not_found(drafter, second_drafter):
    signed_in(drafter, FIREFOX, "198.51.100.4")
    theirs = SessionRecord.objects.get(user=drafter.user)
    intruder = signed_in(second_drafter, FIREFOX, "198.51.100.9")
    assert intruder.post(reverse("session_sign_out", args=[theirs.pk])).status_code == 404
    assert SessionRecord.objects.filter(pk=theirs.pk).exists()
    assert "198.51.100.4" not in intruder.get(reverse("session_list")).text


def test_signing_out_removes_the_session_from_the_list(drafter):
    laptop = signed_in(drafter, FIREFOX, "198.51.100.4")
    laptop.post(reverse("logout"))
    assert not SessionRecord.objects.filter(user=drafter.user).exists()


def test_an_admin_signs_a_member_out_everywhere_and_it_is_audited(client, admin_member, drafter):
    laptop = signed_in(drafter, FIREFOX, "198.51.100.4")
    phone = signed_in(drafter, CHROME_ANDROID, "203.0.113.77")
    login(client, admin_member)
    response = client.post(reverse("member_sign_out", args=[drafter.pk]))
    assert response.status_code == 302
    for browser in (laptop, phone):
        assert browser.get(reverse("document_list"))["Location"].startswith(reverse("login"))
    assert not SessionRecord.objects.filter(user=drafter.user).exists()
    latest = drafter.history.latest("history_date")
    assert latest.history_user == admin_member.user and latest.history_change_reason == "signed out everywhere"
    assert "signed out everywhere" in client.get(reverse("audit_log")).text
    # The admin's own session is untouched.
    assert client.get(reverse("document_list")).status_code == 200


def test_only_admins_sign_a_member_out_everywhere(drafter, second_drafter):
    laptop = signed_in(drafter, FIREFOX, "198.51.100.4")
    other = signed_in(second_drafter, FIREFOX, "198.51.100.9")
    assert other.post(reverse("member_sign_out", args=[drafter.pk])).status_code == 403
    assert laptop.get(reverse("document_list")).status_code == 200


def test_last_activity_is_written_at_most_once_a_minute(drafter):
    laptop = signed_in(drafter, FIREFOX, "198.51.100.4")
    record = SessionRecord.objects.get(user=drafter.user)
    with CaptureQueriesContext(connection) as queries:
        laptop.get(reverse("document_list"))
    assert not [q for q in queries if "drafting_sessionrecord" in q["sql"]]
    # A minute later the next request notes the activity.
    session = laptop.session
    session[SEEN_KEY] = (timezone.now() - timedelta(minutes=2)).timestamp()
    session.save()
    laptop.get(reverse("document_list"))
    assert SessionRecord.objects.get(pk=record.pk).last_seen > record.last_seen


def test_an_expired_session_is_not_listed(drafter):
    from django.contrib.sessions.models import Session

    laptop = signed_in(drafter, FIREFOX, "198.51.100.4")
    signed_in(drafter, CHROME_ANDROID, "203.0.113.77")
    phone_key = SessionRecord.objects.get(user_agent=CHROME_ANDROID).session_key
    Session.objects.filter(session_key=phone_key).update(expire_date=timezone.now() - timedelta(seconds=1))
    assert "Chrome on Android" not in laptop.get(reverse("session_list")).text


def test_your_sessions_prints_dates_as_the_rest_of_the_app(drafter, settings):
    from datetime import datetime
    from zoneinfo import ZoneInfo

    settings.TIME_ZONE = "Asia/Baku"
    laptop = signed_in(drafter, FIREFOX, "198.51.100.4")
    SessionRecord.objects.filter(user=drafter.user).update(
        created=datetime(2026, 11, 23, 22, 8, tzinfo=ZoneInfo("Asia/Baku")),
        last_seen=datetime(2026, 11, 24, 9, 5, tzinfo=ZoneInfo("Asia/Baku")))
    page = laptop.get(reverse("session_list"), HTTP_USER_AGENT=FIREFOX).text
    # "j M Y, H:i", as comments, amendments and the activity feed print them; never "2026-11-23 22:08".
    assert ">23 Nov 2026, 22:08</time>" in page and ">24 Nov 2026, 09:05</time>" in page
    assert "2026-11-23 22:08" not in page
