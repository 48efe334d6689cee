"""The amendment life cycle, each rule of the product by name."""
import pytest

from drafting.models import Amendment, Clause, NotAllowed, Review, TransitionError
from drafting.rebase import RebaseConflict  # noqa: F401  (documents where conflicts come from)

from .amendment_builders import REMOVED_SENTENCE, insert, modify, remove

APPROVE, CHANGES, REJECT = Review.Decision.APPROVE, Review.Decision.REQUEST_CHANGES, Review.Decision.REJECT


@pytest.fixture
def clause(concept):
    return concept.clauses.get(number="4.1.1")


def test_amendments_are_numbered_per_document(drafter, clause, concept):
    from .builders import make_document

    first = modify(drafter, clause, body="x")
    second = modify(drafter, clause, body="y")
    other = make_document(10, slug="other")
    third = modify(drafter, other.clauses.get(number="1.1"), body="z")
    assert (first.label, second.label, third.label) == ("A-1", "A-2", "A-1")


def test_base_is_the_exact_clause_version_written_against(drafter, clause):
    amendment = modify(drafter, clause, body="new")
    assert amendment.base == clause.history.latest()
    assert amendment.base.body == clause.body


def test_approval_reaching_quorum_applies_the_amendment(drafter, reviewer, clause):
    new_body = clause.body.replace(REMOVED_SENTENCE, "")
    amendment = modify(drafter, clause, body=new_body, submit=True)
    assert amendment.review(reviewer, APPROVE) == Amendment.State.APPLIED
    clause.refresh_from_db()
    assert clause.body == new_body
    latest = clause.history.latest()
    assert latest.history_change_reason == "amendment A-1"
    assert latest.history_user == reviewer.user
    assert latest.amendment == amendment


def test_quorum_of_two_needs_two_approvals(drafter, reviewer, second_reviewer, clause, concept):
    concept.quorum = 2
    concept.save()
    amendment = modify(drafter, clause, body="short", submit=True)
    assert amendment.review(reviewer, APPROVE) == Amendment.State.SUBMITTED
    assert amendment.review(second_reviewer, APPROVE) == Amendment.State.APPLIED


def test_author_cannot_review_own_amendment(reviewer, clause):
    amendment = modify(reviewer, clause, body="mine", submit=True)
    with pytest.raises(TransitionError, match="cannot review their own"):
        amendment.review(reviewer, APPROVE)


def test_cosponsor_cannot_review_the_amendment(drafter, reviewer, clause):
    amendment = modify(drafter, clause, body="ours", submit=True)
    amendment.cosponsors.add(reviewer)
    with pytest.raises(TransitionError, match="cannot review their own"):
        amendment.review(reviewer, APPROVE)


def test_drafters_cannot_review(drafter, second_drafter, clause):
    amendment = modify(drafter, clause, body="x", submit=True)
    with pytest.raises(TransitionError, match="Only reviewers"):
        amendment.review(second_drafter, APPROVE)


def test_deactivated_reviewer_cannot_review(drafter, deactivated, clause):
    amendment = modify(drafter, clause, body="x", submit=True)
    with pytest.raises(TransitionError):
        amendment.review(deactivated, APPROVE)


def test_deactivated_member_cannot_propose(deactivated, clause):
    with pytest.raises(TransitionError):
        modify(deactivated, clause, body="x")


def test_reviewer_decision_can_be_changed_until_applied(drafter, reviewer, second_reviewer, clause, concept):
    concept.quorum = 2
    concept.save()
    amendment = modify(drafter, clause, body="x", submit=True)
    assert amendment.review(reviewer, REJECT) == Amendment.State.REJECTED
    assert amendment.review(reviewer, APPROVE) == Amendment.State.SUBMITTED
    assert amendment.reviews.get(reviewer=reviewer).decision == APPROVE
    assert amendment.review(second_reviewer, APPROVE) == Amendment.State.APPLIED
    with pytest.raises(TransitionError, match="applied"):
        amendment.review(reviewer, REJECT)


