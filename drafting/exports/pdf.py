"""PDF for meetings, with line numbers (WeasyPrint): a version, a comparison, the amendment list and the
disposition table.

The lines are the app's own (drafting/line_numbers.py): each computed line is printed as one line and a new
page starts every LINES_PER_PAGE rows, so a line cited from paper is the line of the web page's "Line numbers"
view. The marking, the title and the trace (who exported it, when) sit in the page margins, on every page,
where they take no room from the numbered rows.

Redlines are struck through and underlined, legible in black and white (no colour carries meaning).
"""
from pathlib import Path

from django.template.loader import render_to_string
from django.utils.translation import gettext

CONTENT_TYPE = "application/pdf"
STYLESHEET = Path(__file__).resolve().parent.parent / "static" / "drafting" / "pdf.css"


def render(template, context):
    """The template rendered (autoescaped, as every page is) and printed to PDF bytes. No URL is fetched: the
    PDF's stylesheet is inline and it holds no image, so user text can never make the server fetch anything."""
    from weasyprint import CSS, HTML  # heavy to import; only a PDF export needs it

    html = render_to_string(template, context)
    stylesheet = CSS(string=STYLESHEET.read_text(encoding="utf-8"), url_fetcher=_fetch_nothing)
    return HTML(string=html, url_fetcher=_fetch_nothing).write_pdf(stylesheets=[stylesheet])


def _fetch_nothing(url, *args, **kwargs):
    raise ValueError(gettext("A PDF export fetches nothing: %(url)s") % {"url": url[:80]})
