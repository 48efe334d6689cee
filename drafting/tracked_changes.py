"""An agency's Word tracked changes, read back as draft amendments (issue 14, point 4).

A member downloads a version as Word (`versions/read.docx`, drafting/exports/docx.py `version_docx`): the file
carries the document's slug and the version's moment (its core property "identifier") and a bookmark "c<id>"
in each clause's heading. The agency edits it with Track Changes on; the member uploads it, and each clause
whose text reads differently once every change is accepted becomes one proposal:

- modify: the clause's new heading and text (paragraphs merged where a paragraph mark was deleted, split
  where one was inserted); a changed paragraph without marks counts too (a file edited without Track Changes
  is compared with the version it came from, its base);
- remove: every paragraph of the clause deleted;
- a removed clause that keeps its number ("4.1.2 (removed)", a document that keeps its numbers) is a paragraph
  in the style "Removed Clause": skipped, whatever was done to it;
- a parent's closing text has no heading paragraph (its paragraphs carry the style "Closing Text N" and its
  bookmark): all its paragraphs are its text;
- insert: a paragraph inserted after a clause in a Heading style, or opening with a number, is a new clause
  after it (its following inserted paragraphs its text); an inserted paragraph of plain text belongs to the
  clause above it (a modify).

Each proposal is based on the clause's history row at the file's moment (`Amendment.base`), so a clause changed
since is rebased as any draft is. The Word author(s) and date(s) of the marks go into the rationale. What
cannot be proposed is listed with the reason (a clause removed since the file was made). A file without the
version's mark, or exported from another document, is refused.
"""
import re
from dataclasses import dataclass, field
from datetime import datetime
from io import BytesIO

from django.db import transaction
from django.utils.translation import gettext as _
from docx import Document as open_docx
from docx.oxml.ns import qn

from . import characters
from .comparison import LANGUAGES, Point, PointError, read_version
from .exports.docx import BOOKMARK_PREFIX, VERSION_MARK
from .languages import field as field_in
from .markdown_format import normalise_text
from .models import Amendment, Clause
from .redline import redline
from .word_import import (
    HEADING_STYLE,
    NUMBERED,
    NUMBERED_HEADING,
    REMOVED_STYLE,
    WordRefused,
    check_file,
    paragraph_text,
    style_name,
)

BOOKMARK = re.compile(rf"^{BOOKMARK_PREFIX}(\d{{1,18}})$")
MARKS = (qn("w:ins"), qn("w:del"))


@dataclass
class Proposal:
    kind: str
    clause_id: int
    number: str  # the clause's number in the file's version (for an insertion: the clause it follows)
    heading: str = ""
    body: str = ""
    old_heading: str = ""
    old_body: str = ""
    marks: list = field(default_factory=list)  # [(author, date)] of the tracked changes
    problem: str = ""
    base: object = None
    file_name: str = ""
    language: str = ""  # the file's, whose fields the proposal fills

    @property
    def tracked(self):
        return bool(self.marks)

    @property
    def rationale(self):
        file_name = self.file_name
        if not self.marks:
            return _("From the Word file %(file)s: changed without tracked changes.") % {"file": file_name}
        who = sorted({author for author, _date in self.marks if author})
        when = sorted({date[:10] for _author, date in self.marks if date})
        return _("From the Word file %(file)s: tracked changes by %(authors)s (%(dates)s).") % {
            "file": file_name, "authors": ", ".join(who) or _("an unnamed author"), "dates": ", ".join(when) or "—"}

    # What the preview shows: the change against the base, as a redline.
    @property
    def heading_pieces(self):
        return redline(self.old_heading, self.heading)

    @property
    def body_pieces(self):
        return redline(self.old_body, self.body)

    @property
    def is_modify(self):
        return self.kind == Amendment.Kind.MODIFY

    @property
    def is_remove(self):
        return self.kind == Amendment.Kind.REMOVE

    @property
    def is_insert(self):
        return self.kind == Amendment.Kind.INSERT


