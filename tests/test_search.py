"""Search (issue 15, point 4): what it finds, for whom, and that no input breaks it."""
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from drafting import search
from drafting.models import Comment, SearchEntry
from drafting.models.history import attribute

from . import test_permissions
from .amendment_builders import modify
from .builders import make_document
from .test_permissions import HIDDEN, SECRET, SPONSORS, _take_them_off_the_concept, ask, readable

world = test_permissions.world  # the permission table's fixture: a persona of each kind and their objects

URL = reverse("search")


def find(client, q, **filters):
    response = client.get(URL, {"q": q, **filters})
    assert response.status_code == 200
    return response


def results(response):
    return response.context["results"]


def kinds(response):
    return {result.kind for result in results(response)}


@pytest.fixture
def document(db):
    return make_document(12, slug="searchable")


def test_search_finds_the_current_text_of_a_clause(as_drafter, document):
    response = find(as_drafter, "paragraph 1.3")
    assert kinds(response) == {"clause"}
    assert any(result.url == reverse("clause_detail", args=["searchable", result.entry.clause_id])
               for result in results(response))


def test_search_finds_past_versions_of_a_clause_with_a_link_to_the_version(as_drafter, document):
    clause = document.clauses.get(number="1.2")
    old_text = clause.body
    clause.body = "Entirely new wording of the zephyrine clause."
    attribute(clause, reason="test")
    clause.save()
    assert kinds(find(as_drafter, "zephyrine")) == {"clause"}
    past = find(as_drafter, "paragraph 1.2", kind="version")
    [result] = results(past)
    assert result.kind == "version" and old_text.split()[0] in result.entry.text
    assert result.url.startswith(reverse("versions_read", args=["searchable"]) + "?at=")
    assert as_drafter.get(result.url).status_code == 200
    current = [r for r in results(find(as_drafter, "paragraph 1.2")) if r.kind == "clause"]
    assert clause.pk not in {r.entry.clause_id for r in current}  # the current text no longer says it


def test_a_save_that_changes_no_text_adds_no_past_version(document):
    clause = document.clauses.get(number="1.2")
    before = SearchEntry.objects.filter(clause=clause).count()
    attribute(clause, reason="renumbered")
    clause.save()
    assert SearchEntry.objects.filter(clause=clause).count() == before


def test_search_finds_amendments_by_proposed_text_and_rationale(as_drafter, drafter, document):
    clause = document.clauses.get(number="1.1")
    amendment = modify(drafter, clause, body="A quasar of new words.", rationale="Because of the nebula.",
                       submit=True)
    for word in ("quasar", "nebula"):
        [result] = results(find(as_drafter, word))
        assert result.kind == "amendment"
        assert result.url == reverse("amendment_detail", args=["searchable", amendment.number])


def test_search_finds_comments_and_not_withdrawn_ones(as_drafter, drafter, document):
    clause = document.clauses.get(number="1.1")
    kept = Comment.post(author=drafter, target=clause, body="The porcupine argument.")
    gone = Comment.post(author=drafter, target=clause, body="The porcupine retraction.")
    gone.withdraw(drafter)
    [result] = results(find(as_drafter, "porcupine"))
    assert result.url.endswith(f"#comment-{kept.pk}")
    assert not results(find(as_drafter, "retraction"))


def test_an_edited_comment_is_found_by_its_current_text_only(as_drafter, drafter, document):
    comment = Comment.post(author=drafter, target=document.clauses.get(number="1.1"), body="Original walrus.")
    comment.edit(drafter, "Edited narwhal.")
    assert not results(find(as_drafter, "walrus"))
    assert len(results(find(as_drafter, "narwhal"))) == 1


def test_search_finds_both_languages(as_drafter, document):
    clause = document.clauses.get(number="1.1")
    clause.body_az = "Milli təhlükəsizlik üçün tədbirlər."
    attribute(clause, reason="test")
    clause.save()
    [result] = results(find(as_drafter, "tədbirlər"))
    assert result.language == "az"
    assert {r.language for r in results(find(as_drafter, "paragraph 1.1"))} == {"en"}


@pytest.mark.parametrize("typed", ["ucun", "ÜÇÜN", "üçün", "təhlükə", "tehlukesizlik", "TƏHLÜKƏSİZLİK"])
def test_folding_matches_with_or_without_the_azerbaijani_letters(as_drafter, document, typed):
    clause = document.clauses.get(number="1.1")
    clause.body_az = "Milli TƏHLÜKƏSİZLİK üçün."
    attribute(clause, reason="test")
    clause.save()
    assert len(results(find(as_drafter, typed))) == 1


@pytest.mark.parametrize("typed", ["istiqlal", "İSTİQLAL", "ISTIQLAL", "ıstıqlal"])
def test_folding_treats_the_dotted_and_dotless_i_as_one(as_drafter, document, typed):
    clause = document.clauses.get(number="1.1")
    clause.heading_az = "İstiqlal"
    attribute(clause, reason="test")
    clause.save()
    assert len(results(find(as_drafter, typed))) == 1


