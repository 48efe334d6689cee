"""The member list, a member's own profile and password, the audit page, and the create_member command."""
import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from drafting.models import Member, SignInEvent

from .builders import PASSWORD, make_member
from .conftest import login


def names_in(response):
    import re

    return re.findall(r'<td[^>]*><a href="/members/\d+/">([^<]+)</a>', response.text)


def test_member_list_shows_everyone_with_last_sign_in_and_deactivated_marked(as_admin, drafter, deactivated):
    drafter.user.last_login = timezone.now().replace(year=2026, month=3, day=1, hour=9, minute=30)
    drafter.user.save()
    response = as_admin.get(reverse("member_list"))
    assert names_in(response) == ["Aysel Nəsirova", "Dinara Əliyeva", "Farid Former"]
    assert "2026-03-01" in response.text and "never" in response.text
    assert 'class="inactive" data-member="former_farid"' in response.text and "Deactivated" in response.text


def test_member_list_is_searchable_by_name_agency_and_email(as_admin, drafter, reviewer):
    make_member("mfa_nigar", Member.Role.DRAFTER, full_name="Nigar Hüseynova", agency="Ministry of Foreign Affairs")
    assert names_in(as_admin.get(reverse("member_list"), {"q": "foreign"})) == ["Nigar Hüseynova"]
    assert names_in(as_admin.get(reverse("member_list"), {"q": "reviewer_rauf@"})) == ["Rauf Həsənov"]
    assert "No member matches" in as_admin.get(reverse("member_list"), {"q": "nobody"}).text


def test_member_list_sorts_by_any_column_both_ways(as_admin, drafter, reviewer):
    by_role = names_in(as_admin.get(reverse("member_list"), {"sort": "role"}))
    assert by_role == ["Aysel Nəsirova", "Dinara Əliyeva", "Rauf Həsənov"]  # admin, drafter, reviewer
    assert names_in(as_admin.get(reverse("member_list"), {"sort": "-name"})) == [
        "Rauf Həsənov", "Dinara Əliyeva", "Aysel Nəsirova"]
    # An unknown sort key falls back to the name, never to an arbitrary field.
    assert names_in(as_admin.get(reverse("member_list"), {"sort": "user__password"}))[0] == "Aysel Nəsirova"


def test_member_list_sorts_by_last_sign_in_with_never_last(as_admin, admin_member, drafter, reviewer):
    drafter.user.last_login = timezone.now()
    drafter.user.save()
    admin_member.user.last_login = timezone.now() - timezone.timedelta(days=1)
    admin_member.user.save()
    names = names_in(as_admin.get(reverse("member_list"), {"sort": "-last_login"}))
    assert names == ["Dinara Əliyeva", "Aysel Nəsirova", "Rauf Həsənov"]
    names = names_in(as_admin.get(reverse("member_list"), {"sort": "last_login"}))
    assert names == ["Aysel Nəsirova", "Dinara Əliyeva", "Rauf Həsənov"]


def test_member_list_takes_a_fixed_number_of_queries(as_admin, django_assert_max_num_queries):
    for i in range(20):
        make_member(f"member_{i}")
    # 9: the ninth reads the authenticator app that verified the admin's session (two-factor sign-in).
    with django_assert_max_num_queries(9):
        as_admin.get(reverse("member_list"))


def test_member_edits_their_own_profile(as_drafter, drafter):
    response = as_drafter.post(reverse("profile"), {"full_name": "Dinara Əliyeva-Quliyeva", "email": drafter.email,
                                                     "agency": "Security Council", "position": "Adviser",
                                                     "email_frequency": "daily"})
    assert response.status_code == 302
    drafter.refresh_from_db()
    assert (drafter.full_name, drafter.agency, drafter.email_frequency) == (
        "Dinara Əliyeva-Quliyeva", "Security Council", "daily")
    assert drafter.history.first().history_user == drafter.user


