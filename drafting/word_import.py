"""Official texts in from Word: a .docx read into the same ParsedDocument the Markdown importer makes
(drafting/markdown_format.py), plus a list of warnings for everything it had to guess.

What it recognises:
- the document title: the paragraph in the Title style, else the first paragraph before any clause;
- a clause: a paragraph in a Heading style (Heading 1 is the top level), or one that opens with a number, with
  or without the final dot ("4.1.1." and "4.1.1"; a number of one part only with its dot, "3.", so that a
  sentence opening with a year is not a clause), derived numbers of a document that keeps its numbers too
  ("4.1.1-1", README "Numbering"); the number's parts give its depth. What follows the number is
  the heading when the paragraph is short and reads as a title, else the clause's text;
- the unnumbered parts, by style or by their names: Introduction / Giriş, Final provisions / Yekun müddəalar;
- everything else is text: before the first clause the document's description, after a clause its body (a
  parent's opening text before its sub-clauses is its body, as in the Markdown format);
- list items (issue 14, point 2), by Word's numbering (its letter, number or dash written in front: "a) ",
  "1) ", "– ") or by their text ("a) ", "ç) ", "– "): lines of the clause's text in the syntax of
  drafting/structure.py, consecutive items one paragraph of lines;
- footnotes: a reference "[^n]" where the note is cited (numbered through the document, as Word shows them)
  and the note "[^n]: ..." at the end of the text of the clause that cites it;
- a parent's closing text: paragraphs in the style "Closing Text N" (N the level, as Heading N; the app's own
  Word export writes them) are the closing text of the clause one level up, certainly. Otherwise, a parent
  with opening text whose last sub-clause (without sub-clauses of its own) ends with a paragraph after its
  first that is not a list item: that paragraph is taken as the parent's closing text, and the preview says
  so, since it may as well be the sub-clause's last paragraph.

A number that does not follow its place (3.2 without 3.1) is a warning, not a refusal: the clause takes the
number its place gives when imported. Into a document that keeps its numbers (README "Numbering") numbers are
stored as written, so a derived or skipped number is no warning; only one the rules of kept numbers refuse is
(not its parent's number and one more part, or not after the number before it), and that clause takes a derived
number. A paragraph in the style "Removed Clause" (a removed clause's "4.1.2 (removed)" in the app's own Word
file of a version) is skipped. Text is read as if every tracked change were accepted.

Bad files are refused with `WordRefused` (a message for the user) before anything is parsed: not a zip, a zip
that is not a Word document, a password-protected file (an encrypted Office file is an OLE compound file, as an
old .doc is), a file over `settings.WORD_IMPORT_MAX_BYTES`, or one whose XML would unpack to more than
`MAX_UNPACKED_BYTES` (a zip bomb). python-docx parses with `resolve_entities=False`, so an external entity in
the XML is never fetched nor expanded; the parts read here (footnotes, numbering) go through the same parser.
"""
import re
import zipfile
from dataclasses import dataclass
from io import BytesIO

from django.conf import settings
from django.utils.translation import gettext as _
from docx import Document as open_docx
from docx.oxml.ns import qn
from docx.oxml.parser import parse_xml

from . import characters
from .languages import AZ
from .languages import field as field_in
from .markdown_format import ParsedClause, ParsedDocument, normalise_text
from .models.clauses import Numbering, number_key
from .structure import item_marker

CFB_SIGNATURE = bytes.fromhex("D0CF11E0A1B11AE1")  # OLE compound file: encrypted .docx, old .doc
ZIP_SIGNATURE = b"PK\x03\x04"
DEFAULT_MAX_BYTES = 5 * 1024 * 1024
# A real document.xml is a few times its compressed size; a zip bomb is thousands of times.
MAX_UNPACKED_BYTES = 50 * 1024 * 1024
# A part of a number is a number, or a derived one ("4.1.1-1", "4.1.1-1-1") as a document that keeps its
# numbers gives an inserted clause (drafting/models/clauses.py).
PART = r"\d+(?:-\d+)*"
NUMBERED = re.compile(rf"^({PART}(?:\.{PART})+)\.?(?:\s+|$)|^({PART})\.(?:\s+|$)")
# In a paragraph in a Heading style, a number of one part needs no dot either ("1 Security environment").
NUMBERED_HEADING = re.compile(rf"^({PART}(?:\.{PART})*)\.?(?:\s+|$)")
UNNUMBERED_PARTS = {"introduction", "giriş", "final provisions", "yekun müddəalar"}
HEADING_STYLE = re.compile(r"^heading\s*(\d)$", re.IGNORECASE)
ITEM, NOTE = "item", "note"  # kinds of paragraph that a clause's text holds as lines of one paragraph
CLOSING_STYLE = re.compile(r"^closing\s*text\s*(\d)$", re.IGNORECASE)
# "4.1.2 (removed)" in the app's Word file of a version of a document that keeps its numbers: not text.
REMOVED_STYLE = re.compile(r"^removed\s*clause$", re.IGNORECASE)
# A paragraph after a number reads as a heading when it is short and does not end as a sentence does.
HEADING_MAX_CHARS = 150
HEADING_MAX_STORED = 500  # Clause.heading's length
TITLE_MAX = 300  # Document.title's length


