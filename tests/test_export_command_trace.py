"""`manage.py export_document` is traced as a download is (issue 12): the operator names the member it is
exported for, the file carries the marking and "Exported for ..., date", and the audit lists the export.
Each format the command offers is read back (python-docx, openpyxl, csv, the Markdown reader)."""
import csv
import io
from unittest import mock

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone
from docx import Document as WordFile
from docx.oxml.ns import qn
from openpyxl import load_workbook

from drafting import audit_trail
from drafting.markdown_format import parse, render
from drafting.models import DocumentAccess, ExportEvent

from .amendment_builders import modify
from .builders import make_member, without_trace
from .conftest import english_only, login
from .test_exports_trace import MARKING, MOMENT, TRACE
from .version_builders import approve


@pytest.fixture
def marked(concept):
    concept.marking = MARKING
    concept.save()
    return concept


@pytest.fixture
def leyla(db):
    # second_reviewer's name, so the trace reads as the web export's tests expect ("Exported for Leyla ...").
    return make_member("leyla", "reviewer", full_name="Leyla Məmmədova")


def export(tmp_path, *arguments, name="export"):
    """Run the command at the fixed moment of the web tests; the bytes written."""
    out = tmp_path / name
    clock = mock.Mock(now=lambda: MOMENT, localtime=timezone.localtime)
    with mock.patch("drafting.models.document_access.timezone", clock):
        call_command("export_document", *arguments, "-o", str(out))
    return out.read_bytes()


def test_the_markdown_export_carries_the_marking_and_the_trace_and_reads_back(tmp_path, marked, leyla):
    data = export(tmp_path, marked.slug, "--for", "leyla")
    lines = data.decode("utf-8").splitlines()
    assert lines[:2] == [f"<!-- {MARKING} -->", f"<!-- {TRACE} -->"]
    assert without_trace(data).decode("utf-8") == render(marked, marked.clauses.all())
    assert parse(data.decode("utf-8")).title == marked.title  # the importer reads past the comments


def test_the_word_export_carries_the_marking_in_header_and_footer_and_the_trace(tmp_path, marked, leyla):
    word = WordFile(io.BytesIO(export(tmp_path, marked.slug, "--for", "leyla", "--format", "docx",
                                      "--since", "now", "--as-of", "now")))
    assert [p.text for p in word.sections[0].header.paragraphs if p.text] == [MARKING, TRACE]
    assert [p.text for p in word.sections[0].footer.paragraphs if p.text] == [MARKING]
    assert word.core_properties.comments == f"{MARKING}\n{TRACE}"


def test_the_word_export_compares_from_the_first_milestone_by_default(tmp_path, marked, leyla, drafter, reviewer):
    english_only(marked)  # the command's Word file is in the authoritative language: here the amended English
    clause = marked.clauses.get(number="4.1.1")
    approve(modify(drafter, clause, body="A shorter 4.1.1.", submit=True), reviewer)
    word = WordFile(io.BytesIO(export(tmp_path, marked.slug, "--for", "leyla", "--format", "docx")))
    inserted = "".join(t.text for ins in word.element.body.iter(qn("w:ins")) for t in ins.iter(qn("w:t")))
    assert "A shorter 4.1.1." in inserted  # a tracked insertion, since the 2007 original
    event = ExportEvent.objects.get()
    assert event.version.startswith(marked.milestones.order_by("moment").first().name)


def test_the_csv_export_begins_with_the_marking_and_the_trace(tmp_path, marked, leyla):
    rows = list(csv.reader(io.StringIO(export(tmp_path, marked.slug, "--for", "leyla", "--format", "csv")
                                       .decode("utf-8-sig"))))
    assert rows[0] == [MARKING, TRACE] and rows[1][0] == "Amendment"


def test_the_xlsx_export_begins_with_the_marking_and_the_trace(tmp_path, marked, leyla):
    workbook = load_workbook(io.BytesIO(export(tmp_path, marked.slug, "--for", "leyla", "--format", "xlsx")))
    assert next(workbook.active.iter_rows(values_only=True))[:2] == (MARKING, TRACE)
    assert workbook.properties.description == f"{MARKING}\n{TRACE}"


