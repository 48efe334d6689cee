r"""The documents' Markdown format: read into plain data, and written back byte for byte.

    # Title                      (once, first)
    adopted: 2007                (optional metadata lines: "short title:", "adopted:")
    Description paragraphs       (optional, before the first clause)
    ## Introduction              (a clause; the number of #'s gives its depth: ## is the top level)
    az: Giriş                    (optional Azerbaijani heading, right under the heading)
    ### 3.1. Heading             (a number, if any, opens the heading and must match the clause's place)
    Body paragraphs ...          (up to the next heading)

HTML comments (<!-- ... -->) are ignored, so a file can carry its provenance. Written back, a document comes
out in canonical form: one blank line between blocks, a newline at the end. A UTF-8 byte order mark at the
start of a file is ignored.

Escapes. A line of text that would otherwise read as structure is written with a backslash in front, and the
reader drops that one backslash:

    \# Not a heading             a body or description line starting with "#"
    \az: not a heading           ... starting with "az:"
    \<!-- not a comment          ... whose first non-blank characters are "<!--"
    \adopted: 2007               the description's first line, when it would read as a metadata line
    ## \2007. An unnumbered part  an unnumbered clause's heading that would read as a number

A line that is such a line behind one or more backslashes gets one more ("\#" in a text is written "\\#"),
so the escape itself round-trips; every other backslash is plain text. A file without such lines is read and
written exactly as before the escape existed.

What a text (a clause's body, a document's description) can hold: paragraphs of lines, separated by one blank
line, each line without trailing whitespace, no blank lines before the first or after the last, and "\n" as
the line break. Anything else (NUL aside) round-trips exactly. `normalise_text` puts any text in that shape
without dropping a visible character (only whitespace at line ends, extra blank lines and "\r" change); the
amendment forms apply it as text is typed in, and the reader applies it to every file. Headings are one line
without surrounding whitespace; an unnumbered clause needs a heading.
"""
import re
from dataclasses import dataclass, field

from .models.clauses import in_reading_order

HEADING = re.compile(r"^(#{2,6})(?:[ \t]+(.*))?$")
NUMBER = re.compile(r"^(\d+(?:\.\d+)*)\.(?:[ \t]+|$)")
METADATA = {"adopted": "adopted", "short title": "short_title"}
MAX_BYTES = 5 * 1024 * 1024
# Line breaks as Markdown knows them; str.splitlines() would also break at form feeds, U+2028 and the like,
# which a text may hold.
LINE_BREAK = re.compile(r"\r\n|\r|\n")
BOM = "\ufeff"
ESCAPE = "\\"


class FormatError(ValueError):
    def __init__(self, line, message):
        self.line = line
        self.message = message
        super().__init__(f"line {line}: {message}" if line else message)


@dataclass
class ParsedClause:
    line: int
    depth: int
    number: str
    numbered: bool
    heading: str
    heading_az: str = ""
    body: str = ""
    children: list = field(default_factory=list)


@dataclass
class ParsedDocument:
    title: str
    short_title: str = ""
    adopted: str = ""
    description: str = ""
    clauses: list = field(default_factory=list)  # top-level ParsedClause, each with its children

    def walk(self):
        def visit(items):
            for item in items:
                yield item
                yield from visit(item.children)

        return visit(self.clauses)


def _is_metadata(line):
    key, sep, _ = line.partition(":")
    return bool(sep) and key.strip().lower() in METADATA


def _reads_as_structure(line, *, first_of_description=False):
    """Would this line of a text be read as something other than text, where the writer puts it?"""
    if line.startswith(("#", "az:")) or line.lstrip().startswith("<!--"):
        return True
    return first_of_description and _is_metadata(line)


def _escape(line, **where):
    return ESCAPE + line if _reads_as_structure(line.lstrip(ESCAPE), **where) else line


def _unescape(line, **where):
    if line.startswith(ESCAPE) and _reads_as_structure(line.lstrip(ESCAPE), **where):
        return line[1:]
    return line


def _escape_text(text, *, description=False):
    """A text as written in a file: split where the reader will split it, each line escaped where needed."""
    lines, started = [], False
    for line in LINE_BREAK.split(text):
        lines.append(_escape(line, first_of_description=description and not started))
        started = started or bool(line.strip())
    return "\n".join(lines)


def _heading_reads_as_number(heading):
    return bool(NUMBER.match(heading.lstrip(ESCAPE)))


def normalise_text(text):
    """A text in the shape the format holds (see the module's docstring); never drops a visible character."""
    return _paragraphs(LINE_BREAK.split(text))


def _strip_comments(lines):
    """Drop <!-- ... --> blocks (whole lines only), keeping the original line numbers."""
    kept, inside, opened_at = [], False, 0
    for number, line in enumerate(lines, start=1):
        stripped = line.strip()
        if not inside and stripped.startswith("<!--"):
            inside, opened_at = True, number
        if inside:
            if stripped.endswith("-->"):
                inside = False
            continue
        kept.append((number, line))
    if inside:
        raise FormatError(opened_at, "comment opened with <!-- is never closed with -->")
    return kept