def test_highlighting_escapes_user_text_and_marks_the_match(as_drafter, drafter, document):
    Comment.post(author=drafter, target=document.clauses.get(number="1.1"),
                 body='<script>alert("x")</script> the marmoset & <b>friends</b>')
    response = find(as_drafter, "marmoset")
    html = response.content.decode()
    assert "<mark>marmoset</mark>" in html
    assert "<script>alert" not in html and "&lt;script&gt;" in html and "<b>friends" not in html


def test_highlighting_marks_the_original_letters_of_a_folded_match(as_drafter, document):
    clause = document.clauses.get(number="1.1")
    clause.body_az = "Sərhədlərin toxunulmazlığı."
    attribute(clause, reason="test")
    clause.save()
    assert "<mark>Sərhədlərin</mark>" in find(as_drafter, "serhedlerin").content.decode()


def test_filters_narrow_by_document_kind_and_date(as_drafter, drafter, document):
    other = make_document(3, slug="other-searchable")
    Comment.post(author=drafter, target=document.clauses.get(number="1.1"), body="paragraph in a comment")
    everything = find(as_drafter, "paragraph")
    assert {r.document.slug for r in results(everything)} == {"searchable", "other-searchable"}
    assert {r.document.slug for r in results(find(as_drafter, "paragraph", document=other.pk))} == {"other-searchable"}
    assert kinds(find(as_drafter, "paragraph", kind="comment")) == {"comment"}
    assert not results(find(as_drafter, "paragraph", date_to="2000-01-01"))
    assert results(find(as_drafter, "paragraph", date_from="2000-01-01"))


def test_a_date_range_that_ends_before_it_starts_is_an_error_beside_the_field(as_drafter, document):
    response = find(as_drafter, "paragraph", date_from="2026-03-02", date_to="2026-03-01")
    assert response.context["form"].errors["date_to"] and not results(response)


BAD_QUERIES = [
    "\x00", "a\x00b", "\x01\x1f\x7f", '"', '""', "'", "*", "a*", "NEAR", "NEAR(a b)", "a AND b", "a OR", "NOT",
    "-", "-a", "a:b", "folded:x", "(", ")", "((a", "^a", "a & b", "a | b", "!a", "a <-> b", "a:*", "\\", "%", "_",
    "²", "٣", "١٢٣", "𝟙", "🙂", "👩‍👩‍👧", "שלום", "مرحبا", "\u202eabc", "\u200b", "\ufeff", "   ", "x" * 10000,
    "paragraph " * 500, "ə" * 300, "\ud800"[:0] + "\udfff".encode("utf-16", "surrogatepass").decode("utf-16", "ignore"),
]


@pytest.mark.parametrize("typed", BAD_QUERIES)
def test_any_query_answers_without_an_error(as_drafter, document, typed):
    response = as_drafter.get(URL, {"q": typed})
    assert response.status_code == 200


@pytest.mark.parametrize("typed", ["\x00", "a\x00b", "a\x0bb", "a\x1fb"])
def test_a_control_character_in_the_query_is_told_beside_the_box_with_the_text_kept(as_drafter, document, typed):
    response = as_drafter.get(URL, {"q": typed, "kind": "clause"})
    assert response.status_code == 200 and response.context["form"].errors["q"] and not results(response)
    assert "invisible control character" in response.content.decode()


def test_a_query_longer_than_the_limit_is_cut_and_the_page_says_so(as_drafter, document):
    response = find(as_drafter, "paragraph " + "z" * 400)
    assert response.context["query"].cut
    assert len(response.context["query"].typed) <= search.MAX_QUERY_LENGTH
    assert "only its first 200 were read" in response.content.decode()


def test_an_empty_query_shows_the_form_and_no_results(as_drafter, document):
    for params in ({}, {"q": ""}, {"q": "  "}, {"q": "\"*()"}):
        response = as_drafter.get(URL, params)
        assert response.status_code == 200 and not results(response)


@pytest.mark.parametrize("filters", [
    {"document": "²"}, {"document": "9" * 30}, {"document": "-1"}, {"document": "abc"}, {"kind": "nothing"},
    {"date_from": "9999-99-99"}, {"date_to": "0000-00-00"}, {"date_from": "9999-12-31"}, {"date_to": "0001-01-01"},
    {"date_from": "٢٠٢٦-٠١-٠١"}, {"page": "²"}, {"page": "99999999999999999999999"}, {"page": "-3"},
    {"page": "100"}, {"date_from": "\x00"},
])
def test_odd_filters_answer_without_an_error(as_drafter, document, filters):
    assert as_drafter.get(URL, {"q": "paragraph", **filters}).status_code == 200


def test_another_documents_id_in_the_filter_is_an_invalid_choice(client, drafter, document):
    from drafting.models import Document, DocumentAccess

    from .conftest import login

    secret = make_document(2, slug="not-theirs")
    DocumentAccess.objects.filter(document=secret, member=drafter).delete()
    vars(drafter).pop("_roles_on_documents", None)
    login(client, drafter)
    response = client.get(URL, {"q": "paragraph", "document": secret.pk})
    assert response.context["form"].errors["document"] and not results(response)
    assert Document.objects.filter(pk=secret.pk).exists()