def test_the_disposition_table_holds_what_the_named_member_may_read(tmp_path, concept, leyla, drafter):
    """Another member's draft stays out of a table exported for Leyla, as it does from her download."""
    modify(drafter, concept.clauses.get(number="4.1.1"), body="Shorter.", rationale="Drafter's private idea.")
    data = export(tmp_path, concept.slug, "--for", "leyla", "--format", "csv").decode("utf-8-sig")
    assert "Drafter's private idea." not in data
    assert "Drafter's private idea." in export(tmp_path, concept.slug, "--for", drafter.user.username,
                                               "--format", "csv").decode("utf-8-sig")


def test_every_command_export_is_in_the_audit(client, tmp_path, marked, leyla, admin_member):
    for format in ("markdown", "docx", "csv", "xlsx"):
        export(tmp_path, marked.slug, "--for", "leyla", "--format", format, name=format)
    events = list(ExportEvent.objects.order_by("id"))
    assert [e.format for e in events] == ["markdown", "docx", "csv", "xlsx"]
    assert {(e.member, e.document, e.at) for e in events} == {(leyla, marked, MOMENT)}
    details = [e.detail for e in audit_trail.entries(kind=audit_trail.EXPORTS)]
    assert f"{marked}: Markdown, now" in details and len(details) == 4
    login(client, admin_member)
    page = client.get(reverse("audit_log"), {"kind": "exports"}).text
    assert "XLSX (disposition table)" in page and "Leyla Məmmədova" in page


def test_the_member_may_be_named_by_email_address_in_any_case(tmp_path, marked, leyla):
    export(tmp_path, marked.slug, "--for", "LEYLA@example.test")
    assert ExportEvent.objects.get().member == leyla


def test_the_command_requires_the_member_it_exports_for(concept):
    with pytest.raises(CommandError, match="--for"):
        call_command("export_document", concept.slug)
    assert not ExportEvent.objects.exists()


def test_an_unknown_member_is_refused_with_a_clear_message(tmp_path, concept):
    with pytest.raises(CommandError, match="no member is called “nobody”"):
        call_command("export_document", concept.slug, "--for", "nobody", "-o", str(tmp_path / "x.md"))
    assert not ExportEvent.objects.exists() and not (tmp_path / "x.md").exists()


def test_a_deactivated_member_is_refused_with_a_clear_message(tmp_path, concept, deactivated):
    with pytest.raises(CommandError, match="Farid Former is a former member"):
        call_command("export_document", concept.slug, "--for", deactivated.user.username, "-o", str(tmp_path / "x"))
    assert not ExportEvent.objects.exists()


@pytest.mark.need_to_know
def test_a_member_not_on_the_document_is_refused(tmp_path, concept, drafter):
    with pytest.raises(CommandError, match="Dinara Əliyeva is not on"):
        call_command("export_document", concept.slug, "--for", drafter.user.username, "-o", str(tmp_path / "x"))
    DocumentAccess.grant(concept, drafter, DocumentAccess.Role.READER)
    call_command("export_document", concept.slug, "--for", drafter.user.username, "-o", str(tmp_path / "x"))
    assert ExportEvent.objects.get().member == drafter


def test_a_binary_format_needs_a_file(concept, leyla):
    for format in ("docx", "xlsx"):
        with pytest.raises(CommandError, match="-o FILE"):
            call_command("export_document", concept.slug, "--for", "leyla", "--format", format)
    assert not ExportEvent.objects.exists()


def test_the_disposition_table_is_of_now_only(tmp_path, concept, leyla):
    with pytest.raises(CommandError, match="as they stand now"):
        call_command("export_document", concept.slug, "--for", "leyla", "--format", "csv", "--as-of", "now")


def test_markdown_to_standard_output_is_traced_too(capsys, marked, leyla):
    call_command("export_document", marked.slug, "--for", "leyla")
    assert capsys.readouterr().out.startswith(f"<!-- {MARKING} -->\n<!-- Exported for Leyla Məmmədova, ")
    assert ExportEvent.objects.get().format == "markdown"
