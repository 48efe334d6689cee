"""What every exported file carries besides the text: the document's marking and who it was exported for, when.

The view records the export (`ExportEvent.record`, listed on the audit page) and hands the file writers these
lines; each format puts them where its readers look first: the Word file's header (and the marking in its
footer), the first row of a table, the first lines of a Markdown file as comments the importer ignores.
"""
import re

from ..characters import exportable


def trace_lines(document, event):
    """[marking, trace] (no marking line when the document has none): text fit for any format, in the exporting
    member's language (a marking from settings.DOCUMENT_MARKINGS reads in it when the catalog translates it)."""
    return [exportable(line) for line in (document.marking_label, event.trace) if line]


def markdown_comments(lines):
    """The lines as Markdown comments, one per line. A run of hyphens would end the comment early ("-->"), so
    it becomes a dash; the importer drops whole-line comments, so the file reads back as the text alone."""
    return "".join(f"<!-- {re.sub(r'-{2,}', '–', line)} -->\n" for line in lines)
