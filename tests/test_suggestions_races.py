"""Races on PostgreSQL around suggested changes: the author's double click on "Apply suggestion", and applying a
suggestion while another revision of the amendment is being saved. The amendment's row lock serialises them:
one revision per suggestion, and a suggestion is never applied onto a text it was not made against."""
from functools import partial

import pytest
from django.urls import reverse

from drafting.models import Clause, Comment, Member, Review, Suggestion
from drafting.seeds import CONCEPT_SLUG, load_concept

from .amendment_builders import modify
from .builders import make_member
from .test_concurrency import assert_no_server_error, browser, race, said

ITERATIONS = 10
BODY = "Test clause text. The working group reads the draft."

pytestmark = [pytest.mark.postgresql, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def people(db):
    load_concept()
    return (make_member("race_author", Member.Role.DRAFTER), make_member("race_suggester", Member.Role.DRAFTER),
            make_member("race_reviewer", Member.Role.REVIEWER))


def _open_suggestion(people, i):
    author, suggester, reviewer = people
    clause = Clause.objects.get(document__slug=CONCEPT_SLUG, number="4.1.1")
    amendment = modify(author, clause, body=f"{BODY} Race {i}.", submit=True)
    amendment.review(reviewer, Review.Decision.REQUEST_CHANGES, "Reword.")
    comment = Comment.post(author=suggester, target=amendment, body="Better.", suggestion={
        "language": "en", "original": "reads", "start": BODY.index("reads"), "replacement": "studies"})
    amendment.refresh_from_db()
    return amendment, comment


def test_author_applying_the_same_suggestion_twice_at_once_makes_one_revision(people):
    author = people[0]
    for i in range(ITERATIONS):
        amendment, comment = _open_suggestion(people, i)
        url = reverse("suggestion_apply", args=[CONCEPT_SLUG, comment.pk])
        first, second = browser(author), browser(author)
        responses = race(partial(first.post, url), partial(second.post, url))
        assert_no_server_error(responses)
        amendment.refresh_from_db()
        assert amendment.revision == 2 and amendment.proposed_body == f"{BODY.replace('reads', 'studies')} Race {i}."
        assert amendment.history.filter(history_change_reason__startswith="suggestion by").count() == 1
        suggestion = Suggestion.objects.get(comment=comment)
        assert suggestion.is_applied and suggestion.applied_revision.revision == 2
        messages = [m for response in responses for _, m in said(response)]
        assert sum("Suggestion applied" in m for m in messages) == 1
        assert sum("already applied" in m for m in messages) == 1


def test_applying_while_another_revision_is_saved_one_wins_the_other_is_refused(people):
    author = people[0]
    outcomes = set()
    for i in range(ITERATIONS):
        amendment, comment = _open_suggestion(people, i)
        apply_url = reverse("suggestion_apply", args=[CONCEPT_SLUG, comment.pk])
        edit_url = reverse("amendment_edit", args=[CONCEPT_SLUG, amendment.number])
        edited = f"{BODY} Race {i}, edited."
        form = {"proposed_heading": amendment.proposed_heading, "proposed_body": edited,
                "proposed_heading_az": amendment.proposed_heading_az, "proposed_body_az": amendment.proposed_body_az,
                "rationale": amendment.rationale, "edited_at": amendment.updated_at.isoformat()}
        applying, editing = browser(author), browser(author)
        responses = race(partial(applying.post, apply_url), partial(editing.post, edit_url, form))
        for response in responses:
            assert not isinstance(response, Exception), response
            assert response.status_code < 500
        amendment.refresh_from_db()
        suggestion = Suggestion.objects.get(comment=comment)
        assert amendment.revision == 2  # exactly one of the two wrote a revision
        if suggestion.is_applied:
            outcomes.add("applied")
            assert amendment.proposed_body == f"{BODY.replace('reads', 'studies')} Race {i}."
            assert responses[1].status_code == 200  # the edit form came back: changed in another window
        else:
            outcomes.add("edited")
            assert suggestion.is_open and suggestion.is_outdated
            assert amendment.proposed_body == edited
            assert any("outdated" in m for _, m in said(responses[0]))
    print(f"\n[race] apply vs edit outcomes: {sorted(outcomes)}")


def test_two_members_suggesting_on_the_same_amendment_at_once_both_post(people):
    author, suggester, reviewer = people
    for i in range(ITERATIONS):
        amendment, _ = _open_suggestion(people, i)
        url = reverse("amendment_comment", args=[CONCEPT_SLUG, amendment.number])
        first, second = browser(suggester), browser(reviewer)
        data = {"body": "Better.", "suggest_original": "draft", "suggest_replacement": "text"}
        responses = race(partial(first.post, url, data), partial(second.post, url, data))
        assert_no_server_error(responses)
        assert Suggestion.objects.filter(amendment=amendment).count() == 3
