"""Every export, from a web page or the `export_document` command alike: the ExportEvent recorded for the member
it is made for, and the file's bytes carrying the marking and the trace (drafting/exports/trace.py).

One path per format, so an operator's export can never leave out what a download carries.
"""
from ..characters import exportable
from ..markdown_format import render as render_markdown
from ..models import ExportEvent
from . import disposition
from .docx import comparison_docx
from .trace import markdown_comments, trace_lines

# The version a disposition table shows: the amendments as they are at the moment of the export.
CURRENT = "the amendments as they stand now"


def markdown(member, document, version):
    """A version's text in the importer's format (UTF-8), under today's marking. The marking and trace lead as
    comments, which the importer ignores: the file still reads back as the text. Control characters stored
    anyway would break the format (the reader splits lines at some, refuses NUL), so they are replaced."""
    event = ExportEvent.record(member, document, ExportEvent.Format.MARKDOWN, version.point.label)
    text = markdown_comments(trace_lines(document, event)) + exportable(render_markdown(version.document,
                                                                                        version.clauses))
    return text.encode("utf-8")


def word_comparison(member, document, comparison):
    """Two versions compared as a Word file with tracked changes."""
    event = ExportEvent.record(member, document, ExportEvent.Format.DOCX,
                               f"{comparison.old.point.label} → {comparison.new.point.label}")
    return comparison_docx(comparison, marking=document.marking, trace=trace_lines(document, event))


def disposition_csv(member, document):
    event = ExportEvent.record(member, document, ExportEvent.Format.CSV, CURRENT)
    return disposition.as_csv(document, member, trace_lines(document, event))


def disposition_xlsx(member, document):
    event = ExportEvent.record(member, document, ExportEvent.Format.XLSX, CURRENT)
    return disposition.as_xlsx(document, member, trace_lines(document, event))
