"""Official texts in from OpenDocument (.odt): read by the Word importer's rules (drafting/odt_import.py), from
files made two ways: written by the test as ODF XML, and by LibreOffice (`soffice --convert-to odt`)."""
import shutil
import subprocess
import tempfile
import zipfile
from io import BytesIO, StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.urls import reverse

from drafting.models import Document
from drafting.odt_import import odt_as_docx, opendocument_type, read_odt, read_office_file
from drafting.word_import import WordRefused, read_docx

from .test_word_import import EXPECTED_OUTLINE, check_the_test_text, outline_of, upload
from .word_files import CLOSING, FODT, FOOTNOTE, ITEMS, OPENING, TITLE, libreoffice_file

ODT = "application/vnd.oasis.opendocument.text"


def fodt(**changes):
    texts = {"title": TITLE, "opening": OPENING, "closing": CLOSING, "footnote": FOOTNOTE, "item0": ITEMS[0],
             "item1": ITEMS[1], **changes}
    return FODT.format(**texts)


def odt_package(content_xml, *, mimetype=ODT, manifest="", extra=None):
    """An .odt as an office suite writes one: "mimetype" first and stored, then the parts."""
    buffer = BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(zipfile.ZipInfo("mimetype"), mimetype)  # ZipInfo: stored, not deflated
        if content_xml is not None:
            archive.writestr("content.xml", content_xml)
        if manifest:
            archive.writestr("META-INF/manifest.xml", manifest)
        for name, content in (extra or {}).items():
            archive.writestr(name, content)
    return buffer.getvalue()


def hand_written_odt(**changes):
    """The test text as ODF content.xml (the flat file's root renamed), packaged by the test."""
    xml = fodt(**changes).replace("<office:document ", "<office:document-content ").replace(
        "</office:document>", "</office:document-content>")
    return odt_package(xml.encode())


def libreoffice_odt():
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    assert soffice, "LibreOffice (soffice) is needed for this test; .ci/run installs it"
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "sinaq.fodt"
        source.write_text(fodt(), encoding="utf-8")
        profile = Path(folder) / "profile"
        subprocess.run([soffice, f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", "odt",
                        "--outdir", folder, str(source)], check=True, capture_output=True, timeout=180)
        return (Path(folder) / "sinaq.odt").read_bytes()


def bodies(read):
    return {clause.number or clause.heading_az: clause.body_az for clause in read.parsed.walk()}


def test_an_odt_written_as_odf_xml_reads_as_its_outline():
    check_the_test_text(read_odt(hand_written_odt(), language="az"))


@pytest.mark.libreoffice
def test_an_odt_written_by_libreoffice_reads_as_its_outline():
    check_the_test_text(read_odt(libreoffice_odt(), language="az"))


@pytest.mark.libreoffice
def test_an_odt_reads_exactly_as_the_docx_of_the_same_text():
    """One importer, two containers: the same text saved by LibreOffice as .odt and as .docx gives the same
    outline, texts and warnings."""
    from_odt = read_odt(libreoffice_odt(), language="az")
    from_docx = read_docx(libreoffice_file(), language="az")
    assert [(c.depth, c.number, c.heading_az, c.body_az) for c in from_odt.parsed.walk()] == [
        (c.depth, c.number, c.heading_az, c.body_az) for c in from_docx.parsed.walk()]
    assert sorted(w.message for w in from_odt.warnings) == sorted(w.message for w in from_docx.warnings)


def test_files_are_told_apart_by_their_content_not_their_name():
    assert opendocument_type(hand_written_odt()) == ODT
    assert opendocument_type(libreoffice_file.__doc__.encode()) == ""
    read = read_office_file(hand_written_odt(), language="az", name="sinaq.docx")  # a misnamed .odt
    assert outline_of(read) == EXPECTED_OUTLINE


