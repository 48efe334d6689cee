"""Official texts in from Word (issue 14, points 1 and 3): the reader, the preview pages and the command."""
import zipfile
from io import BytesIO, StringIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse
from docx import Document as WordDocument

from drafting import held_files
from drafting.characters import REPLACEMENT
from drafting.comparison import NOW, read_version, resolve_point
from drafting.exports.docx import version_docx
from drafting.importer import import_document
from drafting.models import Clause, Document
from drafting.word_import import WordRefused, read_docx

from .conftest import login
from .word_files import (
    CLOSING,
    FOOTNOTE,
    ITEMS,
    OPENING,
    TITLE,
    libreoffice_file,
    libreoffice_html_file,
    python_docx_file,
    replace_in_document_xml,
)


def outline_of(read):
    return [(c.depth, c.number, c.heading_az) for c in read.parsed.walk()]


EXPECTED_OUTLINE = [(0, "", "Giriş"), (0, "1", "Təhlükəsizlik mühiti"), (0, "2", "Milli maraqlar"),
                    (1, "2.1", "Ərazi bütövlüyü"), (1, "2.2", "Sərhədlər"), (1, "", ""),  # 2's closing text
                    (0, "", "Yekun müddəalar")]
# 2.1's text: the opening sentence citing the footnote, the lettered list as lines, the note at the end.
EXPECTED_2_1 = f"Bu bəndin mətni[^1]\n\na) {ITEMS[0]}\nb) {ITEMS[1]}\n\n[^1]: {FOOTNOTE}"


def messages_of(read):
    return [w.message for w in read.warnings]


def check_the_test_text(read, *, closing_by_style=False):
    """What every writer's file must read as: the outline, the opening text, the list, the footnote and the
    closing text where the format puts them, Azerbaijani letters exactly; a warning for the closing text, a
    guess unless its style says so."""
    assert read.parsed.title == TITLE
    assert outline_of(read) == EXPECTED_OUTLINE
    clauses = {c.number or c.heading_az: c for c in read.parsed.walk()}
    assert clauses["2"].body_az == OPENING  # the opening text before 2.1 is 2's own
    assert clauses["2.1"].body_az == EXPECTED_2_1
    assert clauses["2.2"].body_az == "Sərhədlər qorunur."
    closing = clauses["2"].children[-1]
    assert closing.closing and closing.body_az == CLOSING
    assert all(not c.heading and not c.body for c in read.parsed.walk())  # Azerbaijani text in the _az fields
    found = messages_of(read)
    assert not any("list" in m or "footnote" in m for m in found)
    guesses = [w for w in read.warnings if "read as the closing text of 2" in w.message]
    assert len(guesses) == (0 if closing_by_style else 1)
    if guesses:
        assert guesses[0].clause is closing and CLOSING[:20] in guesses[0].excerpt and "2.2" in guesses[0].message


def test_a_python_docx_file_reads_as_its_outline_with_a_warning_for_the_closing_text_guessed():
    check_the_test_text(read_docx(python_docx_file(), language="az"))


@pytest.mark.libreoffice
def test_a_libreoffice_file_reads_as_the_same_outline():
    check_the_test_text(read_docx(libreoffice_file(), language="az"))


@pytest.mark.libreoffice
def test_a_libreoffice_file_made_from_html_reads_as_the_same_outline():
    check_the_test_text(read_docx(libreoffice_html_file(), language="az"))


def test_the_apps_own_word_export_reads_back_after_edits(db):
    document, _ = import_document(read_docx(python_docx_file(), language="az").parsed, slug="sinaq")
    version = read_version(document, resolve_point(document, NOW))
    exported = WordDocument(BytesIO(version_docx(version, slug=document.slug, language="az")))
    exported.add_paragraph("3. Yeni bölmə", style="Heading 1")  # an edit, as an agency would make
    exported.add_paragraph("Şəxsi məlumatların qorunması.")
    buffer = BytesIO()
    exported.save(buffer)
    read = read_docx(buffer.getvalue(), language="az")
    assert read.parsed.title == TITLE
    assert outline_of(read) == EXPECTED_OUTLINE + [(0, "3", "Yeni bölmə")]
    new = next(c for c in read.parsed.walk() if c.number == "3")
    assert new.body_az == "Şəxsi məlumatların qorunması."
    by_number = {c.number or c.heading_az: c for c in read.parsed.walk()}
    assert by_number["2.1"].body_az == document.clauses.get(number="2.1").body_az == EXPECTED_2_1
    # The closing text came back by its style: certain, no warning.
    assert by_number["2"].children[-1].closing and by_number["2"].children[-1].body_az == CLOSING
    assert not any("closing text" in m for m in messages_of(read))