def max_bytes():
    return getattr(settings, "WORD_IMPORT_MAX_BYTES", DEFAULT_MAX_BYTES)


class WordRefused(ValueError):
    """A file that cannot be imported; the message says why, for the user."""


@dataclass
class WordWarning:
    """Something the reader had to guess, about one paragraph of the file (1-based, as a reader counts them)."""

    paragraph: int
    excerpt: str
    message: str
    clause: object = None  # the ParsedClause it is about, if any

    def __str__(self):
        return _("paragraph %(number)s (“%(excerpt)s”): %(message)s") % {
            "number": self.paragraph, "excerpt": self.excerpt, "message": self.message}


@dataclass
class OutlineItem:
    depth: int
    number: str
    heading: str
    body: str
    warnings: list
    closing: bool = False  # a parent's closing text (no number, no heading)


@dataclass
class WordImport:
    parsed: ParsedDocument
    warnings: list

    def warnings_for(self, clause):
        return [w for w in self.warnings if w.clause is clause]

    def outline(self):
        """What the preview shows, in reading order: each clause with its number, heading, text and warnings."""
        language = self.parsed.language
        return [OutlineItem(clause.depth, clause.number, clause.text("heading", language),
                            clause.text("body", language), self.warnings_for(clause), clause.closing)
                for clause in self.parsed.walk()]

    @property
    def general_warnings(self):
        return [w for w in self.warnings if w.clause is None]


