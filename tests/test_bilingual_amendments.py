"""Amendments in both languages (issue 13, point 2): on a bilingual document an amendment proposes the
authoritative heading and text and, optionally, the translation; it is previewed, shown, applied and rebased per
language. A document in one language keeps the amendments it always had.

The documents are built here (tests/builders.py): Azerbaijani authoritative with its English translation, and
the other way round; their Azerbaijani texts are made up for the tests, never official text.
"""
import re

import pytest
from django.urls import reverse

from drafting.forms.amendments import MAX_BODY
from drafting.models import Amendment, Clause

from .amendment_builders import insert, modify, modify_texts, remove
from .builders import make_bilingual_document, make_document
from .version_builders import approve

AZ_TEXT = "Bənd 1.1 mətni, sınaq üçün."


@pytest.fixture
def document(db):
    return make_bilingual_document()


@pytest.fixture
def clause(document):
    return document.clauses.get(number="1.1")


def _new_url(clause, kind="modify"):
    return reverse("amendment_new", args=[clause.document.slug, clause.pk, kind])


def _proposal(clause, **fields):
    base = clause.history.latest()
    return {"proposed_heading_az": clause.heading_az, "proposed_body_az": clause.body_az,
            "proposed_heading": clause.heading, "proposed_body": clause.body,
            "rationale": "Clearer.", "base": base.history_id, **fields}


def _inputs(html):
    """{field name: the input or textarea tag's attributes} for the proposed text fields."""
    return {name: tag for tag, name in re.findall(r'(<(?:input|textarea)[^>]*name="(proposed_[a-z_]+)"[^>]*>)', html)}


# --- the forms ------------------------------------------------------------------------------------------------
def test_the_propose_form_of_a_bilingual_document_has_each_language_labelled_and_marked(as_drafter, clause):
    html = as_drafter.get(_new_url(clause)).content.decode()
    inputs = _inputs(html)
    assert set(inputs) == {"proposed_heading_az", "proposed_body_az", "proposed_heading", "proposed_body"}
    for name, tag in inputs.items():
        assert f'lang="{"az" if name.endswith("_az") else "en"}"' in tag, name
    for label in ("Heading in Azerbaijani", "Text in Azerbaijani", "Heading in English", "Text in English"):
        assert label in html
    # The authoritative language first; the translation says it is optional.
    assert html.index('name="proposed_body_az"') < html.index('name="proposed_body"')
    assert "The translation is optional" in html
    # Opened with the clause's text in each language.
    assert AZ_TEXT in html and "First paragraph of 1.1" in html


def test_the_propose_form_of_an_english_authoritative_document_puts_english_first(as_drafter):
    document = make_bilingual_document(authoritative="en", slug="en-first")
    clause = document.clauses.get(number="1.1")
    html = as_drafter.get(_new_url(clause)).content.decode()
    assert html.index('name="proposed_body"') < html.index('name="proposed_body_az"')


def test_proposing_in_both_languages_saves_both(as_drafter, clause):
    response = as_drafter.post(_new_url(clause), _proposal(
        clause, proposed_body_az="Bənd 1.1 yeni mətni.", proposed_body="The new text of 1.1."))
    assert response.status_code == 302
    amendment = Amendment.objects.get()
    assert (amendment.proposed_body_az, amendment.proposed_body) == ("Bənd 1.1 yeni mətni.", "The new text of 1.1.")


def test_the_translation_is_optional_and_left_out_it_is_not_changed(drafter, clause):
    amendment = modify_texts(drafter, clause, {"az": (clause.heading_az, "Yalnız Azərbaycan mətni dəyişir.")})
    assert amendment.proposed_body == clause.body  # as the clause reads: no change proposed in English
    assert not amendment.changes_translation()


def test_the_edit_form_revises_both_languages(as_drafter, drafter, clause):
    amendment = modify_texts(drafter, clause, {"az": (clause.heading_az, "Birinci variant.")})
    url = reverse("amendment_edit", args=[clause.document.slug, amendment.number])
    html = as_drafter.get(url).content.decode()
    assert "Birinci variant." in html and 'name="proposed_body"' in html
    response = as_drafter.post(url, {**_proposal(clause, proposed_body_az="İkinci variant.",
                                                 proposed_body="Second version."),
                                     "edited_at": amendment.updated_at.isoformat()})
    assert response.status_code == 302
    amendment.refresh_from_db()
    assert (amendment.proposed_body_az, amendment.proposed_body, amendment.revision) == (
        "İkinci variant.", "Second version.", 2)