def test_request_changes_then_edit_and_resubmit(drafter, reviewer, clause):
    amendment = modify(drafter, clause, body="first try", submit=True)
    assert amendment.review(reviewer, CHANGES, "Shorter please") == Amendment.State.CHANGES_REQUESTED
    amendment.revise(drafter, fields={"proposed_body": "second try"}, submit=True)
    assert amendment.state == Amendment.State.SUBMITTED and amendment.round == 2
    # The earlier round's request for changes no longer counts.
    assert amendment.review(reviewer, APPROVE) == Amendment.State.APPLIED


def test_only_the_author_can_edit_submit_or_withdraw(drafter, second_drafter, clause):
    amendment = modify(drafter, clause, body="x")
    for action in (amendment.check_editable_by, amendment.submit, amendment.withdraw):
        with pytest.raises(TransitionError, match="Only the author"):
            action(second_drafter)


def test_submitted_amendment_cannot_be_edited(drafter, clause):
    amendment = modify(drafter, clause, body="x", submit=True)
    with pytest.raises(TransitionError, match="cannot be edited"):
        amendment.check_editable_by(drafter)


@pytest.mark.parametrize("state", ["draft", "applied", "withdrawn", "needs_rebase"])
def test_review_refused_outside_reviewable_states(drafter, reviewer, clause, state):
    amendment = modify(drafter, clause, body="x")
    Amendment.objects.filter(pk=amendment.pk).update(state=state)
    amendment.refresh_from_db()
    with pytest.raises(TransitionError, match="cannot be reviewed now"):
        amendment.review(reviewer, APPROVE)


@pytest.mark.parametrize("state", ["submitted", "applied", "rejected", "withdrawn"])
def test_submit_refused_outside_editable_states(drafter, clause, state):
    amendment = modify(drafter, clause, body="x")
    Amendment.objects.filter(pk=amendment.pk).update(state=state)
    amendment.refresh_from_db()
    with pytest.raises(TransitionError, match="cannot be submitted now"):
        amendment.submit(drafter)


@pytest.mark.parametrize("state", ["applied", "rejected", "withdrawn"])
def test_withdraw_refused_once_closed(drafter, clause, state):
    amendment = modify(drafter, clause, body="x")
    Amendment.objects.filter(pk=amendment.pk).update(state=state)
    amendment.refresh_from_db()
    with pytest.raises(TransitionError, match="cannot be withdrawn now"):
        amendment.withdraw(drafter)


def test_submit_requires_a_rationale(drafter, clause):
    amendment = modify(drafter, clause, body="x", rationale=" ")
    with pytest.raises(TransitionError, match="rationale"):
        amendment.submit(drafter)


def test_removal_marks_clause_and_subclauses_removed_and_renumbers(drafter, reviewer, concept):
    section_3 = concept.clauses.get(number="3")
    sub = concept.clauses.get(number="3.1")
    section_4 = concept.clauses.get(number="4")
    amendment = remove(drafter, section_3, submit=True)
    assert [e.clause.pk for e in amendment.affected_clauses()] == [section_3.pk, sub.pk]
    assert amendment.review(reviewer, APPROVE) == Amendment.State.APPLIED
    section_3.refresh_from_db(), sub.refresh_from_db(), section_4.refresh_from_db()
    assert section_3.status == sub.status == Clause.Status.REMOVED
    assert section_4.number == "3"
    assert concept.clauses.get(pk=concept.clauses.get(heading__startswith="The restoration").pk).number == "3.1.1"
    assert Clause.objects.filter(pk=section_3.pk).exists()  # never deleted
    assert section_3.history.latest().history_change_reason == "amendment A-1"


def test_insertion_after_a_clause_renumbers_the_siblings_after_it(drafter, reviewer, concept):
    section_2 = concept.clauses.get(number="2")
    section_3 = concept.clauses.get(number="3")
    amendment = insert(drafter, section_2, Amendment.Placement.AFTER, "Economic transformation", "Text.", submit=True)
    assert amendment.provisional_label() == "new, after 2"
    assert amendment.review(reviewer, APPROVE) == Amendment.State.APPLIED
    amendment.refresh_from_db()
    section_3.refresh_from_db()
    assert amendment.result_clause.number == "3"
    assert section_3.number == "4"
    stable_id = section_3.pk
    assert Clause.objects.get(pk=stable_id).heading.startswith("Threats")  # identity unchanged


