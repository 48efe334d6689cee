"""Template filters over redline pieces (drafting/redline.py): separators, and the short excerpts that lists
and the what-if page show. Data in; the template writes the HTML."""
from django import template

from ..excerpts import excerpt as _excerpt
from ..excerpts import is_cut
from ..redline import has_changes
from ..redline import with_separators as pieces_with_separators

register = template.Library()


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
