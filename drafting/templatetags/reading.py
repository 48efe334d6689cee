"""Template filters for reading a clause in the languages the reader chose (drafting/languages.py)."""
from django import template

from ..languages import texts as _texts
from ..structure import parse as parse_structure

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


@register.inclusion_tag("drafting/clauses/_body.html")
def clause_body(text, anchor="", language=""):
    """`{% clause_body clause.body clause.pk text.language %}`: a clause's text with its paragraphs, lists and
    footnotes (drafting/structure.py). `anchor` and `language` make the notes' ids unique on a page that shows
    many clauses in two languages."""
    prefix = "-".join(str(part) for part in ("c", anchor, language) if part != "")
    return {"body": parse_structure(text), "prefix": prefix}
