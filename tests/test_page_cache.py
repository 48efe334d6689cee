"""Whole pages cached per reader (drafting/page_cache.py): the outline, the comparison and the what-if page.

A page read again is served whole, without rendering; it still answers for the reader and the request (access,
the browser's CSRF token, messages, gzip), it moves with every change anything on it shows, and no reader is ever
served another reader's page. The suite runs these on local memory, and on Redis in CI's PostgreSQL pass."""
import gzip
import re

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from drafting import page_cache
from drafting.models import Amendment, Comment, DocumentAccess, Milestone, Notification

from .amendment_builders import modify
from .builders import make_document
from .comment_builders import comment
from .conftest import login, read_in

PHRASE = "amberlynx7730"


@pytest.fixture
def clause(concept):
    return concept.clauses.get(number="4.1.1")


def pages(document):
    return {
        "outline": document.get_absolute_url(),
        "compare": reverse("versions_compare", args=[document.slug]),
        "what-if": reverse("what_if", args=[document.slug]),
    }


def rendered(response):
    """The templates Django rendered for the response: none when the page came whole from the cache."""
    return [template.name for template in response.templates if template.name]


def token_in(html):
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)


def signed_in(client, member):
    """Signed in, with the CSRF cookie a browser holds after its first page (pages are cached per browser)."""
    login(client, member)
    client.get(reverse("document_list"))
    assert "csrftoken" in client.cookies
    return client


@pytest.mark.parametrize("page", ["outline", "compare", "what-if"])
def test_a_page_read_again_is_served_whole_without_rendering(client, drafter, concept, page):
    signed_in(client, drafter)
    url = pages(concept)[page]
    first = client.get(url)
    second = client.get(url)
    assert first.status_code == second.status_code == 200
    assert rendered(first) and not rendered(second)
    assert first.content == second.content


def test_a_cached_page_carries_a_csrf_token_its_browser_can_post_with(drafter, concept, clause):
    client = signed_in(Client(enforce_csrf_checks=True), drafter)
    client.get(concept.get_absolute_url())
    page = client.get(concept.get_absolute_url())
    assert not rendered(page)
    token = token_in(page.text)
    assert f'"X-CSRFToken": "{token}"' in page.text  # the header htmx sends carries it too
    posted = client.post(reverse("clause_comment", args=[concept.slug, clause.pk]),
                         {"body": f"A point {PHRASE}.", "csrfmiddlewaretoken": token})
    assert posted.status_code in (200, 302)
    assert Comment.objects.filter(body__contains=PHRASE).exists()


def test_two_browsers_of_one_member_each_get_a_page_with_their_own_token(drafter, concept, clause):
    browsers = [signed_in(Client(enforce_csrf_checks=True), drafter) for _ in range(2)]
    tokens = []
    for browser in browsers:
        browser.get(concept.get_absolute_url())
        page = browser.get(concept.get_absolute_url())
        assert not rendered(page)
        tokens.append(token_in(page.text))
    assert tokens[0] != tokens[1]
    for number, (browser, token) in enumerate(zip(browsers, tokens)):
        posted = browser.post(reverse("clause_comment", args=[concept.slug, clause.pk]),
                              {"body": f"Point {number} {PHRASE}.", "csrfmiddlewaretoken": token})
        assert posted.status_code in (200, 302)
    assert Comment.objects.filter(body__contains=PHRASE).count() == 2


def test_a_browser_without_its_csrf_cookie_yet_is_never_served_a_cached_page(client, drafter, concept):
    signed_in(client, drafter)
    url = concept.get_absolute_url()
    for _ in range(2):
        client.cookies.pop("csrftoken", None)
        page = client.get(url)
        assert rendered(page) and "csrftoken" in page.cookies  # worked out for it, with a cookie of its own


def test_a_browser_that_accepts_gzip_is_sent_the_page_as_stored_compressed(client, drafter, concept):
    signed_in(client, drafter)
    read_in(client, "en")
    url = concept.get_absolute_url()
    plain = client.get(url)  # worked out, stored gzipped, sent as rendered
    zipped = client.get(url, HTTP_ACCEPT_ENCODING="gzip, deflate, br")
    assert not rendered(zipped)
    assert zipped["Content-Encoding"] == "gzip" and "Accept-Encoding" in zipped["Vary"]
    assert "Accept-Encoding" in plain["Vary"] and not plain.has_header("Content-Encoding")
    assert gzip.decompress(zipped.content) == plain.content
    assert len(zipped.content) < len(plain.content) / 3
    unpacked = client.get(url, HTTP_ACCEPT_ENCODING="identity")  # a client without gzip: the stored page unpacked
    assert not rendered(unpacked) and unpacked.content == plain.content
    assert not unpacked.has_header("Content-Encoding")


