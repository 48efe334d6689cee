"""Translation status (issue 13, point 2): when an applied amendment changes the authoritative text and not the
translation, the translation is outdated, remembering the authoritative version it was made from, and listed on
the document's Translations page until a translation update (an amendment of its own kind, reviewed like any
other) brings it up to date.
"""
import importlib

import pytest
from django.apps import apps
from django.urls import reverse
from django.utils import translation

from drafting.models import Amendment, Clause, DocumentAccess, NotAllowed, TransitionError
from drafting.translations import outdated_translations

from .amendment_builders import modify_texts, remove, translate
from .builders import make_bilingual_document, make_document, make_member
from .conftest import login
from .version_builders import approve


@pytest.fixture
def document(db):
    return make_bilingual_document()


@pytest.fixture
def clause(document):
    return document.clauses.get(number="1.1")


def _change_authoritative(author, reviewer, clause, body):
    clause.refresh_from_db()
    return approve(modify_texts(author, clause, {"az": (clause.heading_az, body)}, submit=True), reviewer)


def _fresh(clause):
    return Clause.objects.select_related("document").get(pk=clause.pk)


# --- the rule -----------------------------------------------------------------------------------------------
def test_every_clause_starts_with_a_current_translation(document):
    assert not any(clause.is_translation_outdated for clause in document.clauses.select_related("document"))
    assert document.outdated_translation_count() == 0


def test_the_translation_is_outdated_when_only_the_authoritative_text_changes(drafter, reviewer, clause):
    _change_authoritative(drafter, reviewer, clause, "Dəyişdirilmiş mətn.")
    clause = _fresh(clause)
    assert clause.is_translation_outdated
    assert (clause.authoritative_version, clause.translated_from) == (2, 1)
    assert clause.document.outdated_translation_count() == 1


def test_the_translation_is_current_when_an_amendment_changes_both(drafter, reviewer, clause):
    approve(modify_texts(drafter, clause, {"az": (clause.heading_az, "Yeni mətn."), "en": (clause.heading, "New text.")},
                         submit=True), reviewer)
    clause = _fresh(clause)
    assert not clause.is_translation_outdated
    assert (clause.authoritative_version, clause.translated_from) == (2, 2)


def test_a_change_of_the_authoritative_heading_alone_also_outdates_the_translation(drafter, reviewer, clause):
    approve(modify_texts(drafter, clause, {"az": ("Yeni başlıq", clause.body_az)}, submit=True), reviewer)
    assert _fresh(clause).is_translation_outdated


def test_a_change_of_the_translation_alone_leaves_the_version_and_the_status(drafter, reviewer, clause):
    approve(modify_texts(drafter, clause, {"en": (clause.heading, "Better English.")}, submit=True), reviewer)
    clause = _fresh(clause)
    assert (clause.authoritative_version, clause.translated_from, clause.body) == (1, 1, "Better English.")


def test_the_translation_remembers_the_version_it_was_made_from_through_later_changes(drafter, reviewer, clause):
    original = clause.body_az
    _change_authoritative(drafter, reviewer, clause, "Birinci dəyişiklik.")
    _change_authoritative(drafter, reviewer, clause, "İkinci dəyişiklik.")
    clause = _fresh(clause)
    assert (clause.authoritative_version, clause.translated_from) == (3, 1)
    [item] = outdated_translations(clause.document)
    assert item.made_from.body_az == original  # the redline runs from the text that was translated
    assert "".join(p.text for p in item.since["body"] if not p.is_insert) == original
    assert "".join(p.text for p in item.since["body"] if not p.is_delete) == "İkinci dəyişiklik."


def test_an_amendment_changing_both_on_an_outdated_translation_keeps_remembering_the_older_version(
        drafter, reviewer, clause):
    _change_authoritative(drafter, reviewer, clause, "Birinci dəyişiklik.")
    clause.refresh_from_db()
    approve(modify_texts(drafter, clause, {"az": (clause.heading_az, "İkinci."), "en": (clause.heading, "Second.")},
                         submit=True), reviewer)
    clause = _fresh(clause)
    # The English was never brought up to the first change: still outdated, still from version 1.
    assert (clause.authoritative_version, clause.translated_from) == (3, 1)


