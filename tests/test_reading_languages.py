"""Reading a document in its languages (issue 13, points 1 and 3): the reader chooses Azerbaijani, English or both
side by side on the outline, a clause and the what-if page, and the choice is remembered; the Settings page
declares a document's languages; the seeded Concept is Azerbaijani authoritative with an English translation."""
import re
from urllib.parse import urlencode

import pytest
from django.urls import reverse
from django.utils import timezone

from drafting.languages import AZ, EN
from drafting.models import Amendment, Document, DocumentAccess, Member
from drafting.models.history import attribute
from drafting.seeds import CONCEPT_SLUG, load_all

from .amendment_builders import modify
from .builders import make_document, make_member
from .conftest import login

# Test text, not official text: the seeds never invent the Concept's Azerbaijani body.
AZ_BODY = "Azərbaycan Respublikasının ərazisi vahiddir, toxunulmazdır və bölünməzdir."
AZ_CHANGED = "Azərbaycan Respublikasının ərazisi vahiddir və bölünməzdir."
EN_WORDS = "The territory of the Republic of Azerbaijan is unified"
AZ_HEADING_3 = "Azərbaycan Respublikasının milli təhlükəsizliyinə təhdidlər"
EN_HEADING_3 = "Threats to the national security of the Republic of Azerbaijan"
NOTICE = "Text not yet entered."


def page(client, name, *args, **query):
    response = client.get(reverse(name, args=args) + (f"?{urlencode(query)}" if query else ""))
    assert response.status_code == 200
    return response.text


def outline_of(text):
    return text[text.index('<div class="outline'):]


def section(text, clause):
    """The outline's (or what-if page's) section of one clause."""
    start = text.index(f'id="clause-{clause.pk}"')
    end = text.find("</section>", start)
    return text[start:end]


def save(clause, **values):
    for name, value in values.items():
        setattr(clause, name, value)
    attribute(clause, reason="test", date=timezone.now())
    clause.save()


@pytest.fixture
def clause_411(concept):
    return concept.clauses.get(number="4.1.1")


# --- the seeds ---------------------------------------------------------------------------------------------
def test_seeded_concept_is_azerbaijani_authoritative_with_an_english_translation(concept):
    assert (concept.authoritative_language, concept.translation_language) == (AZ, EN)
    assert concept.languages == [AZ, EN]


def test_seeded_concept_keeps_azerbaijani_headings_and_no_azerbaijani_text(concept, clause_411):
    assert concept.clauses.get(number="3").heading_az == AZ_HEADING_3
    assert all(clause.body_az == "" for clause in concept.clauses.all())
    # English as imported: 4.1.1's wording is the only body.
    assert [c.number for c in concept.clauses.exclude(body="")] == ["4.1.1"]
    assert clause_411.body.startswith(EN_WORDS)


def test_seed_demo_amendments_keep_the_demo_marking_in_both_languages(db):
    load_all()
    amendments = Amendment.objects.filter(document__slug=CONCEPT_SLUG)
    assert amendments.exists()
    for amendment in amendments:
        assert amendment.rationale.startswith("[Demo]")
        for text in (amendment.proposed_body, amendment.proposed_body_az):
            if text and amendment.kind == Amendment.Kind.INSERT:
                assert text.startswith("[Demo"), text
        # No Azerbaijani text is proposed that the seeds do not hold: only the clause's own heading.
        assert amendment.proposed_body_az == ""


def test_seeded_concept_reads_in_azerbaijani_first_with_the_notice_for_missing_text(as_drafter, concept):
    text = outline_of(page(as_drafter, "document_detail", concept.slug))
    assert AZ_HEADING_3 in text and EN_HEADING_3 not in text
    assert EN_WORDS not in text
    assert NOTICE in text


@pytest.mark.azerbaijani
def test_missing_text_notice_reads_in_azerbaijani_in_the_azerbaijani_interface(client, drafter, concept, settings):
    settings.LANGUAGE_CODE = "az"
    login(client, drafter)
    text = page(client, "document_detail", concept.slug, text="both")
    assert "Mətn hələ daxil edilməyib" in text
    assert 'lang="az"' in text and 'lang="en"' in text


# --- the reading control -------------------------------------------------------------------------------------
@pytest.mark.parametrize("name", ["document_detail", "clause_detail", "what_if"])
def test_reading_control_offers_the_documents_languages_and_side_by_side(as_drafter, concept, clause_411, name):
    args = [concept.slug, clause_411.pk] if name == "clause_detail" else [concept.slug]
    text = page(as_drafter, name, *args, text="en")
    control = text[text.index('class="reading-control'):]
    control = control[:control.index("</nav>")]
    assert re.findall(r'href="\?text=(\w+)"', control) == ["az", "en", "both"]
    assert re.findall(r'<a [^>]*aria-current="true"[^>]*>([^<]+)</a>', control) == ["English"]
    assert '<a href="?text=az" lang="az">Azərbaycanca</a>' in control
    assert "Side by side" in control


