"""Official texts in from OpenDocument (.odt, LibreOffice's and Collabora's format), through the Word importer.

One importer decides what a text holds (drafting/word_import.py: headings by style or by number, unnumbered
parts, lists, footnotes, every warning). This module only reads an .odt file's paragraphs, in reading order, and
writes them as the Word file they stand for, so an .odt is read by exactly the rules a .docx is:
- a heading (`text:h`, or a paragraph in a "Heading N" style) becomes a paragraph in Word's "Heading N" style,
  with the number LibreOffice shows in front of it (`text:number`), if it wrote one;
- a paragraph in the Title style (directly or through an automatic style based on it) becomes Word's Title;
- a list item becomes a paragraph opening with its label, "a)" for a lettered list, "–" for bullets, "1)" for
  numbers (the label the Word importer gives a Word list item);
- a footnote or endnote becomes a Word footnote at the same place; its text is the note's paragraphs;
- a table's paragraphs are read cell by cell; a table of contents, comments (annotations), drawings and text
  boxes are left out; tracked changes are read accepted (ODF keeps deleted text apart, in
  `text:tracked-changes`, which is skipped).

The XML is read with entity resolution and network access off, as python-docx reads Word's: an entity in the
file is never fetched nor expanded. We read the XML ourselves rather than through odfdo (maintained, and the
only ODF library for Python that still is): its parser resolves entities, and what we need of ODF is small.
Bad files are refused with `WordRefused`, before anything is parsed where the package alone says it: not an
OpenDocument text, password-protected (ODF encrypts inside the zip and says so in its manifest), too large, or
XML that would unpack to more than `MAX_UNPACKED_BYTES`.
"""
import re
import zipfile
from dataclasses import dataclass, field
from io import BytesIO
from xml.sax.saxutils import escape

from django.utils.translation import gettext as _
from docx import Document as new_docx
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from lxml import etree

from .languages import AZ
from .word_import import MAX_UNPACKED_BYTES, ZIP_SIGNATURE, WordRefused, max_bytes, read_docx

ODF_TEXT = "application/vnd.oasis.opendocument.text"
ODF_PREFIX = b"application/vnd.oasis.opendocument"
NS = {
    "office": "urn:oasis:names:tc:opendocument:xmlns:office:1.0",
    "text": "urn:oasis:names:tc:opendocument:xmlns:text:1.0",
    "style": "urn:oasis:names:tc:opendocument:xmlns:style:1.0",
    "table": "urn:oasis:names:tc:opendocument:xmlns:table:1.0",
}
HEADING_STYLE = re.compile(r"^heading(?:_20_|\s+)(\d)$", re.IGNORECASE)
MAX_HEADING_LEVEL = 9  # Word's Heading 1 ... Heading 9
FOOTNOTES_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml"
FOOTNOTES_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/footnotes"
WORD_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def _q(name):
    prefix, local = name.split(":")
    return f"{{{NS[prefix]}}}{local}"


# What holds no text of the document: left out whole (their tails, the text after them, are kept).
SKIPPED = {_q(name) for name in (
    "office:annotation", "office:annotation-end", "text:tracked-changes", "text:change", "text:change-start",
    "text:change-end", "text:table-of-content", "text:alphabetical-index", "text:illustration-index",
    "text:table-index", "text:object-index", "text:user-index", "text:bibliography", "text:sequence-decls",
    "text:variable-decls", "text:user-field-decls", "text:dde-connection-decls", "office:forms",
    "text:bookmark", "text:bookmark-start", "text:bookmark-end", "text:reference-mark",
    "text:reference-mark-start", "text:reference-mark-end", "text:soft-page-break", "text:note-citation",
    "text:number",
)} | {"{urn:oasis:names:tc:opendocument:xmlns:drawing:1.0}frame",
      "{urn:oasis:names:tc:opendocument:xmlns:drawing:1.0}custom-shape",
      "{urn:oasis:names:tc:opendocument:xmlns:drawing:1.0}g"}


def _parser():
    return etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False, remove_comments=True,
                           remove_pis=True, load_dtd=False)


