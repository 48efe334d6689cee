r"""The documents' Markdown format: read into plain data, and written back byte for byte.

    # Title                      (once, first)
    adopted: 2007                (optional metadata lines: "short title:", "adopted:", "language:", "translation:",
                                  "numbering:")
    Description paragraphs       (optional, before the first clause)
    ## Introduction              (a clause; the number of #'s gives its depth: ## is the top level)
    az: Giriş                    (optional heading in the other language, right under the heading)
    ### 3.1. Heading             (a number, if any, opens the heading and must match the clause's place)
    Body paragraphs ...          (up to the next heading, or up to the other language's text)
    az: Mətnin birinci abzası    (optional text in the other language: every line behind "az: ",
    az:                           a blank line as "az:" alone, after the body, up to the next heading)
    az: İkinci abzas.
    ### ~                        (a parent's closing text, after its sub-clauses: "~" alone on a heading line
    Closing paragraphs ...        at the depth of the sub-clauses; no number, no heading; "az:" text as any)

Closing text. A parent's text before its sub-clauses is its body; its text after them is its *closing text*, an
unnumbered part of its own (drafting/models/clauses.py, `Clause.Role`) written under a heading line holding "~"
alone, at the depth of the sub-clauses, after the last of them. A parent has at most one; it has no sub-clauses
and no heading, and a top-level clause cannot be one (a document has no parent). An unnumbered clause whose
heading is "~" is written "\~" (see Escapes). A file without a "~" line reads exactly as before.

Lists and footnotes are text: a clause's body holds them in the syntax of drafting/structure.py, verbatim
("a) ", "ç) ", "1) ", "– ", "- " opening a line of its own; "[^1]" in the text and "[^1]: ..." opening its
note, in the last paragraph(s)). None of it reads as structure here, so it needs no escape and round-trips byte
for byte; `normalise_text` keeps every marker as it is.

Languages. A file is written in one language, its *main* language: the document title, the description, each
heading line and the body paragraphs are in it. It is English unless a metadata line says otherwise:

    language: az                 the main language (az or en; English when not given)
    translation: en              the document's translation language, declared (optional)

The *other* language (Azerbaijani in an English file, English in an Azerbaijani one) is written behind its code:
a clause's heading in it on the line right under the heading ("az: Giriş"), its text after the body, each line
of it behind "az: " (a blank line between paragraphs as "az:" alone). A file holding the authoritative text and
its translation is written with the authoritative language as its main language. A file in one language alone
is valid as it is: files written before the Azerbaijani text existed (English, with "az:" headings and nothing
more) read exactly as they did. A "language:" or "translation:" line counts as metadata only with a language
code after it ("language: Azerbaijani" stays the first line of a description, as before). Written back,
"language:" appears when the main language is not English, "translation:" when the document declares one.

Numbering. A document that keeps its numbers (an amending act, README "Numbering") says so in a metadata line,
and only then may its numbers be derived ones, such as an inserted clause's "4.1.1-1":

    numbering: keep              numbers are fixed: "### 4.1.1-1. Heading" is valid, and 4.1.2 may be missing
                                 (removed); each number must be its parent's number and one more part, unique
                                 and in order among its siblings (4.1.1 < 4.1.1-1 < 4.1.1-2 < 4.1.2)
    numbering: renumber          (or no line) each number must be the one the clause's place gives it

Written back, "numbering: keep" appears for a document that keeps its numbers, and each removed clause that
keeps its number is written at its place as a comment, so a reader sees why a number is missing:

    <!-- 4.1.2 removed -->

Like every comment it is ignored when the file is read (the gap is what the file says; importing it into the
document it came from leaves the removed clause as it is, into a new document creates nothing for it), so a
file without removed clauses reads and writes exactly as before. "numbering:" counts as metadata
only with one of these two words after it.

A file *carries* its main language, and the other language when it declares it as the translation or holds any
line in it; importing a file writes the text of the languages it carries and leaves the others as they are.

HTML comments (<!-- ... -->) are ignored, so a file can carry its provenance. Written back, a document comes
out in canonical form: one blank line between blocks, a newline at the end. A UTF-8 byte order mark at the
start of a file is ignored.

Escapes. A line of text that would otherwise read as structure is written with a backslash in front, and the
reader drops that one backslash:

    \# Not a heading             a body or description line starting with "#"
    \az: not a heading           ... starting with the other language's code and ":" ("az:" in an English file)
    \<!-- not a comment          ... whose first non-blank characters are "<!--"
    \adopted: 2007               the description's first line, when it would read as a metadata line
    ## \2007. An unnumbered part  an unnumbered clause's heading that would read as a number
    ### \~                        an unnumbered clause's heading that would read as a closing text

A line that is such a line behind one or more backslashes gets one more ("\#" in a text is written "\\#"),
so the escape itself round-trips; every other backslash is plain text. A file without such lines is read and
written exactly as before the escape existed. The other language's text needs no escape: everything after
"az: " is text.

What a text (a clause's body, a document's description) can hold: paragraphs of lines, separated by one blank
line, each line without trailing whitespace, no blank lines before the first or after the last, and "\n" as
the line break. Anything else (NUL aside) round-trips exactly. `normalise_text` puts any text in that shape
without dropping a visible character (only whitespace at line ends, extra blank lines and "\r" change); the
amendment forms apply it as text is typed in, and the reader applies it to every file. Headings are one line
without surrounding whitespace; an unnumbered clause needs a heading (in the main language, or in the other).
"""
import re
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from .languages import AZ, EN
from .languages import field as field_in
from .models.clauses import Clause, Numbering, in_reading_order, number_key