def test_an_insertion_needs_the_authoritative_heading_or_text_not_the_translation_alone(as_drafter, clause):
    response = as_drafter.post(_new_url(clause, "insert"), {
        "placement": "after", "proposed_heading": "Only English", "proposed_body": "Only the translation.",
        "rationale": "New.", "base": clause.history.latest().history_id})
    assert response.status_code == 200
    assert "A new clause needs a heading or a text." in response.content.decode()
    assert not Amendment.objects.exists()


def test_a_control_character_in_the_translation_is_refused_naming_the_field(as_drafter, clause):
    response = as_drafter.post(_new_url(clause), _proposal(clause, proposed_body="Bad\x0btext."))
    assert response.status_code == 200
    assert "“Text in English” contains an invisible control character (U+000B)" in response.content.decode()
    assert not Amendment.objects.exists()


def test_a_nul_in_the_authoritative_heading_is_refused_and_the_text_kept(as_drafter, clause):
    response = as_drafter.post(_new_url(clause), _proposal(clause, proposed_heading_az="Başlıq\x00", proposed_body_az="Saxlanılan mətn."))
    html = response.content.decode()
    assert response.status_code == 200 and "“Heading in Azerbaijani” contains" in html
    assert "Saxlanılan mətn." in html
    assert not Amendment.objects.exists()


def test_a_huge_translation_is_refused_with_the_limit(as_drafter, clause):
    response = as_drafter.post(_new_url(clause), _proposal(clause, proposed_body="x" * (MAX_BODY + 1)))
    assert response.status_code == 200
    assert "At most 20,000 characters" in response.content.decode()
    assert not Amendment.objects.exists()


def test_unicode_digits_and_letters_in_both_languages_are_kept_as_typed(drafter, reviewer, clause):
    texts = {"az": ("Başlıq ٣", "Mətn ١٢٣ — İİ ıı."), "en": ("Heading ٣", "Text ১২৩.")}
    amendment = approve(modify_texts(drafter, clause, texts, submit=True), reviewer)
    clause.refresh_from_db()
    assert clause.text_in("az") == texts["az"] and clause.text_in("en") == texts["en"]
    assert amendment.is_applied


# --- the live preview and the amendment page ---------------------------------------------------------------------
def test_the_live_preview_shows_a_redline_per_language_labelled(as_drafter, clause):
    url = reverse("amendment_preview", args=[clause.document.slug, clause.pk, "modify"])
    html = as_drafter.post(url, _proposal(clause, proposed_body_az="Bənd 1.1 yeni mətni, sınaq üçün.",
                                          proposed_body="First paragraph of 1.1, with new words.")).content.decode()
    assert html.index(">Azerbaijani<") < html.index(">English<")
    assert "yeni" in _inserted(html)
    assert "new" in _inserted(html)
    assert 'lang="az"' in html and 'lang="en"' in html


def _inserted(html):
    return " ".join(re.findall(r"<ins[^>]*>(.*?)</ins>", html, re.S))


def test_the_preview_of_a_single_language_document_has_no_language_labels(as_drafter, drafter):
    document = make_document(5, slug="english-only")
    clause = document.clauses.get(number="1.1")
    url = reverse("amendment_preview", args=[document.slug, clause.pk, "modify"])
    html = as_drafter.post(url, {"proposed_heading": clause.heading, "proposed_body": "Changed.",
                                 "base": clause.history.latest().history_id}).content.decode()
    assert "Changed" in _inserted(html)
    assert ">English<" not in html and ">Azerbaijani<" not in html


def test_the_model_preview_takes_each_language(drafter, clause):
    draft = Amendment(kind=Amendment.Kind.MODIFY, clause=clause, document=clause.document)
    preview = draft.preview(clause.history.latest(), texts={"az": (clause.heading_az, "Yeni."), "en": (clause.heading, "New.")})
    assert [text["language"] for text in preview["languages"]] == ["az", "en"]
    assert preview["body"] == preview["languages"][0]["body"]
    assert "Yeni" in "".join(p.text for p in preview["languages"][0]["body"] if p.is_insert)
    assert "New" in "".join(p.text for p in preview["languages"][1]["body"] if p.is_insert)


