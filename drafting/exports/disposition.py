"""The disposition table: every amendment of a document, one row each, as governments publish after a
consultation (what was proposed, by whom, what the reviewers decided, and the text that resulted).

A bilingual document's table shows each amendment's proposal and its result in both languages, the authoritative
one first, a column each.

Each member's table holds the amendments they may read (`AmendmentQuerySet.visible_to`): another member's
draft is not in it, as it is nowhere else.

Cells hold user text. Spreadsheets run a cell that starts with = + - @ as a formula, so such text is written
as text: a leading apostrophe in CSV, an explicit string type in XLSX. Control characters stored before the
forms refused them (or by a command) are replaced with U+FFFD in both (`drafting.characters.exportable`):
openpyxl refuses them outright (IllegalCharacterError), and a spreadsheet program would mis-read the CSV.
"""
import csv
from io import BytesIO, StringIO

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from openpyxl import Workbook
from openpyxl.cell.cell import TYPE_STRING
from openpyxl.styles import Alignment, Font

from ..characters import exportable
from ..languages import TEXT_LANGUAGES
from ..languages import field as field_in
from ..models import Amendment

CSV_CONTENT_TYPE = "text/csv; charset=utf-8"
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# In the exporting member's language (the request's active language), as the kinds, states and decisions are.
COLUMNS = [
    _("Amendment"), _("Kind"), _("Clause"), _("Author"), _("Co-sponsors"), _("State"), _("Reviewers and decisions"),
    _("Rationale"), _("Proposed text"), _("Resulting text"),
]
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def clause_label(amendment):
    if amendment.kind == Amendment.Kind.INSERT:
        if amendment.result_clause is not None:
            return amendment.result_clause.label
        return amendment.provisional_label()
    return amendment.clause.label


def columns(document):
    """The header: one proposed and one resulting text per language of a bilingual document."""
    if len(document.languages) < 2:
        return [str(column) for column in COLUMNS]
    names = dict(TEXT_LANGUAGES)
    texts = [gettext("Proposed text (%(language)s)") % {"language": names[code]} for code in document.languages]
    texts += [gettext("Resulting text (%(language)s)") % {"language": names[code]} for code in document.languages]
    return [str(column) for column in COLUMNS[:-2]] + texts


def _proposed_text(amendment, language):
    """What the amendment proposes the clause should say in `language`."""
    if amendment.kind == Amendment.Kind.REMOVE:
        return gettext("(remove the clause)")
    parts = (getattr(amendment, field_in("proposed_heading", language)),
             getattr(amendment, field_in("proposed_body", language)))
    return "\n\n".join(part for part in parts if part)


def _resulting_text(amendment, language):
    """What the document says because of the amendment; nothing when it was not applied."""
    if amendment.state != Amendment.State.APPLIED:
        return ""
    if amendment.kind == Amendment.Kind.REMOVE:
        return gettext("(clause removed)")
    parts = (getattr(amendment, field_in("applied_heading", language)),
             getattr(amendment, field_in("applied_body", language)))
    return "\n\n".join(part for part in parts if part)


def state_with_chain(amendment):
    """The state, with a compromise's chain (drafting/models/compromises.py): an original names the compromise
    that superseded or closed it, a compromise the amendments it combines."""
    state = amendment.get_state_display()
    if amendment.is_superseded and amendment.superseded_by is not None:
        compromise = amendment.superseded_by
        if compromise.is_applied:
            return gettext("Closed by compromise %(label)s, applied") % {"label": compromise.label}
        return gettext("Superseded by compromise %(label)s") % {"label": compromise.label}
    if amendment.is_compromise:
        combined = ", ".join(original.label for original in sorted(amendment.combines.all(), key=lambda a: a.number))
        return gettext("%(state)s; a compromise of %(originals)s") % {"state": state, "originals": combined}
    return state


def rows(document, member):
    """The table as `member` may read it, lists of strings, header first, oldest amendment first; a fixed
    number of queries.
    Every string is fit for export (control characters replaced)."""
    amendments = (
        Amendment.objects.visible_to(member).filter(document=document)
        .select_related("author", "clause", "result_clause", "superseded_by")
        .prefetch_related("cosponsors", "reviews__reviewer", "combines")
        .order_by("number")
    )
    amendments = list(amendments)
    for amendment in amendments:
        amendment.document = document  # read by each provisional label: no query per row
    Amendment.number_insertions(amendments)
    languages = document.languages
    table = [columns(document)]
    for amendment in amendments:
        reviews = sorted(amendment.reviews.all(), key=lambda r: (r.round, r.created_at, r.pk))
        table.append([
            amendment.label,
            amendment.get_kind_display(),
            clause_label(amendment),
            amendment.author.full_name,
            "; ".join(member.full_name for member in amendment.cosponsors.all()),
            state_with_chain(amendment),
            "; ".join(
                gettext("%(reviewer)s: %(decision)s (round %(round)s)") % {
                    "reviewer": review.reviewer.full_name, "decision": review.get_decision_display(), "round": review.round}
                for review in reviews
            ),
            amendment.rationale,
            *(_proposed_text(amendment, language) for language in languages),
            *(_resulting_text(amendment, language) for language in languages),
        ])
    return [[exportable(value) for value in row] for row in table]


def _as_text(value):
    return "'" + value if value.startswith(_FORMULA_START) else value


def as_csv(document, member, trace=()):
    """UTF-8 with a byte-order mark, so spreadsheet programs read Azerbaijani letters correctly. The first row
    is the trace (drafting/exports/trace.py): the marking and who it was exported for, when."""
    buffer = StringIO()
    writer = csv.writer(buffer)
    for row in [list(trace)] + rows(document, member):
        writer.writerow([_as_text(value) for value in row])
    return buffer.getvalue().encode("utf-8-sig")


def as_xlsx(document, member, trace=()):
    """The table; its first row is the trace (drafting/exports/trace.py), which the file's properties hold too."""
    workbook = Workbook()
    workbook.properties.description = "\n".join(trace)
    sheet = workbook.active
    sheet.title = gettext("Disposition")[:31]  # a sheet name holds at most 31 characters
    for row_number, row in enumerate([list(trace)] + rows(document, member), start=1):
        for column, value in enumerate(row, start=1):
            cell = sheet.cell(row=row_number, column=column)
            cell.value = value
            cell.data_type = TYPE_STRING  # never a formula, whatever the text starts with
            cell.alignment = Alignment(wrap_text=True, vertical="top")
            if row_number <= 2:
                cell.font = Font(bold=True)
    sheet.freeze_panes = "A3"
    for letter, width in zip("ABCDEFGHIJKL", (11, 10, 40, 24, 30, 18, 40, 40, 60, 60, 60, 60)):
        sheet.column_dimensions[letter].width = width
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