HEADING = re.compile(r"^(#{2,6})(?:[ \t]+(.*))?$")
NUMBER = re.compile(r"^(\d+(?:\.\d+)*)\.(?:[ \t]+|$)")
# Under "numbering: keep": a part may be derived ("4.1.1-1", "4.1.1-1-1").
KEPT_NUMBER = re.compile(r"^(\d+(?:-\d+)*(?:\.\d+(?:-\d+)*)*)\.(?:[ \t]+|$)")
METADATA = {"adopted": "adopted", "short title": "short_title", "language": "language", "translation": "translation",
            "numbering": "numbering"}
NUMBERING_VALUES = (Numbering.KEEP, Numbering.RENUMBER)
# Metadata only with a language code after them: a description may have started "Language: ..." before these
# lines existed, and must read as it did.
LANGUAGE_KEYS = {"language", "translation"}
LANGUAGE_CODES = (AZ, EN)
MAX_BYTES = 5 * 1024 * 1024
# Line breaks as Markdown knows them; str.splitlines() would also break at form feeds, U+2028 and the like,
# which a text may hold.
LINE_BREAK = re.compile(r"\r\n|\r|\n")
BOM = "\ufeff"
ESCAPE = "\\"
CLOSING = "~"  # the heading line of a parent's closing text
REMOVED_NOTE = "removed"  # "<!-- 4.1.2 removed -->": a removed clause that keeps its number (see Numbering)


def other_language(language):
    """The language written behind its code ("az: ...") in a file whose main language is `language`."""
    return AZ if language == EN else EN


class FormatError(ValueError):
    def __init__(self, line, message):
        self.line = line
        self.message = message
        super().__init__(f"line {line}: {message}" if line else message)


@dataclass
class ParsedClause:
    """One clause as read from a file; its text in the model's own fields (English in `heading`/`body`,
    Azerbaijani in `heading_az`/`body_az`, drafting/languages.py), whatever the file's main language."""

    line: int
    depth: int
    number: str
    numbered: bool
    heading: str = ""
    heading_az: str = ""
    body: str = ""
    body_az: str = ""
    children: list = field(default_factory=list)
    closing: bool = False  # a parent's closing text (see the module's docstring)

    def text(self, name, language):
        """`name` ("heading", "body") in `language`."""
        return getattr(self, field_in(name, language))


@dataclass
class ParsedDocument:
    title: str
    short_title: str = ""
    adopted: str = ""
    description: str = ""
    language: str = EN  # the file's main language: its title, description, heading lines and bodies
    translation: str = ""  # the translation language the file declares ("translation: en"), if any
    carries_other: bool = False  # whether the file holds any line in the other language
    numbering: str = ""  # "keep" or "renumber" when the file declares it ("numbering: keep"), else ""
    clauses: list = field(default_factory=list)  # top-level ParsedClause, each with its children

    @property
    def languages(self):
        """The languages whose text the file gives, its main language first: importing it writes these."""
        other = other_language(self.language)
        return [self.language] + ([other] if self.carries_other or self.translation == other else [])

    def walk(self):
        def visit(items):
            for item in items:
                yield item
                yield from visit(item.children)

        return visit(self.clauses)


def _metadata(line):
    """(attribute, value) if this line is a metadata line, else None."""
    key, sep, value = line.partition(":")
    key, value = key.strip().lower(), value.strip()
    if not sep or key not in METADATA:
        return None
    if key in LANGUAGE_KEYS:
        if value.lower() not in LANGUAGE_CODES:
            return None
        value = value.lower()
    if key == "numbering":
        if value.lower() not in NUMBERING_VALUES:
            return None
        value = value.lower()
    return METADATA[key], value


