"""Rendered fragments cached under immutable keys (drafting/fragments.py): a key changes with every input a
fragment shows, a cached fragment is served without the work behind it, and no member is ever served a
fragment built from another member's draft.

The suite runs these on the configured cache: local memory, and Redis in CI's PostgreSQL pass (REDIS_URL)."""
import subprocess
import sys

import pytest
from django.conf import settings
from django.core.cache import cache
from django.urls import reverse

from drafting import fragments
from drafting.models import Document

from .amendment_builders import modify
from .comment_builders import comment
from .conftest import login, read_in
from .test_settings import production_env

PHRASE = "quartzheron5310"


@pytest.fixture
def clause(concept):
    return concept.clauses.get(number="4.1.1")


def counting(monkeypatch, target, name):
    """Replace target.name by a wrapper that counts its calls."""
    calls = []
    original = getattr(target, name)

    def counted(*args, **kwargs):
        calls.append(1)
        return original(*args, **kwargs)

    monkeypatch.setattr(target, name, counted)
    return calls


def test_the_text_state_changes_with_every_change_to_the_text_and_only_then(concept, clause):
    before = fragments.text_state(concept)
    assert fragments.text_state(concept) == before
    clause.body += " Amended."
    clause.save()
    after_clause = fragments.text_state(concept)
    concept.description = "Renamed."
    concept.save()
    assert len({before, after_clause, fragments.text_state(concept)}) == 3


def test_the_text_state_at_a_moment_ignores_later_changes(concept, clause):
    from django.utils import timezone

    moment = timezone.now()
    at_moment = fragments.text_state(concept, moment)
    clause.body += " Later."
    clause.save()
    assert fragments.text_state(concept, moment) == at_moment
    assert fragments.text_state(concept) != at_moment


def test_keys_differ_by_fragment_name_and_by_every_part():
    keys = {fragments.key_for("outline", "a", "b"), fragments.key_for("what-if", "a", "b"),
            fragments.key_for("outline", "a", "c"), fragments.key_for("outline", "ab", "")}
    assert len(keys) == 4


def clause_text(document):
    from django.utils.html import escape

    return escape(document.clauses.get(number="4.1.1").body[:60])


def test_a_cached_outline_is_served_without_reading_the_outline_again(client, drafter, concept, monkeypatch):
    calls = counting(monkeypatch, Document, "outline")
    login(client, drafter)
    read_in(client, "en")  # the Concept\'s English text
    first = client.get(concept.get_absolute_url())
    second = client.get(concept.get_absolute_url())
    assert len(calls) == 1
    assert first.status_code == second.status_code == 200
    assert clause_text(concept) in second.text


def test_the_outline_shows_a_change_at_once(client, drafter, concept, clause):
    login(client, drafter)
    read_in(client, "en")  # the Concept\'s English text
    client.get(concept.get_absolute_url())
    clause.body += f" {PHRASE}."
    clause.save()
    assert PHRASE in client.get(concept.get_absolute_url()).text


def test_the_outline_badges_are_the_readers_own(client, drafter, reviewer, clause, concept):
    modify(drafter, clause, body=clause.body + " Draft.")  # a draft: counted for its author only
    login(client, drafter)
    assert "1 open amendment<" in client.get(concept.get_absolute_url()).text
    login(client, reviewer)
    assert "open-amendments" not in client.get(concept.get_absolute_url()).text


def test_a_new_comment_renders_the_outline_badges_again_but_not_the_outline_text(
    client, drafter, reviewer, concept, clause, monkeypatch
):
    outlines = counting(monkeypatch, Document, "outline")
    login(client, reviewer)
    client.get(concept.get_absolute_url())
    comment(drafter, clause, body="A point on the text.")
    page = client.get(concept.get_absolute_url()).text
    assert "1 open thread<" in page
    assert len(outlines) == 1  # the text's fragment was not rendered again


