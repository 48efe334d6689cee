"""The rules for changing the member list: one active admin at least, unique email, known roles, history."""
import pytest
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from drafting.models import Member
from drafting.models.members import DUPLICATE_EMAIL, LAST_ADMIN, UNKNOWN_ROLE

from .builders import make_member
from .conftest import login


def edit_data(member, **changes):
    data = {"full_name": member.full_name, "email": member.email, "agency": member.agency,
            "position": member.position, "role": member.role}
    return {**data, **changes}


def test_last_active_admin_cannot_be_deactivated(admin_member):
    with pytest.raises(ValidationError, match="at least one active admin"):
        admin_member.deactivate(by=admin_member)
    admin_member.user.refresh_from_db()
    assert admin_member.user.is_active


def test_last_active_admin_cannot_be_demoted(admin_member, reviewer):
    with pytest.raises(ValidationError, match="at least one active admin"):
        admin_member.edit(by=admin_member, role=Member.Role.REVIEWER)
    admin_member.refresh_from_db()
    assert admin_member.role == Member.Role.ADMIN


def test_a_deactivated_admin_does_not_count_as_the_other_admin(admin_member):
    former = make_member("former_admin", Member.Role.ADMIN)
    former.deactivate(by=admin_member)
    with pytest.raises(ValidationError):
        admin_member.deactivate(by=admin_member)


def test_an_admin_can_be_demoted_while_another_admin_is_active(admin_member):
    other = make_member("other_admin", Member.Role.ADMIN)
    admin_member.edit(by=other, role=Member.Role.DRAFTER)
    admin_member.refresh_from_db()
    assert admin_member.role == Member.Role.DRAFTER
    assert not admin_member.user.is_staff and not admin_member.user.is_superuser


def test_last_admin_demoting_themself_is_refused_with_their_input_kept(as_admin, admin_member):
    url = reverse("member_edit", args=[admin_member.pk])
    response = as_admin.post(url, edit_data(admin_member, role="reviewer", position="Chair of the group"))
    assert response.status_code == 200
    assert str(LAST_ADMIN) in response.text
    assert 'value="Chair of the group"' in response.text
    admin_member.refresh_from_db()
    assert admin_member.role == Member.Role.ADMIN and admin_member.position != "Chair of the group"


def test_deactivating_the_last_admin_from_the_list_says_why(as_admin, admin_member):
    response = as_admin.post(reverse("member_deactivate", args=[admin_member.pk]), follow=True)
    assert str(LAST_ADMIN) in response.text
    admin_member.user.refresh_from_db()
    assert admin_member.user.is_active


def test_duplicate_email_is_refused_with_input_kept(as_admin, drafter):
    response = as_admin.post(reverse("member_add"), {
        "full_name": "Nigar Hüseynova", "email": drafter.email.upper(), "agency": "Ministry of Defence",
        "position": "Deputy Head", "role": "drafter"})
    assert response.status_code == 200 and str(DUPLICATE_EMAIL) in response.text
    assert "Nigar Hüseynova" in response.text and "Ministry of Defence" in response.text
    assert not Member.objects.filter(full_name="Nigar Hüseynova").exists()


def test_changing_email_to_another_members_is_refused(as_admin, drafter, reviewer):
    response = as_admin.post(reverse("member_edit", args=[drafter.pk]), edit_data(drafter, email=reviewer.email))
    assert response.status_code == 200 and str(DUPLICATE_EMAIL) in response.text


def test_unknown_role_is_refused_with_a_clear_message(as_admin):
    response = as_admin.post(reverse("member_add"), {
        "full_name": "Nigar Hüseynova", "email": "nigar@example.test", "role": "superadmin"})
    assert response.status_code == 200 and str(UNKNOWN_ROLE) in response.text
    assert 'value="nigar@example.test"' in response.text
    with pytest.raises(ValidationError, match="Choose one of the roles"):
        Member.add(full_name="X", email="x@example.test", role="superadmin")


def test_deactivation_ends_existing_sessions_at_once(as_admin, drafter, concept):
    their_browser = login(Client(), drafter)
    assert their_browser.get(concept.get_absolute_url()).status_code == 200
    as_admin.post(reverse("member_deactivate", args=[drafter.pk]))
    response = their_browser.get(concept.get_absolute_url())
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    assert not [s for s in Session.objects.all() if s.get_decoded().get("_auth_user_id") == str(drafter.user.pk)]


def test_deactivated_member_keeps_their_name_marked_former_member(admin_member, drafter):
    drafter.deactivate(by=admin_member)
    assert Member.objects.get(pk=drafter.pk).display_name == "Dinara Əliyeva (former member)"


def test_reactivated_member_can_sign_in_again(as_admin, deactivated):
    as_admin.post(reverse("member_reactivate", args=[deactivated.pk]))
    deactivated.user.refresh_from_db()
    assert deactivated.user.is_active
    assert login(Client(), deactivated).get(reverse("document_list")).status_code == 200


def test_every_change_to_the_member_list_is_recorded_with_who_and_what(as_admin, admin_member):
    as_admin.post(reverse("member_add"), {"full_name": "Nigar Hüseynova", "email": "nigar@example.test",
                                          "agency": "MFA", "position": "Deputy", "role": "drafter"})
    nigar = Member.objects.get(full_name="Nigar Hüseynova")
    as_admin.post(reverse("member_edit", args=[nigar.pk]), edit_data(nigar, role="reviewer"))
    as_admin.post(reverse("member_deactivate", args=[nigar.pk]))
    as_admin.post(reverse("member_reactivate", args=[nigar.pk]))
    rows = list(nigar.history.order_by("history_date", "history_id"))
    assert [r.history_change_reason for r in rows] == [
        "added as drafter", "role drafter → reviewer", "deactivated", "reactivated"]
    assert {r.history_user for r in rows} == {admin_member.user}
    assert [r.account_active for r in rows] == [True, True, False, True]
    assert rows[0].account_email == "nigar@example.test"


def test_saving_an_unchanged_member_writes_no_history(as_admin, drafter):
    before = drafter.history.count()
    response = as_admin.post(reverse("member_edit", args=[drafter.pk]), edit_data(drafter), follow=True)
    assert "Nothing was changed" in response.text
    assert drafter.history.count() == before


def test_email_change_is_recorded_and_moves_an_email_username(admin_member):
    invited = Member.add(full_name="Nigar", email="nigar@example.test", role="drafter", by=admin_member)
    invited.edit(by=admin_member, email="nigar@mfa.example.test")
    invited.user.refresh_from_db()
    assert invited.user.username == "nigar@mfa.example.test"
    assert invited.history.first().history_change_reason == "email nigar@example.test → nigar@mfa.example.test"


def test_member_ids_in_urls_reveal_nothing_to_non_admins(as_drafter, reviewer):
    # The same refusal for a real and an unknown id, so ids cannot be used to learn who is in the group.
    assert as_drafter.get(reverse("member_edit", args=[reviewer.pk])).status_code == 403
    assert as_drafter.get(reverse("member_edit", args=[999999])).status_code == 403
    assert as_drafter.post(reverse("member_deactivate", args=[reviewer.pk])).status_code == 403
    reviewer.user.refresh_from_db()
    assert reviewer.user.is_active


def test_unknown_member_id_is_a_404_for_an_admin(as_admin):
    assert as_admin.get(reverse("member_edit", args=[999999])).status_code == 404