def test_a_cached_page_is_kept_a_quarter_of_an_hour_not_the_fragments_week(client, drafter, concept, monkeypatch):
    from django.conf import settings

    kept = []

    class Recording:  # the page cache's writes, with their timeouts
        def __getattr__(self, name):
            return getattr(cache, name)

        def set(self, key, value, timeout=None):
            kept.append(timeout)
            return cache.set(key, value, timeout)

    monkeypatch.setattr(page_cache, "cache", Recording())
    signed_in(client, drafter)
    client.get(concept.get_absolute_url())
    assert kept == [settings.PAGE_CACHE_SECONDS]
    assert settings.PAGE_CACHE_SECONDS == 15 * 60 < settings.CACHE_SECONDS


@pytest.mark.parametrize("page", ["outline", "compare", "what-if"])
def test_a_cached_page_is_served_in_a_constant_small_number_of_queries(client, drafter, reviewer, page):
    small, big = make_document(5, slug="small"), make_document(60, slug="big")
    counts = {}
    for document in (small, big):
        for index, listed in enumerate(document.clauses.order_by("pk")[:40]):
            author = drafter if index % 2 else reviewer
            amendment = modify(author, listed, body=listed.body + f" Change {index}.", submit=True)
            comment(author, amendment if index % 3 else listed, body=f"Point {index}.")
        signed_in(client, drafter)
        url = pages(document)[page]
        client.get(url)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        counts[document.slug] = len(queries)
    print(f"[query count] cached {page}: {counts}")
    # The floor's own (session, account, member, sessions record) and the document, its state and the cache.
    assert counts["small"] == counts["big"] <= 10


def test_access_is_checked_before_the_cache(client, drafter, outsider, concept):
    url = concept.get_absolute_url()
    signed_in(client, drafter)
    client.get(url)
    client.logout()
    assert client.get(url).status_code == 302  # to the sign-in
    signed_in(client, outsider)
    assert client.get(url).status_code in (403, 404)


def test_two_readers_never_share_a_cached_page(client, drafter, reviewer, concept, clause):
    modify(drafter, clause, body=clause.body + f" {PHRASE}.")  # a draft: its author's alone
    for page, url in pages(concept).items():
        signed_in(client, drafter)
        read_in(client, "en")
        drafters = client.get(url).text
        assert drafter.full_name in drafters
        signed_in(client, reviewer)
        read_in(client, "en")
        reviewers = client.get(url).text
        assert reviewer.full_name in reviewers and drafter.full_name not in reviewers.split("</header>")[0]
        if page == "what-if":
            assert PHRASE in drafters and PHRASE not in reviewers


def test_a_page_with_a_message_waiting_shows_it_and_the_next_one_comes_from_the_cache_again(client, drafter, concept):
    signed_in(client, drafter)
    url = concept.get_absolute_url()
    client.get(url)  # cached
    saved = client.post(reverse("profile"), {"full_name": drafter.full_name, "email": drafter.user.email,
                                             "agency": drafter.agency, "email_frequency": drafter.email_frequency})
    assert saved.status_code == 302  # the message waits for the next page
    shown = client.get(url)
    assert "Your profile was saved." in shown.text and rendered(shown)
    # The profile's save moved the page's state (the member's history): the next page is worked out again,
    # without the message, and the one after comes from the cache.
    assert "Your profile was saved." not in client.get(url).text
    assert not rendered(client.get(url))


@pytest.mark.parametrize("page", ["outline", "what-if"])
def test_a_page_moves_with_each_change_it_shows(client, drafter, second_drafter, reviewer, concept, clause, page):
    signed_in(client, reviewer)
    read_in(client, "en")
    url = pages(concept)[page]
    client.get(url)
    amendment = modify(drafter, clause, body=clause.body + f" {PHRASE}.", submit=True)
    after_amendment = client.get(url).text
    if page == "outline":
        assert "1 open amendment<" in after_amendment
    else:
        assert PHRASE in after_amendment
    thread = comment(second_drafter, clause, body="A point.")
    assert "1 open thread<" in client.get(url).text or page == "what-if"
    thread.resolve(reviewer)
    assert "open thread<" not in client.get(url).text
    drafter.full_name = f"Renamed {PHRASE}"
    drafter.save()
    if page == "what-if":
        assert f"Renamed {PHRASE}" in client.get(url).text
    other = concept.clauses.get(number="3.1")  # not the amended one: the what-if shows the amendment's
    other.body += " Edited in place."
    other.save()
    assert "Edited in place." in client.get(url).text
    assert amendment.pk