def test_the_outline_badges_key_changes_with_the_readers_counts_and_not_with_the_text(
    client, drafter, reviewer, second_reviewer, concept, clause, monkeypatch
):
    """Each clause's badges are cached under its counts as the reader sees them: rendered again for other counts,
    never for a change of the text or for another reader who sees the same counts."""
    rendered = []
    original = fragments.render_to_string
    monkeypatch.setattr(fragments, "render_to_string",
                        lambda template, *args: rendered.append(template) or original(template, *args))
    badges = "drafting/documents/_outline_badges.html"
    modify(drafter, clause, body=clause.body + " Draft.")  # counted for its author only
    comment(drafter, clause)  # an open thread, counted for everyone
    login(client, drafter)
    read_in(client, "en")  # the Concept\'s English text
    assert "1 open amendment<" in client.get(concept.get_absolute_url()).text
    login(client, reviewer)
    read_in(client, "en")  # the Concept\'s English text
    page = client.get(concept.get_absolute_url()).text
    assert "1 open thread<" in page and "1 open amendment<" not in page
    assert rendered.count(badges) == 2  # two readers, two sets of counts
    clause.body += f" {PHRASE}."
    clause.save()
    assert PHRASE in client.get(concept.get_absolute_url()).text
    assert rendered.count(badges) == 2  # an unrelated change: the reviewer's badges are reused
    assert rendered.count("drafting/documents/_outline.html") == 2
    login(client, second_reviewer)
    read_in(client, "en")
    assert "1 open thread<" in client.get(concept.get_absolute_url()).text
    assert rendered.count(badges) == 2  # another reader with the same counts: the same badges


def test_a_rejection_renders_its_clauses_badges_alone(client, drafter, reviewer, second_reviewer):
    """Under load each rejection rendered all of a big outline's badges again for every reader: now only the
    clause whose count moved, whatever the number of badged clauses."""
    from .builders import make_document

    rendered = []
    original = fragments.render_to_string
    for n in (3, 30):
        document = make_document(40, slug=f"badges-{n}")
        clauses = list(document.clauses.exclude(number="").order_by("pk")[:n])
        amendments = [modify(drafter, c, body=c.body + " Changed.", submit=True) for c in clauses]
        modify(drafter, clauses[0], body=clauses[0].body + " Competing.", submit=True)  # 2 open, then 1
        login(client, reviewer)
        client.get(document.get_absolute_url())
        amendments[0].review(second_reviewer, "reject", note="No.")

        def counting(template, context=None, *args):
            rendered.append(len(context["badges"]) if template.endswith("_outline_badges.html") else 0)
            return original(template, context, *args)

        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(fragments, "render_to_string", counting)
            page = client.get(document.get_absolute_url()).text
        assert page.count("1 open amendment<") == n and "2 open amendments<" not in page
        assert sum(rendered) == 1  # the rejected one's clause: 2 open, now 1; the others come from the cache
        rendered.clear()


def test_badges_whose_counts_did_not_move_are_one_cache_read(client, drafter, reviewer, second_reviewer, monkeypatch):
    """A review that sends an amendment back moves no count: the next outline (not served whole: the amendments
    moved) reads all its badges in one cache read, not one lookup per badged clause."""
    from drafting.views import documents

    from .builders import make_document

    document = make_document(20, slug="badges-still")
    amendments = [modify(drafter, c, body=c.body + " Changed.", submit=True)
                  for c in document.clauses.exclude(number="").order_by("pk")[:5]]
    login(client, reviewer)
    client.get(document.get_absolute_url())
    amendments[0].review(second_reviewer, "request_changes", note="Shorter.")
    lookups = counting(monkeypatch, documents, "cached_fragments_together")
    page = client.get(document.get_absolute_url())
    assert page.context is not None  # worked out, not served whole
    assert page.text.count("1 open amendment<") == 5 and lookups == []


def test_a_slot_mark_typed_into_a_clause_is_text_not_a_slot(client, drafter, concept, clause):
    comment(drafter, clause)
    clause.body = f"Before <!--slot:{clause.pk}--> after {PHRASE}."
    clause.save()
    login(client, drafter)
    read_in(client, "en")  # the Concept\'s English text
    page = client.get(concept.get_absolute_url()).text
    assert f"Before &lt;!--slot:{clause.pk}--&gt; after {PHRASE}." in page
    assert page.count("1 open thread<") == 1


