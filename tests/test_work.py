"""The Work page (issue 15 point 3): what awaits each member of a document, as the viewer may see it."""
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from drafting.models import Clause, Member, Rapporteur, ReviewRequest, Tag
from drafting.work import THREAD, work_on

from .amendment_builders import modify
from .builders import make_bilingual_document, make_member
from .comment_builders import comment, reply
from .conftest import login


def _in(days):
    return timezone.localdate() + timedelta(days=days)


def _assign(clause, member, by, days=7):
    return Rapporteur.assign(clause=clause, member=member, due_date=_in(days), by=by)


def _overdue(assignment, days=3):
    """As if the due date had passed: moved back in time by the test (the rule refuses a past date)."""
    Rapporteur.objects.filter(pk=assignment.pk).update(due_date=_in(-days))
    ReviewRequest.objects.filter(rapporteur=assignment).update(due_date=_in(-days))


def _page(client, document, **query):
    return client.get(reverse("document_work", args=[document.slug]), query)


def _items(work, member):
    return next(entry.items for entry in work if entry.member == member)


@pytest.fixture
def clause(concept):
    return concept.clauses.get(number="4.1.1")


def test_work_page_is_linked_from_the_document(as_drafter, concept):
    page = as_drafter.get(reverse("document_detail", args=[concept.slug])).content.decode()
    assert reverse("document_work", args=[concept.slug]) in page


def test_reviews_requested_are_listed_with_their_due_date(client, concept, clause, drafter, reviewer, admin_member):
    _assign(concept.clauses.get(number="4"), reviewer, admin_member, days=5)
    amendment = modify(drafter, clause, body="Later.", submit=True)
    login(client, reviewer)
    page = _page(client, concept).content.decode()
    assert f">{amendment.label}</a>" in page
    assert "Due " in page


def test_overdue_items_come_first_then_by_due_date(concept, drafter, reviewer, admin_member):
    soon = _assign(concept.clauses.get(number="1"), reviewer, admin_member, days=2)
    later = _assign(concept.clauses.get(number="2"), reviewer, admin_member, days=9)
    late = _assign(concept.clauses.get(number="3"), reviewer, admin_member, days=20)
    a_later = modify(drafter, later.clause, body="Two.", submit=True)
    a_soon = modify(drafter, soon.clause, body="One.", submit=True)
    a_late = modify(drafter, late.clause, body="Three.", submit=True)
    _overdue(late)
    thread = comment(reviewer, a_soon, body="Why?")
    reply(drafter, thread, body="Because.")
    work, _ = work_on(concept, reviewer)
    items = _items(work, reviewer)
    assert [item.request.amendment for item in items if item.is_review] == [a_late, a_soon, a_later]
    assert items[0].is_overdue and items[-1].kind == THREAD  # no due date: after the dated items


def test_mine_come_first(concept, clause, drafter, reviewer, second_reviewer, admin_member):
    _assign(concept.clauses.get(number="4"), reviewer, admin_member)
    _assign(concept.clauses.get(number="4"), second_reviewer, admin_member)
    modify(drafter, clause, body="Later.", submit=True)
    work, _ = work_on(concept, second_reviewer)
    assert work[0].member == second_reviewer and work[0].is_viewer
    assert reviewer in [entry.member for entry in work]


# --- threads waiting for a reply ----------------------------------------------------------------------------------
def test_thread_on_my_amendment_whose_last_comment_is_someone_elses_waits_for_me(concept, clause, drafter, reviewer):
    amendment = modify(drafter, clause, body="Later.", submit=True)
    thread = comment(reviewer, amendment, body="Why?")
    work, _ = work_on(concept, drafter)
    assert [item.thread for item in _items(work, drafter)] == [thread]
    reply(drafter, thread, body="Because.")
    work, _ = work_on(concept, drafter)
    assert not _items(work, drafter)
    assert [item.thread for item in _items(work, reviewer)] == [thread]  # the reviewer opened it: now theirs


def test_mention_after_my_last_comment_waits_for_me(concept, clause, drafter, reviewer, second_drafter):
    thread = comment(drafter, clause, body="A point.")
    reply(second_drafter, thread, body="Asking @reviewer_rauf")
    work, _ = work_on(concept, reviewer)
    assert [item.thread for item in _items(work, reviewer)] == [thread]
    reply(reviewer, thread, body="Answered.")
    work, _ = work_on(concept, reviewer)
    assert not _items(work, reviewer)


def test_resolved_thread_waits_for_nobody(concept, clause, drafter, reviewer):
    amendment = modify(drafter, clause, body="Later.", submit=True)
    thread = comment(reviewer, amendment, body="Why?")
    thread.resolve(reviewer)
    work, _ = work_on(concept, drafter)
    assert not _items(work, drafter)


def test_another_members_draft_never_appears(client, concept, clause, drafter, second_drafter, reviewer):
    draft = modify(second_drafter, clause, heading="Secret draft heading", body="Secret draft text.")
    thread = comment(second_drafter, draft, body="Secret note @drafter_dina")
    draft.sign_on(reviewer)
    reply(reviewer, thread, body="Secret reply.")
    login(client, drafter)
    page = _page(client, concept).content.decode()
    assert "Secret" not in page and draft.label not in page
    work, _ = work_on(concept, reviewer)  # a sponsor sees the thread waiting for the author
    assert [item.thread for item in _items(work, second_drafter)] == [thread]
    assert drafter not in [entry.member for entry in work]  # mentioned in a draft: not theirs to read


