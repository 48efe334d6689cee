"""Rendering redline pieces (drafting/redline.py) in templates: data in, the template writes the HTML."""
from django import template

from ..redline import with_separators as pieces_with_separators

register = template.Library()


@register.filter
def with_separators(pieces):
    """`{% for piece, separated in pieces|with_separators %}`: see redline.with_separators."""
    return pieces_with_separators(pieces or [])