def test_fragment_keys_differ_by_interface_language():
    from django.utils import translation

    with translation.override("en"):
        english = fragments.key_for("outline", "1.2.3.4")
    with translation.override("az"):
        assert fragments.key_for("outline", "1.2.3.4") != english


def test_the_amendment_lists_change_line_is_worked_out_once_per_version_of_an_amendment(
    client, drafter, second_drafter, clause, concept, monkeypatch
):
    from drafting.models import Amendment

    calls = counting(monkeypatch, Amendment, "proposed_redline")
    modify(drafter, clause, body=clause.body + " Mine.")  # a draft: listed for its author
    theirs = modify(second_drafter, clause, body=clause.body + " Theirs.")
    theirs.submit(second_drafter)
    url = reverse("amendment_list", args=[concept.slug])
    login(client, drafter)
    assert "Mine." in client.get(url).text
    assert len(calls) == 2
    client.get(url)
    assert len(calls) == 2  # both lines from the cache
    mine = Amendment.objects.get(author=drafter)
    mine.revise(drafter, fields={"proposed_body": clause.body + f" {PHRASE}."})
    assert PHRASE in client.get(url).text
    assert len(calls) == 3  # the revised one alone


def test_a_cached_comparison_is_served_without_comparing_again(client, drafter, concept, clause, monkeypatch):
    from drafting.views import versions

    calls = counting(monkeypatch, versions, "compare_versions_at")
    clause.body += " Changed."
    clause.save()
    login(client, drafter)
    read_in(client, "en")  # the Concept\'s English text
    url = reverse("versions_compare", args=[concept.slug])
    first = client.get(url, {"old": concept.milestones.get().point, "new": "now"})
    second = client.get(url, {"old": concept.milestones.get().point, "new": "now"})
    assert len(calls) == 1
    assert "Changed." in second.text
    client.get(url, {"old": concept.milestones.get().point, "new": "now", "view": "side"})
    assert len(calls) == 2  # another view of the comparison is another fragment
    clause.body += f" {PHRASE}."
    clause.save()
    assert PHRASE in client.get(url, {"old": concept.milestones.get().point, "new": "now"}).text
    assert len(calls) == 3
    assert first.status_code == 200


def test_a_cached_what_if_is_served_without_drafting_again(client, drafter, clause, concept, monkeypatch):
    from drafting.views import what_if

    calls = counting(monkeypatch, what_if, "layout")
    amendment = modify(drafter, clause, body=clause.body + " Proposed.")
    login(client, drafter)
    read_in(client, "en")  # the Concept\'s English text
    url = reverse("what_if", args=[concept.slug])
    client.get(url)
    client.get(url)
    assert len(calls) == 1
    amendment.refresh_from_db()
    amendment.revise(drafter, fields={"proposed_body": clause.body + f" {PHRASE}."})
    assert PHRASE in client.get(url).text
    assert len(calls) == 2


def test_a_member_is_never_served_a_fragment_holding_another_members_draft(
    client, drafter, reviewer, clause, concept
):
    modify(drafter, clause, body=clause.body + f" {PHRASE}.")  # Dinara's draft: hers alone
    url = reverse("what_if", args=[concept.slug])
    login(client, drafter)
    read_in(client, "en")  # the Concept\'s English text
    assert PHRASE in client.get(url).text  # her fragment, cached
    login(client, reviewer)
    read_in(client, "en")  # the Concept\'s English text
    assert PHRASE not in client.get(url).text
    assert PHRASE not in client.get(url, {"a": "1"}).text  # naming the draft's number does not reach it


def test_a_clause_redline_is_worked_out_once_for_two_versions(client, drafter, clause, monkeypatch):
    from drafting.views import clauses

    calls = counting(monkeypatch, clauses, "redline")
    clause.body += " Once."
    clause.save()
    login(client, drafter)
    read_in(client, "en")  # the Concept\'s English text
    assert "Once." in client.get(clause.get_absolute_url()).text
    client.get(clause.get_absolute_url())
    assert len(calls) == 2  # heading and body, the first time only


def test_fragments_of_two_databases_never_share_a_key(settings):
    from django.db import connection

    key = fragments.key_for("outline", "1.2.3.4")
    original = connection.settings_dict["NAME"]
    connection.settings_dict["NAME"] = f"{original}-other"
    try:
        assert fragments.key_for("outline", "1.2.3.4") != key
    finally:
        connection.settings_dict["NAME"] = original


