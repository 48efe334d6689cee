"""Roles become capabilities in one place: the Member methods."""
from drafting.models import Member


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
