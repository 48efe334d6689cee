"""Roles become capabilities in one place: the Member methods."""
from drafting.models import Member

from .conftest import login


def test_drafter_can_propose_but_not_review_or_manage(drafter):
    assert drafter.can_propose() and drafter.can_comment()
    assert not drafter.can_review() and not drafter.can_manage_members()


def test_reviewer_can_review(reviewer):
    assert reviewer.can_review() and reviewer.can_propose()
    assert not reviewer.can_manage_members()


def test_admin_can_manage_members_and_review(admin_member):
    assert admin_member.can_manage_members() and admin_member.can_review()


def test_deactivated_member_can_do_nothing(deactivated):
    assert not any([deactivated.can_read(), deactivated.can_propose(), deactivated.can_review(),
                    deactivated.can_comment(), deactivated.can_manage_members()])


def test_deactivated_member_is_shown_as_former_member(deactivated):
    assert deactivated.display_name == "Farid Former (former member)"


def test_member_changes_are_recorded_in_history(drafter):
    drafter.role = Member.Role.REVIEWER
    drafter.save()
    assert [h.role for h in drafter.history.all()] == ["reviewer", "drafter"]


def test_admin_site_shows_every_model_with_history_and_no_workflow_edits(client, admin_member, concept):
    from django.urls import reverse

    from drafting.models import Amendment

    from .amendment_builders import modify

    amendment = modify(admin_member, concept.clauses.get(number="4.1.1"), body="x")
    admin_member.user.is_staff = True  # an admin member marked staff reads the admin; nobody is a superuser
    admin_member.user.save()
    login(client, admin_member)
    for model in ("document", "clause", "member", "amendment", "review", "comment", "tag", "milestone",
                  "notification", "signinevent"):
        assert client.get(reverse(f"admin:drafting_{model}_changelist")).status_code == 200, model
    assert client.get(reverse("admin:drafting_amendment_history", args=[amendment.pk])).status_code == 200
    # Amendments change through review and apply, never by editing them in the admin.
    response = client.post(reverse("admin:drafting_amendment_change", args=[amendment.pk]), {"state": "applied"})
    assert response.status_code == 403
    assert Amendment.objects.get(pk=amendment.pk).state == "draft"