@dataclass
class _Paragraph:
    text: str
    marks: list
    mark_inserted: bool
    mark_deleted: bool
    had_text: bool
    style: str
    clause_id: int = None


def _read(p, style):
    marks = [(m.get(qn("w:author"), ""), m.get(qn("w:date"), "")) for m in p.iter(*MARKS)]
    properties = p.find(qn("w:pPr"))
    run_properties = properties.find(qn("w:rPr")) if properties is not None else None

    def mark(tag):
        return run_properties is not None and run_properties.find(qn(tag)) is not None

    clause_id = None
    for bookmark in p.iter(qn("w:bookmarkStart")):
        found = BOOKMARK.match(bookmark.get(qn("w:name"), ""))
        if found:
            clause_id = int(found.group(1))
    had_text = any((t.text or "").strip() for t in p.iter(qn("w:t"), qn("w:delText")))
    # Not stripped: a paragraph whose mark was deleted runs on into the next with its spaces.
    # Characters the record does not hold become U+FFFD, as in every export (drafting/characters.py).
    return _Paragraph(characters.exportable(paragraph_text(p, {})), marks, mark("w:ins"), mark("w:del"), had_text, style,
                      clause_id)


def _version_of(word, document):
    identifier = word.core_properties.identifier or ""
    if not identifier.startswith(VERSION_MARK) or "@" not in identifier:
        raise WordRefused(_("This file does not say which version it was exported from: download the Word file "
                            "of a version (Versions › read a version › Download in Word), edit it, and upload it."))
    slug, moment, *rest = identifier[len(VERSION_MARK):].split("@")
    language = rest[0] if rest else document.authoritative_language
    if slug != document.slug:
        raise WordRefused(_("This file was exported from another document (%(slug)s), not from %(document)s.")
                          % {"slug": slug, "document": document})
    if language not in document.languages:
        raise WordRefused(_("This file's version mark is damaged; download the version again."))
    try:
        moment = datetime.fromisoformat(moment)
    except ValueError:
        raise WordRefused(_("This file's version mark is damaged; download the version again.")) from None
    if moment.tzinfo is None:
        raise WordRefused(_("This file's version mark is damaged; download the version again."))
    try:
        return read_version(document, Point(moment.isoformat(), moment.isoformat(), moment)), language
    except PointError as error:
        raise WordRefused(str(error)) from None


def _heading_text(text):
    match = NUMBERED_HEADING.match(text)
    return " ".join((text[match.end():] if match else text).split())


def _join(paragraphs):
    """The accepted text of a run of paragraphs: one whose mark was deleted runs on into the next."""
    out, buffer = [], ""
    for paragraph in paragraphs:
        buffer += paragraph.text
        if paragraph.mark_deleted:
            continue
        if buffer.strip():
            out.append(buffer.strip())
        buffer = ""
    if buffer.strip():
        out.append(buffer.strip())
    return normalise_text("\n\n".join(out))


def _is_new_clause(paragraph):
    return paragraph.mark_inserted and paragraph.clause_id is None and paragraph.text.strip() and (
        HEADING_STYLE.match(paragraph.style) or NUMBERED.match(paragraph.text))


