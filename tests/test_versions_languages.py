"""Comparison and exports per language (issue 13, point 3): the compare page in Azerbaijani, in English or both side
by side, Word with tracked changes in either language or in two columns, Markdown per language, and the
disposition table with both texts of each proposal. Every export keeps the marking and the trace."""
import csv
import io
from urllib.parse import urlencode

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from docx import Document as WordDocument
from docx.oxml.ns import qn
from openpyxl import load_workbook

from drafting.comparison import compare_points
from drafting.markdown_format import parse
from drafting.models import Amendment
from drafting.models.history import attribute

from .amendment_builders import modify
from .builders import make_document
from .conftest import english_only, login

W_INS, W_DEL, W_T, W_DELTEXT = qn("w:ins"), qn("w:del"), qn("w:t"), qn("w:delText")
# Test text, not official text: the seeds never invent the Concept's Azerbaijani body.
AZ_BODY = "Azərbaycan Respublikasının ərazisi vahiddir, toxunulmazdır və bölünməzdir."
AZ_CHANGE = "Azərbaycan Respublikasının ərazisi vahiddir və bölünməzdir."
EN_WORDS = "The territory of the Republic of Azerbaijan is unified"


def url(name, document, **query):
    return f"{reverse(name, args=[document.slug])}?{urlencode(query)}"


def save(clause, **values):
    for name, value in values.items():
        setattr(clause, name, value)
    attribute(clause, reason="test", date=timezone.now())
    clause.save()


@pytest.fixture
def bilingual(concept):
    """The Concept with Azerbaijani authoritative, 4.1.1 given an Azerbaijani text at the import's milestone,
    then that text changed (one word removed) and the English text left as it was."""
    concept.authoritative_language, concept.translation_language = "az", "en"
    concept.marking = "For official use only"
    concept.save()
    clause = concept.clauses.get(number="4.1.1")
    milestone = concept.milestones.get()
    clause.body_az = AZ_BODY
    attribute(clause, reason="test", date=milestone.moment)
    clause.save()
    save(clause, body_az=AZ_CHANGE)
    return concept


def compare_url(document, **query):
    return url("versions_compare", document, old=document.milestones.get().point, new="now", **query)


def test_a_clause_is_compared_in_each_language_authoritative_first(bilingual):
    comparison = compare_points(bilingual, bilingual.milestones.get().point, "now")
    row = next(r for r in comparison.rows if r.number == "4.1.1")
    assert row.is_changed
    az, en = row.in_languages(bilingual.languages)
    assert (az.language, en.language) == ("az", "en")
    assert [p.text for p in az.body if p.is_delete] == [", toxunulmazdır"]
    assert not [p for p in en.body if not p.is_equal]


def test_the_compare_page_reads_in_the_authoritative_language_by_default(client, drafter, bilingual):
    login(client, drafter)
    page = client.get(compare_url(bilingual)).text
    assert "<del>, toxunulmazdır</del>" in page and EN_WORDS not in page
    assert 'lang="az"' in page


def test_the_compare_page_reads_in_english_when_asked_and_remembers_it(client, drafter, bilingual):
    login(client, drafter)
    page = client.get(compare_url(bilingual, text="en")).text
    assert EN_WORDS in page and "toxunulmazdır" not in page
    again = client.get(compare_url(bilingual)).text  # remembered in the session
    assert EN_WORDS in again and "toxunulmazdır" not in again


def test_the_compare_page_shows_both_languages_side_by_side(client, drafter, bilingual):
    login(client, drafter)
    page = client.get(compare_url(bilingual, text="both")).text
    assert "both-languages" in page and "<del>, toxunulmazdır</del>" in page and EN_WORDS in page
    assert page.index("toxunulmazdır") < page.index(EN_WORDS)  # the authoritative text first
    side = client.get(compare_url(bilingual, text="both", view="side")).text
    assert side.count('<div class="sides">') >= 2 * bilingual.clauses.count()


def test_the_comparison_fragment_is_cached_per_language(client, drafter, bilingual):
    login(client, drafter)
    client.get(compare_url(bilingual, text="az"))
    english = client.get(compare_url(bilingual, text="en")).text
    assert EN_WORDS in english and "toxunulmazdır" not in english  # not the Azerbaijani fragment again


def test_a_language_choice_the_document_does_not_offer_is_ignored(client, drafter, concept):
    english_only(concept)
    login(client, drafter)
    for odd in ("az", "both", "\x00", "٣", "x" * 5000):
        response = client.get(compare_url(concept, text=odd))
        assert response.status_code == 200 and EN_WORDS in response.text


def test_a_document_without_translation_shows_its_azerbaijani_headings_as_before(client, drafter, concept):
    english_only(concept)
    login(client, drafter)
    page = client.get(compare_url(concept)).text
    assert '<p class="heading-az" lang="az">' in page and "Təhlükəsizlik mühiti" in page


def test_the_compare_page_takes_the_same_number_of_queries_at_any_size_in_both_languages(client, drafter):
    login(client, drafter)
    counts = []
    for size in (10, 120):
        document = make_document(size, slug=f"both-{size}")
        document.authoritative_language, document.translation_language = "az", "en"
        document.save()
        for clause in document.clauses.order_by("pk")[::3]:
            save(clause, body_az=f"Mətn {clause.pk}: ə ğ ı.")
        with CaptureQueriesContext(connection) as queries:
            response = client.get(compare_url(document, text="both"))
        assert response.status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]


def _docx(client, document, **query):
    response = client.get(url("versions_docx", document, old=document.milestones.get().point, new="now", **query))
    assert response.status_code == 200
    return response, WordDocument(io.BytesIO(response.content))


