"""A comparison as a Word document with Word's own tracked changes.

Insertions and deletions are written as `w:ins` / `w:del` elements attributed to the author of the amendment
that made them and dated when it was applied, so the recipient can accept or reject each one in Word; nothing
is shown by colour. Headings carry the clause number as text ("4.1.1 The restoration ..."), so the numbers
read the same in any word processor; a renumbered clause shows the old number deleted and the new inserted.
Removed and inserted clauses have their paragraph marks tracked too, so accepting all leaves no empty lines.

Languages: the file holds the comparison in one text language (the document's authoritative one unless another
is asked for), or in both as a two-column table, the authoritative text on the left and its translation on the
right, one row per clause, each cell with its own tracked changes.
"""
from datetime import timezone as dt_timezone
from io import BytesIO
from itertools import count

from django.utils.translation import gettext
from docx import Document as WordDocument
from docx.enum.style import WD_STYLE_TYPE
from docx.oxml import OxmlElement
from docx.oxml.ns import qn

from ..characters import exportable
from ..comparison import INSERTED, REMOVED
from ..languages import EN, TEXT_LANGUAGES
from ..languages import field as field_in
from ..redline import DELETE, EQUAL, INSERT, Piece
from ..structure import is_definition, item_marker

CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
SYSTEM_AUTHOR = "Drafting"