def test_the_amendment_page_shows_a_redline_per_language_labelled(as_drafter, drafter, clause):
    amendment = modify_texts(drafter, clause, {"az": (clause.heading_az, "Bənd 1.1 dəyişdirilmiş mətni."),
                                               "en": (clause.heading, "The changed text of 1.1.")})
    html = as_drafter.get(amendment.get_absolute_url()).content.decode()
    assert 'id="proposal-az"' in html and 'id="proposal-en"' in html
    assert "dəyişdirilmiş" in _inserted(html) and "changed" in _inserted(html)


# --- applying -------------------------------------------------------------------------------------------------
def test_applying_writes_both_languages_to_the_clause_in_one_history_row(drafter, reviewer, clause):
    rows = clause.history.count()
    amendment = approve(modify_texts(drafter, clause, {"az": ("Yeni başlıq", "Yeni mətn."),
                                                       "en": ("New heading", "New text.")}, submit=True), reviewer)
    clause.refresh_from_db()
    assert clause.text_in("az") == ("Yeni başlıq", "Yeni mətn.") and clause.text_in("en") == ("New heading", "New text.")
    assert clause.history.count() == rows + 1
    assert clause.history.latest().amendment_id == amendment.pk
    assert (amendment.applied_body_az, amendment.applied_body) == ("Yeni mətn.", "New text.")


def test_the_applied_amendment_page_shows_what_was_written_in_each_language(as_drafter, drafter, reviewer, clause):
    amendment = approve(modify_texts(drafter, clause, {"az": (clause.heading_az, "Yazılan mətn.")}, submit=True), reviewer)
    context = as_drafter.get(amendment.get_absolute_url()).context
    assert [text["language"] for text in context["against_base_by_language"]] == ["az", "en"]


def test_a_removal_removes_the_clause_in_both_languages(drafter, reviewer, clause):
    approve(remove(drafter, clause, submit=True), reviewer)
    clause.refresh_from_db()
    assert clause.is_removed
    assert clause.history.latest().body_az == AZ_TEXT  # the text of each language stays in the history
    assert not clause.is_translation_outdated


def test_an_insertion_creates_the_clause_with_both_languages(drafter, reviewer, clause):
    amendment = Amendment.start(author=drafter, clause=clause, kind=Amendment.Kind.INSERT, placement="after",
                                proposed_heading_az="Yeni bənd", proposed_body_az="Yeni bəndin mətni.",
                                proposed_heading="New clause", proposed_body="The new clause's text.",
                                rationale="New.", submit=True)
    approve(amendment, reviewer)
    new = Clause.objects.get(pk=amendment.result_clause_id)
    assert new.text_in("az") == ("Yeni bənd", "Yeni bəndin mətni.")
    assert new.text_in("en") == ("New clause", "The new clause's text.")
    assert not new.is_translation_outdated


def test_an_insertion_on_a_single_language_document_keeps_no_azerbaijani_text(drafter, reviewer):
    document = make_document(5, slug="english-insert")
    anchor = document.clauses.get(number="1.1")
    amendment = Amendment.start(author=drafter, clause=anchor, kind=Amendment.Kind.INSERT, placement="after",
                                proposed_heading="New", proposed_body="Text.", proposed_body_az="Saxta mətn.",
                                rationale="New.", submit=True)
    approve(amendment, reviewer)
    assert Clause.objects.get(pk=amendment.result_clause_id).body_az == ""


# --- rebasing per language ---------------------------------------------------------------------------------
def test_a_change_in_each_language_made_meanwhile_is_rebased_per_language(drafter, second_drafter, reviewer, clause):
    ours = modify_texts(drafter, clause, {"az": (clause.heading_az, "Bənd 1.1 mətni, sınaq üçün. Əlavə cümlə."),
                                          "en": (clause.heading, clause.body + " An added sentence.")}, submit=True)
    theirs = modify_texts(second_drafter, clause, {
        "az": (clause.heading_az, "Bənd 1.1-in mətni, sınaq üçün."),
        "en": (clause.heading, clause.body.replace("First paragraph", "The first paragraph"))}, submit=True)
    approve(theirs, reviewer)
    approve(ours, reviewer)
    clause.refresh_from_db()
    assert clause.body_az == "Bənd 1.1-in mətni, sınaq üçün. Əlavə cümlə."
    assert clause.body.startswith("The first paragraph") and clause.body.endswith("An added sentence.")


