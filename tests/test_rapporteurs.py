"""Rapporteurs and review requests (issue 15 point 3): the rules, each a test, and the forms as an attacker."""
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from drafting.models import Amendment, Member, NotAllowed, Notification, Rapporteur, ReviewRequest, TransitionError

from .amendment_builders import modify
from .builders import make_document
from .conftest import login


def _in(days):
    return timezone.localdate() + timedelta(days=days)


@pytest.fixture
def section(concept):
    return concept.clauses.get(number="4")


@pytest.fixture
def clause(concept):
    return concept.clauses.get(number="4.1.1")


def _assign(section, member, by, days=7):
    return Rapporteur.assign(clause=section, member=member, due_date=_in(days), by=by)


def _open(member):
    return ReviewRequest.objects.open().filter(member=member)


# --- assigning -------------------------------------------------------------------------------------------------
def test_assigning_a_section_asks_the_rapporteur_to_review_its_submitted_amendments(
        section, clause, drafter, reviewer, admin_member, django_capture_on_commit_callbacks):
    submitted = modify(drafter, clause, body="Submitted text.", submit=True)
    modify(drafter, clause, body="A draft, not asked.")
    elsewhere = modify(drafter, section.document.clauses.get(number="1"), body="Elsewhere.", submit=True)
    with django_capture_on_commit_callbacks(execute=True):
        assignment = _assign(section, reviewer, admin_member)
    requests = list(_open(reviewer))
    assert [r.amendment for r in requests] == [submitted]
    assert requests[0].due_date == assignment.due_date and requests[0].rapporteur == assignment
    assert not _open(reviewer).filter(amendment=elsewhere).exists()
    notice = Notification.objects.get(recipient=reviewer, kind=Notification.Kind.REQUEST)
    assert notice.amendment == submitted and submitted.label in notice.summary


def test_assignment_is_recorded_with_who_assigned_it(section, reviewer, admin_member):
    assignment = _assign(section, reviewer, admin_member)
    row = assignment.history.get()
    assert row.history_user == admin_member.user and row.history_change_reason == "assigned"


def test_drafter_cannot_be_rapporteur(section, drafter, admin_member):
    with pytest.raises(TransitionError):
        _assign(section, drafter, admin_member)
    assert not Rapporteur.objects.exists()


def test_drafter_cannot_assign_rapporteurs(section, drafter, reviewer):
    with pytest.raises(NotAllowed):
        _assign(section, reviewer, drafter)


def test_reviewer_can_assign_another_reviewer(section, reviewer, second_reviewer):
    assert _assign(section, second_reviewer, reviewer).member == second_reviewer


@pytest.mark.need_to_know
def test_member_not_on_the_document_cannot_be_rapporteur(section, reviewer, admin_member):
    assert reviewer.role_on(section.document) is None
    with pytest.raises(TransitionError):
        _assign(section, reviewer, admin_member)


@pytest.mark.parametrize("days", [-1, 5 * 366 + 2])
def test_due_date_in_the_past_or_absurdly_far_is_refused(section, reviewer, admin_member, days):
    with pytest.raises(TransitionError):
        _assign(section, reviewer, admin_member, days=days)
    assert not Rapporteur.objects.exists()


def test_due_date_today_is_accepted(section, reviewer, admin_member):
    assert _assign(section, reviewer, admin_member, days=0).due_date == timezone.localdate()


def test_same_member_cannot_be_assigned_the_same_clause_twice(section, reviewer, admin_member):
    _assign(section, reviewer, admin_member)
    with pytest.raises(TransitionError):
        _assign(section, reviewer, admin_member)
    assert Rapporteur.objects.count() == 1


# --- requests ----------------------------------------------------------------------------------------------------
def test_amendment_submitted_later_into_the_section_asks_the_rapporteur(section, clause, drafter, reviewer, admin_member):
    _assign(section, reviewer, admin_member)
    amendment = modify(drafter, clause, body="Later.")
    assert not _open(reviewer).exists()  # a draft is asked of nobody
    amendment.submit(drafter)
    assert _open(reviewer).get().amendment == amendment


def test_amendment_submitted_outside_the_section_asks_nobody(section, concept, drafter, reviewer, admin_member):
    _assign(section, reviewer, admin_member)
    modify(drafter, concept.clauses.get(number="1"), body="Elsewhere.", submit=True)
    assert not ReviewRequest.objects.exists()


