"""Compromise amendments (issue 15 point 1), each rule by name: starting one, what it does to the amendments it
combines, who may review it, and how it shows in pages and exports."""
import pytest
from django.urls import reverse

from drafting.exports import disposition
from drafting.models import Amendment, Notification, Review, StaleEdit, TransitionError
from drafting.models.amendments import NotAllowed
from drafting.models.compromises import combined_texts

from .amendment_builders import REMOVED_SENTENCE, modify
from .builders import make_document, make_member

APPROVE, REJECT = Review.Decision.APPROVE, Review.Decision.REJECT
UNIFIED = ("unified, inviolable, and indivisible", "unified and indivisible")
FOREMOST = ("the most paramount task", "the foremost task")
SINGLE = ("unified, inviolable, and indivisible", "single, inviolable and indivisible")


@pytest.fixture
def clause(concept):
    return concept.clauses.get(number="4.1.1")


@pytest.fixture
def third_drafter(db):
    return make_member("drafter_nigar", "drafter", full_name="Nigar Babayeva")


def _changed(clause, *pairs):
    body = clause.body
    for old, new in pairs:
        body = body.replace(old, new)
    return body


@pytest.fixture
def three(drafter, second_drafter, third_drafter, clause):
    """Three competing submitted rewordings of 4.1.1 that touch different words."""
    return [
        modify(drafter, clause, body=_changed(clause, UNIFIED), submit=True),
        modify(second_drafter, clause, body=_changed(clause, FOREMOST), submit=True),
        modify(third_drafter, clause, body=_changed(clause, (REMOVED_SENTENCE, "")), submit=True),
    ]


def _start(starter, originals, clause, body=None, **extra):
    return Amendment.start_compromise(
        starter=starter, originals=originals, proposed_heading=clause.heading,
        proposed_body=body or _changed(clause, UNIFIED, FOREMOST), rationale="Reconciles the three.", **extra)


def _fresh(amendments):
    return [Amendment.objects.get(pk=a.pk) for a in amendments]


# --- starting ------------------------------------------------------------------------------------------------
def test_compromise_supersedes_its_originals_when_submitted(reviewer, three, clause):
    compromise = _start(reviewer, three, clause)
    assert compromise.is_compromise and compromise.is_submitted and compromise.is_modify
    assert compromise.author == reviewer
    assert set(compromise.combines.all()) == set(three)
    for original in _fresh(three):
        assert original.is_superseded and original.superseded_by == compromise
        assert original.state_before_superseded == Amendment.State.SUBMITTED
        assert not original.is_open and not original.is_editable and not original.is_reviewable
        assert original.history.latest().history_change_reason == f"superseded by compromise {compromise.label}"
        assert original.history.latest().history_user == reviewer.user


def test_text_with_all_of_them_applied_combines_every_change(three, clause):
    texts = combined_texts(three)
    assert texts["en"] == (clause.heading, _changed(clause, UNIFIED, FOREMOST, (REMOVED_SENTENCE, "")))


def test_conflicting_originals_name_the_amendment_in_the_way(drafter, second_drafter, clause):
    first = modify(drafter, clause, body=_changed(clause, UNIFIED), submit=True)
    second = modify(second_drafter, clause, body=_changed(clause, SINGLE), submit=True)
    with pytest.raises(TransitionError, match=f"{second.label} changes the same words as {first.label}"):
        combined_texts([first, second])


def test_only_reviewers_start_a_compromise(drafter, three, clause):
    with pytest.raises(NotAllowed, match="Only reviewers"):
        _start(drafter, three, clause)
    assert all(a.is_submitted for a in _fresh(three))


def test_compromise_needs_at_least_two_amendments(reviewer, three, clause):
    with pytest.raises(TransitionError, match="at least two"):
        _start(reviewer, three[:1], clause)
    assert _fresh(three)[0].is_submitted