def _paragraphs(lines):
    """Join lines into paragraphs separated by one blank line, as the body is stored."""
    paragraphs, current = [], []
    for line in lines:
        if line.strip():
            current.append(line.rstrip())
        elif current:
            paragraphs.append("\n".join(current))
            current = []
    if current:
        paragraphs.append("\n".join(current))
    return "\n\n".join(paragraphs)


def parse(text):
    if len(text.encode("utf-8")) > MAX_BYTES:
        raise FormatError(0, f"file is larger than {MAX_BYTES // (1024 * 1024)} MB")
    if "\x00" in text:
        raise FormatError(0, "file contains NUL bytes; is it a text file?")
    if text.startswith(BOM):  # editors on Windows write one; it is not part of the title
        text = text[len(BOM):]
    lines = _strip_comments(LINE_BREAK.split(text))
    while lines and not lines[0][1].strip():
        lines.pop(0)
    if not lines or not lines[0][1].startswith("# "):
        at = lines[0][0] if lines else 1
        raise FormatError(at, 'expected the document title as "# Title" first')
    title = lines[0][1][2:].strip()
    if not title:
        raise FormatError(lines[0][0], "the document title is empty")
    doc = ParsedDocument(title=title)

    preamble, index = [], 1
    while index < len(lines) and not lines[index][1].startswith("#"):
        preamble.append(lines[index])
        index += 1
    description, started = [], False  # metadata lines come before the description's first words
    for _, line in preamble:
        if not started and _is_metadata(line):
            key, _, value = line.partition(":")
            setattr(doc, METADATA[key.strip().lower()], value.strip())
        else:
            description.append(_unescape(line, first_of_description=not started))
            started = started or bool(line.strip())
    doc.description = _paragraphs(description)

    stack = []  # open clauses by depth
    current = None
    body_lines = []

    def close_current():
        if current is not None:
            current.body = _paragraphs(body_lines)

    while index < len(lines):
        number, line = lines[index]
        index += 1
        if line.startswith("#"):
            match = HEADING.match(line)
            if not match:
                if line.startswith("# "):
                    raise FormatError(number, "a second document title; clauses start with ## or deeper")
                raise FormatError(number, 'a heading needs "## " (two to six #, then a space)')
            close_current()
            body_lines = []
            depth = len(match.group(1)) - 2
            if depth > len(stack):
                raise FormatError(
                    number, f"heading level {depth + 2} skips a level: expected at most {len(stack) + 2} #'s"
                )
            del stack[depth:]
            rest = (match.group(2) or "").strip()
            numbered = NUMBER.match(rest)
            if numbered:
                heading = rest[numbered.end():].strip()
            else:
                heading = rest[1:] if rest.startswith(ESCAPE) and _heading_reads_as_number(rest) else rest
            clause = ParsedClause(
                line=number,
                depth=depth,
                number=numbered.group(1) if numbered else "",
                numbered=bool(numbered),
                heading=heading,
            )
            if not clause.numbered and not clause.heading:
                raise FormatError(number, "a clause needs a number, a heading or both")
            siblings = stack[-1].children if stack else doc.clauses
            siblings.append(clause)
            stack.append(clause)
            current = clause
            if index < len(lines) and lines[index][1].startswith("az:"):
                clause.heading_az = lines[index][1][3:].strip()
                index += 1
        elif line.startswith("az:") and current is not None:
            raise FormatError(number, 'the "az:" line must come right under its heading, once')
        else:
            body_lines.append(_unescape(line))
    close_current()
    _check_numbers(doc)
    return doc


def _check_numbers(doc):
    """Numbers in the file must be the ones the clauses' places give them: numbering is derived."""
    def check(items, prefix):
        counter = 0
        for item in items:
            expected = ""
            if item.numbered:
                counter += 1
                expected = f"{prefix}.{counter}" if prefix else str(counter)
                if item.number != expected:
                    raise FormatError(
                        item.line, f'clause number "{item.number}." does not follow its place: expected "{expected}."'
                    )
            check(item.children, expected or prefix)

    check(doc.clauses, "")


def render(document, clauses, *, include_removed=False):
    """Write a document (or a history row of one) and its clauses back in the canonical format."""
    blocks = [f"# {document.title}"]
    meta = []
    if document.short_title:
        meta.append(f"short title: {document.short_title}")
    if document.adopted:
        meta.append(f"adopted: {document.adopted}")
    if meta:
        blocks.append("\n".join(meta))
    if document.description:
        blocks.append(_escape_text(document.description, description=True))
    for entry in in_reading_order(clauses):
        clause = entry.clause
        if clause.status == "removed" and not include_removed:
            continue
        head = "#" * (entry.depth + 2)
        heading = clause.heading
        if not entry.number and _heading_reads_as_number(heading):
            heading = ESCAPE + heading
        title = " ".join(part for part in (f"{entry.number}." if entry.number else "", heading) if part)
        block = f"{head} {title}"
        if clause.heading_az:
            block += f"\naz: {clause.heading_az}"
        if clause.body:
            block += f"\n\n{_escape_text(clause.body)}"
        blocks.append(block)
    return "\n\n".join(blocks) + "\n"