def test_redis_is_the_cache_when_redis_url_is_set():
    env = production_env(REDIS_URL="redis://127.0.0.1:6379/0", DJANGO_SETTINGS_MODULE="config.settings")
    code = "from django.conf import settings; print(settings.CACHES['default']['BACKEND'])"
    result = subprocess.run([sys.executable, "-c", f"import django; django.setup(); {code}"],
                            cwd=settings.BASE_DIR, env=env, capture_output=True, text=True)
    assert result.stdout.strip() == "django.core.cache.backends.redis.RedisCache", result.stderr


def test_the_configured_cache_keeps_a_fragment():
    # In CI's PostgreSQL pass REDIS_URL is set: this then fails if Redis is not reachable.
    cache.set(fragments.key_for("probe", "x"), "<p>kept</p>")
    assert cache.get(fragments.key_for("probe", "x")) == "<p>kept</p>"


def what_if_rows_rendered(response):
    """How many rows of the what-if draft the request rendered (the misses are rendered together, in one pass)."""
    # (No context at all: the page came whole from the cache, drafting/page_cache.py.)
    return sum(len(context["rows"]) for template, context in zip(response.templates, response.context or [])
               if template.name == "drafting/amendments/_what_if_rows.html")


def draft_of(page):
    return page[page.index('<div class="outline what-if">'):]


def test_a_review_renders_at_most_the_reviewed_amendments_row_of_the_what_if_again(
    client, drafter, second_drafter, reviewer, second_reviewer, concept, monkeypatch
):
    from drafting.views import what_if

    drafts = counting(monkeypatch, what_if, "layout")
    clauses = list(concept.clauses.exclude(number="").order_by("pk")[:3])
    first = modify(drafter, clauses[0], body=clauses[0].body + " One.", submit=True)
    second = modify(second_drafter, clauses[1], body=clauses[1].body + " Two.", submit=True)
    login(client, reviewer)
    read_in(client, "en")
    url = reverse("what_if", args=[concept.slug])
    assert what_if_rows_rendered(client.get(url)) == concept.clauses.count()  # every row rendered once, cold
    assert what_if_rows_rendered(client.get(url)) == 0  # the page itself is cached
    assert len(drafts) == 1
    # Sent back: the rows read as before (a state is not shown in them), only the list to choose from changes.
    second_reviewer.user.refresh_from_db()
    first.review(second_reviewer, "request_changes", note="Shorter, please.")
    page = client.get(url)
    assert what_if_rows_rendered(page) == 0 and len(drafts) == 1
    assert "changes requested" in page.text
    # Rejected: it leaves the draft; its clause's row alone is rendered again.
    second.review(second_reviewer, "reject", note="No.")
    page = client.get(url)
    assert what_if_rows_rendered(page) == 1 and len(drafts) == 2
    assert "Two." not in draft_of(page.text)


def test_the_what_if_rows_show_every_change_at_once_and_read_as_a_cold_page(client, drafter, second_drafter, concept):
    """Each kind of change a row shows, made with the rows cached: the page then reads exactly as one worked
    out with nothing cached."""
    clause, other = list(concept.clauses.exclude(number="").order_by("pk")[:2])
    amendment = modify(drafter, clause, body=clause.body + " One.")  # her draft: she may edit it
    modify(second_drafter, clause, body=clause.body + " Competing.", submit=True)
    login(client, drafter)
    read_in(client, "en")
    url = reverse("what_if", args=[concept.slug])

    def same_as_cold():
        warm = draft_of(client.get(url).text)
        cache.clear()
        assert draft_of(client.get(url).text) == warm
        return warm

    same_as_cold()
    amendment.refresh_from_db()
    amendment.revise(drafter, fields={"proposed_body": clause.body + f" {PHRASE}."})
    assert PHRASE in same_as_cold()
    drafter.full_name = "Renamed Author"
    drafter.save()
    assert "Renamed Author" in same_as_cold()
    other.body = f"{other.body} {PHRASE}other"  # the clause's own text, edited
    other.save()
    assert f"{PHRASE}other" in same_as_cold()
    for choice in ("both", "az"):
        warm = client.get(url, {"text": choice}).text
        cache.clear()
        assert draft_of(client.get(url, {"text": choice}).text) == draft_of(warm)