def test_reading_control_keeps_the_pages_other_parameters(as_drafter, clause_411):
    save(clause_411, body_az=AZ_BODY)
    versions = list(clause_411.versions())
    text = page(as_drafter, "clause_detail", clause_411.document.slug, clause_411.pk,
                old=versions[1].history_id, new=versions[0].history_id)
    assert f'href="?old={versions[1].history_id}&amp;new={versions[0].history_id}&amp;text=both"' in text


def test_single_language_document_shows_no_reading_control(as_drafter):
    document = make_document(5, slug="one-language")
    clause = document.clauses.exclude(body="").first()
    for name, args in [("document_detail", [document.slug]), ("clause_detail", [document.slug, clause.pk]),
                       ("what_if", [document.slug])]:
        text = page(as_drafter, name, *args)
        assert "reading-control" not in text
        assert "clause-languages" not in text


def test_reading_choice_is_made_per_page_and_remembered_from_page_to_page(as_drafter, concept, clause_411):
    assert AZ_HEADING_3 in outline_of(page(as_drafter, "document_detail", concept.slug))
    assert EN_HEADING_3 in outline_of(page(as_drafter, "document_detail", concept.slug, text="en"))
    # The clause page and the what-if page, reached without a choice, read as the reader last chose.
    clause_page = page(as_drafter, "clause_detail", concept.slug, clause_411.pk)
    assert '<h1 lang="en"><span class="number">4.1.1</span> The restoration' in clause_page
    assert EN_HEADING_3 in outline_of(page(as_drafter, "what_if", concept.slug))
    page(as_drafter, "what_if", concept.slug, text="az")
    assert AZ_HEADING_3 in outline_of(page(as_drafter, "document_detail", concept.slug))


@pytest.mark.parametrize("odd", ["fr", "", "\x00", "EN", "both\x00", "٣", "e" * 10_000, "en\u202e", "az' or '1"])
def test_unknown_reading_choice_falls_back_and_never_errors(as_drafter, concept, clause_411, odd):
    page(as_drafter, "document_detail", concept.slug, text="en")
    for name, args in [("document_detail", [concept.slug]), ("clause_detail", [concept.slug, clause_411.pk]),
                       ("what_if", [concept.slug])]:
        text = page(as_drafter, name, *args, text=odd)
        assert re.findall(r'<a [^>]*aria-current="true"[^>]*>([^<]+)</a>', text) == ["English"]


def test_choice_of_a_language_the_document_lacks_falls_back_to_its_own(as_drafter, concept):
    document = make_document(3, slug="english-only")
    page(as_drafter, "document_detail", concept.slug, text="az")
    text = page(as_drafter, "document_detail", document.slug, text="both")
    assert "Section 1" in text and "clause-languages" not in text


# --- side by side --------------------------------------------------------------------------------------------
def test_side_by_side_shows_both_languages_aligned_clause_by_clause(as_drafter, concept):
    text = outline_of(page(as_drafter, "document_detail", concept.slug, text="both"))
    sections = re.findall(r'<section class="clause[^"]*side-by-side[^"]*" id="clause-\d+">(.*?)</section>', text, re.S)
    in_force = concept.clauses.filter(status="in_force").count()
    assert len(sections) == in_force
    for body in sections:
        # One grid row per clause: the Azerbaijani column, then the English one, and nothing else.
        assert body.count('class="clause-languages"') == 1
        assert re.findall(r'class="clause-language" lang="(\w+)"', body) == ["az", "en"]
    three = sections[[i for i, body in enumerate(sections) if AZ_HEADING_3 in body][0]]
    assert three.index(AZ_HEADING_3) < three.index(EN_HEADING_3)


def test_side_by_side_shows_the_notice_in_the_column_of_the_missing_text(as_drafter, concept, clause_411):
    text = section(page(as_drafter, "document_detail", concept.slug, text="both"), clause_411)
    az_column, en_column = text.split('class="clause-language" lang="')[1:]
    assert az_column.startswith("az") and NOTICE in az_column and EN_WORDS not in az_column
    assert en_column.startswith("en") and EN_WORDS in en_column and NOTICE not in en_column


def test_side_by_side_gives_each_column_its_lang_and_the_notice_the_interfaces(as_drafter, concept, clause_411):
    text = section(page(as_drafter, "document_detail", concept.slug, text="both"), clause_411)
    assert '<p class="no-text" lang="en">' in text
    assert '<div class="body" lang="en">' in text