def test_insertion_as_last_child(drafter, reviewer, concept):
    section_3 = concept.clauses.get(number="3")
    amendment = insert(drafter, section_3, Amendment.Placement.LAST_CHILD, "Artificial intelligence", "AI.", submit=True)
    amendment.review(reviewer, APPROVE)
    amendment.refresh_from_db()
    assert amendment.result_clause.number == "3.2"


def test_insertion_as_first_child(drafter, reviewer, concept):
    section_3 = concept.clauses.get(number="3")
    amendment = insert(drafter, section_3, Amendment.Placement.FIRST_CHILD, "AI", "AI.", submit=True)
    amendment.review(reviewer, APPROVE)
    amendment.refresh_from_db()
    assert amendment.result_clause.number == "3.1"
    assert concept.clauses.get(heading__startswith="Attempts against").number == "3.2"


def test_stale_base_with_non_overlapping_change_rebases_cleanly(drafter, second_drafter, reviewer, clause):
    ours = modify(drafter, clause, body=clause.body.replace(REMOVED_SENTENCE, ""), submit=True)
    theirs = modify(second_drafter, clause, body=clause.body.replace("most paramount", "paramount"), submit=True)
    assert theirs.review(reviewer, APPROVE) == Amendment.State.APPLIED
    assert ours.review(reviewer, APPROVE) == Amendment.State.APPLIED
    clause.refresh_from_db()
    assert "OSCE Minsk Group to eliminate" not in clause.body
    assert "the paramount task" in clause.body and "most paramount" not in clause.body
    ours.refresh_from_db()
    assert ours.applied_body == clause.body


def test_stale_base_with_overlapping_change_needs_rebase_and_text_unchanged(drafter, second_drafter, reviewer, clause):
    ours = modify(drafter, clause, body=clause.body.replace("OSCE Minsk Group", "United Nations"), submit=True)
    theirs = modify(second_drafter, clause, body=clause.body.replace(REMOVED_SENTENCE, ""), submit=True)
    theirs.review(reviewer, APPROVE)
    clause.refresh_from_db()
    text_before = clause.body
    assert ours.review(reviewer, APPROVE) == Amendment.State.NEEDS_REBASE
    clause.refresh_from_db()
    assert clause.body == text_before
    ours.refresh_from_db()
    assert ours.conflict and ours.state == Amendment.State.NEEDS_REBASE


def test_needs_rebase_author_redoes_on_current_text_and_resubmits(drafter, second_drafter, reviewer, clause):
    ours = modify(drafter, clause, body=clause.body.replace("OSCE Minsk Group", "United Nations"), submit=True)
    theirs = modify(second_drafter, clause, body=clause.body.replace(REMOVED_SENTENCE, ""), submit=True)
    theirs.review(reviewer, APPROVE)
    ours.review(reviewer, APPROVE)
    with pytest.raises(TransitionError, match="Redo the amendment"):
        ours.submit(drafter)
    clause.refresh_from_db()
    ours.revise(drafter, fields={"proposed_body": clause.body + " Added."}, submit=True)
    assert ours.review(reviewer, APPROVE) == Amendment.State.APPLIED


def test_modify_of_a_removed_clause_needs_rebase(drafter, second_drafter, reviewer, concept):
    clause = concept.clauses.get(number="1")
    ours = modify(drafter, clause, body="New text.", submit=True)
    remove(second_drafter, clause, submit=True).review(reviewer, APPROVE)
    assert ours.review(reviewer, APPROVE) == Amendment.State.NEEDS_REBASE


def test_open_counts_by_clause_in_one_query(drafter, second_drafter, clause, concept, django_assert_num_queries):
    modify(drafter, clause, body="a")
    modify(drafter, clause, body="b", submit=True)
    modify(drafter, clause, body="c").withdraw(drafter)
    with django_assert_num_queries(1):
        counts = Amendment.objects.open_counts_by_clause(concept, second_drafter)
    assert counts == {clause.pk: 1}  # the submitted one; the draft is its author's, withdrawn ones closed
    assert Amendment.objects.open_counts_by_clause(concept, drafter) == {clause.pk: 2}  # the author counts it