@pytest.mark.parametrize("language, name", [("az", "Azerbaijani"), ("en", "English")])
def test_a_conflict_in_either_language_needs_rebase_naming_the_language(drafter, second_drafter, reviewer, clause,
                                                                        language, name):
    heading, body = clause.text_in(language)
    ours = modify_texts(drafter, clause, {language: (heading, body.replace(body.split()[0], "Ours", 1))}, submit=True)
    approve(modify_texts(second_drafter, clause, {language: (heading, body.replace(body.split()[0], "Theirs", 1))},
                         submit=True), reviewer)
    assert ours.review(reviewer, "approve") == Amendment.State.NEEDS_REBASE
    ours.refresh_from_db()
    assert ours.conflict.startswith(f"in the {name} text: the amendment and a later change both touch the same words")


def test_the_amendment_page_of_a_stale_bilingual_amendment_previews_the_rebase_per_language(
        as_drafter, drafter, second_drafter, reviewer, clause):
    ours = modify_texts(drafter, clause, {"az": (clause.heading_az, AZ_TEXT + " Bizim."),
                                          "en": (clause.heading, clause.body + " Ours.")}, submit=True)
    approve(modify_texts(second_drafter, clause, {"en": ("Their heading", clause.body)}, submit=True), reviewer)
    context = as_drafter.get(ours.get_absolute_url()).context
    assert [text["language"] for text in context["rebase_preview_by_language"]] == ["az", "en"]


def test_the_redo_page_shows_the_three_way_view_and_carries_the_edits_in_each_language(
        as_drafter, drafter, second_drafter, reviewer, clause):
    body = clause.body
    ours = modify_texts(drafter, clause, {"az": (clause.heading_az, "Bənd 1.1 mətni, bizim üçün."),
                                          "en": (clause.heading, body.replace("First", "Our first", 1))}, submit=True)
    approve(modify_texts(second_drafter, clause, {"az": (clause.heading_az, "Bənd 1.1 mətni, onlar üçün."),
                                                  "en": (clause.heading, body + " Their end.")}, submit=True), reviewer)
    assert ours.review(reviewer, "approve") == Amendment.State.NEEDS_REBASE
    response = as_drafter.get(reverse("amendment_edit", args=[clause.document.slug, ours.number]))
    html = response.content.decode()
    assert [way["label"] for way in response.context["three_ways"]] == ["Azerbaijani", "English"]
    assert "Azerbaijani: base, current text and this amendment" in html
    form = response.context["form"]
    # English: both edits fit; Azerbaijani: the same words changed, the current text kept and the edit named.
    assert form.initial["proposed_body"] == body.replace("First", "Our first", 1) + " Their end."
    assert form.initial["proposed_body_az"] == "Bənd 1.1 mətni, onlar üçün."
    assert any("(Azerbaijani)" in words for words in response.context["redo"].left_out)


# --- a document in one language: as it always was -----------------------------------------------------------------
def test_a_single_language_document_keeps_its_form_heading_azerbaijani_heading_and_text(as_drafter):
    document = make_document(5, slug="english-form")
    clause = document.clauses.get(number="1.1")
    html = as_drafter.get(_new_url(clause)).content.decode()
    assert list(_inputs(html)) == ["proposed_heading", "proposed_heading_az", "proposed_body"]
    assert ">Azerbaijani heading<" in html and "Heading in English" not in html


def test_forged_translation_fields_on_a_single_language_document_are_ignored(as_drafter, drafter, reviewer):
    document = make_document(5, slug="english-forged")
    clause = document.clauses.get(number="1.1")
    response = as_drafter.post(_new_url(clause), {
        "proposed_heading": clause.heading, "proposed_body": "Changed.", "proposed_body_az": "Saxta mətn.",
        "rationale": "Forged.", "base": clause.history.latest().history_id, "submit": "1"})
    assert response.status_code == 302
    amendment = Amendment.objects.get()
    assert amendment.proposed_body_az == ""
    approve(amendment, reviewer)
    clause.refresh_from_db()
    assert (clause.body, clause.body_az) == ("Changed.", "")


