"""Template filters for reading a clause in the languages the reader chose (drafting/languages.py)."""
from django import template

from ..languages import texts as _texts

register = template.Library()


@register.filter
def texts(clause, languages):
    """`{% for text in clause|texts:languages %}`: the clause's heading and text in each language, in order."""
    return _texts(clause, languages)


@register.filter
def text_in(clause, language):
    """`{% with text=clause|text_in:"az" %}`: the clause's heading and text in one language."""
    return _texts(clause, [language])[0]


@register.filter
def named(clause, languages):
    """`{% with text=clause|named:languages %}`: the clause's text in the first of `languages` that gives it a
    heading (the first language if none does), for a title that names the clause in both columns' stead."""
    found = _texts(clause, languages)
    return next((text for text in found if text.heading), found[0])