@dataclass
class Note:
    text: str


@dataclass
class Paragraph:
    kind: str  # "title", "heading", "text"
    level: int = 0
    parts: list = field(default_factory=list)  # str and Note, in order


def opendocument_type(data):
    """The mimetype an OpenDocument package declares ("application/vnd.oasis.opendocument.text"), or "" for
    anything else (a Word file, not a zip)."""
    if not data.startswith(ZIP_SIGNATURE):
        return ""
    try:
        with zipfile.ZipFile(BytesIO(data)) as archive:
            info = archive.getinfo("mimetype")
            if info.file_size > 200:
                return ""
            declared = archive.read(info)
    except (KeyError, zipfile.BadZipFile, ValueError, OSError, RuntimeError, NotImplementedError):
        return ""
    return declared.strip().decode("ascii", "replace") if declared.startswith(ODF_PREFIX) else ""


def read_office_file(data, *, language=AZ, name="", title="", numbering=""):
    """A WordImport from a .docx or an .odt file, told apart by their content (never by the file's name), for a
    document under the policy `numbering` (read_docx)."""
    if opendocument_type(data):
        return read_odt(data, language=language, name=name, title=title, numbering=numbering)
    return read_docx(data, language=language, name=name, title=title, numbering=numbering)


def check_odt(data):
    """Refuse what is not an .odt we can safely read; returns {part name: bytes} of the parts read."""
    limit = max_bytes()
    if len(data) > limit:
        raise WordRefused(_("The file is larger than %(limit)s MB; split it or remove pictures.")
                          % {"limit": round(limit / (1024 * 1024), 1)})
    declared = opendocument_type(data)
    if declared != ODF_TEXT:
        raise WordRefused(_("This is an OpenDocument file but not a text (%(type)s): save the text as .odt or "
                            ".docx.") % {"type": declared.rsplit(".", 1)[-1] or "?"})
    try:
        with zipfile.ZipFile(BytesIO(data)) as archive:
            infos = {info.filename: info for info in archive.infolist()}
            if sum(info.file_size for info in infos.values() if info.filename.endswith(".xml")) > MAX_UNPACKED_BYTES:
                raise WordRefused(_("The file's text would unpack to more than %(limit)s MB; it is refused.")
                                  % {"limit": MAX_UNPACKED_BYTES // (1024 * 1024)})
            manifest = archive.read("META-INF/manifest.xml") if "META-INF/manifest.xml" in infos else b""
            if b"encryption-data" in manifest:
                raise WordRefused(_("The file is password-protected: remove the password and upload it again."))
            if "content.xml" not in infos:
                raise WordRefused(_("This OpenDocument file has no text (content.xml is missing)."))
            return {part: archive.read(part) for part in ("content.xml", "styles.xml") if part in infos}
    except WordRefused:
        raise
    except (zipfile.BadZipFile, ValueError, OSError, RuntimeError, NotImplementedError):
        raise WordRefused(_("This is not an OpenDocument text that can be read: the file is damaged.")) from None


def read_odt(data, *, language=AZ, name="", title="", numbering=""):
    """A WordImport from the bytes of an .odt file: its paragraphs written as a Word file, read by read_docx."""
    return read_docx(odt_as_docx(data), language=language, name=name, title=title, numbering=numbering)


def odt_as_docx(data):
    parts = check_odt(data)
    try:
        content = etree.fromstring(parts["content.xml"], _parser())
        styles = etree.fromstring(parts["styles.xml"], _parser()) if "styles.xml" in parts else None
    except etree.XMLSyntaxError as error:
        raise WordRefused(_("This is not an OpenDocument text that can be read (%(reason)s).")
                          % {"reason": type(error).__name__}) from None
    text = content.find(f"{_q('office:body')}/{_q('office:text')}")
    if text is None:
        raise WordRefused(_("This OpenDocument file has no text body."))
    paragraphs = _Reader(_Styles(content, styles)).read(text)
    return _as_docx(paragraphs)


class _Styles:
    """What the reader needs of the styles: each paragraph style's parent (automatic styles are based on named
    ones) and each list style's label format per level."""

    def __init__(self, *roots):
        self.parents, self.lists = {}, {}
        for root in roots:
            if root is None:
                continue
            for style in root.iter(_q("style:style")):
                self.parents[style.get(_q("style:name"))] = style.get(_q("style:parent-style-name"), "")
            for list_style in root.iter(_q("text:list-style")):
                levels = {}
                for level in list_style:
                    number = level.get(_q("text:level"))
                    if level.tag == _q("text:list-level-style-bullet"):
                        levels[number] = "bullet"
                    elif level.tag == _q("text:list-level-style-number"):
                        levels[number] = level.get(_q("style:num-format"), "1")
                self.lists[list_style.get(_q("style:name"))] = levels

    def lineage(self, name):
        """The style and the styles it is based on, nearest first (a loop in a damaged file ends it)."""
        seen = []
        while name and name not in seen and len(seen) < 20:
            seen.append(name)
            name = self.parents.get(name, "")
        return seen

    def heading_level(self, name):
        for style in self.lineage(name):
            match = HEADING_STYLE.match(style)
            if match:
                return int(match.group(1))
        return 0

    def is_title(self, name):
        return "Title" in self.lineage(name)

    def list_format(self, name, level):
        return self.lists.get(name, {}).get(str(level), "bullet")


class _Reader:
    def __init__(self, styles):
        self.styles = styles
        self.paragraphs = []

    def read(self, body):
        self._blocks(body, lists=())
        return self.paragraphs

    def _blocks(self, element, lists):
        """Walk block-level content: paragraphs, headings, lists, sections and tables, in reading order."""
        for child in element:
            tag = child.tag
            if tag in SKIPPED or not isinstance(tag, str):
                continue
            if tag == _q("text:h"):
                self._paragraph(child, "heading", _number(child.get(_q("text:outline-level")), 1, MAX_HEADING_LEVEL),
                                prefix=_shown_number(child))
            elif tag == _q("text:p"):
                style = child.get(_q("text:style-name"), "")
                if lists:
                    self._paragraph(child, "text", 0, prefix=self._label(lists))
                    lists = lists[:-1] + ((lists[-1][0], lists[-1][1], None),)  # one label per item
                elif self.styles.is_title(style):
                    self._paragraph(child, "title", 0)
                elif self.styles.heading_level(style):
                    self._paragraph(child, "heading", min(self.styles.heading_level(style), MAX_HEADING_LEVEL))
                else:
                    self._paragraph(child, "text", 0)
            elif tag == _q("text:list"):
                style = child.get(_q("text:style-name")) or (lists[-1][0] if lists else "")
                counter = [0]
                for item in child:
                    if item.tag not in (_q("text:list-item"), _q("text:list-header")):
                        continue
                    if item.get(_q("text:start-value")):
                        counter[0] = _number(item.get(_q("text:start-value")), 1, 10_000) - 1
                    if item.tag == _q("text:list-item"):
                        counter[0] += 1
                    label_place = (style, len(lists) + 1, counter[0] if item.tag == _q("text:list-item") else None)
                    self._blocks(item, lists + (label_place,))
            else:  # sections, tables, rows, cells, and anything else that holds blocks
                self._blocks(child, lists)

    def _label(self, lists):
        style, level, place = lists[-1]
        if place is None:  # a second paragraph of the same item, or a list header
            return ""
        fmt = self.styles.list_format(style, level)
        if fmt == "bullet" or not fmt:
            return "–"
        if fmt == "a":
            return f"{chr(ord('a') + (place - 1) % 26)})"
        if fmt == "A":
            return f"{chr(ord('A') + (place - 1) % 26)})"
        return f"{place})"

    def _paragraph(self, element, kind, level, prefix=""):
        paragraph = Paragraph(kind, level)
        if prefix:
            paragraph.parts.append(prefix + " ")
        _inline(element, paragraph.parts)
        self.paragraphs.append(paragraph)


def _number(raw, lowest, highest):
    """An attribute's whole number within [lowest, highest]; `lowest` for anything else (ASCII digits only: a
    damaged or crafted file may hold any characters)."""
    raw = (raw or "").strip()
    if not (raw.isascii() and raw.isdigit()):
        return lowest
    return max(lowest, min(int(raw), highest))


def _shown_number(heading):
    """The number LibreOffice shows in front of a numbered heading, when it wrote it ("2.1."), else ""."""
    number = heading.find(_q("text:number"))
    return " ".join((number.text or "").split()) if number is not None else ""


def _inline(element, parts):
    """The text of a paragraph, in order: spans and links read through, spaces, tabs and line breaks kept, each
    note as a Note."""
    if element.text:
        parts.append(element.text)
    for child in element:
        tag = child.tag
        if not isinstance(tag, str) or tag in SKIPPED:
            pass
        elif tag == _q("text:s"):
            parts.append(" " * _number(child.get(_q("text:c")), 1, 100))
        elif tag == _q("text:tab"):
            parts.append("\t")
        elif tag == _q("text:line-break"):
            parts.append("\n")
        elif tag == _q("text:note"):
            body = child.find(_q("text:note-body"))
            texts = []
            for paragraph in (body.iter(_q("text:p"), _q("text:h")) if body is not None else ()):
                inner = []
                _inline(paragraph, inner)
                texts.append("".join(part for part in inner if isinstance(part, str)).strip())
            parts.append(Note(" ".join(text for text in texts if text)))
        else:
            _inline(child, parts)
        if child.tail:
            parts.append(child.tail)


def _as_docx(paragraphs):
    """The paragraphs as a Word file, footnotes included (python-docx writes no footnotes part: it is added)."""
    document = new_docx()
    notes = []
    for paragraph in paragraphs:
        if paragraph.kind == "title":
            written = document.add_paragraph(style="Title")
        elif paragraph.kind == "heading":
            written = document.add_paragraph(style=f"Heading {paragraph.level}")
        else:
            written = document.add_paragraph()
        for part in paragraph.parts:
            if isinstance(part, Note):
                notes.append(part.text)
                run = written.add_run()
                reference = OxmlElement("w:footnoteReference")
                reference.set(qn("w:id"), str(len(notes)))
                run._r.append(reference)
            elif part:
                written.add_run(_xml_safe(part))
    out = BytesIO()
    document.save(out)
    return with_footnotes(out.getvalue(), notes) if notes else out.getvalue()


def _xml_safe(text):
    # ODF is XML, so it cannot hold NUL; other control characters in a character reference could reach here.
    return "".join(c for c in text if c in "\t\n" or ord(c) >= 32)


def with_footnotes(data, notes):
    """A Word file (bytes, as python-docx saves it: no footnotes part) with `notes` as its footnotes 1, 2, ...
    (their references are the caller's `w:footnoteReference` runs); the tests' Word files are made by it too."""
    footnotes = "".join(
        f'<w:footnote w:id="{number}"><w:p><w:r><w:t xml:space="preserve">{escape(_xml_safe(text))}</w:t></w:r>'
        "</w:p></w:footnote>" for number, text in enumerate(notes, start=1))
    xml = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:footnotes xmlns:w="{WORD_NS}">'
           '<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:footnote>'
           '<w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:r><w:continuationSeparator/></w:r></w:p>'
           f"</w:footnote>{footnotes}</w:footnotes>")
    source = zipfile.ZipFile(BytesIO(data))
    out = BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            content = source.read(item.filename)
            if item.filename == "[Content_Types].xml":
                content = content.replace(b"</Types>", (
                    f'<Override PartName="/word/footnotes.xml" ContentType="{FOOTNOTES_TYPE}"/></Types>').encode())
            elif item.filename == "word/_rels/document.xml.rels":
                content = content.replace(b"</Relationships>", (
                    f'<Relationship Id="rIdFootnotes" Type="{FOOTNOTES_REL}" Target="footnotes.xml"/>'
                    "</Relationships>").encode())
            target.writestr(item, content)
        target.writestr("word/footnotes.xml", xml.encode())
    return out.getvalue()