# --- translations -------------------------------------------------------------------------------------------------
def test_outdated_translations_in_my_sections_are_listed(client, drafter, reviewer, admin_member):
    document = make_bilingual_document(12, slug="work-bilingual")
    section = document.clauses.get(number="1")
    inside = document.clauses.get(number="1.2")
    outside = document.clauses.get(number="2")
    Clause.objects.filter(pk__in=[inside.pk, outside.pk]).update(authoritative_version=2)
    _assign(section, reviewer, admin_member)
    work, _ = work_on(document, reviewer)
    items = _items(work, reviewer)
    assert [item.clause for item in items if item.is_translation] == [inside]
    login(client, reviewer)
    assert f"#outdated-{inside.pk}" in _page(client, document).content.decode()


# --- the filter --------------------------------------------------------------------------------------------------
def test_member_filter_shows_that_member_alone(client, concept, clause, drafter, reviewer, second_reviewer, admin_member):
    _assign(concept.clauses.get(number="4"), second_reviewer, admin_member)
    modify(drafter, clause, body="Later.", submit=True)
    login(client, reviewer)
    response = _page(client, concept, member=second_reviewer.pk)
    assert [entry.member for entry in response.context["work"]] == [second_reviewer]


@pytest.mark.parametrize("value", ["²", "abc", "9" * 30, "-1", "1\x00", "", " 1", "٣"])
def test_odd_member_filter_values_never_fail(as_reviewer, concept, value):
    response = _page(as_reviewer, concept, member=value)
    assert response.status_code == 200


def test_member_filter_with_someone_not_on_the_document(client, concept, reviewer):
    from .builders import make_outsider

    login(client, reviewer)
    response = _page(client, concept, member=make_outsider().pk + 1000)
    assert response.status_code == 200 and response.context["chosen"] is None


def test_work_page_refuses_post(as_reviewer, concept):
    assert as_reviewer.post(reverse("document_work", args=[concept.slug])).status_code == 405


# --- queries ------------------------------------------------------------------------------------------------------
def _build(concept, admin_member, n):
    """`n` authors, reviewers, tags, requests and threads, on two documents (the other must not count)."""
    tag = Tag.objects.get_or_create(name=f"Topic {n}")[0]
    reviewers = [make_member(f"work_reviewer_{n}_{i}", Member.Role.REVIEWER) for i in range(n)]
    authors = [make_member(f"work_author_{n}_{i}", Member.Role.DRAFTER) for i in range(n)]
    clauses = list(concept.clauses.filter(parent__isnull=False).order_by("pk")[:n])
    for i, (author, target) in enumerate(zip(authors, clauses)):
        _assign(target, reviewers[i], admin_member)
        amendment = modify(author, target, body=f"Text {n} {i}.", submit=True, tags=[tag])
        thread = comment(reviewers[i], amendment, body=f"Question {i} @{authors[0].user.username}")
        reply(authors[(i + 1) % n], thread, body="An answer.")
        comment(author, target, body="On the clause.")
    # The same on another document: none of it may count on this one's page.
    other = make_bilingual_document(12, slug=f"work-other-{n}")
    elsewhere = other.clauses.get(number="1.1")
    Clause.objects.filter(pk=elsewhere.pk).update(authoritative_version=2)
    _assign(other.clauses.get(number="1"), reviewers[0], admin_member)
    thread = comment(reviewers[0], modify(authors[0], elsewhere, body="Elsewhere.", submit=True), body="Why?")
    reply(authors[1], thread, body="Because.")
    return reviewers[0]


def test_work_page_queries_stay_flat_in_the_number_of_items(client, concept, admin_member):
    def queries_for(n):
        viewer = _build(concept, admin_member, n)
        login(client, viewer)
        _page(client, concept)
        with CaptureQueriesContext(connection) as captured:
            response = _page(client, concept)
        assert response.status_code == 200
        return len(captured), sum(len(entry.items) for entry in response.context["work"])

    few, few_items = queries_for(2)
    many, many_items = queries_for(8)
    assert many_items > few_items
    assert many == few


def test_everyones_page_shows_ten_items_a_member_and_links_to_the_rest(client, concept, clause, drafter, reviewer):
    amendment = modify(drafter, clause, body="Later.", submit=True)
    for i in range(12):
        comment(reviewer, amendment, body=f"Question {i}?")
    login(client, reviewer)
    entry = next(e for e in _page(client, concept).context["work"] if e.member == drafter)
    assert len(entry.shown) == 10 and entry.more == 2
    page = _page(client, concept).content.decode()
    assert f'href="?member={drafter.pk}"' in page and "and 2 more" in page
    alone = _page(client, concept, member=drafter.pk).context["work"]
    assert len(alone[0].shown) == 12


def test_another_documents_work_stays_on_its_own_page(concept, drafter, reviewer, admin_member):
    other = make_bilingual_document(12, slug="work-elsewhere")
    clause = other.clauses.get(number="1.1")
    Clause.objects.filter(pk=clause.pk).update(authoritative_version=2)
    _assign(other.clauses.get(number="1"), reviewer, admin_member)
    comment(drafter, modify(reviewer, clause, body="Elsewhere.", submit=True), body="Why?")
    modify(drafter, other.clauses.get(number="1.2"), body="Asked of the reviewer.", submit=True)
    here, _ = work_on(concept, reviewer)
    assert not _items(here, reviewer)
    there, _ = work_on(other, reviewer)
    assert sorted(item.kind for item in _items(there, reviewer)) == ["review", "thread", "translation"]