def test_history_is_kept_for_amendments_and_reviews(drafter, reviewer, clause):
    amendment = modify(drafter, clause, body="x", submit=True)
    amendment.review(reviewer, CHANGES)
    states = [h.state for h in amendment.history.order_by("history_date", "history_id")]
    assert states[0] == "draft" and "submitted" in states and states[-1] == "changes_requested"
    assert Review.history.count() == 1


def test_member_who_signs_on_as_cosponsor_can_no_longer_review(drafter, reviewer, clause):
    amendment = modify(drafter, clause, body="x", submit=True)
    amendment.sign_on(reviewer)
    with pytest.raises(TransitionError, match="cannot review their own"):
        amendment.review(reviewer, APPROVE)
    amendment.sign_off(reviewer)
    # Signing off to approve one's own text is refused for the rest of the round.
    with pytest.raises(NotAllowed, match="cannot review their own"):
        amendment.review(reviewer, APPROVE)


def test_cannot_sign_on_to_a_closed_amendment(drafter, second_drafter, clause):
    amendment = modify(drafter, clause, body="x")
    amendment.withdraw(drafter)
    with pytest.raises(TransitionError, match="cannot be co-sponsored now"):
        amendment.sign_on(second_drafter)


def test_every_transition_is_attributed_to_the_member_who_took_it(drafter, reviewer, clause):
    amendment = modify(drafter, clause, body="x", submit=True)
    amendment.review(reviewer, APPROVE)
    rows = amendment.history.order_by("history_date", "history_id")
    assert [(r.state, r.history_user.username, r.history_change_reason) for r in rows] == [
        ("draft", drafter.user.username, "drafted"),
        ("submitted", drafter.user.username, "submitted"),
        ("approved", reviewer.user.username, "approved"),
        ("applied", reviewer.user.username, "applied"),
    ]


# --- co-sponsorship (issue 9) -------------------------------------------------------------------------------
def test_signing_on_after_reviewing_is_refused(drafter, reviewer, second_reviewer, concept, clause):
    concept.quorum = 2
    concept.save()
    amendment = modify(drafter, clause, body="x", submit=True)
    amendment.review(reviewer, APPROVE)
    with pytest.raises(TransitionError, match="has reviewed A-1 in this round"):
        amendment.sign_on(reviewer)
    assert not amendment.cosponsors.filter(pk=reviewer.pk).exists()
    # The approval stays one approval: it does not count as a sponsor's.
    assert amendment.review(second_reviewer, APPROVE) == Amendment.State.APPLIED


def test_a_cosponsor_of_the_round_never_counts_towards_the_quorum(drafter, reviewer, second_reviewer, concept, clause):
    concept.quorum = 2
    concept.save()
    amendment = modify(drafter, clause, body="x", submit=True)
    amendment.sign_on(reviewer)
    amendment.sign_off(reviewer)
    with pytest.raises(NotAllowed):
        amendment.review(reviewer, APPROVE)
    assert amendment.review(second_reviewer, APPROVE) == Amendment.State.SUBMITTED
    assert amendment.reviews.count() == 1


def test_a_former_cosponsor_may_review_a_later_round(drafter, reviewer, second_reviewer, clause):
    amendment = modify(drafter, clause, body="x")
    amendment.sign_on(reviewer)
    amendment.sign_off(reviewer)  # in the draft's round 0, before it was ever submitted
    amendment.submit(drafter)
    assert reviewer.can_review(amendment)
    assert amendment.review(reviewer, APPROVE) == Amendment.State.APPLIED


def test_every_sign_on_and_sign_off_is_recorded_with_who_and_when(drafter, second_drafter, reviewer, clause):
    from drafting.models import SponsorshipEvent

    amendment = modify(drafter, clause, body="x", submit=True)
    amendment.sign_on(second_drafter)
    amendment.sign_off(second_drafter)
    events = list(amendment.sponsorship_events.values_list("member__full_name", "action", "by__full_name", "round"))
    assert events == [
        ("Samir Quliyev", SponsorshipEvent.Action.SIGNED_ON, "Samir Quliyev", 1),
        ("Samir Quliyev", SponsorshipEvent.Action.SIGNED_OFF, "Samir Quliyev", 1),
    ]
    assert all(e.at is not None for e in amendment.sponsorship_events.all())