def test_numbers_with_and_without_the_final_dot_are_numbers():
    read = read_docx(python_docx_file(footnote=False, extra=[("2.3 Sərhəd xidməti", None),
                                                             ("2.4. Hava məkanı", None)]), language="az")
    numbers = [c.number for c in read.parsed.walk() if c.numbered]
    assert "2.1" in numbers and "2.2" in numbers


def test_a_number_that_skips_is_a_warning_not_a_refusal(db):
    word = WordDocument()
    word.add_paragraph("Sınaq", style="Title")
    word.add_paragraph("3. Bölmə", style="Heading 1")
    word.add_paragraph("3.2. Bənd", style="Heading 2")
    word.add_paragraph("Mətn.")
    buffer = BytesIO()
    word.save(buffer)
    read = read_docx(buffer.getvalue(), language="az")
    assert any("3.2 does not follow its place: it will be numbered 1.1" in m for m in messages_of(read))
    assert any("3 does not follow its place: it will be numbered 1" in m for m in messages_of(read))
    document, _ = import_document(read.parsed, slug="skips")
    assert sorted(document.clauses.values_list("number", flat=True)) == ["1", "1.1"]


def test_an_empty_clause_is_a_warning():
    word = WordDocument()
    word.add_paragraph("Sınaq", style="Title")
    word.add_paragraph("1. Boş bənd", style="Heading 1")
    word.add_paragraph("2. Dolu bənd", style="Heading 1")
    word.add_paragraph("Mətn.")
    buffer = BytesIO()
    word.save(buffer)
    read = read_docx(buffer.getvalue())
    empty = [w for w in read.warnings if "empty clause" in w.message]
    assert len(empty) == 1 and empty[0].clause.number == "1"


def test_unnumbered_parts_are_found_by_their_names_without_a_style():
    word = WordDocument()
    for text in ("Sınaq", "Introduction", "Mətn.", "1. Bölmə", "Mətn.", "Final provisions", "Mətn."):
        word.add_paragraph(text)
    buffer = BytesIO()
    word.save(buffer)
    read = read_docx(buffer.getvalue(), language="en")
    assert [(c.number, c.heading) for c in read.parsed.walk()] == [
        ("", "Introduction"), ("1", "Bölmə"), ("", "Final provisions")]


def test_a_sentence_opening_with_a_year_is_not_a_clause():
    word = WordDocument()
    for text in ("Sınaq", "1. Bölmə", "2007 ildə qəbul edilmişdir."):
        word.add_paragraph(text)
    buffer = BytesIO()
    word.save(buffer)
    [clause] = read_docx(buffer.getvalue()).parsed.clauses
    assert clause.body_az == "2007 ildə qəbul edilmişdir."


# --- bad input ---------------------------------------------------------------------------------------------
def _zip(files):
    buffer = BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in files.items():
            archive.writestr(name, content)
    return buffer.getvalue()


BAD_FILES = {
    "an empty file": (b"", "empty"),
    "any bytes": (b"just some text, not a Word file", "not a Word file"),
    "a zip that is not a docx": (_zip({"notes.txt": "hello"}), "not a Word document"),
    "a password-protected file": (bytes.fromhex("D0CF11E0A1B11AE1") + b"\0" * 600, "password-protected"),
    "a zip bomb": (_zip({"word/document.xml": b"<" + b"a" * (60 * 1024 * 1024)}), "unpack"),
    "a 6 MB file": (b"PK\x03\x04" + b"\0" * (6 * 1024 * 1024), "larger than 5"),
}


@pytest.mark.parametrize("what", BAD_FILES)
def test_a_bad_file_is_refused_with_a_clear_message(what):
    data, message = BAD_FILES[what]
    with pytest.raises(WordRefused, match=message):
        read_docx(data)


def test_a_file_with_nothing_like_a_clause_is_refused():
    word = WordDocument()
    word.add_paragraph("Sadəcə bir məktub.")
    word.add_paragraph("Hörmətlə.")
    buffer = BytesIO()
    word.save(buffer)
    with pytest.raises(WordRefused, match="looks like a clause"):
        read_docx(buffer.getvalue())


def test_the_limit_is_a_setting(settings):
    settings.WORD_IMPORT_MAX_BYTES = 1000
    with pytest.raises(WordRefused, match="larger than"):
        read_docx(python_docx_file())