def _is_metadata(line):
    return _metadata(line) is not None


def _marker(language):
    return f"{other_language(language)}:"


def _reads_as_structure(line, *, first_of_description=False, language=EN):
    """Would this line of a text be read as something other than text, where the writer puts it?"""
    if line.startswith(("#", _marker(language))) or line.lstrip().startswith("<!--"):
        return True
    return first_of_description and _is_metadata(line)


def _escape(line, **where):
    return ESCAPE + line if _reads_as_structure(line.lstrip(ESCAPE), **where) else line


def _unescape(line, **where):
    if line.startswith(ESCAPE) and _reads_as_structure(line.lstrip(ESCAPE), **where):
        return line[1:]
    return line


def _escape_text(text, *, description=False, language=EN):
    """A text as written in a file: split where the reader will split it, each line escaped where needed."""
    lines, started = [], False
    for line in LINE_BREAK.split(text):
        lines.append(_escape(line, first_of_description=description and not started, language=language))
        started = started or bool(line.strip())
    return "\n".join(lines)


def _other_text(text, language):
    """A text in the other language: every line behind its code, a blank line as the code alone."""
    marker = _marker(language)
    return "\n".join(f"{marker} {line}" if line else marker for line in text.split("\n"))


def _number_pattern(numbering):
    return KEPT_NUMBER if numbering == Numbering.KEEP else NUMBER


def _heading_reads_as_number(heading, numbering=""):
    """Would an unnumbered clause's heading read as something else (a number, a closing text's mark)?"""
    return bool(_number_pattern(numbering).match(heading.lstrip(ESCAPE))) or heading.lstrip(ESCAPE) == CLOSING


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
    started, translation_at = False, 0  # metadata lines come before the description's first words
    for number, line in preamble:
        if started or not _is_metadata(line):
            started = started or bool(line.strip())
            continue
        name, value = _metadata(line)
        setattr(doc, name, value)
        translation_at = number if name == "translation" else translation_at
    if doc.translation and doc.translation == doc.language:
        raise FormatError(translation_at, _(
            '"translation: %(code)s" names the file\'s own language; the main language is given by "language:" '
            "(English if not given)") % {"code": doc.translation})
    language, other = doc.language, other_language(doc.language)
    marker = _marker(language)
    description, started = [], False
    for _number, line in preamble:
        if not started and _is_metadata(line):
            continue
        description.append(_unescape(line, first_of_description=not started, language=language))
        started = started or bool(line.strip())
    doc.description = _paragraphs(description)

    stack = []  # open clauses by depth
    current = None
    body_lines, other_lines, other_at = [], [], 0

    def close_current():
        if current is not None:
            setattr(current, field_in("body", language), _paragraphs(body_lines))
            setattr(current, field_in("body", other), _paragraphs(other_lines))

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
            body_lines, other_lines, other_at = [], [], 0
            depth = len(match.group(1)) - 2
            if depth > len(stack):
                raise FormatError(
                    number, f"heading level {depth + 2} skips a level: expected at most {len(stack) + 2} #'s"
                )
            del stack[depth:]
            rest = (match.group(2) or "").strip()
            numbered = _number_pattern(doc.numbering).match(rest)
            closing = rest == CLOSING
            parent = stack[-1] if stack else None
            if parent is not None and parent.closing:
                raise FormatError(number, _("a closing text (%(mark)s) has no sub-clauses") % {"mark": CLOSING})
            if parent is not None and parent.children and parent.children[-1].closing:
                raise FormatError(number, _("a clause after its parent's closing text (%(mark)s): the closing "
                                            "text comes after every sub-clause, once") % {"mark": CLOSING})
            if closing and parent is None:
                raise FormatError(number, _("a closing text (%(mark)s) needs a parent: write it one level below "
                                            "the clause it closes") % {"mark": CLOSING})
            if closing:
                heading = ""
            elif numbered:
                heading = rest[numbered.end():].strip()
            else:
                heading = rest[1:] if rest.startswith(ESCAPE) and _heading_reads_as_number(rest, doc.numbering) else rest
            clause = ParsedClause(line=number, depth=depth, number=numbered.group(1) if numbered else "",
                                  numbered=bool(numbered), closing=closing)
            setattr(clause, field_in("heading", language), heading)
            siblings = stack[-1].children if stack else doc.clauses
            siblings.append(clause)
            stack.append(clause)
            current = clause
            if not closing and index < len(lines) and lines[index][1].startswith(marker):
                setattr(clause, field_in("heading", other), lines[index][1][len(marker):].strip())
                doc.carries_other = True
                index += 1
                if index < len(lines) and lines[index][1].startswith(marker):
                    raise FormatError(lines[index][0], _(
                        'a second "%(marker)s" line right under the heading: leave a blank line before the text '
                        "in it") % {"marker": marker})
            if not clause.numbered and not closing and not heading and not clause.text("heading", other):
                raise FormatError(number, "a clause needs a number, a heading or both")
        elif current is not None and (other_at or line.startswith(marker)):
            if not line.strip():
                other_lines.append("")
                continue
            if not line.startswith(marker):
                raise FormatError(number, _(
                    'after the text behind "%(marker)s" (from line %(line)s), every line up to the next heading '
                    'starts with "%(marker)s"') % {"marker": marker, "line": other_at})
            rest = line[len(marker):]
            if rest and not rest.startswith(" "):
                raise FormatError(number, _('write "%(marker)s" then a space before the text') % {"marker": marker})
            other_at = other_at or number
            other_lines.append(rest[1:] if rest else "")
            doc.carries_other = True
        else:
            body_lines.append(_unescape(line, language=language))
    close_current()
    _check_numbers(doc)
    return doc