def test_the_what_if_after_reviews_reads_in_the_same_queries_whatever_the_number_of_amendments(
    client, drafter, reviewer
):
    """Cached rows, new states: the lines of the list whose state moved are read as objects in one query."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from drafting.models import Amendment

    from .builders import make_document
    from .test_amendment_views import _many_amendments

    counts = {}
    for n in (5, 60):
        document = make_document(30, slug=f"doc-{n}")
        _many_amendments(document, drafter, n)
        login(client, reviewer)
        url = reverse("what_if", args=[document.slug])
        client.get(url)
        Amendment.objects.filter(document=document).update(state="changes_requested", updated_at=timezone.now())
        with CaptureQueriesContext(connection) as queries:
            page = client.get(url)
        assert page.text.count("changes requested") == n
        counts[n] = len(queries)
    assert counts[5] == counts[60]


def test_a_changed_template_or_filter_gives_every_fragment_a_new_key(tmp_path, monkeypatch):
    """A release that changes how a fragment is rendered never serves what the old code rendered (Redis keeps
    fragments across restarts): the code's digest is part of every key."""
    (tmp_path / "templates").mkdir()
    page = tmp_path / "templates" / "page.html"
    page.write_text("<p>{{ text }}</p>")
    (tmp_path / "filters.py").write_text("def f(): return 1\n")
    before = fragments.code_version(tmp_path)
    page.write_text("<p class='new'>{{ text }}</p>")
    after_template = fragments.code_version(tmp_path)
    (tmp_path / "filters.py").write_text("def f(): return 2\n")
    after_filter = fragments.code_version(tmp_path)
    assert len({before, after_template, after_filter}) == 3
    (tmp_path / "notes.txt").write_text("not code")
    assert fragments.code_version(tmp_path) == after_filter
    key = fragments.key_for("outline", 1, 2)
    monkeypatch.setattr(fragments, "CODE_VERSION", "another release")
    assert fragments.key_for("outline", 1, 2) != key


@pytest.mark.parametrize("change", ["rejected", "sent back", "text edited"])
def test_a_what_if_worked_out_while_an_amendment_moves_on_is_worked_out_again_and_stores_nothing_stale(
    client, drafter, second_drafter, reviewer, second_reviewer, concept, monkeypatch, change
):
    """Found under load: a review between reading the amendments' values (the keys) and their objects (the
    rendering) made the page fail. Now the page starts again, and what it shows and caches is the new state."""
    from drafting.models import Amendment

    clause = concept.clauses.get(number="4.1.1")
    other = concept.clauses.exclude(number="").exclude(pk=clause.pk).order_by("pk").first()
    moving = modify(drafter, clause, body=clause.body + f" {PHRASE}.", submit=True)
    modify(second_drafter, other, body=other.body + " Other.", submit=True)
    login(client, reviewer)
    read_in(client, "en")
    url = reverse("what_if", args=[concept.slug])
    original_outline = Document.outline
    moved = []

    def outline_then_move(document):
        entries = original_outline(document)
        if not moved:  # once, between the values and the objects
            moved.append(1)
            if change == "rejected":
                Amendment.objects.get(pk=moving.pk).review(second_reviewer, "reject", note="No.")
            elif change == "sent back":
                Amendment.objects.get(pk=moving.pk).review(second_reviewer, "request_changes", note="Shorter.")
            else:
                other.body += " Edited meanwhile."
                other.save()
        return entries

    monkeypatch.setattr(Document, "outline", outline_then_move)
    page = client.get(url)
    assert page.status_code == 200 and moved
    monkeypatch.setattr(Document, "outline", original_outline)
    warm = draft_of(page.text)
    assert warm == draft_of(client.get(url).text)
    cache.clear()
    assert draft_of(client.get(url).text) == warm  # what was cached reads as a page worked out afresh
    assert (PHRASE in warm) == (change != "rejected")
    assert ("Edited meanwhile" in warm) == (change == "text edited")  # in a redline: "meanwhile" and "." apart