def test_a_translation_update_makes_the_translation_current(drafter, second_drafter, reviewer, clause):
    _change_authoritative(drafter, reviewer, clause, "Dəyişdirilmiş mətn.")
    amendment = approve(translate(second_drafter, _fresh(clause), clause.heading, "The changed text.", submit=True),
                        reviewer)
    clause = _fresh(clause)
    assert not clause.is_translation_outdated and clause.body == "The changed text."
    assert clause.body_az == "Dəyişdirilmiş mətn." and clause.authoritative_version == 2
    assert amendment.applied_body == "The changed text." and amendment.applied_body_az == "Dəyişdirilmiş mətn."


def test_a_translation_update_with_the_same_words_confirms_an_outdated_translation(drafter, reviewer, clause):
    _change_authoritative(drafter, reviewer, clause, "Yalnız vergül dəyişdi.")
    rows = clause.history.count()
    approve(translate(drafter, _fresh(clause), clause.heading, clause.body, submit=True), reviewer)
    clause = _fresh(clause)
    assert not clause.is_translation_outdated
    assert clause.history.count() == rows + 1  # one row: the status, the texts as they were


def test_a_translation_update_written_before_a_later_authoritative_change_leaves_it_outdated(
        drafter, second_drafter, reviewer, clause):
    _change_authoritative(drafter, reviewer, clause, "Birinci dəyişiklik.")
    update = translate(second_drafter, _fresh(clause), clause.heading, "First change.", submit=True)
    _change_authoritative(drafter, reviewer, clause, "Birinci dəyişiklik, ikinci.")
    approve(update, reviewer)
    clause = _fresh(clause)
    # It translated version 2; the text is at version 3.
    assert clause.body == "First change." and (clause.authoritative_version, clause.translated_from) == (3, 2)


def test_a_translation_update_proposes_nothing_in_the_authoritative_language(drafter, reviewer, clause):
    amendment = Amendment.start(author=drafter, clause=clause, kind=Amendment.Kind.TRANSLATE, rationale="Forged.",
                                proposed_heading="H", proposed_body="English.", proposed_body_az="Saxta.")
    assert amendment.proposed_body_az == "" and amendment.languages == ["en"]
    amendment.submit(drafter)
    approve(amendment, reviewer)
    clause = _fresh(clause)
    assert clause.body_az == "Bənd 1.1 mətni, sınaq üçün." and clause.body == "English."


def test_the_translate_kind_on_a_document_with_no_translation_is_refused(drafter):
    english = make_document(5, slug="english-only")
    with pytest.raises(TransitionError, match="no translation"):
        Amendment.start(author=drafter, clause=english.clauses.get(number="1.1"), kind=Amendment.Kind.TRANSLATE,
                        proposed_body="x", rationale="No.")


def test_nobody_approves_their_own_translation_update(drafter, clause):
    amendment = translate(drafter, clause, clause.heading, "Mine.", submit=True)
    with pytest.raises(NotAllowed):
        amendment.review(drafter, "approve")


def test_a_translation_update_waits_for_the_quorum_like_any_amendment(drafter, reviewer, second_reviewer, document, clause):
    document.quorum = 2
    document.save()
    amendment = translate(drafter, clause, clause.heading, "Needs two.", submit=True)
    assert amendment.review(reviewer, "approve") == Amendment.State.SUBMITTED
    assert amendment.review(second_reviewer, "approve") == Amendment.State.APPLIED


def test_a_conflicting_translation_update_needs_rebase_naming_the_translation(drafter, second_drafter, reviewer, clause):
    words = clause.body.split()
    ours = translate(drafter, clause, clause.heading, clause.body.replace(words[0], "Ours", 1), submit=True)
    approve(translate(second_drafter, clause, clause.heading, clause.body.replace(words[0], "Theirs", 1), submit=True),
            reviewer)
    assert ours.review(reviewer, "approve") == Amendment.State.NEEDS_REBASE
    ours.refresh_from_db()
    assert ours.conflict.startswith("in the English text:")