def test_one_language_reading_marks_its_language(as_drafter, concept, clause_411):
    text = section(page(as_drafter, "document_detail", concept.slug, text="az"), clause_411)
    assert f'href="{clause_411.get_absolute_url()}" lang="az"' in text
    save(clause_411, body_az=AZ_BODY)
    text = section(page(as_drafter, "document_detail", concept.slug, text="az"), clause_411)
    assert f'<div class="body" lang="az"><p>{AZ_BODY}</p></div>' in text


def test_clause_page_reads_side_by_side(as_drafter, concept, clause_411):
    save(clause_411, body_az=AZ_BODY)
    text = page(as_drafter, "clause_detail", concept.slug, clause_411.pk, text="both")
    columns = text[text.index('class="clause-languages clause-page-texts"'):]
    assert re.findall(r'class="clause-language" lang="(\w+)"', columns[:columns.index('class="propose')]) == ["az", "en"]
    assert columns.index(AZ_BODY) < columns.index(EN_WORDS)


def test_outline_fragment_is_cached_per_reading_choice(as_drafter, concept):
    first = outline_of(page(as_drafter, "document_detail", concept.slug, text="az"))
    assert EN_HEADING_3 not in first
    assert EN_HEADING_3 in outline_of(page(as_drafter, "document_detail", concept.slug, text="en"))
    both = outline_of(page(as_drafter, "document_detail", concept.slug, text="both"))
    assert AZ_HEADING_3 in both and EN_HEADING_3 in both
    assert outline_of(page(as_drafter, "document_detail", concept.slug, text="az")) == first


# --- the what-if page ----------------------------------------------------------------------------------------
def test_what_if_shows_each_languages_change(as_drafter, drafter, concept, clause_411):
    save(clause_411, body_az=AZ_BODY)
    modify(drafter, clause_411, proposed_body_az=AZ_CHANGED, submit=True)
    az = section(page(as_drafter, "what_if", concept.slug, text="az"), clause_411)
    assert "<del>, toxunulmazdır</del>" in az
    assert EN_WORDS not in az
    en = section(page(as_drafter, "what_if", concept.slug, text="en"), clause_411)
    assert "No change against the current text." in en and "toxunulmazdır" not in en
    both = section(page(as_drafter, "what_if", concept.slug, text="both"), clause_411)
    assert re.findall(r'class="clause-language" lang="(\w+)"', both) == ["az", "en"]


def test_what_if_side_by_side_shows_unchanged_clauses_in_both_languages(as_drafter, concept):
    three = concept.clauses.get(number="3")
    text = section(page(as_drafter, "what_if", concept.slug, text="both"), three)
    assert re.findall(r'class="clause-language" lang="(\w+)"', text) == ["az", "en"]
    assert text.count(NOTICE) == 2


def test_what_if_shows_a_proposed_clause_in_each_language(as_drafter, drafter, concept):
    Amendment.start(author=drafter, clause=concept.clauses.get(number="3"), kind=Amendment.Kind.INSERT,
                    placement="last_child", proposed_heading="Hybrid threats", proposed_heading_az="Hibrid təhdidlər",
                    proposed_body="Hybrid threats are a test text.", rationale="Test.").submit(drafter)
    az = page(as_drafter, "what_if", concept.slug, text="az")
    assert '<ins lang="az">Hibrid təhdidlər</ins>' in az and "Hybrid threats are a test text." not in az
    en = page(as_drafter, "what_if", concept.slug, text="en")
    assert '<ins lang="en">Hybrid threats</ins>' in en and "Hybrid threats are a test text." in en


# --- the clause's history per language -----------------------------------------------------------------------
def test_clause_history_shows_a_redline_per_language_read(as_drafter, concept, clause_411):
    save(clause_411, body_az=AZ_BODY)
    save(clause_411, body_az=AZ_CHANGED, body=clause_411.body.replace("unified, ", ""))
    both = page(as_drafter, "clause_detail", concept.slug, clause_411.pk, text="both")
    history = both[both.index('id="compare"'):]
    assert '<p class="language-name" lang="az">Azərbaycanca</p>' in history
    assert '<p class="language-name" lang="en">English</p>' in history
    assert history.index("<del>") < history.index("English")  # the Azerbaijani redline first
    assert "<del>, toxunulmazdır</del>" in history and "<del> unified,</del>" in history
    az = page(as_drafter, "clause_detail", concept.slug, clause_411.pk, text="az")
    history = az[az.index('id="compare"'):]
    assert "toxunulmazdır" in history and "unified" not in history
    en = page(as_drafter, "clause_detail", concept.slug, clause_411.pk, text="en")
    history = en[en.index('id="compare"'):]
    assert "<del> unified,</del>" in history and "toxunulmazdır" not in history


# --- the Settings page -----------------------------------------------------------------------------------------
def settings_post(concept, **values):
    return {"quorum": str(concept.quorum), "marking": concept.marking, **values}


