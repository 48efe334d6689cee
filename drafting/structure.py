"""What official texts hold inside a clause's text: paragraphs, list items and footnotes (issue 14, point 2).

They are kept inside the text itself, in a small syntax, so that history, amendments, rebase, redlines, search
and translation status treat them as text and need nothing new:

    Paragraphs are separated by one blank line, as before.
    a) A lettered list item       a line of its own opening with a letter (Azerbaijani letters too: "ç) ",
    b) ...                        "ş) ", capitals "A) ") and ")" then a space
    1) A numbered list item       ... with a number and ")"
    – A dashed list item          ... with "–", "—", "•" or "-" then a space
    Text with a note[^1].         a footnote reference: "[^" a label (letters, digits, "-") "]"
    [^1]: The note's text.        its definition: a line opening with the reference and ":", normally in the
                                  last paragraph(s) of the text; the lines after it, up to a blank line or the
                                  next definition, are part of the note

Consecutive items of one kind make one list, across blank lines; a line that is not an item ends it. An item's
marker is kept as written and shown as written (Azerbaijani lettering runs a, b, c, ç, d, ..., which a browser's
own lettering would get wrong). Nothing here ever refuses a text: a marker alone ("a)") is an empty item, a
reference without a definition stays the text it is, a definition without a reference is still listed as a note.

`parse(text)` returns plain data that the `body_html` filter (drafting/templatetags/reading.py) writes as HTML,
escaping every piece.
"""
import re
from dataclasses import dataclass, field

LETTERS = "a-zA-ZəƏçÇğĞıIİöÖşŞüÜ"
LETTERED = re.compile(rf"^([{LETTERS}])\)(?:[ \t]+|$)")
NUMBERED = re.compile(r"^(\d{1,3})\)(?:[ \t]+|$)")
DASHED = re.compile(r"^([–—•-])(?:[ \t]+|$)")
REFERENCE = re.compile(r"\[\^([\w-]{1,20})\]")
DEFINITION = re.compile(r"^\[\^([\w-]{1,20})\]:(?:[ \t]+|$)")

LETTERED_LIST, NUMBERED_LIST, DASHED_LIST = "lettered", "numbered", "dashed"


def item_marker(line):
    """(kind, marker, rest) for a list item's line, else None."""
    for kind, pattern in ((LETTERED_LIST, LETTERED), (NUMBERED_LIST, NUMBERED), (DASHED_LIST, DASHED)):
        match = pattern.match(line)
        if match:
            return kind, line[:match.end()].rstrip(), line[match.end():]
    return None


def is_definition(line):
    return DEFINITION.match(line) is not None


def is_structured(text):
    """Whether a text holds a list item or a footnote definition (a redline then compares it item by item)."""
    return any(item_marker(line) or is_definition(line) for line in (text or "").split("\n"))


@dataclass
class Segment:
    """A run of text, or a footnote reference (`note` is its label when the text defines that note)."""

    text: str
    note: str = ""


@dataclass
class Item:
    marker: str
    lines: list  # each a list of Segments


@dataclass
class Block:
    kind: str  # "paragraph", or a list's kind
    lines: list = field(default_factory=list)  # a paragraph's lines, each a list of Segments
    items: list = field(default_factory=list)  # a list's Items

    @property
    def is_paragraph(self):
        return self.kind == "paragraph"

    @property
    def is_dashed(self):
        return self.kind == DASHED_LIST


@dataclass
class Note:
    label: str
    lines: list  # each a list of Segments
    referenced: bool = False


@dataclass
class Body:
    blocks: list
    notes: list


def _segments(line, defined):
    segments, at = [], 0
    for match in REFERENCE.finditer(line):
        label = match.group(1)
        if label not in defined:
            continue  # no such note: the reference stays the text it is
        if match.start() > at:
            segments.append(Segment(line[at:match.start()]))
        segments.append(Segment(match.group(1), note=label))
        at = match.end()
    if at < len(line):
        segments.append(Segment(line[at:]))
    return segments


def parse(text):
    """A text's blocks (paragraphs and lists) and its notes, as plain data."""
    raw_lines = (text or "").split("\n")
    defined, notes, note, rest = set(), [], None, []
    for line in raw_lines:
        match = DEFINITION.match(line)
        if match:
            note = Note(match.group(1), [line[match.end():]])
            notes.append(note)
            defined.add(note.label)
        elif note is not None and line.strip():
            note.lines.append(line)
        else:
            note = None
            rest.append(line)
    blocks, current = [], None
    for line in rest:
        if not line.strip():
            if current is not None and current.is_paragraph:
                current = None  # a blank line ends a paragraph; a list goes on if the next line is an item
            continue
        item = item_marker(line)
        if item:
            kind, marker, item_text = item
            if current is None or current.kind != kind:
                current = Block(kind)
                blocks.append(current)
            current.items.append(Item(marker, [_segments(item_text, defined)]))
        else:
            if current is None or not current.is_paragraph:
                current = Block("paragraph")
                blocks.append(current)
            current.lines.append(_segments(line, defined))
    for note in notes:
        note.lines = [_segments(line, defined) for line in note.lines]
    referenced = {segment.note for block in blocks for lines in (block.lines + [line for item in block.items
                  for line in item.lines]) for segment in lines if segment.note}
    for note in notes:
        note.referenced = note.label in referenced
    return Body(blocks, notes)


def units(text):
    """The text cut into whole lines, each keeping the line breaks after it: the units a redline aligns
    before it compares words. Joined, they are the text."""
    return re.findall(r"[^\n]*\n+|[^\n]+$", text or "")