def test_an_insertion_without_a_translation_is_listed_as_owing_one(drafter, reviewer, clause):
    amendment = Amendment.start(author=drafter, clause=clause, kind=Amendment.Kind.INSERT, placement="after",
                                proposed_heading_az="Yeni bənd", proposed_body_az="Yeni bəndin mətni.",
                                rationale="New.", submit=True)
    approve(amendment, reviewer)
    new = _fresh(amendment.result_clause)
    assert new.is_translation_outdated and new.translated_from == 0
    [item] = outdated_translations(new.document)
    assert item.made_from is None and "".join(p.text for p in item.since["body"] if p.is_insert) == "Yeni bəndin mətni."


def test_a_removed_clause_is_not_listed(drafter, reviewer, clause):
    _change_authoritative(drafter, reviewer, clause, "Dəyişdirilmiş mətn.")
    approve(remove(drafter, _fresh(clause), submit=True), reviewer)
    assert outdated_translations(clause.document) == []


def test_a_single_language_document_never_has_an_outdated_translation(drafter, reviewer):
    english = make_document(5, slug="english-status")
    clause = english.clauses.get(number="1.1")
    approve(Amendment.start(author=drafter, clause=clause, kind=Amendment.Kind.MODIFY, proposed_heading=clause.heading,
                            proposed_body="Changed.", rationale="Why.", submit=True), reviewer)
    clause = _fresh(clause)
    assert not clause.is_translation_outdated and clause.translated_from == clause.authoritative_version == 2
    assert english.outdated_translation_count() is None and outdated_translations(english) == []


# --- the data migration ----------------------------------------------------------------------------------------
def test_the_data_migration_sets_every_existing_clause_current(drafter, reviewer, clause):
    _change_authoritative(drafter, reviewer, clause, "Dəyişdirilmiş mətn.")
    assert _fresh(clause).is_translation_outdated
    migration = importlib.import_module("drafting.migrations.0011_translation_status")
    migration.every_translation_current(apps, None)
    assert not _fresh(clause).is_translation_outdated
    assert all(row.translated_from == row.authoritative_version for row in clause.history.all())


# --- the Translations page ---------------------------------------------------------------------------------------
def _page(client, document):
    return client.get(reverse("document_translations", args=[document.slug]))


def test_the_translations_page_lists_the_outdated_clauses_with_the_change_beside_the_translation(
        as_drafter, drafter, reviewer, document, clause):
    _change_authoritative(drafter, reviewer, clause, "Bənd 1.1 mətni, yeni sınaq üçün.")
    response = _page(as_drafter, document)
    html = response.content.decode()
    assert response.status_code == 200
    assert [item.clause.pk for item in response.context["outdated"]] == [clause.pk]
    assert "<ins>yeni </ins>" in html or "yeni" in html
    assert "Azerbaijani: changes since the translated version" in html
    assert "English: the translation now" in html and "First paragraph of 1.1" in html
    update = reverse("amendment_new", args=[document.slug, clause.pk, "translate"])
    assert f'href="{update}"' in html


def test_the_update_action_opens_the_form_prefilled_with_the_current_translation(as_drafter, drafter, reviewer, clause):
    _change_authoritative(drafter, reviewer, clause, "Dəyişdirilmiş mətn.")
    response = as_drafter.get(reverse("amendment_new", args=[clause.document.slug, clause.pk, "translate"]))
    html = response.content.decode()
    assert response.status_code == 200 and "Update the translation of 1.1" in html
    assert response.context["form"].initial["proposed_body"] == clause.body
    assert 'name="proposed_body_az"' not in html and 'name="proposed_heading_az"' not in html


def test_a_reader_sees_the_translations_page_without_the_update_action(client, drafter, reviewer, document, clause):
    _change_authoritative(drafter, reviewer, clause, "Dəyişdirilmiş mətn.")
    reader = make_member("reader_rena")
    DocumentAccess.objects.filter(document=document, member=reader).update(role="reader")
    html = _page(login(client, reader), document).content.decode()
    assert "Clause 1.1" in html and "Update the translation" not in html
    assert client.get(reverse("amendment_new", args=[document.slug, clause.pk, "translate"])).status_code == 403


@pytest.mark.need_to_know
def test_the_translations_page_of_a_document_one_is_not_on_is_not_found(client, document):
    stranger = make_member("not_on_it")
    assert _page(login(client, stranger), document).status_code == 404