def test_compromise_combines_only_open_amendments(reviewer, drafter, three, clause):
    three[0].withdraw(drafter)
    with pytest.raises(TransitionError, match=f"{three[0].label} is withdrawn"):
        _start(reviewer, three, clause)
    assert not Amendment.objects.filter(is_compromise=True).exists()
    assert all(a.is_submitted for a in _fresh(three[1:]))


def test_compromise_refuses_a_superseded_amendment(reviewer, second_reviewer, three, clause):
    _start(reviewer, three, clause)
    with pytest.raises(TransitionError, match=f"{three[0].label} is superseded"):
        _start(second_reviewer, three[:2], clause)


def test_compromise_refuses_an_amendment_on_another_clause(reviewer, drafter, three, clause, concept):
    elsewhere = concept.clauses.exclude(pk=clause.pk).first()
    other = modify(drafter, elsewhere, body="Test clause text.", submit=True)
    with pytest.raises(TransitionError, match=f"{other.label} is not on {clause.label}"):
        _start(reviewer, [three[0], other], clause)
    assert _fresh([three[0], other])[0].is_submitted and _fresh([other])[0].is_submitted


def test_compromise_refuses_an_amendment_of_another_document(reviewer, drafter, three, clause):
    document = make_document(3, slug="other")
    other_clause = document.clauses.get(number="1.1")
    other = modify(drafter, other_clause, body="Test clause text.", submit=True)
    with pytest.raises(TransitionError, match="another document"):
        _start(reviewer, [three[0], other], clause)
    assert _fresh([other])[0].is_submitted


def test_stale_amendment_must_be_rebased_first(reviewer, second_reviewer, drafter, three, clause):
    applied = modify(drafter, clause, body=clause.body + " Test clause text.", submit=True)
    assert applied.review(second_reviewer, APPROVE) == Amendment.State.APPLIED
    with pytest.raises(TransitionError, match=f"{three[0].label} is based on an older text: rebase it first"):
        _start(reviewer, three, clause)


def test_draft_of_another_member_cannot_be_combined(reviewer, drafter, three, clause):
    draft = modify(drafter, clause, body=_changed(clause, FOREMOST))
    with pytest.raises(TransitionError, match="cannot be found"):
        _start(reviewer, [three[0], draft], clause)
    assert Amendment.objects.get(pk=draft.pk).is_draft


def test_own_draft_cannot_be_combined(reviewer, three, clause):
    draft = modify(reviewer, clause, body=_changed(clause, FOREMOST))
    with pytest.raises(TransitionError, match="is a draft"):
        _start(reviewer, [three[0], draft], clause)


def test_changed_original_since_the_form_opened_is_a_stale_edit(reviewer, three, clause):
    seen = {a.pk: a.revision for a in three}
    seen[three[1].pk] -= 1
    with pytest.raises(StaleEdit, match=f"{three[1].label} was changed"):
        _start(reviewer, three, clause, seen=seen)
    assert all(a.is_submitted for a in _fresh(three))


# --- the originals while superseded --------------------------------------------------------------------------
def test_superseded_amendment_cannot_be_edited_approved_or_withdrawn(reviewer, second_reviewer, drafter, three, clause):
    _start(reviewer, three, clause)
    original = Amendment.objects.get(pk=three[0].pk)
    with pytest.raises(TransitionError, match="superseded"):
        original.revise(drafter, fields={"proposed_body": "Test clause text."})
    with pytest.raises(TransitionError, match="superseded"):
        original.review(second_reviewer, APPROVE)
    with pytest.raises(TransitionError, match="superseded"):
        original.withdraw(drafter)
    assert Amendment.objects.get(pk=original.pk).is_superseded


def test_withdrawn_compromise_gives_the_originals_back(reviewer, three, clause):
    compromise = _start(reviewer, three, clause)
    compromise.withdraw(reviewer)
    for original in _fresh(three):
        assert original.is_submitted and original.superseded_by is None
        assert original.history.latest().history_change_reason == f"restored: compromise {compromise.label} withdrawn"