def _changes(word, tag, text_tag):
    return ["".join(t.text for t in change.iter(text_tag)) for change in word.element.body.iter(tag)
            if change.getparent().tag != qn("w:rPr")]


def test_word_export_is_in_the_authoritative_language_by_default(client, drafter, bilingual):
    login(client, drafter)
    response, word = _docx(client, bilingual)
    assert response["Content-Disposition"].endswith('-az.docx"')
    assert ", toxunulmazdır" in _changes(word, W_DEL, W_DELTEXT)
    assert EN_WORDS not in "\n".join(p.text for p in word.paragraphs)


def test_word_export_in_english_holds_the_english_text(client, drafter, bilingual):
    login(client, drafter)
    response, word = _docx(client, bilingual, text="en")
    assert response["Content-Disposition"].endswith('-en.docx"')
    text = "\n".join(p.text for p in word.paragraphs)
    assert EN_WORDS in text and "toxunulmazdır" not in text


def test_bilingual_word_export_is_a_two_column_table_clause_by_clause_with_tracked_changes(client, drafter, bilingual):
    login(client, drafter)
    response, word = _docx(client, bilingual, text="both")
    assert response["Content-Disposition"].endswith('-both.docx"')
    table = word.tables[0]
    assert [cell.text for cell in table.rows[0].cells] == ["Azerbaijani", "English"]
    assert len(table.rows) == 1 + bilingual.clauses.count()
    row = next(r for r in table.rows[1:] if r.cells[0].paragraphs[0].text.startswith("4.1.1"))
    left, right = row.cells
    assert [d for d in _cell_changes(left, W_DEL, W_DELTEXT)] == [", toxunulmazdır"]
    assert EN_WORDS in right.text and not _cell_changes(right, W_DEL, W_DELTEXT)
    assert right.paragraphs[0].text.startswith("4.1.1 The restoration")
    # The marking and the trace, as on every export
    header = "\n".join(p.text for p in word.sections[0].header.paragraphs)
    assert "For official use only" in header and f"Exported for {drafter.full_name}" in header
    assert "For official use only" in "\n".join(p.text for p in word.sections[0].footer.paragraphs)


def _cell_changes(cell, tag, text_tag):
    return ["".join(t.text for t in change.iter(text_tag)) for change in cell._tc.iter(tag)
            if change.getparent().tag != qn("w:rPr")]


def test_markdown_export_per_language_reads_back_as_that_language(client, drafter, bilingual):
    login(client, drafter)
    both = client.get(url("versions_markdown", bilingual, at="now"))
    assert both["Content-Disposition"].endswith('-now.md"')
    assert "<!-- For official use only -->" in both.text and f"Exported for {drafter.full_name}" in both.text
    parsed = parse(both.content.decode())
    assert (parsed.language, parsed.translation) == ("az", "en")
    clause = next(c for c in parsed.walk() if c.number == "4.1.1")
    assert (clause.body_az, clause.body.startswith(EN_WORDS)) == (AZ_CHANGE, True)
    english = client.get(url("versions_markdown", bilingual, at="now", text="en"))
    assert english["Content-Disposition"].endswith('-now-en.md"') and "<!-- For official use only -->" in english.text
    parsed = parse(english.content.decode())
    assert parsed.languages == ["en"] and "toxunulmazdır" not in english.text
    azerbaijani = parse(client.get(url("versions_markdown", bilingual, at="now", text="az")).content.decode())
    assert azerbaijani.languages == ["az"]
    assert next(c for c in azerbaijani.walk() if c.number == "4.1.1").body_az == AZ_CHANGE


def test_the_disposition_table_shows_both_texts_of_each_proposal(client, drafter, bilingual):
    clause = bilingual.clauses.get(number="4.1.1")
    amendment = modify(drafter, clause, body=clause.body + " Added.", submit=True)
    Amendment.objects.filter(pk=amendment.pk).update(proposed_body_az=AZ_CHANGE + " Əlavə.")
    login(client, drafter)
    rows = list(csv.reader(io.StringIO(client.get(url("disposition_csv", bilingual)).content.decode("utf-8-sig"))))
    assert rows[0][0] == "For official use only" and rows[0][-1].startswith("Exported for ")
    header, row = rows[1], rows[2]
    cells = dict(zip(header, row))
    assert cells["Proposed text (Azerbaijani)"].endswith("Əlavə.")
    assert cells["Proposed text (English)"].endswith("Added.")
    assert header.index("Proposed text (Azerbaijani)") < header.index("Proposed text (English)")
    workbook = load_workbook(io.BytesIO(client.get(url("disposition_xlsx", bilingual)).content))
    sheet = workbook.active
    values = [[cell.value for cell in line] for line in sheet.iter_rows()]
    assert dict(zip(values[1], values[2]))["Proposed text (Azerbaijani)"].endswith("Əlavə.")
    assert "For official use only" in workbook.properties.description


def test_control_characters_stored_in_a_translation_are_exported_replaced(client, drafter, bilingual):
    clause = bilingual.clauses.get(number="4.1.1")
    save(clause, body_az=AZ_CHANGE + "\x0b\x1fson.")  # PostgreSQL stores no NUL at all
    login(client, drafter)
    _, word = _docx(client, bilingual, text="both")
    cell_text = "".join(t.text or "" for t in word.tables[0]._tbl.iter(W_T, W_DELTEXT))
    assert "\ufffd\ufffdson." in cell_text and "\x0b" not in cell_text
    markdown = client.get(url("versions_markdown", bilingual, at="now", text="az")).content.decode()
    assert "\ufffd\ufffdson." in markdown and "\x1f" not in markdown and "\x0b" not in markdown
    assert next(c for c in parse(markdown).walk() if c.number == "4.1.1").body_az.endswith("\ufffd\ufffdson.")
