"""Every export, from a web page or the `export_document` command alike: the ExportEvent recorded for the member
it is made for, and the file's bytes carrying the marking and the trace (drafting/exports/trace.py).

One path per format, so an operator's export can never leave out what a download carries.
"""
from django.utils.translation import gettext

from ..characters import exportable
from ..languages import TEXT_LANGUAGES
from ..markdown_format import render as render_markdown
from ..models import ExportEvent
from . import disposition, pdf
from .docx import comparison_docx
from .trace import markdown_comments, trace_lines

# The version a disposition table shows: the amendments as they are at the moment of the export.
CURRENT = "the amendments as they stand now"


def markdown(member, document, version, languages=None, described=None):
    """A version's text (in `languages`, default every language of the document) in the importer's format (UTF-8), under today's marking. The marking and trace lead as
    comments, which the importer ignores: the file still reads back as the text. Control characters stored
    anyway would break the format (the reader splits lines at some, refuses NUL), so they are replaced."""
    what = version.point.label
    event = ExportEvent.record(member, document, ExportEvent.Format.MARKDOWN,
                               described.format(what=what) if described else what)
    text = markdown_comments(trace_lines(document, event)) + exportable(
        render_markdown(version.document, [entry.clause for entry in version.reading], languages=languages))
    return text.encode("utf-8")


def word_comparison(member, document, comparison, languages=None, described=None):
    """Two versions compared as a Word file with tracked changes, in `languages` (default the authoritative one;
    two: a two-column table). `described` names the languages in the audit ("Azerbaijani: {what}")."""
    what = f"{comparison.old.point.label} → {comparison.new.point.label}"
    event = ExportEvent.record(member, document, ExportEvent.Format.DOCX,
                               described.format(what=what) if described else what)
    languages = languages or [document.authoritative_language]
    return comparison_docx(comparison, marking=document.marking_label, trace=trace_lines(document, event),
                           languages=languages, secondary="" if len(languages) > 1 else secondary_language(document))


def secondary_language(document):
    """The other language's heading, shown under each heading as before the Azerbaijani text existed, for a
    document that declares no translation (its Azerbaijani headings came with the English text)."""
    if document.translation_language:
        return ""
    return next(code for code, _name in TEXT_LANGUAGES if code != document.authoritative_language)


def disposition_csv(member, document):
    event = ExportEvent.record(member, document, ExportEvent.Format.CSV, CURRENT)
    return disposition.as_csv(document, member, trace_lines(document, event))


def disposition_xlsx(member, document):
    event = ExportEvent.record(member, document, ExportEvent.Format.XLSX, CURRENT)
    return disposition.as_xlsx(document, member, trace_lines(document, event))


def _pdf(member, document, what, template, context):
    event = ExportEvent.record(member, document, ExportEvent.Format.PDF, what)
    marking = document.marking_label
    return pdf.render(template, {**context, "document": document, "marking_lines": [marking] if marking else [],
                                 "trace": [event.trace]})


def lines_pdf(member, document, title, language, part):
    """Pages of a text laid out in numbered lines (drafting/line_numbers.py): `part` is (first page, last page,
    pages) of `Layout.parts`, the whole text when it fits in one. The audit names the language and the pages."""
    first, last, pages = part
    names = dict(TEXT_LANGUAGES)
    what = f"{names[language]}: {title}, " + gettext("pages %(first)s–%(last)s") % {"first": first, "last": last}
    return _pdf(member, document, what, "drafting/pdf/lines.html", {
        "title": f"{document.title} · {title}", "language": language, "pages": pages})


def amendments_pdf(member, document, rows, language, title):
    """The amendment list, each open amendment with its page and lines in the current text."""
    return _pdf(member, document, title, "drafting/pdf/amendments.html", {
        "title": f"{document.title} · {title}", "language": language, "rows": rows})


def disposition_pdf(member, document, title):
    return _pdf(member, document, CURRENT, "drafting/pdf/table.html", {
        "title": f"{document.title} · {title}", "table": [[str(cell) for cell in row]
                                                          for row in disposition.rows(document, member)]})


def word_version(member, document, version, language=None):
    """A version's plain text as a Word file to edit with Track Changes (drafting/tracked_changes.py reads
    it back), under today's marking and trace."""
    from .docx import version_docx

    language = language or document.authoritative_language
    event = ExportEvent.record(member, document, ExportEvent.Format.DOCX, version.point.label)
    return version_docx(version, slug=document.slug, language=language, marking=document.marking_label,
                        trace=trace_lines(document, event))