def test_rejected_compromise_gives_the_originals_back_and_stays_rejected(reviewer, second_reviewer, three, clause):
    compromise = _start(reviewer, three, clause)
    assert compromise.review(second_reviewer, REJECT, "No.") == Amendment.State.REJECTED
    assert all(a.is_submitted for a in _fresh(three))
    with pytest.raises(TransitionError, match="was rejected"):
        compromise.review(second_reviewer, APPROVE)
    assert Amendment.objects.get(pk=compromise.pk).is_rejected


def test_applied_compromise_closes_the_originals(reviewer, second_reviewer, three, clause):
    compromise = _start(reviewer, three, clause)
    assert compromise.review(second_reviewer, APPROVE) == Amendment.State.APPLIED
    clause.refresh_from_db()
    assert clause.body == _changed(Amendment.objects.get(pk=three[0].pk).base, UNIFIED, FOREMOST)
    for original in _fresh(three):
        assert original.is_superseded and original.is_closed_by_compromise
        assert original.history.latest().history_change_reason == f"closed by compromise {compromise.label}, applied"


# --- who reviews it -------------------------------------------------------------------------------------------
def test_starter_cannot_approve_the_compromise(reviewer, three, clause):
    compromise = _start(reviewer, three, clause)
    with pytest.raises(NotAllowed):
        compromise.review(reviewer, APPROVE)
    assert not reviewer.can_review(compromise)


def test_reviewer_who_wrote_an_original_cannot_approve_the_compromise(reviewer, second_reviewer, three, clause):
    own = modify(second_reviewer, clause, body=_changed(clause, (REMOVED_SENTENCE, " Test clause text.")), submit=True)
    compromise = _start(reviewer, [three[0], own], clause)
    with pytest.raises(NotAllowed, match="combines"):
        compromise.review(second_reviewer, APPROVE)
    assert not second_reviewer.can_review(compromise)


def test_reviewer_who_cosponsored_an_original_cannot_approve_the_compromise(reviewer, second_reviewer, three, clause):
    three[0].sign_on(second_reviewer)
    compromise = _start(reviewer, three, clause)
    with pytest.raises(NotAllowed, match="combines"):
        compromise.review(second_reviewer, APPROVE)


def test_original_author_may_sign_on_to_the_compromise(reviewer, drafter, three, clause):
    compromise = _start(reviewer, three, clause)
    compromise.sign_on(drafter)
    assert drafter in compromise.cosponsors.all()


