"""Word files for the import tests, made by three writers: python-docx here, LibreOffice from a flat ODT file
and from an HTML file (`soffice --headless --convert-to docx`), and the app's own Word export (in the tests). Each holds what official texts hold: a section's opening text, a
closing text after its sub-clauses, a lettered list, a footnote, numbers with and without the final dot, and
Azerbaijani letters. Texts are made up for the tests (never official wording)."""
import re
import shutil
import subprocess
import tempfile
import zipfile
from io import BytesIO
from pathlib import Path

from docx import Document as WordDocument
from docx.oxml import OxmlElement
from docx.oxml.ns import qn

from drafting.odt_import import with_footnotes

TITLE = "Sınaq sənədi: Milli təhlükəsizlik"
OPENING = "Əsas istiqamətlər aşağıdakılardır:"
CLOSING = "Bu istiqamətlər birgə həyata keçirilir."
ITEMS = ["ərazi bütövlüyünün bərpası;", "sərhədlərin qorunması."]
FOOTNOTE = "Qeyd: sınaq üçün yazılmış mətn."


def python_docx_file(*, footnote=True, extra=()):
    """The test text written with python-docx: styles for the title and the parts, numbers typed as text."""
    word = WordDocument()
    word.add_paragraph(TITLE, style="Title")
    word.add_paragraph("Giriş", style="Heading 1")
    word.add_paragraph("Bu sənəd sınaq üçündür.")
    word.add_paragraph("1. Təhlükəsizlik mühiti", style="Heading 1")
    word.add_paragraph("Ümumi müddəalar.")
    word.add_paragraph("2. Milli maraqlar", style="Heading 1")
    word.add_paragraph(OPENING)
    word.add_paragraph("2.1 Ərazi bütövlüyü", style="Heading 2")  # no final dot
    intro = word.add_paragraph("Bu bəndin mətni")
    word.add_paragraph(f"a) {ITEMS[0]}")
    word.add_paragraph(f"b) {ITEMS[1]}")
    word.add_paragraph("2.2. Sərhədlər", style="Heading 2")
    word.add_paragraph("Sərhədlər qorunur.")
    word.add_paragraph(CLOSING)
    word.add_paragraph("Yekun müddəalar", style="Heading 1")
    word.add_paragraph("Sənəd qəbul edildiyi gündən qüvvəyə minir.")
    for text, style in extra:
        word.add_paragraph(text, style=style)
    if footnote:
        run = OxmlElement("w:r")
        reference = OxmlElement("w:footnoteReference")
        reference.set(qn("w:id"), "1")
        run.append(reference)
        intro._p.append(run)
    buffer = BytesIO()
    word.save(buffer)
    data = buffer.getvalue()
    return with_footnotes(data, [FOOTNOTE]) if footnote else data


def replace_in_document_xml(data, old, new):
    """The same file with document.xml edited as bytes (for odd input: control characters, entities)."""
    source = zipfile.ZipFile(BytesIO(data))
    out = BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            content = source.read(item.filename)
            if item.filename == "word/document.xml":
                content = re.sub(old, new, content) if isinstance(old, re.Pattern) else content.replace(old, new)
            target.writestr(item, content)
    return out.getvalue()


FODT = """<?xml version="1.0" encoding="UTF-8"?>
<office:document xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"
  xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0"
  xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"
  xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0"
  office:version="1.2" office:mimetype="application/vnd.oasis.opendocument.text">
 <office:automatic-styles>
  <text:list-style style:name="Letters">
   <text:list-level-style-number text:level="1" style:num-format="a" style:num-suffix=")"/>
  </text:list-style>
 </office:automatic-styles>
 <office:body><office:text>
  <text:p text:style-name="Title">{title}</text:p>
  <text:h text:outline-level="1">Giriş</text:h>
  <text:p>Bu sənəd sınaq üçündür.</text:p>
  <text:h text:outline-level="1">1. Təhlükəsizlik mühiti</text:h>
  <text:p>Ümumi müddəalar.</text:p>
  <text:h text:outline-level="1">2. Milli maraqlar</text:h>
  <text:p>{opening}</text:p>
  <text:h text:outline-level="2">2.1 Ərazi bütövlüyü</text:h>
  <text:p>Bu bəndin mətni<text:note text:id="n1" text:note-class="footnote"><text:note-citation>1</text:note-citation><text:note-body><text:p>{footnote}</text:p></text:note-body></text:note></text:p>
  <text:list text:style-name="Letters">
   <text:list-item><text:p>{item0}</text:p></text:list-item>
   <text:list-item><text:p>{item1}</text:p></text:list-item>
  </text:list>
  <text:h text:outline-level="2">2.2. Sərhədlər</text:h>
  <text:p>Sərhədlər qorunur.</text:p>
  <text:p>{closing}</text:p>
  <text:h text:outline-level="1">Yekun müddəalar</text:h>
  <text:p>Sənəd qəbul edildiyi gündən qüvvəyə minir.</text:p>
 </office:text></office:body>
</office:document>
"""


