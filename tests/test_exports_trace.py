"""Markings and traced exports (issue 12): every page of a marked document shows its marking, every exported file
carries the marking and who it was exported for, when, and the audit lists every export."""
import csv
import io
from datetime import datetime
from unittest import mock
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone
from docx import Document as WordFile
from openpyxl import load_workbook

from drafting import audit_trail
from drafting.importer import import_document
from drafting.markdown_format import parse, render
from drafting.models import ExportEvent

from .conftest import login

MARKING = "For official use only"
TRACE = "Exported for Leyla Məmmədova, 23 Nov 2026 14:05"
MOMENT = datetime(2026, 11, 23, 14, 5, tzinfo=ZoneInfo("Asia/Baku"))


@pytest.fixture
def marked(concept):
    concept.marking = MARKING
    concept.save()
    return concept


def download(client, name, document, **query):
    # The export's moment alone is fixed (the session and the version read are of the real "now").
    clock = mock.Mock(now=lambda: MOMENT, localtime=timezone.localtime)
    with mock.patch("drafting.models.document_access.timezone", clock):
        response = client.get(reverse(name, args=[document.slug]), query)
    assert response.status_code == 200, response.content[:300]
    return response.content


def test_the_word_file_carries_the_marking_in_header_and_footer_and_the_trace(client, marked, second_reviewer):
    login(client, second_reviewer)
    word = WordFile(io.BytesIO(download(client, "versions_docx", marked, old="now", new="now")))
    header = [p.text for p in word.sections[0].header.paragraphs if p.text]
    assert header == [MARKING, TRACE]
    assert [p.text for p in word.sections[0].footer.paragraphs if p.text] == [MARKING]
    assert word.core_properties.comments == f"{MARKING}\n{TRACE}"


def test_the_csv_first_row_is_the_marking_and_the_trace(client, marked, second_reviewer):
    login(client, second_reviewer)
    rows = list(csv.reader(io.StringIO(download(client, "disposition_csv", marked).decode("utf-8-sig"))))
    assert rows[0] == [MARKING, TRACE]
    assert rows[1][0] == "Amendment"


def test_the_xlsx_first_row_is_the_marking_and_the_trace(client, marked, second_reviewer):
    login(client, second_reviewer)
    workbook = load_workbook(io.BytesIO(download(client, "disposition_xlsx", marked)))
    first = next(workbook.active.iter_rows(values_only=True))
    assert first[:2] == (MARKING, TRACE)
    assert workbook.properties.description == f"{MARKING}\n{TRACE}"


def test_the_markdown_file_begins_with_the_marking_and_still_imports(client, marked, second_reviewer):
    login(client, second_reviewer)
    text = download(client, "versions_markdown", marked, at="now").decode("utf-8")
    assert text.splitlines()[:2] == [f"<!-- {MARKING} -->", f"<!-- {TRACE} -->"]
    copy, _ = import_document(parse(text), slug="concept-copy")
    unmarked = render(marked, marked.clauses.all())
    assert render(copy, copy.clauses.all()) == unmarked  # byte for byte, the text without the comments
    assert text.endswith(unmarked)


def test_a_trace_cannot_close_the_markdown_comment_early(client, concept, second_reviewer):
    second_reviewer.full_name = "Leyla --> # Not a title"
    second_reviewer.save()
    login(client, second_reviewer)
    text = download(client, "versions_markdown", concept, at="now").decode("utf-8")
    assert text.splitlines()[0] == "<!-- Exported for Leyla –> # Not a title, 23 Nov 2026 14:05 -->"
    assert parse(text).title == concept.title


def test_every_export_is_in_the_audit_with_member_document_format_and_version(
    client, marked, second_reviewer, admin_member
):
    login(client, second_reviewer)
    download(client, "versions_docx", marked, old="now", new="now")
    download(client, "versions_markdown", marked, at="now")
    download(client, "disposition_csv", marked)
    download(client, "disposition_xlsx", marked)
    events = list(ExportEvent.objects.order_by("id"))
    assert [e.format for e in events] == ["docx", "markdown", "csv", "xlsx"]
    assert {(e.member, e.document) for e in events} == {(second_reviewer, marked)}
    # The Word file of a bilingual document is in one language (here the authoritative one), and says which.
    assert events[0].version == "Azerbaijani: now → now" and events[1].version == "now"
    assert all(e.at == MOMENT for e in events)
    details = [e.detail for e in audit_trail.entries(kind=audit_trail.EXPORTS)]
    assert f"{marked}: Markdown, now" in details and len(details) == 4
    login(client, admin_member)
    assert "Word (comparison)" in client.get(reverse("audit_log"), {"kind": "exports"}).text


def test_the_marking_is_at_the_top_and_bottom_of_every_page_of_the_document_and_in_its_title(
    client, marked, second_reviewer
):
    login(client, second_reviewer)
    clause = marked.clauses.get(number="4.1.1")
    for url in (marked.get_absolute_url(), clause.get_absolute_url(), reverse("versions", args=[marked.slug]),
                reverse("versions_read", args=[marked.slug]), reverse("amendment_list", args=[marked.slug])):
        page = client.get(url).text
        assert page.count('<p class="marking marking-') == 2, url
        assert f"<title>[{MARKING}]" in page, url
    assert "marking" not in client.get(reverse("inbox")).text


def test_an_unmarked_document_shows_no_marking(client, concept, second_reviewer):
    login(client, second_reviewer)
    assert 'class="marking' not in client.get(concept.get_absolute_url()).text


def test_admins_choose_the_marking_from_the_configured_list(client, concept, admin_member, settings):
    settings.DOCUMENT_MARKINGS = [MARKING, "Secret, working group only"]
    login(client, admin_member)
    url = reverse("document_settings", args=[concept.slug])
    assert client.post(url, {"quorum": "1", "marking": "Secret, working group only"}).status_code == 302
    concept.refresh_from_db()
    assert concept.marking == "Secret, working group only"
    assert concept.history.latest().history_change_reason == "marking changed"
    forged = client.post(url, {"quorum": "1", "marking": "Top secret"})
    assert forged.status_code == 200 and "Select a valid choice" in forged.text
    concept.refresh_from_db()
    assert concept.marking == "Secret, working group only"


def test_a_member_cannot_change_the_marking(client, concept, second_reviewer):
    login(client, second_reviewer)
    url = reverse("document_settings", args=[concept.slug])
    assert client.post(url, {"quorum": "1", "marking": MARKING}).status_code == 403