def _word_date(moment):
    """W3C date-time in UTC, whole seconds: the form Word writes and reads in w:date."""
    return moment.astimezone(dt_timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def _with_tracking_on(word):
    """The file's bytes with Track Changes switched on, so the recipient's own edits are tracked too (the
    comparison's reader, and the agency editing a version to send back). w:trackRevisions must come before
    w:defaultTabStop."""
    settings = word.settings.element
    track = OxmlElement("w:trackRevisions")
    anchor = settings.find(qn("w:defaultTabStop"))
    if anchor is not None:
        anchor.addprevious(track)
    else:
        settings.append(track)
    buffer = BytesIO()
    word.save(buffer)
    return buffer.getvalue()


class _Writer:
    def __init__(self, comparison, marking="", trace=(), languages=(EN,), secondary=""):
        self.comparison = comparison
        self.marking = exportable(marking)
        self.trace = list(trace)
        self.languages = list(languages)
        self.secondary = secondary  # the other language's heading under each heading (a document without translation)
        self.word = WordDocument()
        self.ids = count(1)

    # --- elements ------------------------------------------------------------------------------------------
    def _run(self, text, *, deleted=False, italic=False):
        run = OxmlElement("w:r")
        if italic:
            properties = OxmlElement("w:rPr")
            properties.append(OxmlElement("w:i"))
            run.append(properties)
        # Characters XML cannot hold (stored before the forms refused them) become U+FFFD: see drafting.characters.
        for number, line in enumerate(exportable(text).split("\n")):
            if number:
                run.append(OxmlElement("w:br"))
            if line:
                element = OxmlElement("w:delText" if deleted else "w:t")
                element.set(qn("xml:space"), "preserve")
                element.text = line
                run.append(element)
        return run

    def _mark(self, tag, attribution):
        author, date = attribution
        element = OxmlElement(tag)
        element.set(qn("w:id"), str(next(self.ids)))
        element.set(qn("w:author"), exportable(author))
        element.set(qn("w:date"), date)
        return element

    def _append(self, paragraph, piece, attribution, italic=False):
        if piece.op == EQUAL:
            paragraph._p.append(self._run(piece.text, italic=italic))
            return
        tag = "w:ins" if piece.op == INSERT else "w:del"
        wrapper = self._mark(tag, attribution)
        wrapper.append(self._run(piece.text, deleted=piece.op == DELETE, italic=italic))
        paragraph._p.append(wrapper)

    def _track_paragraph_mark(self, paragraph, op, attribution):
        """An inserted or deleted paragraph: its mark is tracked too, so accepting leaves no empty line."""
        if op == EQUAL:
            return
        properties = OxmlElement("w:rPr")
        properties.append(self._mark("w:ins" if op == INSERT else "w:del", attribution))
        paragraph._p.get_or_add_pPr().append(properties)

    # --- blocks --------------------------------------------------------------------------------------------
    def paragraphs(self, pieces, attribution, *, style=None, italic=False, whole=EQUAL, into=None):
        """Write pieces as paragraphs (into the document, or a table cell), splitting at blank lines; a break
        inside an insertion or deletion is an inserted or deleted paragraph mark."""
        into = into if into is not None else self.word
        paragraph = into.add_paragraph(style=style)
        for piece in pieces:
            chunks = piece.text.split("\n\n")
            for number, chunk in enumerate(chunks):
                if number:
                    self._track_paragraph_mark(paragraph, whole if whole != EQUAL else piece.op, attribution)
                    paragraph = into.add_paragraph(style=style)
                if chunk:
                    self._append(paragraph, Piece(piece.op, chunk), attribution, italic=italic)
        self._track_paragraph_mark(paragraph, whole, attribution)

    def attribution(self, row):
        amendments = row.amendments or row.caused_by
        if amendments:
            author = "; ".join(row.authors)
            moment = max(a.applied_at or self.comparison.new.point.moment for a in amendments)
        else:
            changed_by = getattr(row.new, "history_user", None)
            member = getattr(changed_by, "member", None) if changed_by else None
            author = member.full_name if member else SYSTEM_AUTHOR
            moment = getattr(row.new, "history_date", None) or self.comparison.new.point.moment
        return author, _word_date(moment)

    def heading_pieces(self, row, language):
        whole = {INSERTED: INSERT, REMOVED: DELETE}.get(row.status)
        if whole:
            heading = getattr(row.new or row.old, field_in("heading", language))
            text = " ".join(part for part in (row.number, heading) if part)
            return [Piece(whole, text)] if text else [], whole
        if row.renumbered:
            number = [p for p in (Piece(DELETE, row.old_number), Piece(INSERT, row.new_number)) if p.text]
        else:
            number = [Piece(EQUAL, row.new_number)] if row.new_number else []
        heading = row.text(language).heading
        separator = [Piece(EQUAL, " ")] if number and heading else []
        return number + separator + heading, EQUAL

    def clause(self, row, language, into=None):
        attribution = self.attribution(row)
        pieces, whole = self.heading_pieces(row, language)
        if (row.new or row.old).is_closing:  # a closing text has no heading: its label, as on the page
            pieces = [Piece(EQUAL, gettext("Closing text"))]
        if not pieces:
            pieces = [Piece(EQUAL, "")]
        self.paragraphs(pieces, attribution, style=f"Heading {min(row.depth + 1, 9)}", whole=whole, into=into)
        if self.secondary and row.text(self.secondary).heading:
            self.paragraphs(row.text(self.secondary).heading, attribution, italic=True, whole=whole, into=into)
        if row.text(language).body:
            self.paragraphs(row.text(language).body, attribution, whole=whole, into=into)

    def two_columns(self, rows):
        """The bilingual file: a table, the authoritative language on the left, the translation on the right."""
        names = dict(TEXT_LANGUAGES)
        table = self.word.add_table(rows=1, cols=len(self.languages))
        table.style = "Table Grid"
        for cell, language in zip(table.rows[0].cells, self.languages):
            cell.paragraphs[0].add_run(str(names[language])).bold = True
        for row in rows:
            for cell, language in zip(table.add_row().cells, self.languages):
                empty = cell.paragraphs[0]
                self.clause(row, language, into=cell)
                empty._p.getparent().remove(empty._p)  # a new cell's own empty paragraph would be a blank line

    def build(self):
        comparison = self.comparison
        word = self.word
        title = exportable(comparison.new.document.title)
        word.core_properties.title = title
        word.core_properties.author = SYSTEM_AUTHOR
        word.core_properties.last_modified_by = SYSTEM_AUTHOR
        # The marking and who it was exported for, when: in the header of every page (the marking also in the
        # footer) and in the file's properties, where a copy keeps them even if the header is edited away.
        word.core_properties.comments = "\n".join(self.trace)
        word.core_properties.subject = self.marking
        section = word.sections[0]
        for line in self.trace:
            section.header.add_paragraph(line)
        if self.marking:
            section.footer.add_paragraph(self.marking)
        word.add_paragraph(title, style="Title")
        counts = comparison.counts
        word.add_paragraph(exportable(gettext(
            "Changes from %(old)s to %(new)s, as tracked changes: %(changed)s changed, %(inserted)s added, "
            "%(removed)s removed, %(renumbered)s renumbered. Accept or reject them in your word processor."
        ) % {"old": comparison.old.point.label, "new": comparison.new.point.label, **counts}))
        word.add_paragraph(exportable(comparison.numbering_statement))
        if len(self.languages) > 1:
            self.two_columns(comparison.rows)
        else:
            for row in comparison.rows:
                self.clause(row, self.languages[0])
        return _with_tracking_on(word)


def comparison_docx(comparison, *, marking="", trace=(), languages=(EN,), secondary=""):
    """The comparison as the bytes of a .docx file; `trace` (drafting/exports/trace.py) heads every page.
    One language: its text, with `secondary`'s headings under the headings; two: a two-column table."""
    return _Writer(comparison, marking, trace, languages, secondary).build()


# --- a version as plain text, for an agency to edit with Track Changes on -----------------------------------
# The file says which version it is: its core property "identifier" reads VERSION_MARK + "slug@moment@language"
# (Word and LibreOffice keep core properties on save), and each clause's heading holds a bookmark "c<clause id>",
# which tracked_changes.py follows back to the clause.
VERSION_MARK = "drafting-version:"
BOOKMARK_PREFIX = "c"
# The line of a removed clause that keeps its number ("4.1.2 (removed)"): read by no importer.
REMOVED_CLAUSE_STYLE = "Removed Clause"


def version_identifier(slug, moment, language):
    return f"{VERSION_MARK}{slug}@{moment.astimezone(dt_timezone.utc).isoformat()}@{language}"


def _bookmark(paragraph, name, number):
    start = OxmlElement("w:bookmarkStart")
    start.set(qn("w:id"), str(number))
    start.set(qn("w:name"), name)
    end = OxmlElement("w:bookmarkEnd")
    end.set(qn("w:id"), str(number))
    paragraph._p.insert(1 if paragraph._p.pPr is not None else 0, start)
    paragraph._p.append(end)


def version_docx(version, *, slug, language=EN, marking="", trace=()):
    """A version's text in `language` as a .docx: the title, then per clause one heading paragraph ("4.1.1 ...")
    in a Heading style and one paragraph per paragraph of its text; under "keep numbers", a removed clause's
    line "4.1.2 (removed)" at its place, in the style "Removed Clause". Track Changes is on, so an agency's edits
    come back as tracked changes (drafting/tracked_changes.py)."""
    word = WordDocument()
    title = exportable(version.document.title)
    word.core_properties.title = title
    word.core_properties.author = SYSTEM_AUTHOR
    word.core_properties.identifier = version_identifier(slug, version.point.moment, language)
    word.core_properties.subject = exportable(marking)
    word.core_properties.comments = "\n".join(trace)
    section = word.sections[0]
    for line in trace:
        section.header.add_paragraph(line)
    if marking:
        section.footer.add_paragraph(exportable(marking))
    word.add_paragraph(title, style="Title")
    # Before the first clause's bookmark, so drafting/tracked_changes.py reads past it as it does the title.
    word.add_paragraph(exportable(version.numbering_statement))
    for number, entry in enumerate(version.reading, start=1):
        clause = entry.clause
        if entry.kept_removed:
            # Under "keep numbers" a removed clause keeps its number at its place ("4.1.2 (removed)"), so the
            # reader sees why the numbers jump. Its own style, without a bookmark: the tracked-changes reader and
            # the Word import skip it, so an unedited file still reads back as the version it came from.
            word.add_paragraph(exportable(f"{entry.number} {gettext('(removed)')}"), style=removed_style(word))
            continue
        body = getattr(clause, field_in("body", language))
        paragraphs = body.split("\n\n") if body else []
        level = min(entry.depth + 1, 9)
        if clause.is_closing:
            # No heading: the closing text's paragraphs carry their own style, which the importer reads back as
            # the closing text of the clause one level up; the bookmark sits on the first of them.
            style = closing_style(word, level)
            first = word.add_paragraph(exportable(paragraphs[0]) if paragraphs else "", style=style)
            _bookmark(first, f"{BOOKMARK_PREFIX}{clause.id}", number)
            for text in paragraphs[1:]:
                word.add_paragraph(exportable(text), style=style)
            continue
        heading = " ".join(part for part in (entry.number, getattr(clause, field_in("heading", language))) if part)
        paragraph = word.add_paragraph(exportable(heading), style=f"Heading {level}")
        _bookmark(paragraph, f"{BOOKMARK_PREFIX}{clause.id}", number)
        for text in paragraphs:
            # A paragraph of list items or notes keeps its lines (as line breaks) and its markers as text, so the
            # file reads back exactly (here and in drafting/tracked_changes.py); it is indented as a list.
            word.add_paragraph(exportable(text), style="List Paragraph" if _all_listed(text) else None)
    return _with_tracking_on(word)


def _all_listed(text):
    return all(item_marker(line) or is_definition(line) for line in text.split("\n"))


def removed_style(word):
    """The paragraph style "Removed Clause" (drafting/word_import.py and drafting/tracked_changes.py skip it),
    added on first use."""
    try:
        return word.styles[REMOVED_CLAUSE_STYLE]
    except KeyError:
        style = word.styles.add_style(REMOVED_CLAUSE_STYLE, WD_STYLE_TYPE.PARAGRAPH)
        style.base_style = word.styles["Normal"]
        return style


def closing_style(word, level):
    """The paragraph style "Closing Text <level>" (drafting/word_import.py reads it), added on first use."""
    name = f"Closing Text {level}"
    try:
        return word.styles[name]
    except KeyError:
        style = word.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        style.base_style = word.styles["Normal"]
        return style