def test_tracked_changes_in_an_odt_are_read_accepted():
    """ODF keeps deleted text in text:tracked-changes and inserted text in place, between change marks."""
    xml = fodt().replace("<office:body><office:text>", (
        '<office:body><office:text><text:tracked-changes><text:changed-region text:id="ct1"><text:deletion>'
        "<office:change-info><dc:creator xmlns:dc=\"http://purl.org/dc/elements/1.1/\">X</dc:creator>"
        "</office:change-info><text:p>silinmiş söz</text:p></text:deletion></text:changed-region>"
        "</text:tracked-changes>")).replace(
        "<text:p>Ümumi müddəalar.</text:p>",
        '<text:p>Ümumi <text:change text:change-id="ct1"/><text:change-start text:change-id="ct2"/>yeni '
        '<text:change-end text:change-id="ct2"/>müddəalar.</text:p>')
    xml = xml.replace("<office:document ", "<office:document-content ").replace(
        "</office:document>", "</office:document-content>")
    read = read_odt(odt_package(xml.encode()), language="az")
    assert bodies(read)["1"] == "Ümumi yeni müddəalar."
    assert "silinmiş" not in " ".join(bodies(read).values())


def test_comments_tables_of_contents_and_drawings_are_not_text():
    xml = fodt().replace("<text:p>Ümumi müddəalar.</text:p>", (
        "<text:p>Ümumi<office:annotation><text:p>rəy mətni</text:p></office:annotation> müddəalar.</text:p>"
        "<text:table-of-content><text:index-body><text:p>1. Təhlükəsizlik mühiti</text:p></text:index-body>"
        "</text:table-of-content>"))
    xml = xml.replace("<office:document ", "<office:document-content ").replace(
        "</office:document>", "</office:document-content>")
    read = read_odt(odt_package(xml.encode()), language="az")
    assert bodies(read)["1"] == "Ümumi müddəalar."
    assert outline_of(read) == EXPECTED_OUTLINE  # the contents' "1. ..." line is no second clause


def test_spaces_tabs_and_line_breaks_are_kept():
    xml = fodt().replace("<text:p>Ümumi müddəalar.</text:p>",
                         '<text:p>Ümumi<text:s text:c="3"/>müddəalar<text:line-break/>ikinci sətir.</text:p>')
    xml = xml.replace("<office:document ", "<office:document-content ").replace(
        "</office:document>", "</office:document-content>")
    assert bodies(read_odt(odt_package(xml.encode()), language="az"))["1"] == "Ümumi   müddəalar\nikinci sətir."


def test_a_dashed_list_and_a_numbered_list_keep_their_labels():
    xml = fodt().replace('style:num-format="a"', 'style:num-format="1"').replace(
        "</office:automatic-styles>",
        '<text:list-style style:name="Dashes"><text:list-level-style-bullet text:level="1" text:bullet-char="–"/>'
        "</text:list-style></office:automatic-styles>").replace(
        "<text:p>Sərhədlər qorunur.</text:p>",
        '<text:list text:style-name="Dashes"><text:list-item><text:p>birinci;</text:p></text:list-item>'
        "<text:list-item><text:p>ikinci.</text:p></text:list-item></text:list>")
    xml = xml.replace("<office:document ", "<office:document-content ").replace(
        "</office:document>", "</office:document-content>")
    text = bodies(read_odt(odt_package(xml.encode()), language="az"))
    assert f"1) {ITEMS[0]}" in text["2.1"] and f"2) {ITEMS[1]}" in text["2.1"]
    assert "– birinci;" in text["2.2"] and "– ikinci." in text["2.2"]


# --- bad input ---------------------------------------------------------------------------------------------
MANIFEST_ENCRYPTED = (
    '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0">'
    '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml">'
    '<manifest:encryption-data manifest:checksum-type="SHA1/1K" manifest:checksum="x"/>'
    "</manifest:file-entry></manifest:manifest>")

