"""Template filters for reading a clause in the languages the reader chose (drafting/languages.py)."""
from django import template
from django.utils.safestring import mark_safe
from django.utils.translation import gettext

from ..languages import texts as _texts
from ..structure import parse as parse_structure
from .redlines import escaped

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


@register.simple_tag
def clause_body(text, anchor="", language=""):
    """`{% clause_body clause.body clause.pk text.language %}`: a clause's text with its paragraphs, lists and
    footnotes (drafting/structure.py). `anchor` and `language` make the notes' ids unique on a page that shows
    many clauses in two languages."""
    prefix = "-".join(str(part) for part in ("c", anchor, language) if part != "")
    return body_html(parse_structure(text), prefix)


def _line_html(line, prefix):
    return "".join(
        f'<sup class="note-ref"><a href="#{prefix}-fn-{escaped(segment.note)}" '
        f'id="{prefix}-ref-{escaped(segment.note)}">{escaped(segment.text)}</a></sup>'
        if segment.note else escaped(segment.text)
        for segment in line
    )


@register.filter(is_safe=True)
def body_html(body, prefix):
    """`{{ body|body_html:prefix }}`: a parsed text's HTML (drafting/structure.py Body): paragraphs, lists with
    their markers as written, footnotes linked to the notes under it; every piece escaped. Written here rather
    than by a template with an include per line because the outline and the what-if page show it for every
    clause, and the includes were most of a cold 10,000-clause outline. Byte for byte what the template
    drafting/clauses/_body.html wrote before (tests/test_structure.py holds that template to compare)."""
    prefix = escaped(prefix)
    out = []
    for block in body.blocks:
        if block.is_paragraph:
            out.append(f"<p>{'<br>'.join(_line_html(line, prefix) for line in block.lines)}</p>")
            continue
        tag = "ul" if block.is_dashed else "ol"
        out.append(f'<{tag} class="text-list {escaped(block.kind)}">')
        out.extend(
            f'<li><span class="marker">{escaped(item.marker)}</span> '
            f'{"".join(_line_html(line, prefix) for line in item.lines)}</li>'
            for item in block.items
        )
        out.append(f"</{tag}>")
    if body.notes:
        # Outside the f-strings: makemessages does not read a gettext inside one.
        footnotes, back = escaped(gettext("Footnotes")), escaped(gettext("Back to the text"))
        out.append(f'\n<ol class="footnotes" aria-label="{footnotes}">')
        for note in body.notes:
            label = escaped(note.label)
            marker = f'<a href="#{prefix}-ref-{label}" title="{back}">{label}</a>' if note.referenced else label
            lines = "<br>".join(_line_html(line, prefix) for line in note.lines)
            out.append(f'<li id="{prefix}-fn-{label}"><span class="marker">{marker}</span> {lines}</li>')
        out.append("</ol>")
    return mark_safe("".join(out))  # every text escaped above
