"""Line numbers: a text laid out in lines of a fixed length, so a line is cited the same on the web and on paper.

Meetings work from paper and cite "page 3, line 112". A browser and a PDF renderer wrap text each in its own
way, so the app decides where every line ends: at most LINE_LENGTH characters, broken between words (a word
longer than a line is cut). Each heading and each paragraph starts a new line. The web page's "Line numbers"
view and the PDF both print every computed line as one line, never re-wrapped, and the PDF starts a new page
every LINES_PER_PAGE rows, so the page and line of a word are the same on the screen and on paper.

Lines are numbered through the whole document, as bills are. A row that is not text (the "Text not yet
entered" notice) takes a row on the page but no number. A redline is laid out the same way, its deleted and
inserted words both taking room, so a comparison read on paper has numbered lines too.

Everything here is plain data: `Row`s of redline pieces; templates render them.
"""
from dataclasses import dataclass

from django.utils.translation import gettext

from .languages import field as field_in
from .redline import DELETE, EQUAL, INSERT, TOKEN, Piece, redline

LINE_LENGTH = 72  # characters, spaces included: fits an A4 line at the PDF's type size with room to spare
LINES_PER_PAGE = 44  # rows per A4 page at the PDF's line height


@dataclass
class Row:
    """One printed row: a line of text (numbered) or a notice (not numbered)."""

    pieces: list  # redline Pieces; plain text is one EQUAL piece per word run
    clause_id: int | None = None
    role: str = "body"  # "heading", "body" or "note"
    number: int | None = None  # the line number; None for a notice
    index: int = 0  # the row's place among all rows, from 0 (pages are counted in rows)
    # The characters of the clause's heading or text (the old side of a redline) this line covers: [start, end).
    start: int = 0
    end: int = 0
    depth: int = 0

    @property
    def page(self):
        return self.index // LINES_PER_PAGE + 1

    @property
    def starts_page(self):
        return self.index % LINES_PER_PAGE == 0

    @property
    def text(self):
        return "".join(piece.text for piece in self.pieces)


class Layout:
    """Rows in print order, numbered as they are added."""

    def __init__(self):
        self.rows = []
        self._numbered = 0

    @property
    def lines(self):
        return [row for row in self.rows if row.number is not None]

    @property
    def pages(self):
        """The rows page by page: [[row, ...], ...]."""
        pages = []
        for row in self.rows:
            if row.starts_page:
                pages.append([])
            pages[-1].append(row)
        return pages

    def parts(self, size):
        """The pages in parts of at most `size` pages: [(first page, last page, [page, ...]), ...]."""
        pages = self.pages
        return [(start + 1, min(start + size, len(pages)), pages[start:start + size])
                for start in range(0, len(pages), size)] or [(1, 1, [])]

    def add(self, pieces, clause_id=None, role="body", depth=0):
        """Lay out a heading or a text (redline pieces, or a plain string) as numbered lines."""
        if isinstance(pieces, str):
            pieces = [Piece(EQUAL, pieces)] if pieces else []
        for line in wrap(pieces):
            self._numbered += 1
            self._append(Row(line.pieces, clause_id, role, self._numbered, start=line.start, end=line.end, depth=depth))

    def note(self, text, clause_id=None, depth=0):
        self._append(Row([Piece(EQUAL, text)], clause_id, "note", depth=depth))

    def _append(self, row):
        row.index = len(self.rows)
        self.rows.append(row)

    def lines_of(self, clause_id, role=None):
        return [row for row in self.rows if row.clause_id == clause_id and row.number is not None
                and (role is None or row.role == role)]

    def lines_under(self, clause_id):
        """The lines of a clause and of every clause below it: they follow it in reading order, deeper."""
        lines, depth = [], None
        for row in self.rows:
            if depth is None:
                if row.clause_id != clause_id:
                    continue
                depth = row.depth
            elif row.clause_id != clause_id and row.role == "heading" and row.depth <= depth:
                break
            if row.number is not None:
                lines.append(row)
        return lines


@dataclass
class _Line:
    pieces: list
    start: int
    end: int


def _words(pieces):
    """Paragraphs of words: [[(word segments, op of the space before it), ...], ...] with each word's segments
    as (op, text, old offset) and the paragraph break wherever a new line is, in any piece."""
    paragraphs, words, word, space_op = [], [], [], None
    offset = 0

    def end_word():
        nonlocal word, space_op
        if word:
            words.append((word, space_op))
        word, space_op = [], None

    for piece in pieces:
        for token in TOKEN.findall(piece.text):
            if token.isspace():
                end_word()
                if "\n" in token:
                    if words:
                        paragraphs.append(words)
                    words = []
                elif words:
                    space_op = piece.op if space_op is None else space_op
            else:
                word.append((piece.op, token, offset))
            if piece.op != INSERT:
                offset += len(token)
    end_word()
    if words:
        paragraphs.append(words)
    return paragraphs


def _cut(word, length):
    """A word's segments cut into chunks of at most `length` characters."""
    chunks, chunk, size = [], [], 0
    for op, text, offset in word:
        while text:
            room = length - size
            part, text = text[:room], text[room:]
            chunk.append((op, part, offset))
            offset += len(part) if op != INSERT else 0
            size += len(part)
            if size == length:
                chunks.append(chunk)
                chunk, size = [], 0
    if chunk:
        chunks.append(chunk)
    return chunks


