"""The Versions pages: milestones (who may set and rename them), comparison views, as-of reading, access."""
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from drafting.models import Milestone

from .builders import make_document
from .conftest import login, read_in
from .version_builders import AI_HEADING, apply_demo_amendments

PAGES = ["versions", "versions_compare", "versions_read", "versions_docx", "versions_markdown", "versions_read_docx",
         "disposition_csv", "disposition_xlsx"]


def url(name, document, **query):
    from urllib.parse import urlencode

    base = reverse(name, args=[document.slug])
    return f"{base}?{urlencode(query)}" if query else base


@pytest.mark.parametrize("name", PAGES)
def test_a_stranger_is_sent_to_sign_in(client, concept, name):
    response = client.get(url(name, concept))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("name", PAGES)
def test_an_outsider_gets_nothing(client, outsider, concept, name):
    login(client, outsider)
    response = client.get(url(name, concept))
    assert response.status_code == 403
    assert "Security Concept" not in response.text and "attachment" not in response.get("Content-Disposition", "")


@pytest.mark.parametrize("name", PAGES)
def test_a_deactivated_member_gets_nothing(client, reviewer, concept, name):
    client.force_login(reviewer.user)
    reviewer.user.is_active = False
    reviewer.user.save()
    response = client.get(url(name, concept))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("name", PAGES)
def test_every_member_may_read_versions_and_export(as_drafter, concept, name):
    assert as_drafter.get(url(name, concept)).status_code == 200


def test_versions_page_lists_milestones_with_who_set_them(as_drafter, concept, reviewer):
    Milestone.objects.create(document=concept, name="Draft for inter-agency consultation",
                             moment=concept.milestones.get().moment, created_by=reviewer)
    response = as_drafter.get(url("versions", concept))
    assert "2007 original" in response.text and "the import" in response.text
    assert "Draft for inter-agency consultation" in response.text and "Rauf Həsənov" in response.text
    assert "Set a milestone" not in response.text  # drafters do not set milestones


def test_document_page_links_to_its_versions(as_drafter, concept):
    assert url("versions", concept) in as_drafter.get(concept.get_absolute_url()).text


@pytest.mark.parametrize("persona", ["reviewer", "admin_member"])
def test_reviewers_and_admins_set_milestones(client, concept, persona, request):
    member = request.getfixturevalue(persona)
    login(client, member)
    response = client.post(reverse("milestone_create", args=[concept.slug]),
                           {"name": "Draft for inter-agency consultation", "note": "Sent to ministries."})
    assert response.status_code == 302
    milestone = concept.milestones.get(name="Draft for inter-agency consultation")
    assert milestone.created_by == member and milestone.note == "Sent to ministries."
    assert milestone.history.count() == 1


def test_drafter_cannot_set_or_rename_a_milestone(as_drafter, concept):
    original = concept.milestones.get()
    response = as_drafter.post(reverse("milestone_create", args=[concept.slug]), {"name": "Mine"})
    assert response.status_code == 403
    response = as_drafter.post(reverse("milestone_rename", args=[concept.slug, original.pk]), {"name": "Mine"})
    assert response.status_code == 403
    original.refresh_from_db()
    assert original.name == "2007 original" and concept.milestones.count() == 1


def test_outsider_cannot_set_a_milestone(client, outsider, concept):
    login(client, outsider)
    response = client.post(reverse("milestone_create", args=[concept.slug]), {"name": "Mine"})
    assert response.status_code == 403 and concept.milestones.count() == 1


def test_reviewer_renames_a_milestone_and_history_keeps_the_old_name(as_reviewer, concept):
    original = concept.milestones.get()
    response = as_reviewer.post(reverse("milestone_rename", args=[concept.slug, original.pk]),
                                {"name": "2007 text as adopted"})
    assert response.status_code == 302
    original.refresh_from_db()
    assert original.name == "2007 text as adopted"
    assert [h.name for h in original.history.order_by("history_date")] == ["2007 original", "2007 text as adopted"]


def test_milestone_names_are_unique_per_document(as_reviewer, concept):
    response = as_reviewer.post(reverse("milestone_create", args=[concept.slug]), {"name": "2007 Original"})
    assert response.status_code == 200 and concept.milestones.count() == 1
    assert "already has a milestone with that name" in response.text


def test_a_milestone_cannot_be_set_in_the_future(as_reviewer, concept):
    response = as_reviewer.post(reverse("milestone_create", args=[concept.slug]),
                                {"name": "Later", "moment": "2999-01-01T10:00"})
    assert response.status_code == 200 and "a moment that has happened" in response.text
    assert not concept.milestones.filter(name="Later").exists()


def test_milestone_of_another_document_cannot_be_renamed_through_this_one(as_reviewer, concept):
    other = make_document(5, slug="other")
    response = as_reviewer.post(reverse("milestone_rename", args=[concept.slug, other.milestones.get().pk]),
                                {"name": "Hijacked"})
    assert response.status_code == 404