def test_pagination_is_bounded(as_drafter, document):
    response = find(as_drafter, "paragraph", page="10")
    assert response.context["page"] == 10
    response = find(as_drafter, "paragraph", page="11")
    assert response.context["page"] == 1  # past the last page reads as no page


def _many_kinds(document, author, n):
    clauses = list(document.clauses.order_by("pk"))[:n]
    for i, clause in enumerate(clauses):
        clause.body += f" Revised {i}."
        attribute(clause, reason="test")
        clause.save()
        modify(author, clause, body=f"paragraph amended {i}", submit=True)
        Comment.post(author=author, target=clause, body=f"paragraph comment {i}")


def test_the_search_page_makes_the_same_number_of_queries_for_few_and_many_results(client, drafter):
    from .conftest import login

    login(client, drafter)
    small = make_document(3, slug="few")
    _many_kinds(small, drafter, 2)
    with CaptureQueriesContext(connection) as few:
        assert len(results(find(client, "paragraph", document=small.pk))) < 10
    large = make_document(30, slug="many")
    _many_kinds(large, drafter, 15)
    with CaptureQueriesContext(connection) as many:
        assert len(results(find(client, "paragraph", document=large.pk))) == 20
    assert len(many) == len(few)


def test_rebuild_search_index_writes_what_the_saves_wrote(document, drafter):
    from django.core.management import call_command

    clause = document.clauses.get(number="1.1")
    clause.body = "Changed once."
    attribute(clause, reason="test")
    clause.save()
    modify(drafter, clause, body="Amended.", submit=True)
    Comment.post(author=drafter, target=clause, body="Said.")
    fields = ("kind", "document_id", "clause_id", "amendment_id", "comment_id", "history_id", "language", "text")
    before = sorted(SearchEntry.objects.values_list(*fields))
    SearchEntry.objects.all().delete()
    call_command("rebuild_search_index", stdout=open("/dev/null", "w"))
    assert sorted(SearchEntry.objects.values_list(*fields)) == before
    assert len(results_for_rebuilt(document)) >= 1


def results_for_rebuilt(document):
    return list(search.matching(SearchEntry.objects.filter(document=document), ["changed"]))


# --- visibility over the permission personas ------------------------------------------------------------------------
def test_search_never_shows_a_private_draft_or_its_discussion_to_a_persona_who_may_not_read_it(world):
    """The permission table's world: `target`'s private draft (co-sponsored by `cosponsor`) holds the secret
    phrase in its heading, text, rationale and comments. Search by the phrase's start (words match as prefixes),
    so the phrase whole can only come from a result, as every persona."""
    url = f"{URL}?q={SECRET[:-4]}"
    for persona in ("anonymous", "outsider", "deactivated", "drafter", "reviewer", "admin"):
        response = ask(persona, world, "get", url)
        assert SECRET[-4:] not in readable(response), persona
    for sponsor in (*SPONSORS, "target"):
        response = ask(sponsor, world, "get", url)
        assert response.status_code == 200 and SECRET[-4:] in readable(response), sponsor
        assert {r.kind for r in response.context["results"]} == {"amendment", "comment"}


def test_search_never_shows_a_document_the_member_is_not_on(world):
    _take_them_off_the_concept(world)
    for persona in ("drafter", "reviewer", "cosponsor"):
        response = ask(persona, world, "get", f"{URL}?q={HIDDEN[:-4]}")
        assert response.status_code == 200 and HIDDEN[-4:] not in readable(response), persona
        response = ask(persona, world, "get", f"{URL}?q=Restoration")
        assert all(r.document.pk != world.concept.pk for r in response.context["results"]), persona
    assert HIDDEN[-4:] in readable(ask("admin", world, "get", f"{URL}?q={HIDDEN[:-4]}"))


@pytest.mark.azerbaijani
def test_the_search_page_reads_in_azerbaijani(client, drafter, document, settings):
    from django.utils import translation

    from .conftest import login

    settings.LANGUAGE_CODE = "az"
    drafter.language = "az"
    drafter.save(update_fields=["language"])
    login(client, drafter)
    with translation.override("az"):
        response = client.get(URL, {"q": "paragraph " + "z" * 300})
    html = response.content.decode()
    assert "Axtarış" in html and "Keçmiş versiya" in html
    assert "Axtarışınız 200 simvoldan uzun idi" in html


def test_a_renumbered_clause_is_found_under_its_new_number(document):
    clause = document.clauses.get(number="1.2")
    clause.number = "1.9b"
    attribute(clause, reason="renumbered")
    clause.save()
    assert set(SearchEntry.objects.filter(clause=clause, kind="clause").values_list("title", flat=True)) == {
        "1.9b Clause 1.2"}
    assert not SearchEntry.objects.filter(clause=clause, kind="version").exists()