def test_admin_sets_the_documents_languages_and_the_history_records_it(as_admin, concept):
    url = reverse("document_settings", args=[concept.slug])
    response = as_admin.post(url, settings_post(concept, authoritative_language="en", translation_language=""))
    assert response.status_code == 302
    concept.refresh_from_db()
    assert (concept.authoritative_language, concept.translation_language) == ("en", "")
    assert concept.history.latest().history_change_reason == "authoritative language changed and translation language changed"
    as_admin.post(url, settings_post(concept, authoritative_language="en", translation_language="az"))
    concept.refresh_from_db()
    assert concept.languages == ["en", "az"]
    assert concept.history.latest().history_change_reason == "translation language changed"


def test_a_language_change_in_the_history_reads_in_the_readers_language():
    from django.utils import translation

    from drafting.models.history import describe_reason

    reason = "authoritative language changed and translation language changed"
    assert describe_reason(reason) == "authoritative language changed; translation language changed"
    with translation.override("az"):
        assert describe_reason(reason) == "rəsmi mətnin dili dəyişdirildi; tərcümənin dili dəyişdirildi"


def test_settings_page_shows_the_languages_to_every_member(as_drafter, concept):
    text = page(as_drafter, "document_settings", concept.slug)
    assert "Authoritative language:" in text and "<strong>Azerbaijani</strong>" in text
    assert "<strong>English</strong>" in text and 'name="authoritative_language"' not in text


def test_the_two_languages_of_a_document_must_differ(as_admin, concept):
    url = reverse("document_settings", args=[concept.slug])
    response = as_admin.post(url, settings_post(concept, quorum="3", authoritative_language="en",
                                                translation_language="en"))
    assert response.status_code == 200
    field = response.text[response.text.index('name="translation_language"'):]
    assert "The translation must be in another language than the authoritative text." in field[:2000]
    assert '<input type="number" name="quorum" value="3"' in response.text  # what was typed is kept
    concept.refresh_from_db()
    assert (concept.quorum, concept.languages) == (1, ["az", "en"])


@pytest.mark.parametrize("code", ["fr", "\x00", "AZ", "٣", "e" * 10_000, "az\u200b"])
def test_unknown_language_code_is_refused(as_admin, concept, code):
    url = reverse("document_settings", args=[concept.slug])
    for name in ("authoritative_language", "translation_language"):
        response = as_admin.post(url, settings_post(concept, **{name: code}))
        assert response.status_code == 200 and "has-error" in response.text
    concept.refresh_from_db()
    assert concept.languages == ["az", "en"]


def test_a_post_naming_only_the_quorum_leaves_the_languages_as_they_are(as_admin, concept):
    as_admin.post(reverse("document_settings", args=[concept.slug]), {"quorum": "2"})
    concept.refresh_from_db()
    assert (concept.quorum, concept.languages) == (2, ["az", "en"])


def test_forged_language_post_by_a_non_admin_is_refused(client, concept, drafter, reviewer):
    for member in (drafter, reviewer):
        login(client, member)
        response = client.post(reverse("document_settings", args=[concept.slug]),
                               settings_post(concept, authoritative_language="en", translation_language=""))
        assert response.status_code == 403
    concept.refresh_from_db()
    assert concept.languages == ["az", "en"]


@pytest.mark.need_to_know
def test_language_post_to_another_documents_slug_changes_only_that_one_and_only_for_who_may(client, concept):
    other = make_document(3, slug="other-document")
    reviewer = make_member("reviewer_on_concept", Member.Role.REVIEWER)
    DocumentAccess.grant(concept, reviewer, "reviewer")
    login(client, reviewer)
    forged = client.post(reverse("document_settings", args=[other.slug]),
                         {"quorum": "1", "authoritative_language": "az", "translation_language": "en"})
    assert forged.status_code in (403, 404)
    other.refresh_from_db()
    assert other.languages == ["en"]
    admin = make_member("admin_of_both", Member.Role.ADMIN)
    login(client, admin)
    client.post(reverse("document_settings", args=[other.slug]),
                {"quorum": "1", "authoritative_language": "en", "translation_language": "az"})
    other.refresh_from_db()
    concept.refresh_from_db()
    assert other.languages == ["en", "az"] and concept.languages == ["az", "en"]


def test_a_document_read_before_its_languages_changed_reads_in_the_new_ones(as_admin, concept):
    # The session still remembers "az"; the document's languages now rule it out.
    page(as_admin, "document_detail", concept.slug, text="az")
    as_admin.post(reverse("document_settings", args=[concept.slug]),
                  settings_post(concept, authoritative_language="en", translation_language=""))
    text = page(as_admin, "document_detail", concept.slug)
    assert EN_HEADING_3 in outline_of(text) and "reading-control" not in text
    assert Document.objects.get(pk=concept.pk).languages == ["en"]