def test_compare_page_shows_counts_and_changes_in_both_views(client, concept, drafter, second_drafter, reviewer):
    apply_demo_amendments(concept, drafter, second_drafter, reviewer)
    login(client, drafter)
    read_in(client, "en")  # the demo amendments' English headings and text
    original = concept.milestones.get().point
    response = client.get(url("versions_compare", concept, old=original, new="now"))
    assert response.status_code == 200
    counts = response.context["comparison"].counts
    assert (counts["changed"], counts["inserted"], counts["removed"], counts["renumbered"]) == (1, 2, 0, 2)
    text = response.text
    assert 'id="change-1"' in text and 'id="change-4"' in text and 'href="#change-2" rel="next"' in text
    assert "Renumbered 4.1.1 → 4.2.1" in text and "<ins>" in text and "<del>" in text
    assert "A-1 by Dinara Əliyeva" in text
    assert 'src="/static/drafting/compare.js" defer' in text
    assert "<script>" not in text and "style=" not in text and " onclick" not in text
    side = client.get(url("versions_compare", concept, old=original, new="now", view="side"))
    assert 'class="sides"' in side.text and AI_HEADING in side.text
    only = client.get(url("versions_compare", concept, old=original, new="now", show="changes"))
    assert len(only.context["rows"]) == 4


def test_compare_without_points_compares_the_first_milestone_with_now(as_drafter, concept):
    response = as_drafter.get(url("versions_compare", concept))
    assert response.status_code == 200
    assert response.context["old"].label == "2007 original" and response.context["new"].label == "now"
    assert "No differences" in response.text


def test_a_typed_date_wins_over_the_list(as_drafter, concept):
    response = as_drafter.get(url("versions_compare", concept, old="now", old_at="2999-01-01", new="now"))
    assert response.status_code == 400 and "in the future" in response.text


@pytest.mark.parametrize("query, message", [
    ({"old": "not a date", "new": "now"}, "is not a date and time I can read"),
    ({"old": "m424242", "new": "now"}, "There is no milestone"),
    ({"old": "1999-01-01", "new": "now"}, "did not exist yet"),
])
def test_bad_points_get_a_clear_message_without_traceback(as_drafter, concept, settings, query, message):
    settings.DEBUG = False
    for name in ("versions_compare", "versions_docx"):
        response = as_drafter.get(url(name, concept, **query))
        assert response.status_code == 400
        assert message in response.text and "Traceback" not in response.text
    response = as_drafter.get(url("versions_read", concept, at=query["old"]))
    assert response.status_code == 400 and message in response.text


def test_any_version_reads_on_its_own(client, concept, drafter, second_drafter, reviewer):
    apply_demo_amendments(concept, drafter, second_drafter, reviewer)
    login(client, drafter)
    then = client.get(url("versions_read", concept, at=concept.milestones.get().point))
    assert AI_HEADING not in then.text and "Minsk Group" in then.text and "4.1.1" in then.text
    now = client.get(url("versions_read", concept, at="now"))
    assert AI_HEADING in now.text and "Minsk Group" not in now.text


def _compare_queries(client, document):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url("versions_compare", document, old=document.milestones.get().point, new="now"))
    assert response.status_code == 200
    return len(queries)


def test_compare_page_takes_the_same_number_of_queries_at_any_size(client, drafter, reviewer):
    from .amendment_builders import modify
    from .version_builders import approve

    login(client, drafter)
    counts = []
    for size in (10, 120):
        document = make_document(size, slug=f"size-{size}")
        for number in ("1.1", "1.5"):
            clause = document.clauses.get(number=number)
            approve(modify(drafter, clause, body=clause.body + " Amended.", submit=True), reviewer)
        counts.append(_compare_queries(client, document))
    assert counts[0] == counts[1]


def _compare_work_per_row(client, size):
    """How often the compare page asks a row whether it is a change, per row, for a document of `size`
    clauses with every tenth clause changed since the import."""
    from unittest import mock

    from django.utils import timezone

    from drafting.comparison import ClauseChange
    from drafting.models.history import attribute

    document = make_document(size, slug=f"linear-{size}")
    later = timezone.now()
    for clause in document.clauses.order_by("pk")[::10]:
        clause.body += " Changed."
        attribute(clause, reason="test", date=later)
        clause.save()
    calls = 0
    is_change = ClauseChange.is_change.fget

    def counted(row):
        nonlocal calls
        calls += 1
        return is_change(row)

    with mock.patch.object(ClauseChange, "is_change", property(counted)):
        response = client.get(url("versions_compare", document, old=document.milestones.get().point, new="now"))
    assert response.status_code == 200
    assert response.text.count('data-change="') == size // 10
    return calls / size


def test_compare_page_work_grows_linearly_with_the_document(client, drafter):
    # Each changed row once read the total number of changes, which walked every row: n changes x n rows.
    login(client, drafter)
    small, large = _compare_work_per_row(client, 100), _compare_work_per_row(client, 1000)
    assert large <= small * 1.1
    assert large < 10


def test_total_changes_is_counted_once_however_often_it_is_read(db):
    from unittest import mock

    from django.utils import timezone

    from drafting.comparison import ClauseChange, compare_points
    from drafting.models.history import attribute

    document = make_document(30, slug="counted-once")
    later = timezone.now()
    for clause in document.clauses.order_by("pk")[:3]:
        clause.body += " Changed."
        attribute(clause, reason="test", date=later)
        clause.save()
    comparison = compare_points(document, document.milestones.get().point, "now")
    calls = []
    is_change = ClauseChange.is_change.fget
    with mock.patch.object(ClauseChange, "is_change", property(lambda row: calls.append(row) or is_change(row))):
        totals = [comparison.total_changes for _ in range(5)]
        assert len(comparison.changes) == 3
    assert totals == [3] * 5
    assert len(calls) == len(comparison.rows)
    assert [(row.previous_change, row.change_index, row.next_change) for row in comparison.changes] == [
        (0, 1, 2), (1, 2, 3), (2, 3, 0)]