def wrap(pieces, length=LINE_LENGTH):
    """Redline pieces laid out in lines of at most `length` characters, broken between words."""
    lines = []
    for paragraph in _words(pieces):
        segments, size = [], 0
        for word, space_op in paragraph:
            for chunk in _cut(word, length):
                width = sum(len(text) for _op, text, _offset in chunk)
                if segments and size + 1 + width > length:
                    lines.append(segments)
                    segments, size = [], 0
                if segments:
                    segments.append((space_op or EQUAL, " ", None))
                    size += 1
                segments.extend(chunk)
                size += width
        if segments:
            lines.append(segments)
    return [_line(segments) for segments in lines]


def _line(segments):
    pieces = []
    for op, text, _offset in segments:
        if pieces and pieces[-1].op == op:
            pieces[-1] = Piece(op, pieces[-1].text + text)
        else:
            pieces.append(Piece(op, text))
    offsets = [(offset, offset + (len(text) if op != INSERT else 0))
               for op, text, offset in segments if offset is not None]
    return _Line(pieces, min(start for start, _ in offsets), max(end for _, end in offsets))


def _heading(number, heading):
    return f"{number} {heading}".strip() if number else heading


def version_layout(version, language, not_entered):
    """A version of a document (drafting/comparison.py's Version) in `language`, laid out in numbered lines."""
    layout = Layout()
    for entry in version.reading:
        clause = entry.clause
        if entry.kept_removed:  # under "keep numbers": the number stays at its place, marked removed
            layout.add(_heading(entry.number, gettext("(removed)")), clause.id, "heading", entry.depth)
            continue
        heading = _heading(entry.number, getattr(clause, field_in("heading", language)))
        layout.add(heading, clause.id, "heading", entry.depth)
        body = getattr(clause, field_in("body", language))
        if body:
            layout.add(body, clause.id, depth=entry.depth)
        else:
            layout.note(not_entered, clause.id, entry.depth)
    return layout


def comparison_layout(comparison, language, not_entered):
    """A comparison (inline redline) in `language`, laid out in numbered lines: deleted and inserted words both
    take room, as they do on the page."""
    layout = Layout()
    for row in comparison.rows:
        text = row.text(language)
        number = row.number
        if row.renumbered:
            number = [Piece(DELETE, row.old_number), Piece(EQUAL, " "), Piece(INSERT, row.new_number)]
        elif row.is_inserted and number:
            number = [Piece(INSERT, number)]
        elif row.is_removed and number:
            number = [Piece(DELETE, number)]
        else:
            number = [Piece(EQUAL, number)] if number else []
        heading = number + ([Piece(EQUAL, " ")] if number and text.heading else []) + list(text.heading)
        layout.add(heading, row.clause_id, "heading", row.depth)
        if text.body:
            layout.add(list(text.body), row.clause_id, depth=row.depth)
        elif not row.is_removed:
            layout.note(not_entered, row.clause_id, row.depth)
    return layout


@dataclass(frozen=True)
class Citation:
    """Where an amendment's change falls in the current text: "page 2, lines 51-53", or after a line."""

    first: Row
    last: Row
    after: bool = False  # an insertion: it comes after `last`

    def __str__(self):
        values = {"page": self.first.page, "last_page": self.last.page, "first": self.first.number,
                  "last": self.last.number}
        if self.after:
            return gettext("p. %(page)s, after l. %(first)s") % values
        if self.first.page != self.last.page:
            return gettext("pp. %(page)s–%(last_page)s, l. %(first)s–%(last)s") % values
        if self.first.number == self.last.number:
            return gettext("p. %(page)s, l. %(first)s") % values
        return gettext("p. %(page)s, l. %(first)s–%(last)s") % values


def citation(amendment, layout, language):
    """The lines of `layout` (the current text in `language`) that `amendment` changes, or None when its clause
    is not in the layout (removed since, or not yet present)."""
    if amendment.is_insert:
        anchor = amendment.clause_id
        if amendment.placement == amendment.Placement.FIRST_CHILD:
            lines = layout.lines_of(anchor)
        else:
            # After the clause, or as its last sub-clause: after the clause and everything below it.
            lines = layout.lines_under(anchor)
        if not lines:
            return None
        return Citation(lines[-1], lines[-1], after=True)
    heading_lines = layout.lines_of(amendment.clause_id, "heading")
    body_lines = layout.lines_of(amendment.clause_id, "body")
    if not heading_lines:
        return None
    if amendment.is_remove:
        lines = layout.lines_under(amendment.clause_id)
        return Citation(lines[0], lines[-1])
    changed = _changed_lines(heading_lines, amendment.clause, getattr(amendment, field_in("proposed_heading", language)),
                             field_in("heading", language), numbered=True)
    changed += _changed_lines(body_lines, amendment.clause, getattr(amendment, field_in("proposed_body", language)),
                              field_in("body", language))
    if not changed:
        changed = heading_lines + body_lines
    return Citation(changed[0], changed[-1])


def _changed_lines(lines, clause, proposed, name, numbered=False):
    if not lines:
        return []
    current = getattr(clause, name)
    shift = len(_heading(clause.number, current)) - len(current) if numbered else 0
    offsets, offset = [], 0
    for piece in redline(current, proposed):
        if piece.op == EQUAL:
            offset += len(piece.text)
            continue
        end = offset + (len(piece.text) if piece.op == DELETE else 0)
        offsets.append((offset + shift, end + shift))
        if piece.op == DELETE:
            offset = end
    return [line for line in lines
            if any(start < line.end and (end > line.start or (start == end and line.start <= start <= line.end))
                   for start, end in offsets)]