def test_a_single_language_amendment_applies_as_before_with_its_azerbaijani_heading(drafter, reviewer):
    document = make_document(5, slug="english-apply")
    clause = document.clauses.get(number="1")
    amendment = modify(drafter, clause, body="Short.", submit=True)
    amendment.proposed_heading_az = "Yeni bölmə"
    amendment.save()
    approve(amendment, reviewer)
    clause.refresh_from_db()
    assert (clause.body, clause.heading_az) == ("Short.", "Yeni bölmə")
    assert amendment.applied_body_az == ""


def test_a_forged_translation_update_on_a_single_language_document_is_not_found(as_drafter):
    document = make_document(5, slug="english-translate")
    clause = document.clauses.get(number="1.1")
    assert as_drafter.get(_new_url(clause, "translate")).status_code == 404
    response = as_drafter.post(_new_url(clause, "translate"), {"proposed_body": "x", "rationale": "Forged."})
    assert response.status_code == 404
    assert not Amendment.objects.exists()


def test_a_rewording_of_another_documents_clause_is_not_found(as_drafter, clause):
    other = make_bilingual_document(slug="other-bilingual")
    url = reverse("amendment_new", args=[clause.document.slug, other.clauses.get(number="1.1").pk, "modify"])
    assert as_drafter.get(url).status_code == 404


def test_insert_builder_still_proposes_english_on_a_single_language_document(drafter, reviewer):
    document = make_document(5, slug="english-builder")
    amendment = approve(insert(drafter, document.clauses.get(number="1.1"), "after", "H", "B", submit=True), reviewer)
    assert amendment.applied_body == "B"


def test_a_comment_quoting_the_azerbaijani_redline_of_an_amendment_is_not_outdated(drafter, second_drafter, clause):
    from drafting.models import Comment

    amendment = modify_texts(drafter, clause, {"az": (clause.heading_az, "Bənd 1.1 yeni mətni.")}, submit=True)
    comment = Comment.post(author=second_drafter, target=amendment, body="Niyə?", quote="yeni mətni")
    assert not comment.is_outdated


def test_a_document_in_azerbaijani_alone_is_amended_in_its_azerbaijani_fields(as_drafter, drafter, reviewer):
    document = make_bilingual_document(slug="azerbaijani-only")
    document.translation_language = ""
    document.save()
    clause = document.clauses.get(number="1.1")
    html = as_drafter.get(_new_url(clause)).content.decode()
    assert list(_inputs(html)) == ["proposed_heading_az", "proposed_body_az"]
    response = as_drafter.post(_new_url(clause), {"proposed_heading_az": "Başlıq", "proposed_body_az": "Yeni mətn.",
                                                  "proposed_body": "Forged English.", "rationale": "Aydın.",
                                                  "base": clause.history.latest().history_id, "submit": "1"})
    assert response.status_code == 302
    approve(Amendment.objects.get(), reviewer)
    clause.refresh_from_db()
    assert clause.text_in("az") == ("Başlıq", "Yeni mətn.") and clause.body == "First paragraph of 1.1, with words.\n\nSecond paragraph: <b>bold?</b> & \"quotes\"."
    assert not clause.is_translation_outdated


def test_an_insertion_in_a_document_in_azerbaijani_alone_keeps_its_azerbaijani_text(drafter, reviewer):
    document = make_bilingual_document(slug="azerbaijani-insert")
    document.translation_language = ""
    document.save()
    amendment = Amendment.start(author=drafter, clause=document.clauses.get(number="1.1"), kind=Amendment.Kind.INSERT,
                                placement="after", proposed_heading_az="Yeni bənd", proposed_body_az="Yeni mətn.",
                                rationale="Yeni.", submit=True)
    approve(amendment, reviewer)
    assert Clause.objects.get(pk=amendment.result_clause_id).text_in("az") == ("Yeni bənd", "Yeni mətn.")
    assert amendment.applied_body_az == "Yeni mətn."


def test_the_one_line_summary_shows_the_language_the_amendment_changes(drafter, clause):
    english_only = modify_texts(drafter, clause, {"en": (clause.heading, "Only the English changes.")})
    both = modify_texts(drafter, clause, {"az": (clause.heading_az, "Yeni."), "en": (clause.heading, "New.")})
    assert (english_only.shown_language, both.shown_language) == ("en", "az")
    assert "Only" in "".join(p.text for p in english_only.proposed_redline()["body"] if p.is_insert)