def test_rapporteur_is_never_asked_to_review_their_own_amendment(section, clause, reviewer, admin_member):
    _assign(section, reviewer, admin_member)
    modify(reviewer, clause, body="My own.", submit=True)
    assert not _open(reviewer).exists()


def test_rapporteur_is_never_asked_to_review_what_they_co_sponsor(section, clause, drafter, reviewer, admin_member):
    amendment = modify(drafter, clause, body="Ours.")
    amendment.sign_on(reviewer)
    amendment.submit(drafter)
    _assign(section, reviewer, admin_member)
    assert not _open(reviewer).exists()


def test_signing_on_as_co_sponsor_cancels_the_request(section, clause, drafter, reviewer, admin_member):
    _assign(section, reviewer, admin_member)
    amendment = modify(drafter, clause, body="Later.", submit=True)
    amendment.sign_on(reviewer)
    assert ReviewRequest.objects.get().state == ReviewRequest.State.CANCELLED


def test_review_marks_the_request_done(section, clause, drafter, reviewer, admin_member):
    _assign(section, reviewer, admin_member)
    amendment = modify(drafter, clause, body="Later.", submit=True)
    amendment.review(reviewer, "request_changes", "More.")
    request = ReviewRequest.objects.get()
    assert request.state == ReviewRequest.State.DONE and request.settled_at is not None
    assert request.history.latest().history_change_reason == "reviewed"


def test_resubmission_asks_again(section, clause, drafter, reviewer, admin_member):
    _assign(section, reviewer, admin_member)
    amendment = modify(drafter, clause, body="Later.", submit=True)
    amendment.review(reviewer, "request_changes", "More.")
    amendment.revise(drafter, fields={"proposed_body": "Better."}, submit=True)
    assert ReviewRequest.objects.filter(state=ReviewRequest.State.DONE).count() == 1
    assert _open(reviewer).get().amendment == amendment


@pytest.mark.parametrize("close", ["withdraw", "apply", "reject"])
def test_request_is_cancelled_when_the_amendment_closes(section, clause, drafter, reviewer, second_reviewer,
                                                        admin_member, close):
    _assign(section, reviewer, admin_member)
    amendment = modify(drafter, clause, body="Later.", submit=True)
    if close == "withdraw":
        amendment.withdraw(drafter)
    elif close == "apply":
        amendment.review(second_reviewer, "approve")
        assert amendment.is_applied
    else:
        amendment.review(second_reviewer, "reject", "No.")
    assert ReviewRequest.objects.get().state == ReviewRequest.State.CANCELLED


def test_ending_the_assignment_cancels_its_open_requests_and_keeps_the_row(section, clause, drafter, reviewer,
                                                                           admin_member):
    assignment = _assign(section, reviewer, admin_member)
    modify(drafter, clause, body="Later.", submit=True)
    assignment.end(admin_member)
    assignment.refresh_from_db()
    assert not assignment.active and assignment.ended_by == admin_member
    assert ReviewRequest.objects.get().state == ReviewRequest.State.CANCELLED
    modify(drafter, clause, body="After the end.", submit=True)
    assert not _open(reviewer).exists()


def test_ending_twice_is_refused(section, reviewer, admin_member):
    assignment = _assign(section, reviewer, admin_member)
    assignment.end(admin_member)
    with pytest.raises(TransitionError):
        Rapporteur.objects.get().end(admin_member)


def test_drafter_cannot_end_an_assignment(section, reviewer, admin_member, drafter):
    assignment = _assign(section, reviewer, admin_member)
    with pytest.raises(NotAllowed):
        assignment.end(drafter)
    assert Rapporteur.objects.get().active


def test_deactivated_rapporteur_is_not_asked(section, clause, drafter, reviewer, admin_member):
    _assign(section, reviewer, admin_member)
    reviewer.deactivate(by=admin_member)
    modify(drafter, clause, body="Later.", submit=True)
    assert not ReviewRequest.objects.exists()


# --- the pages, as a user and as an attacker ---------------------------------------------------------------------
def _post_assign(client, document, **data):
    return client.post(reverse("rapporteur_assign", args=[document.slug]), data)