def test_member_cannot_raise_their_own_role_through_the_profile(as_drafter, drafter):
    as_drafter.post(reverse("profile"), {"full_name": drafter.full_name, "email": drafter.email, "role": "admin"})
    drafter.refresh_from_db()
    assert drafter.role == Member.Role.DRAFTER


def test_member_changes_their_own_password_and_stays_signed_in(client, drafter):
    client.post(reverse("login"), {"username": drafter.user.username, "password": PASSWORD})
    other_browser = login(Client(), drafter)
    response = client.post(reverse("password_change"), {
        "old_password": PASSWORD, "new_password1": "another-long-passphrase", "new_password2": "another-long-passphrase"})
    assert response.status_code == 302
    assert client.get(reverse("document_list")).status_code == 200
    assert other_browser.get(reverse("document_list")).status_code == 302  # the old password's sessions end


def test_wrong_current_password_does_not_change_it(as_drafter, drafter):
    response = as_drafter.post(reverse("password_change"), {
        "old_password": "wrong", "new_password1": "another-long-passphrase", "new_password2": "another-long-passphrase"})
    assert response.status_code == 200 and "incorrectly" in response.text
    drafter.user.refresh_from_db()
    assert drafter.user.check_password(PASSWORD)


def test_admin_sees_member_pages_in_the_navigation_and_others_do_not(as_admin, drafter):
    assert 'href="/members/"' in as_admin.get(reverse("document_list")).text
    assert 'href="/members/"' not in login(Client(), drafter).get(reverse("document_list")).text


def test_audit_page_combines_member_changes_and_sign_ins(client, as_admin, admin_member, drafter):
    drafter.edit(by=admin_member, role=Member.Role.REVIEWER)
    stranger = Client()
    stranger.post(reverse("login"), {"username": drafter.user.username, "password": "wrong"})
    stranger.post(reverse("login"), {"username": drafter.user.username, "password": PASSWORD})
    text = as_admin.get(reverse("audit_log")).text
    assert "role drafter → reviewer" in text and "Sign-in failed" in text and "Signed in" in text
    events = SignInEvent.objects.filter(username="drafter_dina").order_by("at", "id")
    assert [(e.kind, e.user, e.ip_address) for e in events] == [
        ("failed", drafter.user, "127.0.0.1"), ("signed_in", drafter.user, "127.0.0.1")]


def test_audit_page_filters_by_kind_and_person(as_admin, admin_member, drafter, reviewer):
    drafter.edit(by=admin_member, position="Head of unit")
    reviewer.edit(by=admin_member, position="Head of unit")
    Client().post(reverse("login"), {"username": "reviewer_rauf", "password": "wrong"})
    only_failures = as_admin.get(reverse("audit_log"), {"kind": "failed"}).text
    assert "Sign-in failed" in only_failures and "position changed" not in only_failures
    only_dinara = as_admin.get(reverse("audit_log"), {"kind": "members", "who": "Dinara"}).text
    assert "Dinara Əliyeva" in only_dinara and "Rauf Həsənov" not in only_dinara
    tomorrow = (timezone.localdate() + timezone.timedelta(days=1)).isoformat()
    assert "Nothing recorded" in as_admin.get(reverse("audit_log"), {"since": tomorrow}).text


def test_create_member_command_adds_a_member_and_prints_a_one_time_link(db, capsys):
    call_command("create_member", "aysel@secretariat.example.test", "Aysel Nəsirova", "--role", "admin",
                 "--agency", "Working group secretariat", "--base-url", "https://drafting.example.org")
    out = capsys.readouterr().out
    aysel = Member.objects.get(user__email="aysel@secretariat.example.test")
    assert aysel.role == Member.Role.ADMIN and aysel.agency == "Working group secretariat"
    assert "https://drafting.example.org/accounts/invitation/" in out
    assert aysel.history.first().history_change_reason == "added as admin"


def test_create_member_command_refuses_a_duplicate_email(drafter):
    with pytest.raises(CommandError, match="already exists"):
        call_command("create_member", drafter.email, "Someone Else")