def libreoffice_file():
    """The test text as LibreOffice writes it: headings by outline level, a real list with letters, a real
    footnote. Converted from a flat ODT file the test writes."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    assert soffice, "LibreOffice (soffice) is needed for this test; .ci/run installs it"
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "sinaq.fodt"
        source.write_text(FODT.format(title=TITLE, opening=OPENING, closing=CLOSING, footnote=FOOTNOTE,
                                      item0=ITEMS[0], item1=ITEMS[1]), encoding="utf-8")
        profile = Path(folder) / "profile"
        subprocess.run([soffice, f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", "docx",
                        "--outdir", folder, str(source)], check=True, capture_output=True, timeout=180)
        return (Path(folder) / "sinaq.docx").read_bytes()


HTML = """<!DOCTYPE html>
<html lang="az"><head><meta charset="utf-8"><title>{title}</title></head>
<body>
<p>{title}</p>
<h1>Giriş</h1>
<p>Bu sənəd sınaq üçündür.</p>
<h1>1. Təhlükəsizlik mühiti</h1>
<p>Ümumi müddəalar.</p>
<h1>2. Milli maraqlar</h1>
<p>{opening}</p>
<h2>2.1 Ərazi bütövlüyü</h2>
<p>Bu bəndin mətni<a class="sdfootnoteanc" name="sdfootnote1anc" href="#sdfootnote1sym"><sup>1</sup></a></p>
<ol type="a"><li><p>{item0}</p></li><li><p>{item1}</p></li></ol>
<h2>2.2. Sərhədlər</h2>
<p>Sərhədlər qorunur.</p>
<p>{closing}</p>
<h1>Yekun müddəalar</h1>
<p>Sənəd qəbul edildiyi gündən qüvvəyə minir.</p>
<div id="sdfootnote1"><p><a class="sdfootnotesym" name="sdfootnote1sym" href="#sdfootnote1anc">1</a>{footnote}</p></div>
</body></html>
"""


def libreoffice_html_file():
    """The test text as LibreOffice makes a Word file of an HTML page (headings h1/h2, a list <ol type="a">, a
    footnote in LibreOffice's own HTML form, which it reads back as a real footnote)."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    assert soffice, "LibreOffice (soffice) is needed for this test; .ci/run installs it"
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "sinaq.html"
        source.write_text(HTML.format(title=TITLE, opening=OPENING, closing=CLOSING, footnote=FOOTNOTE,
                                      item0=ITEMS[0], item1=ITEMS[1]), encoding="utf-8")
        profile = Path(folder) / "profile"
        subprocess.run([soffice, f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to",
                        "docx:MS Word 2007 XML", "--outdir", folder, str(source)],
                       check=True, capture_output=True, timeout=180)
        return (Path(folder) / "sinaq.docx").read_bytes()


def edit_document_xml(data, edit):
    """The same file with `edit(root)` applied to word/document.xml's parsed tree (as Word would save it)."""
    from lxml import etree

    source = zipfile.ZipFile(BytesIO(data))
    out = BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            content = source.read(item.filename)
            if item.filename == "word/document.xml":
                root = etree.fromstring(content)
                edit(root)
                content = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
            target.writestr(item, content)
    return out.getvalue()