def test_admin_assigns_from_the_work_page(client, concept, section, reviewer, admin_member):
    login(client, admin_member)
    response = _post_assign(client, concept, clause=section.pk, member=reviewer.pk, due_date=_in(3).isoformat())
    assert response.status_code == 302
    assert Rapporteur.objects.get().clause == section


def test_assign_form_from_the_clause_page(client, concept, clause, reviewer, admin_member):
    login(client, admin_member)
    page = client.get(reverse("clause_detail", args=[concept.slug, clause.pk]))
    assert f'value="{clause.pk}" selected' in page.content.decode()
    _post_assign(client, concept, clause=clause.pk, member=reviewer.pk, due_date=_in(3).isoformat())
    page = client.get(reverse("clause_detail", args=[concept.slug, clause.pk]))
    assert reviewer.full_name in page.content.decode()


@pytest.mark.parametrize("field,value", [
    ("due_date", "2020-01-01"), ("due_date", "9999-12-31"), ("due_date", "２０２７-01-01"),
    ("due_date", "2027-02-30"), ("due_date", "2027-01-01\x00"), ("due_date", ""),
    ("clause", "²"), ("clause", "9" * 30), ("clause", "x\x00"), ("member", "²"), ("member", "99999999"),
])
def test_bad_input_gets_a_message_and_changes_nothing(client, concept, section, reviewer, admin_member, field, value):
    login(client, admin_member)
    data = {"clause": section.pk, "member": reviewer.pk, "due_date": _in(3).isoformat(), field: value}
    response = _post_assign(client, concept, **data)
    assert response.status_code == 200
    assert response.context["form"].errors[field]
    assert not Rapporteur.objects.exists()


def test_another_documents_clause_is_refused_with_a_message(client, concept, reviewer, admin_member):
    other = make_document(3, slug="other-work")
    login(client, admin_member)
    response = _post_assign(client, concept, clause=other.clauses.first().pk, member=reviewer.pk,
                            due_date=_in(3).isoformat())
    assert "Choose a section or clause of this document." in response.content.decode()
    assert not Rapporteur.objects.exists()


def test_drafter_on_the_document_is_not_offered_nor_accepted(client, concept, section, drafter, admin_member):
    login(client, admin_member)
    response = _post_assign(client, concept, clause=section.pk, member=drafter.pk, due_date=_in(3).isoformat())
    assert response.context["form"].errors["member"]
    assert not Rapporteur.objects.exists()


def test_forged_post_by_a_drafter_is_refused(client, concept, section, drafter, reviewer):
    login(client, drafter)
    response = _post_assign(client, concept, clause=section.pk, member=reviewer.pk, due_date=_in(3).isoformat())
    assert response.status_code == 403
    assert not Rapporteur.objects.exists()


@pytest.mark.need_to_know
def test_member_not_on_the_document_gets_not_found(client, concept, section, reviewer, admin_member):
    assignment = _assign(section, admin_member, admin_member)
    login(client, reviewer)
    assert _post_assign(client, concept, clause=section.pk, member=reviewer.pk).status_code == 404
    assert client.post(reverse("rapporteur_end", args=[concept.slug, assignment.pk])).status_code == 404
    assert client.get(reverse("document_work", args=[concept.slug])).status_code == 404
    assert Rapporteur.objects.get().active


def test_ending_another_documents_assignment_under_this_address_is_not_found(client, concept, reviewer, admin_member):
    other = make_document(3, slug="other-work")
    assignment = _assign(other.clauses.first(), reviewer, admin_member)
    login(client, admin_member)
    assert client.post(reverse("rapporteur_end", args=[concept.slug, assignment.pk])).status_code == 404
    assert Rapporteur.objects.get().active


def test_end_from_the_work_page(client, concept, section, reviewer, admin_member):
    assignment = _assign(section, reviewer, admin_member)
    login(client, reviewer)
    response = client.post(reverse("rapporteur_end", args=[concept.slug, assignment.pk]), follow=True)
    assert "no longer rapporteur" in response.content.decode()
    assert not Rapporteur.objects.get().active
    response = client.post(reverse("rapporteur_end", args=[concept.slug, assignment.pk]), follow=True)
    assert "already ended" in response.content.decode()