def test_cosponsors_named_by_the_author_are_recorded_as_signed_on_by_the_author(drafter, second_drafter, reviewer, clause):
    from drafting.models import SponsorshipEvent

    amendment = Amendment.start(author=drafter, clause=clause, kind=Amendment.Kind.MODIFY, proposed_body="y",
                                proposed_heading=clause.heading, rationale="r", cosponsors=[second_drafter])
    amendment.revise(drafter, fields={}, cosponsors=[reviewer])
    rows = list(amendment.sponsorship_events.values_list("member__full_name", "action", "by__full_name"))
    assert rows == [
        ("Samir Quliyev", SponsorshipEvent.Action.SIGNED_ON, "Dinara Əliyeva"),
        ("Samir Quliyev", SponsorshipEvent.Action.SIGNED_OFF, "Dinara Əliyeva"),
        ("Rauf Həsənov", SponsorshipEvent.Action.SIGNED_ON, "Dinara Əliyeva"),
    ]
    assert list(amendment.cosponsors.all()) == [reviewer]


def test_signing_off_someone_who_is_not_a_cosponsor_is_refused(drafter, second_drafter, clause):
    amendment = modify(drafter, clause, body="x", submit=True)
    with pytest.raises(TransitionError, match="not a co-sponsor"):
        amendment.sign_off(second_drafter)
    assert not amendment.sponsorship_events.exists()


# --- one locked path per transition (issue 9) -----------------------------------------------------------------
def test_a_review_of_a_revision_edited_since_is_refused(drafter, reviewer, clause):
    amendment = modify(drafter, clause, body="first", submit=True)
    amendment.review(reviewer, CHANGES, "Shorter.")
    read = amendment.revision
    amendment.revise(drafter, fields={"proposed_body": "second"})
    with pytest.raises(TransitionError, match="edited since you opened it"):
        amendment.review(reviewer, APPROVE, revision=read)
    amendment.refresh_from_db()
    assert amendment.changes_requested and clause.body != "second"


def test_a_transition_decides_on_the_stored_row_not_on_a_stale_instance(drafter, reviewer, clause):
    amendment = modify(drafter, clause, body="x", submit=True)
    stale_copy = Amendment.objects.get(pk=amendment.pk)
    amendment.withdraw(drafter)
    with pytest.raises(TransitionError, match="withdrawn; it cannot be reviewed"):
        stale_copy.review(reviewer, APPROVE)
    assert not Review.objects.exists()


def test_apply_from_any_state_but_approved_is_refused(drafter, reviewer, clause):
    amendment = modify(drafter, clause, body="x", submit=True)
    with pytest.raises(TransitionError, match="not approved"):
        amendment.apply(reviewer)
    assert amendment.is_submitted and not Clause.history.filter(amendment=amendment).exists()


def test_an_edit_opened_before_another_change_is_refused_as_stale(drafter, clause):
    from drafting.models import StaleEdit

    amendment = modify(drafter, clause, body="x")
    opened = amendment.updated_at.isoformat()
    amendment.revise(drafter, fields={"proposed_body": "y"}, edited_at=opened)
    with pytest.raises(StaleEdit):
        amendment.revise(drafter, fields={"proposed_body": "z"}, edited_at=opened)
    amendment.refresh_from_db()
    assert amendment.proposed_body == "y"


def test_no_notification_of_a_transition_that_was_rolled_back(drafter, second_drafter, clause,
                                                               django_capture_on_commit_callbacks):
    from django.db import transaction

    from drafting.models import Notification

    amendment = modify(drafter, clause, body="x")
    amendment.sign_on(second_drafter)
    with django_capture_on_commit_callbacks(execute=True):
        try:
            with transaction.atomic():
                amendment.submit(drafter)
                raise RuntimeError("the request failed after the submission")
        except RuntimeError:
            pass
    assert not Notification.objects.exists()
    assert Amendment.objects.get(pk=amendment.pk).is_draft