def test_the_comparison_moves_when_its_milestone_is_renamed(client, drafter, concept, clause):
    milestone = Milestone.objects.create(document=concept, name="Before the round", moment=timezone.now())
    url = reverse("versions_compare", args=[concept.slug]) + f"?old=m{milestone.pk}&new=now"
    signed_in(client, drafter)
    assert "Before the round" in client.get(url).text
    milestone.name = f"Consultation {PHRASE}"
    milestone.save()
    assert f"Consultation {PHRASE}" in client.get(url).text


def test_the_header_moves_with_the_readers_unread_notifications_and_name(client, drafter, reviewer, concept):
    signed_in(client, drafter)
    url = concept.get_absolute_url()
    before = client.get(url).text
    Notification.objects.create(recipient=drafter, actor=reviewer, kind=Notification.Kind.STATE, document=concept)
    after = client.get(url).text
    assert rendered(client.get(url)) == [] and before != after
    Notification.objects.filter(recipient=drafter).update(read_at=timezone.now())
    assert client.get(url).text.split("</header>")[0] != after.split("</header>")[0]
    drafter.full_name = f"Dinara {PHRASE}"
    drafter.save()
    assert f"Dinara {PHRASE}" in client.get(url).text.split("</header>")[0]


CHANGES = {
    "a clause edited": lambda c: (setattr(c["clause"], "body", c["clause"].body + " More."), c["clause"].save()),
    "the document renamed": lambda c: (setattr(c["concept"], "short_title", "Renamed"), c["concept"].save()),
    "an amendment drafted": lambda c: modify(c["drafter"], c["clause"], body=c["clause"].body + " Draft."),
    "an amendment submitted": lambda c: c["amendment"].submit(c["drafter"]),
    "an amendment's update time moved in bulk (no history)": lambda c: Amendment.objects.filter(
        pk=c["amendment"].pk).update(updated_at=timezone.now()),
    "a comment posted": lambda c: comment(c["reviewer"], c["clause"], body="A point."),
    "a thread resolved": lambda c: c["thread"].resolve(c["reviewer"]),
    "a milestone set": lambda c: Milestone.objects.create(document=c["concept"], name="Set", moment=timezone.now()),
    "a member's access changed": lambda c: DocumentAccess.grant(
        c["concept"], c["second_drafter"], DocumentAccess.Role.READER),
    "a member renamed": lambda c: (setattr(c["drafter"], "full_name", "Another Name"), c["drafter"].save()),
    "an account switched off in the user admin": lambda c: _switch_off(c["second_drafter"].user_id),
    "a co-sponsor added": lambda c: c["amendment"].cosponsors.add(c["second_drafter"]),
    "a notification received": lambda c: Notification.objects.create(
        recipient=c["drafter"], kind=Notification.Kind.STATE, document=c["concept"]),
}


def _switch_off(user_id):
    user = get_user_model().objects.get(pk=user_id)
    user.is_active = False
    user.save()


# What each change is to a page's state (page_cache.EVERYTHING): none, moved on every page.
SHOWN_BY = {"an amendment drafted": "amendments", "an amendment submitted": "amendments",
            "an amendment's update time moved in bulk (no history)": "amendments", "a co-sponsor added": "amendments",
            "a comment posted": "comments", "a thread resolved": "comments", "a milestone set": "milestones"}


@pytest.mark.parametrize("change", CHANGES)
def test_the_page_state_moves_with_every_change_a_page_shows(drafter, second_drafter, reviewer, concept, clause, change):
    other = concept.clauses.exclude(pk=clause.pk).first()
    parts = {"drafter": drafter, "second_drafter": second_drafter, "reviewer": reviewer, "concept": concept,
             "clause": clause, "amendment": modify(drafter, other, body=other.body + " Mine."),
             "thread": comment(reviewer, other, body="An open point.")}
    before = page_cache.page_state(concept, drafter)
    assert page_cache.page_state(concept, drafter) == before
    pages = {shows: page_cache.page_state(concept, drafter, shows) for shows in (
        (), (page_cache.AMENDMENTS,), (page_cache.COMMENTS,), (page_cache.MILESTONES,))}
    CHANGES[change](parts)
    assert page_cache.page_state(concept, drafter) != before
    # A page that does not show what changed keeps its state; one that shows it moves.
    for shows, state in pages.items():
        moved = SHOWN_BY.get(change) in shows or change not in SHOWN_BY
        assert (page_cache.page_state(concept, drafter, shows) != state) == moved, shows


