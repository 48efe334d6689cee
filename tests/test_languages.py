"""Which language a reader reads a document in, and how the choice is remembered."""
import pytest
from django.test import RequestFactory

from drafting.languages import AZ, BOTH, EN, field, reading_choice, reading_languages
from drafting.models import Document

pytestmark = pytest.mark.django_db


def _request(query="", session=None):
    request = RequestFactory().get("/" + query)
    request.session = {} if session is None else session
    return request


def _bilingual():
    return Document(title="Concept", slug="concept", authoritative_language=AZ, translation_language=EN)


def test_english_text_lives_in_the_original_fields_and_azerbaijani_beside_them():
    assert field("body", EN) == "body"
    assert field("body", AZ) == "body_az"
    assert field("proposed_heading", AZ) == "proposed_heading_az"


def test_a_document_reads_in_its_authoritative_language_until_the_reader_chooses():
    assert reading_choice(_request(), _bilingual()) == AZ


def test_the_readers_choice_is_remembered_for_the_next_page():
    session = {}
    assert reading_choice(_request("?text=both", session), _bilingual()) == BOTH
    assert reading_choice(_request("", session), _bilingual()) == BOTH


def test_a_choice_the_document_does_not_offer_falls_back_without_error():
    single = Document(title="Doctrine", slug="doctrine", authoritative_language=EN)
    session = {}
    for odd in ("both", "az", "fr", "\x00", "e" * 10_000):
        assert reading_choice(_request("?text=" + odd, session), single) == EN
    assert reading_languages(BOTH, _bilingual()) == [AZ, EN]
    assert reading_languages(EN, _bilingual()) == [EN]