# --- notifications -------------------------------------------------------------------------------------------
def test_originals_authors_are_told_of_the_compromise(reviewer, drafter, second_drafter, three, clause,
                                                      django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        compromise = _start(reviewer, three, clause)
    notice = Notification.objects.get(recipient=drafter, amendment=three[0])
    assert notice.summary.startswith(f"{three[0].label} was superseded by compromise {compromise.label}")
    assert Notification.objects.filter(recipient=second_drafter, amendment=three[1]).exists()
    assert not Notification.objects.filter(recipient=reviewer).exists()


def test_originals_authors_are_told_when_the_compromise_is_withdrawn_or_applied(
        reviewer, second_reviewer, drafter, three, clause, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        first = _start(reviewer, three, clause)
        first.withdraw(reviewer)
        second = _start(reviewer, three, clause)
        second.review(second_reviewer, APPROVE)
    summaries = [n.summary for n in Notification.objects.filter(recipient=drafter, amendment=three[0]).order_by("pk")]
    assert summaries[1] == f"{three[0].label} is open again: compromise {first.label} was withdrawn or rejected"
    assert summaries[-1] == f"{three[0].label} was closed: compromise {second.label} was applied"


# --- pages ---------------------------------------------------------------------------------------------------
def _form_url(clause, originals, **query):
    url = reverse("compromise_new", args=[clause.document.slug, clause.pk])
    pairs = [f"original={a.pk}" for a in originals] + [f"{k}={v}" for k, v in query.items()]
    return url + "?" + "&".join(pairs)


def test_form_opens_with_all_of_them_applied(as_reviewer, three, clause):
    page = as_reviewer.get(_form_url(clause, three))
    assert page.status_code == 200
    assert page.context["form"].initial["proposed_body"] == _changed(clause, UNIFIED, FOREMOST, (REMOVED_SENTENCE, ""))
    assert page.context["source"] == "all"


def test_form_opens_with_one_of_them(as_reviewer, three, clause):
    page = as_reviewer.get(_form_url(clause, three, **{"from": three[1].pk}))
    assert page.context["form"].initial["proposed_body"] == three[1].proposed_body


def test_form_with_conflicting_originals_says_which_and_starts_from_the_first(as_reviewer, drafter, second_drafter, clause):
    first = modify(drafter, clause, body=_changed(clause, UNIFIED), submit=True)
    second = modify(second_drafter, clause, body=_changed(clause, SINGLE), submit=True)
    page = as_reviewer.get(_form_url(clause, [first, second]))
    assert f"{second.label} changes the same words as {first.label}" in page.content.decode()
    assert page.context["form"].initial["proposed_body"] == first.proposed_body


def test_post_submits_the_compromise_and_the_pages_show_the_chain(as_reviewer, three, clause):
    url = _form_url(clause, three)
    base = clause.history.latest().history_id
    response = as_reviewer.post(url, {
        "original": [a.pk for a in three], "seen": [f"{a.pk}:{a.revision}" for a in three], "base": base,
        "proposed_heading": clause.heading, "proposed_body": _changed(clause, UNIFIED), "proposed_heading_az": "",
        "proposed_body_az": "", "rationale": "Reconciles them.", "submit": "1"})
    compromise = Amendment.objects.get(is_compromise=True)
    assert response.status_code == 302 and response["Location"] == compromise.get_absolute_url()
    page = as_reviewer.get(compromise.get_absolute_url()).content.decode()
    assert all(a.label in page for a in three) and "A compromise of" in page
    original_page = as_reviewer.get(three[0].get_absolute_url()).content.decode()
    assert f"Superseded by compromise <a href=\"{compromise.get_absolute_url()}\">{compromise.label}</a>" in original_page


def test_post_without_rationale_keeps_the_text(as_reviewer, three, clause):
    response = as_reviewer.post(_form_url(clause, three), {
        "original": [a.pk for a in three], "seen": [f"{a.pk}:{a.revision}" for a in three],
        "proposed_heading": clause.heading, "proposed_body": "Test clause text.", "rationale": "", "submit": "1"})
    assert response.status_code == 200
    assert "Test clause text." in response.content.decode()
    assert response.context["form"].errors["rationale"]
    assert not Amendment.objects.filter(is_compromise=True).exists()


def test_forged_post_with_another_clause_amendment_is_refused(as_reviewer, drafter, three, clause, concept):
    elsewhere = concept.clauses.exclude(pk=clause.pk).first()
    other = modify(drafter, elsewhere, body="Test clause text.", submit=True)
    response = as_reviewer.post(_form_url(clause, [three[0], other]), {
        "original": [three[0].pk, other.pk], "proposed_body": "Test clause text.", "rationale": "x", "submit": "1"})
    assert response.status_code == 200 and "Test clause text." in response.content.decode()
    assert f"{other.label} is not on" in response.content.decode()
    assert not Amendment.objects.filter(is_compromise=True).exists()
    assert all(a.is_submitted for a in _fresh([three[0], other]))


def test_forged_post_with_another_document_amendment_is_refused(as_reviewer, drafter, three, clause):
    document = make_document(3, slug="other")
    other = modify(drafter, document.clauses.get(number="1.1"), body="Test clause text.", submit=True)
    response = as_reviewer.post(_form_url(clause, [three[0], other]), {
        "original": [three[0].pk, other.pk], "proposed_body": "Test clause text.", "rationale": "x", "submit": "1"})
    assert "another document" in response.content.decode()
    assert not Amendment.objects.filter(is_compromise=True).exists()


def test_odd_ids_in_the_query_are_refused_without_error(as_reviewer, three, clause):
    url = reverse("compromise_new", args=[clause.document.slug, clause.pk])
    for query in ("original=²&original=x", "original=99999999999999999999999", "original=%00", ""):
        response = as_reviewer.get(f"{url}?{query}")
        assert response.status_code == 302


def test_originals_taken_meanwhile_keep_the_typed_text(as_reviewer, second_reviewer, three, clause):
    url = _form_url(clause, three)
    _start(second_reviewer, three, clause)
    response = as_reviewer.post(url, {
        "original": [a.pk for a in three], "seen": [f"{a.pk}:{a.revision}" for a in three],
        "proposed_heading": clause.heading, "proposed_body": "Test clause text typed.", "rationale": "x", "submit": "1"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Test clause text typed." in page and f"{three[0].label} is superseded" in page
    assert Amendment.objects.filter(is_compromise=True).count() == 1


def test_drafter_gets_403_on_the_form(as_drafter, three, clause):
    assert as_drafter.get(_form_url(clause, three)).status_code == 403


def test_what_if_and_clause_pages_offer_a_compromise_to_reviewers_only(as_reviewer, client, drafter, three, clause):
    what_if = reverse("what_if", args=[clause.document.slug])
    assert "Start a compromise" in as_reviewer.get(what_if).content.decode()
    assert "Start a compromise" in as_reviewer.get(clause.get_absolute_url()).content.decode()
    from .conftest import login

    login(client, drafter)
    assert "Start a compromise" not in client.get(what_if).content.decode()
    assert "Start a compromise" not in client.get(clause.get_absolute_url()).content.decode()


def test_disposition_table_shows_the_chain(reviewer, second_reviewer, three, clause, concept):
    compromise = _start(reviewer, three, clause)
    table = {row[0]: row for row in disposition.rows(concept, reviewer)}
    assert table[three[0].label][5] == f"Superseded by compromise {compromise.label}"
    assert table[compromise.label][5] == f"Submitted; a compromise of {', '.join(a.label for a in three)}"
    compromise.review(second_reviewer, APPROVE)
    table = {row[0]: row for row in disposition.rows(concept, reviewer)}
    assert table[three[0].label][5] == f"Closed by compromise {compromise.label}, applied"


def test_disposition_queries_do_not_grow_with_compromises(reviewer, three, clause, concept, django_assert_max_num_queries,
                                                          drafter, second_drafter):
    _start(reviewer, three, clause)
    with django_assert_max_num_queries(12) as few:
        disposition.rows(concept, reviewer)
    for _ in range(3):
        pair = [modify(drafter, clause, body=_changed(clause, UNIFIED), submit=True),
                modify(second_drafter, clause, body=_changed(clause, FOREMOST), submit=True)]
        Amendment.start_compromise(starter=reviewer, originals=pair, proposed_body=_changed(clause, FOREMOST),
                                   proposed_heading=clause.heading, rationale="r")
    with django_assert_max_num_queries(len(few.captured_queries)):
        disposition.rows(concept, reviewer)


# --- the admin and the record --------------------------------------------------------------------------------
def test_admin_cannot_bring_back_a_superseded_amendment(client, admin_member, reviewer, three, clause):
    from .test_admin import _form_data, _url, as_staff

    compromise = _start(reviewer, three, clause)
    original = Amendment.objects.get(pk=three[0].pk)
    as_staff(client, admin_member)
    data = {**_form_data(original), "state": Amendment.State.SUBMITTED, "superseded_by": ""}
    assert client.post(_url(Amendment, "change", original.pk), data).status_code == 403
    assert client.post(_url(Amendment, "simple_history", original.pk, original.history.earliest().history_id),
                       data).status_code == 403
    original.refresh_from_db()
    assert original.is_superseded and original.superseded_by == compromise
    assert client.get(_url(Amendment, "change", original.pk)).status_code == 200  # read, never changed


def test_the_record_of_a_compromise_reads_in_azerbaijani(reviewer, three, clause):
    from django.utils import translation

    from drafting.models.history import describe_reason

    compromise = _start(reviewer, three, clause)
    compromise.withdraw(reviewer)
    reasons = list(Amendment.objects.get(pk=three[0].pk).history.order_by("history_date", "history_id")
                   .values_list("history_change_reason", flat=True))[-2:]
    assert reasons == [f"superseded by compromise {compromise.label}", f"restored: compromise {compromise.label} withdrawn"]
    with translation.override("az"):
        worded = [describe_reason(reason) for reason in reasons]
    assert worded == [f"{compromise.label} kompromisi ilə əvəzləndi",
                      f"bərpa edildi: {compromise.label} kompromisi geri götürüldü"]


def test_compromise_pages_query_count_does_not_grow_with_originals(client, reviewer, clause, concept):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from .conftest import login

    counts = {}
    for n in (2, 6):
        authors = [make_member(f"agency_{n}_{i}", "drafter") for i in range(n)]
        sentences = clause.body.split(". ")
        originals = [modify(author, clause, body=". ".join(s + " Test" if j == i else s for j, s in enumerate(sentences)),
                            submit=True) for i, author in enumerate(authors)]
        login(client, reviewer)
        with CaptureQueriesContext(connection) as form_queries:
            assert client.get(_form_url(clause, originals)).status_code == 200
        compromise = _start(reviewer, originals, clause)
        with CaptureQueriesContext(connection) as page_queries:
            assert client.get(compromise.get_absolute_url()).status_code == 200
        with CaptureQueriesContext(connection) as original_queries:
            assert client.get(originals[0].get_absolute_url()).status_code == 200
        counts[n] = (len(form_queries), len(page_queries), len(original_queries))
        compromise.withdraw(reviewer)
        for original in originals:
            original.withdraw(original.author)
    assert counts[2] == counts[6], counts


# --- compromises and rapporteurs (issue 15 points 1 and 3) ---------------------------------------------------
def test_rapporteur_is_asked_about_the_compromise_not_the_superseded_originals(
        reviewer, second_reviewer, admin_member, three, clause):
    from datetime import timedelta

    from django.utils import timezone

    from drafting.models import Rapporteur, ReviewRequest

    Rapporteur.assign(clause=clause.document.clauses.get(number="4"), member=second_reviewer,
                      due_date=timezone.localdate() + timedelta(days=7), by=admin_member)
    asked = ReviewRequest.objects.open().filter(member=second_reviewer)
    assert set(asked.values_list("amendment_id", flat=True)) == {a.pk for a in three}
    compromise = _start(reviewer, three, clause)
    assert list(asked.values_list("amendment_id", flat=True)) == [compromise.pk]
    assert ReviewRequest.objects.filter(member=second_reviewer, state=ReviewRequest.State.CANCELLED).count() == 3


def test_withdrawn_compromise_asks_the_rapporteur_about_the_originals_again(
        reviewer, second_reviewer, admin_member, three, clause):
    from datetime import timedelta

    from django.utils import timezone

    from drafting.models import Rapporteur, ReviewRequest

    Rapporteur.assign(clause=clause.document.clauses.get(number="4"), member=second_reviewer,
                      due_date=timezone.localdate() + timedelta(days=7), by=admin_member)
    compromise = _start(reviewer, three, clause)
    compromise.withdraw(reviewer)
    asked = ReviewRequest.objects.open().filter(member=second_reviewer)
    assert set(asked.values_list("amendment_id", flat=True)) == {a.pk for a in three}



def test_amendment_list_links_each_superseded_amendment_to_its_compromise(as_reviewer, reviewer, three, clause):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    url = reverse("amendment_list", args=[clause.document.slug])
    as_reviewer.get(url)
    with CaptureQueriesContext(connection) as before:
        as_reviewer.get(url)
    compromise = _start(reviewer, three, clause)
    as_reviewer.get(url)
    with CaptureQueriesContext(connection) as after:
        page = as_reviewer.get(url).content.decode()
    assert page.count(f'<a href="{compromise.get_absolute_url()}">by {compromise.label}</a>') == 3
    assert len(after.captured_queries) == len(before.captured_queries)  # the compromise comes in the rows' join
