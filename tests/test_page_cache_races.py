"""Whole pages cached per reader (drafting/page_cache.py), raced on PostgreSQL: a reader's page is worked out at
the same moment as a write that changes it. Each race is repeated; after each, the reader's next page must show the
write: a page worked out across the write is never stored under a key that outlives it, and no request fails."""
import pytest
from django.urls import reverse

from drafting.models import Document
from drafting.seeds import CONCEPT_SLUG, load_concept

from .amendment_builders import modify
from .builders import make_member
from .test_concurrency import browser, clause_4_1_1, race, review

ITERATIONS = 10

pytestmark = [pytest.mark.postgresql, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def stage():
    load_concept()
    return {"document": Document.objects.get(slug=CONCEPT_SLUG), "clause": clause_4_1_1(),
            "reader": make_member("race_page_reader"), "writer": make_member("race_page_writer"),
            "reviewer": make_member("race_page_reviewer", role="reviewer")}


def _no_failure(results):
    for result in results:
        assert not isinstance(result, Exception), result
        assert result.status_code < 500, result.status_code


def test_an_outline_read_while_a_comment_lands_shows_it_next_time(stage):
    reader, writer = browser(stage["reader"]), browser(stage["writer"])
    url = stage["document"].get_absolute_url()
    post_to = reverse("clause_comment", args=[stage["document"].slug, stage["clause"].pk])
    reader.get(url)  # cached before the first race
    for i in range(ITERATIONS):
        _no_failure(race(lambda: reader.get(url), lambda i=i: writer.post(post_to, {"body": f"Point {i}."})))
        page = reader.get(url).text
        assert f"{i + 1} open thread" in page, i


def test_a_what_if_read_while_an_amendment_is_rejected_drops_it_next_time(stage):
    reader, reviewer = browser(stage["reader"]), browser(stage["reviewer"])
    url = reverse("what_if", args=[stage["document"].slug])
    clause = stage["clause"]
    for i in range(ITERATIONS):
        phrase = f"racephrase{i}x"
        amendment = modify(stage["writer"], clause, body=f"{clause.body} {phrase}.", submit=True)
        assert phrase in reader.get(url, {"text": "en"}).text  # cached, with the amendment
        _no_failure(race(lambda: reader.get(url, {"text": "en"}),
                         review(reviewer, amendment, "reject", note="No.", revision=amendment.revision)))
        amendment.refresh_from_db()
        assert not amendment.is_open
        assert phrase not in reader.get(url, {"text": "en"}).text, i