def read_tracked_changes(data, document, *, file_name=""):
    """[Proposal] for an edited Word export of one of `document`'s versions. Raises WordRefused."""
    check_file(data)
    try:
        word = open_docx(BytesIO(data))
    except Exception as error:  # noqa: BLE001 - python-docx raises many kinds for a damaged package
        raise WordRefused(_("This is not a Word document that can be read (%(reason)s).")
                          % {"reason": type(error).__name__}) from None
    version, language = _version_of(word, document)  # the language the file was exported in
    rows = {entry.clause.id: entry for entry in version.outline}
    groups = []  # [clause id or ("insert", after id), [paragraphs]]
    for paragraph in word.paragraphs:
        if REMOVED_STYLE.match(style_name(paragraph)):
            continue  # "4.1.2 (removed)": a removed clause's number, which no edit can change
        item = _read(paragraph._p, style_name(paragraph))
        if item.clause_id is not None:
            groups.append([item.clause_id, [item]])
        elif groups and _is_new_clause(item):
            anchor = groups[-1][0] if isinstance(groups[-1][0], int) else groups[-1][0][1]
            groups.append([("insert", anchor), [item]])
        elif groups:
            groups[-1][1].append(item)
    if not any(isinstance(key, int) for key, _items in groups):
        raise WordRefused(_("No clause of the exported version is left in this file (each clause's heading "
                            "carries a bookmark): nothing can be matched to the document."))
    current = {c.pk: c for c in Clause.objects.filter(document=document, pk__in=[k for k, _i in groups if isinstance(k, int)])}
    heading_field, body_field = field_in("heading", language), field_in("body", language)
    proposals = []
    for key, items in groups:
        marks = [mark for item in items for mark in item.marks]
        if isinstance(key, tuple):
            entry = rows.get(key[1])
            proposals.append(_problem_of(Proposal(
                Amendment.Kind.INSERT, key[1], entry.number if entry else "", heading=_heading_text(items[0].text),
                body=_join(items[1:]), marks=marks), entry, current.get(key[1])))
            continue
        entry = rows.get(key)
        heading_item, body_items = items[0], items[1:]
        if entry is not None and entry.clause.is_closing:  # no heading paragraph: its text starts at the bookmark
            heading_item, body_items = None, items
        old_heading = getattr(entry.clause, heading_field) if entry else ""
        old_body = getattr(entry.clause, body_field) if entry else ""
        if all(not item.text.strip() for item in items) and any(item.had_text for item in items) and marks:
            proposal = Proposal(Amendment.Kind.REMOVE, key, entry.number if entry else "", old_heading=old_heading,
                                old_body=old_body, marks=marks)
        else:
            heading = _heading_text(heading_item.text) if heading_item is not None else old_heading
            body = _join(body_items)
            if heading == old_heading and body == old_body:
                continue
            proposal = Proposal(Amendment.Kind.MODIFY, key, entry.number if entry else "", heading=heading, body=body,
                                old_heading=old_heading, old_body=old_body, marks=marks)
        proposals.append(_problem_of(proposal, entry, current.get(key)))
    for proposal in proposals:
        proposal.file_name, proposal.language = file_name, language
    return proposals


def _problem_of(proposal, entry, clause):
    """Say why a proposal cannot be made, or set its base."""
    if entry is None:
        proposal.problem = _("the file names a clause that was not in the version it was exported from.")
    elif clause is None or clause.is_removed:
        proposal.problem = _("the clause has been removed since the file was exported.")
    elif proposal.is_insert and not proposal.heading and not proposal.body:
        proposal.problem = _("the inserted clause is empty.")
    else:
        proposal.base = entry.clause
    return proposal


@transaction.atomic
def start_amendments(proposals, *, author, document):
    """Each proposal without a problem as a draft amendment by `author`, through `Amendment.start` (its rules,
    visibility and attribution as for any draft). All or none. Returns the amendments."""
    clauses = {c.pk: c for c in Clause.objects.filter(document=document, pk__in=[p.clause_id for p in proposals])}
    made = []
    for proposal in proposals:
        if proposal.problem:
            continue
        fields, language = {"rationale": proposal.rationale}, proposal.language
        if proposal.is_modify or proposal.is_insert:
            fields[field_in("proposed_heading", language)] = proposal.heading[:500]
            fields[field_in("proposed_body", language)] = proposal.body
        if proposal.is_modify:
            # The other language is not in the file: proposed as it stands in the base, so nothing is lost.
            for code in LANGUAGES:
                if code != language:
                    for name in ("heading", "body"):
                        fields[field_in(f"proposed_{name}", code)] = getattr(proposal.base, field_in(name, code))
        if proposal.is_insert:
            fields["placement"] = Amendment.Placement.AFTER
            base = None
        else:
            base = proposal.base
        made.append(Amendment.start(author=author, clause=clauses[proposal.clause_id], kind=proposal.kind,
                                    base=base, **fields))
    return made