def _check_numbers(doc):
    """Numbers in the file must be the ones the clauses' places give them: numbering is derived. Under
    "numbering: keep" they are fixed instead: each under its parent's number, unique and in order."""
    if doc.numbering == Numbering.KEEP:
        _check_kept_numbers(doc.clauses, "")
        return

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


def _check_kept_numbers(items, prefix):
    previous = None
    for item in items:
        if item.numbered:
            head, _dot, _last = item.number.rpartition(".")
            if head != prefix:
                expected = f'"{prefix}." and one more part' if prefix else "one part"
                raise FormatError(item.line, f'clause number "{item.number}." is not under its parent: expected {expected}')
            if previous is not None and number_key(item.number) <= number_key(previous):
                raise FormatError(item.line, f'clause number "{item.number}." does not come after "{previous}."')
            previous = item.number
        _check_kept_numbers(item.children, item.number if item.numbered else prefix)


def render(document, clauses, *, include_removed=False, languages=None):
    """Write a document (or a history row of one) and its clauses back in the canonical format. Removed clauses
in `clauses` are left out (with `include_removed`, written as any clause), but under "keep numbers" the topmost
of a removed part is written as "<!-- 4.1.2 removed -->" at its place.

    `languages`: the text languages to write, the main one first; by default the document's authoritative
    language, with every line of the other one it holds (a file of both)."""
    authoritative = getattr(document, "authoritative_language", EN) or EN
    translation = getattr(document, "translation_language", "")
    language = languages[0] if languages else authoritative
    other = other_language(language)
    with_other = languages is None or other in languages
    blocks = [f"# {document.title}"]
    meta = []
    if document.short_title:
        meta.append(f"short title: {document.short_title}")
    if document.adopted:
        meta.append(f"adopted: {document.adopted}")
    if language != EN:
        meta.append(f"language: {language}")
    if translation and translation != language and with_other:
        meta.append(f"translation: {translation}")
    numbering = getattr(document, "numbering", Numbering.RENUMBER)
    if numbering == Numbering.KEEP:
        meta.append(f"numbering: {numbering}")
    if meta:
        blocks.append("\n".join(meta))
    if document.description:
        blocks.append(_escape_text(document.description, description=True, language=language))
    for entry in in_reading_order(clauses, numbering):
        clause = entry.clause
        if entry.kept_removed and not include_removed:
            blocks.append(f"<!-- {entry.number} {REMOVED_NOTE} -->")  # a comment: no reader takes it as a clause
            continue
        if clause.status == "removed" and not include_removed:
            continue
        head = "#" * (entry.depth + 2)
        body = getattr(clause, field_in("body", language))
        other_body = getattr(clause, field_in("body", other)) if with_other else ""
        heading = getattr(clause, field_in("heading", language))
        other_heading = getattr(clause, field_in("heading", other)) if with_other else ""
        if getattr(clause, "role", "") == Clause.Role.CLOSING:  # plain rows (SimpleNamespace) may have no role
            title, other_heading = CLOSING, ""
        else:
            if not entry.number and _heading_reads_as_number(heading, numbering):
                heading = ESCAPE + heading
            title = " ".join(part for part in (f"{entry.number}." if entry.number else "", heading) if part)
        block = f"{head} {title}" if title else head
        if other_heading:
            block += f"\n{_marker(language)} {other_heading}"
        if body:
            block += f"\n\n{_escape_text(body, language=language)}"
        if other_body:
            block += f"\n\n{_other_text(other_body, language)}"
        blocks.append(block)
    return "\n\n".join(blocks) + "\n"