BAD_ODT = {
    "a spreadsheet": (lambda: odt_package(b"<x/>", mimetype="application/vnd.oasis.opendocument.spreadsheet"),
                      "not a text"),
    "a password-protected file": (lambda: odt_package(b"\x8f\x02binary", manifest=MANIFEST_ENCRYPTED),
                                  "password-protected"),
    "no content": (lambda: odt_package(None), "no text"),
    "damaged XML": (lambda: odt_package(b"<office:document-content>"), "cannot be read|that can be read"),
    "a NUL in the XML": (lambda: hand_written_odt(opening="Əsas\x00"), "that can be read"),
    "a zip bomb": (lambda: odt_package(b"<" + b"a" * (60 * 1024 * 1024)), "unpack"),
    "no clause at all": (lambda: odt_package(
        '<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"><office:body><office:text>'
        "<text:p>Sadəcə bir məktub.</text:p></office:text></office:body></office:document-content>".encode()),
                         "looks like a clause"),
}


@pytest.mark.parametrize("what", BAD_ODT)
def test_a_bad_odt_is_refused_with_a_clear_message(what):
    make, message = BAD_ODT[what]
    with pytest.raises(WordRefused, match=message):
        read_office_file(make(), language="az")


def test_the_size_limit_holds_for_odt_too(settings):
    settings.WORD_IMPORT_MAX_BYTES = 1000
    with pytest.raises(WordRefused, match="larger than"):
        read_office_file(hand_written_odt())


def test_external_entities_in_odt_xml_are_never_resolved(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("obsidianheron4471")
    xml = fodt(opening="Əsas &xxe; istiqamətlər:").replace(
        '<?xml version="1.0" encoding="UTF-8"?>',
        f'<?xml version="1.0" encoding="UTF-8"?><!DOCTYPE office:document-content '
        f'[<!ENTITY xxe SYSTEM "file://{secret}">]>')
    xml = xml.replace("<office:document ", "<office:document-content ").replace(
        "</office:document>", "</office:document-content>")
    try:
        read = read_odt(odt_package(xml.encode()), language="az")
    except WordRefused:
        return  # refused outright is as safe
    assert "obsidianheron4471" not in " ".join(f"{c.heading_az} {c.body_az}" for c in read.parsed.walk())


def test_odd_attribute_values_never_break_the_reader():
    xml = fodt().replace('text:outline-level="2"', 'text:outline-level="٢"').replace(
        "<text:p>Ümumi müddəalar.</text:p>", '<text:p>Ümumi<text:s text:c="99999999999"/>müddəalar.</text:p>')
    xml = xml.replace("<office:document ", "<office:document-content ").replace(
        "</office:document>", "</office:document-content>")
    read = read_odt(odt_package(xml.encode()), language="az")  # Arabic-Indic digit: taken as level 1
    assert bodies(read)["1"].startswith("Ümumi ") and len(bodies(read)["1"]) < 200


def test_odt_as_docx_writes_real_word_footnotes():
    from docx import Document as WordDocument

    word = WordDocument(BytesIO(odt_as_docx(hand_written_odt())))
    assert any("footnoteReference" in p._p.xml for p in word.paragraphs)


# --- the page and the command ----------------------------------------------------------------------------------
def test_an_odt_is_previewed_and_imported_from_the_page(as_admin):
    response = upload(as_admin, reverse("word_import_new"), hand_written_odt(), name="sinaq.odt", language="az")
    assert response.status_code == 200
    page = response.content.decode()
    assert "Confirm import" in page and "Ərazi bütövlüyü" in page
    assert not Document.objects.filter(title=TITLE).exists()
    token = response.context["confirm"]["token"].value()
    response = as_admin.post(reverse("word_import_new"), {"token": token})
    document = Document.objects.get(title=TITLE)
    assert response.status_code == 302 and document.clauses.get(number="2").body_az == OPENING


def test_the_import_page_offers_odt(as_admin):
    page = as_admin.get(reverse("word_import_new")).content.decode()
    assert ".odt" in page and 'accept=".docx,.odt"' in page


def test_the_command_imports_an_odt_file(db, tmp_path):
    path = tmp_path / "sinaq.odt"
    path.write_bytes(hand_written_odt())
    call_command("import_document", str(path), "--slug", "sinaq", stdout=StringIO(), stderr=StringIO())
    document = Document.objects.get(slug="sinaq")
    assert document.authoritative_language == "az" and document.clauses.count() == 7  # 2's closing text is a part