def check_file(data):
    """Refuse what is not a .docx we can safely open; returns nothing, raises WordRefused."""
    limit = max_bytes()
    if not data:
        raise WordRefused(_("The file is empty."))
    if len(data) > limit:
        raise WordRefused(_("The file is larger than %(limit)s MB; split it or remove pictures.")
                          % {"limit": round(limit / (1024 * 1024), 1)})
    if data.startswith(CFB_SIGNATURE):
        raise WordRefused(_("The file is password-protected, or an old Word 97–2003 .doc file: remove the "
                            "password, or save it as .docx, and upload it again."))
    if not data.startswith(ZIP_SIGNATURE):
        raise WordRefused(_("This is not a Word file (.docx)."))
    try:
        with zipfile.ZipFile(BytesIO(data)) as archive:
            infos = {info.filename: info for info in archive.infolist()}
    except (zipfile.BadZipFile, ValueError, OSError):
        raise WordRefused(_("This is not a Word file (.docx): the file is damaged.")) from None
    if "word/document.xml" not in infos:
        raise WordRefused(_("This is a zip archive but not a Word document (.docx)."))
    if sum(info.file_size for info in infos.values() if info.filename.endswith(".xml")) > MAX_UNPACKED_BYTES:
        raise WordRefused(_("The file's text would unpack to more than %(limit)s MB; it is refused.")
                          % {"limit": MAX_UNPACKED_BYTES // (1024 * 1024)})


def _part_xml(document, partname):
    for part in document.part.package.iter_parts():
        if str(part.partname) == partname:
            return parse_xml(part.blob)
    return None


def _footnotes(document):
    root = _part_xml(document, "/word/footnotes.xml")
    notes = {}
    if root is None:
        return notes
    for note in root.iter(qn("w:footnote")):
        if note.get(qn("w:type")) in ("separator", "continuationSeparator", "continuationNotice"):
            continue
        notes[note.get(qn("w:id"))] = " ".join(
            t for t in (paragraph_text(p, {}) for p in note.iter(qn("w:p"))) if t).strip()
    return notes


def _list_formats(document):
    """{(numId, level): numFmt} from numbering.xml: "bullet", "lowerLetter", "decimal", ..."""
    root = _part_xml(document, "/word/numbering.xml")
    if root is None:
        return {}
    abstract = {}
    for item in root.iter(qn("w:abstractNum")):
        levels = {}
        for level in item.iter(qn("w:lvl")):
            fmt = level.find(qn("w:numFmt"))
            levels[level.get(qn("w:ilvl"))] = fmt.get(qn("w:val")) if fmt is not None else "decimal"
        abstract[item.get(qn("w:abstractNumId"))] = levels
    formats = {}
    for num in root.iter(qn("w:num")):
        ref = num.find(qn("w:abstractNumId"))
        for level, fmt in abstract.get(ref.get(qn("w:val")) if ref is not None else None, {}).items():
            formats[(num.get(qn("w:numId")), level)] = fmt
    return formats


def paragraph_text(p, footnotes_seen, start=0):
    """The paragraph's text with every tracked change accepted: inserted text kept, deleted text left out
    (it is in w:delText, never w:t), tabs and line breaks kept, a footnote reference as "[^n]" (the syntax of
    drafting/structure.py)."""
    parts = []
    for element in p.iter(qn("w:t"), qn("w:tab"), qn("w:br"), qn("w:cr"), qn("w:footnoteReference"),
                          qn("w:noBreakHyphen")):
        if _inside(element, (qn("w:del"), qn("w:moveFrom"))):
            continue
        if element.tag == qn("w:t"):
            parts.append(element.text or "")
        elif element.tag == qn("w:tab"):
            if not _inside(element, (qn("w:pPr"),)):  # a tab stop's definition, not a tab
                parts.append("\t")
        elif element.tag in (qn("w:br"), qn("w:cr")):
            parts.append("\n")
        elif element.tag == qn("w:noBreakHyphen"):
            parts.append("\u2011")
        else:
            number = str(start + len(footnotes_seen) + 1)
            footnotes_seen[number] = element.get(qn("w:id"))
            parts.append(f"[^{number}]")
    return "".join(parts)


def _inside(element, tags):
    parent = element.getparent()
    while parent is not None:
        if parent.tag in tags:
            return True
        parent = parent.getparent()
    return False


def style_name(paragraph):
    try:
        return (paragraph.style.name or "") if paragraph.style is not None else ""
    except (KeyError, ValueError, AttributeError):
        return ""


def _excerpt(text, length=60):
    text = " ".join(text.split())
    return text if len(text) <= length else text[:length - 1] + "…"


def _reads_as_heading(text):
    return len(text) <= HEADING_MAX_CHARS and not text.rstrip().endswith((".", ":", ";")) and "\n" not in text


def _place(siblings):
    return str(sum(1 for s in siblings if s.numbered) + 1)


def _under(parent_number, place):
    return f"{parent_number}.{place}" if parent_number else place


def read_docx(data, *, language=AZ, name="", title="", numbering=Numbering.RENUMBER):
    """A WordImport (ParsedDocument in `language` and its warnings) from the bytes of a .docx file, for a
    document under the policy `numbering` (a new one: renumber).
    Raises WordRefused for a file that is not one, or that holds nothing that looks like a clause."""
    check_file(data)
    try:
        document = open_docx(BytesIO(data))
    except Exception as error:  # noqa: BLE001
        # python-docx raises many kinds for a damaged package (KeyError, ValueError, lxml's XMLSyntaxError...);
        # none of them must reach the user as a traceback.
        raise WordRefused(_("This is not a Word document that can be read (%(reason)s).")
                          % {"reason": type(error).__name__}) from None
    footnotes = _footnotes(document)
    list_formats = _list_formats(document)
    warnings = []
    parsed = ParsedDocument(title="", language=language)
    heading_field, body_field = field_in("heading", language), field_in("body", language)
    description, stack = [], []  # stack: open clauses by depth
    bodies = {}  # id(clause) -> [(paragraph number, text, is list item)]
    notes = {}  # id(clause) -> its footnotes, the same way, written after its text
    numbered_as = {}  # id(clause) -> the number the import will give it
    keep = numbering == Numbering.KEEP
    kept_prefix = {}  # under "keep": id(clause) -> the number its sub-clauses go under
    list_counters = {}
    title_seen = False
    notes_so_far = 0  # footnotes are numbered through the document, as Word shows them

    def warn(number, text, message, clause=None):
        warnings.append(WordWarning(number, _excerpt(text), message, clause))

    paragraphs = [p for p in document.paragraphs]
    for number, paragraph in enumerate(paragraphs, start=1):
        seen_notes = {}
        raw = paragraph_text(paragraph._p, seen_notes, start=notes_so_far)
        notes_so_far += len(seen_notes)
        forbidden = characters.first_forbidden(raw, multiline=True)
        if forbidden is not None:
            warn(number, characters.searchable(raw), _("%(character)s replaced by “%(replacement)s”.") % {
                "character": characters.describe(forbidden), "replacement": characters.REPLACEMENT},
                stack[-1] if stack else None)
            raw = characters.exportable(raw)
        text = raw.replace("\t", " ").strip()
        if not text:
            continue
        style = style_name(paragraph)
        if REMOVED_STYLE.match(style):
            continue
        heading_level = HEADING_STYLE.match(style)
        closing_level = CLOSING_STYLE.match(style)
        if closing_level and stack:
            depth = min(max(int(closing_level.group(1)) - 1, 1), len(stack))
            parent = stack[depth - 1]
            if not (parent.children and parent.children[-1].closing):
                closing = ParsedClause(line=number, depth=depth, number="", numbered=False, closing=True)
                parent.children.append(closing)
                bodies[id(closing)] = []
            del stack[depth:]
            stack.append(parent.children[-1])
            heading_level = None
        if style == "Title" and not title_seen:
            parsed.title, title_seen = " ".join(text.split()), True
            continue
        match = (NUMBERED_HEADING if heading_level else NUMBERED).match(text)
        is_part = text.rstrip(".:").strip().casefold() in UNNUMBERED_PARTS
        if not closing_level and (match or heading_level or is_part):
            clause_number = next((group for group in match.groups() if group), "") if match else ""
            rest = text[match.end():].strip() if match else text
            if clause_number:
                depth = clause_number.count(".")
            elif heading_level:
                depth = max(int(heading_level.group(1)) - 1, 0)
            else:
                depth = 0
            if not title_seen and not stack and not match and not is_part:
                parsed.title, title_seen = " ".join(text.split()), True  # a first heading before any clause
                continue
            if depth > len(stack):
                warn(number, text, _("the number %(number)s is deeper than the clause before it allows; it is "
                                     "placed one level below it.") % {"number": clause_number or "—"})
                depth = len(stack)
            del stack[depth:]
            parent = stack[-1] if stack else None
            siblings = parent.children if parent is not None else parsed.clauses
            clause = ParsedClause(line=number, depth=depth, number=clause_number, numbered=bool(clause_number))
            heading, body = rest, ""
            if clause_number and not heading_level and not _reads_as_heading(rest):
                heading, body = "", rest
            if len(heading) > HEADING_MAX_STORED:
                warnings.append(WordWarning(number, _excerpt(text), _(
                    "a heading too long to be one (over %(limit)s characters): kept as the clause's text."
                ) % {"limit": HEADING_MAX_STORED}, clause))
                heading, body = "", " ".join(filter(None, (heading, body)))
            setattr(clause, heading_field, " ".join(heading.split()))
            if clause_number and keep:
                # Stored as written (drafting/models/clauses.py): only what the rules of kept numbers refuse is
                # said, and that clause takes a derived number when imported.
                prefix = kept_prefix.get(id(parent), "")
                previous = next((s.number for s in reversed(siblings) if s.numbered and s.number), None)
                if clause_number.rpartition(".")[0] != prefix or (
                        previous is not None and number_key(clause_number) <= number_key(previous)):
                    warnings.append(WordWarning(number, _excerpt(text), _(
                        "the number %(number)s does not fit its place in a document that keeps its numbers (it must "
                        "be its parent's number and one more part, after the number before it): it will take a "
                        "derived number."
                    ) % {"number": clause_number}, clause))
                    clause.number = ""
                kept_prefix[id(clause)] = clause.number or prefix
            elif clause_number:
                place = _place(siblings)
                # Checked against the parent's number as written, so that one wrong number is one warning; the
                # number it will get follows from the parent's place, as the import renumbers the whole tree.
                numbered_as[id(clause)] = _under(numbered_as.get(id(parent), ""), place)
                if clause_number != _under(parent.number if parent is not None else "", place):
                    warnings.append(WordWarning(number, _excerpt(text), _(
                        "the number %(number)s does not follow its place: it will be numbered %(expected)s."
                    ) % {"number": clause_number, "expected": numbered_as[id(clause)]}, clause))
            if not clause_number:
                kept_prefix[id(clause)] = kept_prefix.get(id(parent), "")
            siblings.append(clause)
            stack.append(clause)
            bodies[id(clause)] = [(number, body, None)] if body else []
            title_seen = True
            _add_footnotes(seen_notes, footnotes, notes, number, clause)
            continue
        if not title_seen:
            parsed.title, title_seen = " ".join(text.split()), True
            continue
        label = _list_label(paragraph, list_formats, list_counters)
        line = f"{label} {text}" if label else text
        kind = ITEM if item_marker(line) is not None else None
        if not stack:
            description.append(line)
            continue
        clause = stack[-1]
        bodies[id(clause)].append((number, line, kind))
        _add_footnotes(seen_notes, footnotes, notes, number, clause)

    if not parsed.clauses:
        raise WordRefused(_("Nothing in this file looks like a clause: no heading styles, no numbered paragraphs "
                            "(“1.”, “4.1.1”), no Introduction or Final provisions."))
    parsed.title = parsed.title or name.rsplit(".", 1)[0] or title
    if len(parsed.title) > TITLE_MAX:
        warnings.append(WordWarning(1, _excerpt(parsed.title), _(
            "a title too long to be one (over %(limit)s characters): shortened; the whole of it opens the "
            "description.") % {"limit": TITLE_MAX}))
        description.insert(0, parsed.title)
        parsed.title = parsed.title[:TITLE_MAX - 1].rstrip() + "…"
    parsed.description = normalise_text("\n\n".join(description))
    _closing_texts(parsed, bodies, notes, warnings)
    for clause in parsed.walk():
        paragraphs_of = bodies.get(id(clause), [])
        setattr(clause, body_field, _joined(paragraphs_of + notes.get(id(clause), [])))
        if not clause.children and not paragraphs_of:
            warnings.append(WordWarning(clause.line, _excerpt(" ".join(filter(None, (clause.number, getattr(
                clause, heading_field))))), _("an empty clause: it has neither text nor sub-clauses."), clause))
    warnings.sort(key=lambda w: w.paragraph)
    return WordImport(parsed, warnings)


def _joined(paragraphs):
    """A clause's text from its paragraphs [(paragraph number, text, kind)]: consecutive list items, and
    consecutive notes, are lines of one paragraph (drafting/structure.py); other paragraphs are paragraphs."""
    text, previous = "", None
    for _number, line, kind in paragraphs:
        if text:
            text += "\n" if kind and kind == previous else "\n\n"
        text, previous = text + line, kind
    return normalise_text(text)


def _add_footnotes(seen_notes, footnotes, notes, number, clause):
    for label, note_id in seen_notes.items():
        notes.setdefault(id(clause), []).append((number, f"[^{label}]: {footnotes.get(note_id, '')}".strip(), NOTE))


def _list_label(paragraph, formats, counters):
    """"a)", "–" or "1)" for a paragraph in a Word list (its label is not in its text), else ""."""
    properties = paragraph._p.pPr
    num_pr = properties.find(qn("w:numPr")) if properties is not None else None
    if num_pr is None:
        return ""
    num_id = num_pr.find(qn("w:numId"))
    level = num_pr.find(qn("w:ilvl"))
    key = (num_id.get(qn("w:val")) if num_id is not None else "0", level.get(qn("w:val")) if level is not None else "0")
    if key[0] == "0":  # numId 0 switches numbering off
        return ""
    fmt = formats.get(key, "bullet")
    counters[key] = counters.get(key, 0) + 1
    place = counters[key]
    if fmt == "bullet":
        return "–"
    if fmt == "lowerLetter":
        return f"{chr(ord('a') + (place - 1) % 26)})"
    if fmt == "upperLetter":
        return f"{chr(ord('A') + (place - 1) % 26)})"
    return f"{place})"


def _closing_texts(parsed, bodies, notes, warnings):
    """A parent with opening text whose last sub-clause (without sub-clauses of its own) has more than one
    paragraph, the last not a list item: that paragraph is taken as the parent's closing text, with the notes it
    cites, and the preview says so (it may be the sub-clause's last paragraph). Parents given a closing text by
    its style already have one."""
    for parent in list(parsed.walk()):
        if not parent.children or not bodies.get(id(parent)) or parent.children[-1].closing:
            continue
        last = parent.children[-1]
        paragraphs_of = bodies.get(id(last), [])
        if len(paragraphs_of) < 2 or paragraphs_of[-1][2] or last.children:
            continue
        moved = paragraphs_of.pop()
        closing = ParsedClause(line=moved[0], depth=last.depth, number="", numbered=False, closing=True)
        parent.children.append(closing)
        bodies[id(closing)] = [moved]
        cited = [note for note in notes.get(id(last), []) if note[0] == moved[0]]
        if cited:
            notes[id(last)] = [note for note in notes[id(last)] if note[0] != moved[0]]
            notes[id(closing)] = cited
        warnings.append(WordWarning(moved[0], _excerpt(moved[1]), _(
            "read as the closing text of %(parent)s, after its sub-clauses; it may be the last paragraph of "
            "%(clause)s instead."
        ) % {"clause": last.number or _("the last sub-clause"), "parent": parent.number or _("its parent")},
            closing))