def test_external_entities_in_the_xml_are_never_resolved(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("obsidianheron4471")
    data = python_docx_file(footnote=False)
    doctype = f'<!DOCTYPE w:document [<!ENTITY xxe SYSTEM "file://{secret}">]>'.encode()
    data = replace_in_document_xml(data, b"<w:document ", doctype + b"<w:document ")
    data = replace_in_document_xml(data, "Ümumi müddəalar.".encode(), b"&xxe; ok")
    try:
        read = read_docx(data, language="az")
    except WordRefused:
        return  # refused outright is as safe
    everything = " ".join(f"{c.heading_az} {c.body_az}" for c in read.parsed.walk())
    assert "obsidianheron4471" not in everything


def test_control_characters_in_the_word_text_are_replaced_with_the_paragraph_named():
    data = replace_in_document_xml(python_docx_file(footnote=False), "Ümumi müddəalar.".encode(),
                                   "Ümumi\u0085 müddəalar\u007f.".encode())
    read = read_docx(data, language="az")
    clause = next(c for c in read.parsed.walk() if c.number == "1")
    assert clause.body_az == f"Ümumi{REPLACEMENT} müddəalar{REPLACEMENT}."
    [warning] = [w for w in read.warnings if "replaced" in w.message]
    assert warning.paragraph == 5 and "U+0085" in warning.message


def test_a_nul_in_the_word_xml_is_refused():
    data = replace_in_document_xml(python_docx_file(footnote=False), "Ümumi".encode(), b"\x00mumi")
    with pytest.raises(WordRefused, match="not a Word document that can be read"):
        read_docx(data)


# --- the pages -----------------------------------------------------------------------------------------------
def upload(client, url, data, name="sinaq.docx", **extra):
    return client.post(url, {"file": SimpleUploadedFile(name, data), **extra})


def test_an_import_is_previewed_before_anything_is_written(as_admin):
    response = upload(as_admin, reverse("word_import_new"), python_docx_file(), language="az")
    assert response.status_code == 200
    page = response.content.decode()
    assert "Confirm import" in page and "Ərazi bütövlüyü" in page and "read as the closing text of 2" in page
    assert '<ol class="text-list lettered">' in page and 'class="note-ref"' in page  # shown as they will be
    assert '<span class="closing-label">Closing text</span>' in page
    assert not Document.objects.filter(title=TITLE).exists()
    token = response.context["confirm"]["token"].value()
    response = as_admin.post(reverse("word_import_new"), {"token": token})
    document = Document.objects.get(title=TITLE)
    assert response.status_code == 302 and response["Location"] == document.get_absolute_url()
    assert document.authoritative_language == "az"
    assert document.clauses.get(number="2").body_az == OPENING
    history = Clause.history.filter(document_id=document.pk)
    assert {row.history_change_reason for row in history} == {"imported from sinaq.docx"}
    assert as_admin.post(reverse("word_import_new"), {"token": token}).context["refusal"]  # used up


def test_a_new_version_is_previewed_as_a_comparison_and_written_once_confirmed(as_admin, admin_member):
    document, _ = import_document(read_docx(python_docx_file(), language="az").parsed, slug="sinaq")
    before = Clause.history.filter(document_id=document.pk).count()
    changed = replace_in_document_xml(python_docx_file(), "Ümumi müddəalar.".encode(), "Yeni müddəalar.".encode())
    url = reverse("word_import", args=[document.slug])
    response = upload(as_admin, url, changed)
    page = response.content.decode()
    assert response.status_code == 200 and "Compared with the current text" in page
    assert "<del>Ümumi</del>" in page and "<ins>Yeni</ins>" in page
    assert Clause.history.filter(document_id=document.pk).count() == before  # the rehearsal left nothing
    document.refresh_from_db()
    assert document.clauses.get(number="1").body_az == "Ümumi müddəalar."
    response = as_admin.post(url, {"token": response.context["confirm"]["token"].value()})
    assert response.status_code == 302
    assert document.clauses.get(number="1").body_az == "Yeni müddəalar."
    rows = Clause.history.filter(document_id=document.pk)[:rows_count(document, before)]
    assert all(row.history_change_reason == "imported from sinaq.docx" for row in rows)
    assert all(row.history_user_id == admin_member.user_id for row in rows)


def rows_count(document, before):
    return Clause.history.filter(document_id=document.pk).count() - before


def test_a_non_admin_cannot_import(as_drafter, concept):
    assert upload(as_drafter, reverse("word_import_new"), python_docx_file()).status_code == 403
    assert upload(as_drafter, reverse("word_import", args=[concept.slug]), python_docx_file()).status_code == 403
    assert not Document.objects.filter(title=TITLE).exists()


def test_an_import_into_a_document_that_does_not_exist_finds_nothing(as_admin):
    assert upload(as_admin, reverse("word_import", args=["no-such-document"]), python_docx_file()).status_code == 404


def test_a_forged_confirm_with_another_sessions_token_writes_nothing(as_admin, admin_member, db):
    response = upload(as_admin, reverse("word_import_new"), python_docx_file(), language="az")
    token = response.context["confirm"]["token"].value()
    other = login(Client(), admin_member)  # the same admin, another session
    response = other.post(reverse("word_import_new"), {"token": token})
    assert response.status_code == 200 and "not made in this session" in response.content.decode()
    response = other.post(reverse("word_import_new"), {"token": "x" * 43})
    assert "not made in this session" in response.content.decode()
    assert not Document.objects.filter(title=TITLE).exists()


def test_a_token_for_a_new_document_does_not_confirm_into_an_existing_one(as_admin, concept):
    response = upload(as_admin, reverse("word_import_new"), python_docx_file(), language="az")
    token = response.context["confirm"]["token"].value()
    response = as_admin.post(reverse("word_import", args=[concept.slug]), {"token": token})
    assert "not made in this session" in response.content.decode()


@pytest.mark.parametrize("what", ["an empty file", "any bytes", "a password-protected file", "a 6 MB file"])
def test_a_bad_upload_is_shown_beside_the_field_and_nothing_is_written(as_admin, what):
    data, message = BAD_FILES[what]
    count = Document.objects.count()
    response = upload(as_admin, reverse("word_import_new"), data or b"", language="az")
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert "file" in errors
    assert Document.objects.count() == count and not held_files_of(as_admin)


def held_files_of(client):
    return client.session.get(held_files.SESSION_KEY, {})


def test_held_files_expire(as_admin, monkeypatch):
    response = upload(as_admin, reverse("word_import_new"), python_docx_file(), language="az")
    token = response.context["confirm"]["token"].value()
    monkeypatch.setattr(held_files, "HOLD_SECONDS", -1)
    response = as_admin.post(reverse("word_import_new"), {"token": token})
    assert "expired" in response.content.decode()


# --- the command -----------------------------------------------------------------------------------------------
def test_the_command_dry_run_prints_the_preview_and_writes_nothing(db, tmp_path):
    path = tmp_path / "sinaq.docx"
    path.write_bytes(python_docx_file())
    out, err = StringIO(), StringIO()
    call_command("import_document", str(path), "--dry-run", stdout=out, stderr=err)
    assert "2.1 Ərazi bütövlüyü" in out.getvalue() and "nothing was written" in out.getvalue()
    assert f"    (closing text)\n      {CLOSING}" in out.getvalue()
    assert "read as the closing text of 2" in err.getvalue()
    assert not Document.objects.exists()


def test_the_command_imports_a_word_file(db, tmp_path):
    path = tmp_path / "sinaq.docx"
    path.write_bytes(python_docx_file())
    call_command("import_document", str(path), "--slug", "sinaq", stdout=StringIO(), stderr=StringIO())
    document = Document.objects.get(slug="sinaq")
    assert document.authoritative_language == "az" and document.clauses.count() == 7  # 2's closing text is a part of its own


def test_the_command_refuses_a_bad_word_file(db, tmp_path):
    path = tmp_path / "bad.docx"
    path.write_bytes(b"not a word file")
    with pytest.raises(CommandError, match="not a Word file"):
        call_command("import_document", str(path), stdout=StringIO(), stderr=StringIO())
    assert not Document.objects.exists()


def test_a_heading_too_long_to_be_one_is_kept_as_text_with_a_warning():
    long_heading = "Uzun başlıq " * 50
    word = WordDocument()
    word.add_paragraph("Sınaq", style="Title")
    word.add_paragraph(f"1. {long_heading}", style="Heading 1")
    buffer = BytesIO()
    word.save(buffer)
    read = read_docx(buffer.getvalue())
    [clause] = read.parsed.clauses
    assert clause.heading_az == "" and clause.body_az == long_heading.strip()
    assert any("too long to be one" in m for m in messages_of(read))


def test_a_title_too_long_to_be_one_is_shortened_with_a_warning():
    long_title = "Çox uzun ad " * 40
    word = WordDocument()
    word.add_paragraph(long_title, style="Title")
    word.add_paragraph("1. Bölmə", style="Heading 1")
    buffer = BytesIO()
    word.save(buffer)
    read = read_docx(buffer.getvalue())
    assert len(read.parsed.title) <= 300 and read.parsed.description == long_title.strip()
    assert any("title too long" in m for m in messages_of(read))
