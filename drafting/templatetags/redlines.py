"""Template filters over redline pieces (drafting/redline.py): separators, the short excerpts that lists and
the what-if page show, and the redline's HTML itself (`redline`), written in Python because a page of 10,000
clauses shows 20,000 of them."""
import html

from django import template
from django.utils.safestring import mark_safe

from ..excerpts import excerpt as _excerpt
from ..excerpts import is_cut
from ..redline import has_changes
from ..redline import with_separators as pieces_with_separators

register = template.Library()


def escaped(text):
    """`conditional_escape` without its lazy-string wrapper, which was a fifth of the filters below on a
    10,000-clause page: HTML-safe text as it is, anything else through the same `html.escape` (quotes too)."""
    return text.__html__() if hasattr(text, "__html__") else html.escape(str(text))


@register.filter
def excerpt(pieces, context=None):
    """`{{ pieces|excerpt }}`, or `{{ pieces|excerpt:3 }}` for three words of context around each change."""
    return _excerpt(pieces) if context is None else _excerpt(pieces, int(context))


@register.filter
def excerpt_is_cut(pieces):
    """Whether `pieces|excerpt` leaves words out."""
    return is_cut(pieces, _excerpt(pieces))


@register.filter
def changed(pieces):
    """Whether the redline changes anything (an unchanged text can be folded away)."""
    return has_changes(pieces)


@register.filter
def with_separators(pieces):
    """`{% for piece, separated in pieces|with_separators %}`: see redline.with_separators."""
    return pieces_with_separators(pieces or [])


@register.filter
def in_languages(row, languages):
    """`{% for text in row|in_languages:languages %}`: a comparison row's heading and text in each language."""
    return row.in_languages(languages)


@register.filter
def in_language(row, language):
    """`{{ row|in_language:"az" }}`: a comparison row's heading and text in one language."""
    return row.text(language)


@register.filter(is_safe=True)
def redline(pieces):
    """`{{ pieces|redline }}`: the redline's HTML, byte for byte what `{% include "drafting/_redline.html" %}`
    writes (its closing line break included), built here because a comparison or a what-if draft shows two
    redlines per clause and the include's per-call cost (a new context, a template walk per piece) was most of a
    cold 10,000-clause page. Every text is escaped as the template would; the tags are our own."""
    out = []
    if getattr(pieces, "is_coarse", False):
        out.append(f'<span class="redline-note">{escaped(pieces.note)}</span> ')
    out.append('<span class="redline">')
    for piece, separated in pieces_with_separators(pieces or []):
        if separated:
            out.append(" ")
        text = escaped(piece.text)
        if piece.is_insert:
            out.append(f"<ins>{text}</ins>")
        elif piece.is_delete:
            out.append(f"<del>{text}</del>")
        else:
            out.append(text)
    out.append("</span>\n")
    return mark_safe("".join(out))  # every text escaped above