def test_a_comment_leaves_the_what_if_and_the_comparison_cached_and_moves_the_outline(
    client, drafter, reviewer, concept, clause
):
    signed_in(client, drafter)
    urls = pages(concept)
    for url in urls.values():
        client.get(url)
    comment(reviewer, clause, body="A point on the text.")
    assert rendered(client.get(urls["outline"]))
    assert not rendered(client.get(urls["what-if"])) and not rendered(client.get(urls["compare"]))
    modify(reviewer, clause, body=clause.body + " Proposed.", submit=True)  # an open amendment: not in the comparison
    assert rendered(client.get(urls["what-if"])) and rendered(client.get(urls["outline"]))
    assert not rendered(client.get(urls["compare"]))


def test_the_page_state_of_one_document_ignores_another_documents_work(drafter, concept):
    other = make_document(3, slug="other")
    before = page_cache.page_state(concept, drafter)
    listed = other.clauses.first()
    modify(drafter, listed, body=listed.body + " Elsewhere.")
    comment(drafter, listed, body="Elsewhere.")
    assert page_cache.page_state(concept, drafter) == before


def test_a_page_worked_out_while_the_document_changes_is_sent_but_not_stored(
    client, drafter, reviewer, concept, clause, monkeypatch
):
    from drafting.views import documents

    original = documents._outline
    changed = []

    def outline_while_a_comment_lands(request, document):
        response = original(request, document)
        if not changed:  # after the page read the counts, before it is stored
            changed.append(comment(reviewer, clause, body="A point landing meanwhile."))
        return response

    signed_in(client, drafter)
    monkeypatch.setattr(documents, "_outline", outline_while_a_comment_lands)
    url = concept.get_absolute_url()
    assert "1 open thread<" not in client.get(url).text  # worked out before the comment
    assert "1 open thread<" in client.get(url).text  # not served the page above from the cache


def test_pages_differ_by_reading_choice_and_interface_language(client, drafter, concept):
    signed_in(client, drafter)
    url = concept.get_absolute_url()
    english = client.get(url, {"text": "en"}).text
    azerbaijani_text = client.get(url, {"text": "az"}).text
    assert english != azerbaijani_text
    assert client.get(url).text.split("</header>")[1] == azerbaijani_text.split("</header>")[1]  # remembered
    read_in(client, "en")
    client.post(reverse("choose_language"), {"language": "az", "next": url})
    assert 'lang="az"' in client.get(url).text[:200]


def test_an_error_page_is_never_stored(client, drafter, concept):
    signed_in(client, drafter)
    url = reverse("versions_compare", args=[concept.slug]) + "?old=m99999&new=now"
    for _ in range(2):
        page = client.get(url)
        assert page.status_code == 400 and rendered(page)  # worked out each time


def test_a_deactivated_reader_is_locked_out_of_a_page_they_had_cached(client, drafter, concept):
    signed_in(client, drafter)
    url = concept.get_absolute_url()
    client.get(url)
    drafter.deactivate()
    assert client.get(url).status_code in (302, 403)


def test_a_rejection_shows_at_once_on_the_what_if(client, drafter, reviewer, concept, clause):
    from drafting.models.reviews import Review

    amendment = modify(drafter, clause, body=clause.body + f" {PHRASE}.", submit=True)
    url = reverse("what_if", args=[concept.slug])
    signed_in(client, reviewer)
    read_in(client, "en")
    assert PHRASE in client.get(url).text
    amendment.review(reviewer, Review.Decision.REJECT, note="No.")
    assert not Amendment.objects.get(pk=amendment.pk).is_open
    assert PHRASE not in client.get(url).text


@pytest.mark.parametrize("query", ["?a=%00", "?a=%D9%A1%D9%A2", "?text=%01%7F", "?a=" + "9" * 5000, "?old=%00&new=now",
                                   "?a=1&a=1&a=-1", "?text=both&x=" + "%F0%9F%98%80" * 500])
def test_odd_addresses_are_cached_as_any_other_and_never_fail(client, drafter, concept, query):
    signed_in(client, drafter)
    for page, url in pages(concept).items():
        first, second = client.get(url + query), client.get(url + query)
        assert first.status_code == second.status_code and first.status_code in (200, 400), (page, query)
        if first.status_code == 200:
            assert not rendered(second) and first.content == second.content
        else:  # an error page (a point that is not one): never stored, worked out each time
            assert rendered(second)