def test_inbox_lists_the_open_requests_soonest_first(client, section, concept, clause, drafter, reviewer, admin_member):
    _assign(concept.clauses.get(number="1"), reviewer, admin_member, days=20)
    _assign(section, reviewer, admin_member, days=2)
    late = modify(drafter, concept.clauses.get(number="1"), body="One.", submit=True)
    soon = modify(drafter, clause, body="Four.", submit=True)
    login(client, reviewer)
    page = client.get(reverse("inbox")).content.decode()
    assert "Reviews requested of you" in page
    assert page.index(f">{soon.label}<") < page.index(f">{late.label}<")


def test_rapporteur_role_change_does_not_leak_drafts(section, clause, drafter, reviewer, admin_member):
    """A draft is asked of nobody, and a request never names an amendment its member may not read."""
    _assign(section, reviewer, admin_member)
    modify(drafter, clause, body="Secret draft.")
    assert not ReviewRequest.objects.visible_to(reviewer).exists()
    assert Amendment.objects.filter(state=Amendment.State.DRAFT).count() == 1
    assert Member.objects.count() >= 3


def test_rapporteur_taken_off_the_document_is_not_asked(section, clause, drafter, reviewer, admin_member):
    from drafting.models import DocumentAccess

    _assign(section, reviewer, admin_member)
    DocumentAccess.grant(section.document, reviewer, DocumentAccess.Role.READER, by=admin_member)
    modify(drafter, clause, body="Later.", submit=True)
    assert not ReviewRequest.objects.exists()


def test_rapporteur_is_emailed_the_request_in_their_language(section, clause, drafter, reviewer, admin_member,
                                                             mailoutbox, django_capture_on_commit_callbacks):
    reviewer.edit(by=reviewer, language="az")
    _assign(section, reviewer, admin_member)
    with django_capture_on_commit_callbacks(execute=True):
        amendment = modify(drafter, clause, body="Later.", submit=True)
    [message] = [m for m in mailoutbox if m.to == [reviewer.user.email]]
    assert amendment.label in message.subject and "məruzəçi" in message.subject.lower()


def test_inbox_queries_stay_flat_in_the_number_of_requests(client, concept, drafter, reviewer, admin_member):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    login(client, reviewer)

    def queries_with(numbers):
        for number in numbers:
            target = concept.clauses.get(number=number)
            if not Rapporteur.objects.filter(clause=target, active=True).exists():
                _assign(target, reviewer, admin_member)
            modify(drafter, target, body=f"Text for {number}.", submit=True)
        with CaptureQueriesContext(connection) as captured:
            response = client.get(reverse("inbox"))
        return len(captured), len(response.context["requests"])

    few, few_shown = queries_with(["1"])
    many, many_shown = queries_with(["2", "3", "4.1.1", "4"])
    assert many_shown > few_shown and many == few


@pytest.mark.parametrize("change", ["reader", "off"])
def test_rapporteur_who_stops_reviewing_the_document_is_no_longer_its_rapporteur(section, clause, drafter, reviewer,
                                                                                  admin_member, change):
    from drafting.models import DocumentAccess

    _assign(section, reviewer, admin_member)
    modify(drafter, clause, body="Later.", submit=True)
    if change == "off":
        DocumentAccess.revoke(section.document, reviewer, by=admin_member)
    else:
        DocumentAccess.grant(section.document, reviewer, DocumentAccess.Role.READER, by=admin_member)
    assignment = Rapporteur.objects.get()
    assert not assignment.active and assignment.ended_by == admin_member
    assert ReviewRequest.objects.get().state == ReviewRequest.State.CANCELLED


@pytest.mark.parametrize("reason, worded", [
    ("assigned", "təyin edilib"), ("ended", "başa çatdırılıb"), ("requested", "sorğu göndərilib"),
    ("reviewed", "rəy verilib"), ("amendment closed", "düzəliş bağlanıb"), ("co-sponsor now", "artıq həmmüəllifdir"),
])
def test_rapporteur_history_reasons_are_worded_in_the_readers_language(reason, worded):
    from django.utils import translation

    from drafting.models.history import describe_reason

    with translation.override("az"):
        assert describe_reason(reason) == worded
    with translation.override("en"):
        assert describe_reason(reason) == reason


def test_numbering_switch_reason_is_worded_in_the_readers_language():
    from django.utils import translation

    from drafting.models.history import describe_reason

    with translation.override("az"):
        assert describe_reason("numbering changed").startswith("nömrələmə ")