def test_the_translations_page_of_a_single_language_document_says_so(as_drafter):
    english = make_document(3, slug="english-page")
    assert "This document has no translation" in _page(as_drafter, english).content.decode()


def test_the_translations_page_answers_a_post_with_method_not_allowed(as_drafter, document):
    assert as_drafter.post(reverse("document_translations", args=[document.slug])).status_code == 405


def test_the_translations_page_costs_the_same_queries_for_two_or_twelve_outdated_clauses(
        as_drafter, drafter, reviewer, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    counts = []
    for size in (2, 12):
        document = make_bilingual_document(14, slug=f"queries-{size}")
        clauses = list(document.clauses.exclude(number="").order_by("pk"))[:size]
        for index, clause in enumerate(clauses):
            # Varied: one or two changes, long and short texts, an inserted clause without translation.
            _change_authoritative(drafter, reviewer, clause, f"Mətn {index} " + "söz " * (index * 7))
            if index % 3 == 0:
                _change_authoritative(drafter, reviewer, clause, f"Yenə {index}.")
        if size == 12:
            approve(Amendment.start(author=drafter, clause=clauses[0], kind=Amendment.Kind.INSERT, placement="after",
                                    proposed_body_az="Tərcüməsiz.", rationale="New.", submit=True), reviewer)
        with CaptureQueriesContext(connection) as captured:
            response = _page(as_drafter, document)
        assert len(response.context["outdated"]) == size + (1 if size == 12 else 0)
        counts.append(len(captured))
    assert counts[0] == counts[1], counts


def test_the_outline_counts_the_outdated_translations_and_links_to_the_page(as_drafter, drafter, reviewer, document, clause):
    html = as_drafter.get(document.get_absolute_url()).content.decode()
    assert "Every translation is up to date." in html
    _change_authoritative(drafter, reviewer, clause, "Dəyişdirilmiş mətn.")
    html = as_drafter.get(document.get_absolute_url()).content.decode()
    page = reverse("document_translations", args=[document.slug])
    assert f'<a href="{page}">1 outdated translation</a>' in html


def test_the_outline_of_a_single_language_document_says_nothing_of_translations(as_drafter):
    english = make_document(3, slug="english-outline")
    assert "outdated translation" not in as_drafter.get(english.get_absolute_url()).content.decode()


def test_the_clause_page_marks_an_outdated_translation_linking_to_the_page(as_drafter, drafter, reviewer, clause):
    html = as_drafter.get(clause.get_absolute_url()).content.decode()
    assert "Translation outdated" not in html
    _change_authoritative(drafter, reviewer, clause, "Dəyişdirilmiş mətn.")
    html = as_drafter.get(clause.get_absolute_url()).content.decode()
    assert "Translation outdated" in html
    assert reverse("document_translations", args=[clause.document.slug]) + f"#outdated-{clause.pk}" in html


# --- the kind's name everywhere ---------------------------------------------------------------------------------
def test_the_translate_kind_reads_translation_update_in_lists_and_on_its_page(as_drafter, drafter, document, clause):
    amendment = translate(drafter, clause, clause.heading, "Updated.", submit=True)
    for url in (reverse("amendment_list", args=[document.slug]), amendment.get_absolute_url(),
                clause.get_absolute_url(), reverse("document_activity", args=[document.slug])):
        assert "ranslation update" in as_drafter.get(url).content.decode(), url
    rows = as_drafter.get(reverse("disposition_csv", args=[document.slug])).content.decode()
    assert "Translation update" in rows


@pytest.mark.azerbaijani
def test_the_translate_kind_reads_in_azerbaijani(drafter, clause):
    amendment = translate(drafter, clause, clause.heading, "Updated.")
    with translation.override("az"):
        assert amendment.get_kind_display() == "Tərcümənin yenilənməsi"


# --- the race (PostgreSQL) -------------------------------------------------------------------------------------
RACE_ROUNDS = 30


@pytest.mark.postgresql
@pytest.mark.django_db(transaction=True)
def test_a_translation_update_and_an_authoritative_change_approved_at_once_leave_a_status_that_agrees_with_the_texts():
    """Two reviewers at the same moment: one approves a translation update of a clause, the other a change of its
    authoritative text. Either order is serialised by the document's lock; in both, the translation was made from
    the version before the change, so afterwards it is outdated, remembering that version, whose text the history
    row of that version holds, and each amendment wrote exactly one row."""
    from .test_concurrency import assert_no_server_error, browser, race, review

    document = make_bilingual_document(slug="race-bilingual")
    translator, author = make_member("race_translator"), make_member("race_author")
    reviewers = [make_member(f"race_reviewer_{i}", role="reviewer") for i in range(2)]
    clients = [browser(r) for r in reviewers]
    for round_ in range(RACE_ROUNDS):
        clause = _fresh(document.clauses.get(number="1.1"))
        start_version, start_text = clause.authoritative_version, clause.body_az
        update = translate(translator, clause, clause.heading, f"English of round {round_}.", submit=True)
        change = modify_texts(author, clause, {"az": (clause.heading_az, f"{start_text} Raund {round_}.")}, submit=True)
        responses = race(review(clients[0], update, "approve"), review(clients[1], change, "approve"))
        assert_no_server_error(responses)
        update.refresh_from_db()
        change.refresh_from_db()
        assert update.is_applied and change.is_applied, (update.state, change.state, update.conflict, change.conflict)
        for amendment in (update, change):
            assert Clause.history.filter(amendment=amendment).count() == 1
        clause = _fresh(clause)
        assert (clause.authoritative_version, clause.translated_from) == (start_version + 1, start_version)
        assert clause.is_translation_outdated
        assert clause.body == f"English of round {round_}." and clause.body_az == f"{start_text} Raund {round_}."
        made_from = clause.history.filter(authoritative_version=clause.translated_from).latest("history_date", "history_id")
        assert made_from.body_az == start_text != clause.body_az


@pytest.mark.azerbaijani
def test_the_translations_page_and_the_bilingual_form_read_in_azerbaijani(settings, client, drafter, reviewer, clause):
    settings.LANGUAGE_CODE = "az"
    drafter.language = "az"
    drafter.save(update_fields=["language"])
    with translation.override("az"):
        _change_authoritative(drafter, reviewer, clause, "Dəyişdirilmiş mətn.")
    login(client, drafter)
    html = _page(client, clause.document).content.decode()
    for words in ("Tərcümələr", "Tərcüməni yeniləyin", "tərcümə edilmiş versiyadan sonrakı dəyişikliklər"):
        assert words in html
    for words in ("Update the translation", "changes since the translated version", "the translation now"):
        assert words not in html
    html = client.get(reverse("amendment_new", args=[clause.document.slug, clause.pk, "modify"])).content.decode()
    assert "Azərbaycan dilində mətn" in html and "İngilis dilində mətn" in html and "Tərcümə məcburi deyil" in html
    outline = client.get(clause.document.get_absolute_url()).content.decode()
    assert "1 köhnəlmiş tərcümə" in outline


def test_a_translation_update_of_an_english_document_opens_and_is_edited_in_azerbaijani(as_drafter, drafter):
    document = make_bilingual_document(authoritative="en", slug="english-first-translate")
    clause = document.clauses.get(number="1.1")
    response = as_drafter.get(reverse("amendment_new", args=[document.slug, clause.pk, "translate"]))
    html = response.content.decode()
    assert 'name="proposed_body_az"' in html and 'name="proposed_body"' not in html
    assert "Bənd 1.1 mətni" in html.split('id="preview"')[1]  # the preview shows the translation, not the English
    amendment = translate(drafter, clause, "", "Bənd 1.1 yeni tərcüməsi.")
    url = reverse("amendment_edit", args=[document.slug, amendment.number])
    assert as_drafter.get(url).context["form"].initial["proposed_body_az"] == "Bənd 1.1 yeni tərcüməsi."
    response = as_drafter.post(url, {"proposed_heading_az": "", "proposed_body_az": "Daha yaxşı tərcümə.",
                                     "proposed_body": "Forged English.", "rationale": "Daha dəqiq.",
                                     "edited_at": amendment.updated_at.isoformat()})
    assert response.status_code == 302
    amendment.refresh_from_db()
    assert (amendment.proposed_body_az, amendment.proposed_body) == ("Daha yaxşı tərcümə.", "")
