"""Tags for pages that list many amendments at once."""
import unicodedata

from django import template
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.text import Truncator

register = template.Library()


@register.simple_tag
def amendment_choices(amendments, selected):
    """The what-if page's checkbox per open amendment ("A-3 Reword 4.1.1 ... (author, submitted)"), checked when
    its number is in `selected`. Written here rather than by a template loop: the page lists every open amendment
    (500 in a big round), and this list is the part of the page worked out again after each review, the rows
    being cached on their own. Each value is escaped as the template did; numbers as Django writes them without
    a thousands separator."""
    lines, states = [], {}
    for amendment in amendments:
        checked = " checked" if amendment.number in selected else ""
        if amendment.state not in states:  # a state's label is looked up once, not once per amendment
            states[amendment.state] = escape(amendment.get_state_display().lower())
        lines.append(
            f'\n    <label class="choice"><input type="checkbox" name="a" value="{amendment.number}"{checked}> '
            f"<strong>{escape(amendment.label)}</strong> {escape(_truncated(amendment.title, 90))} "
            f'<span class="muted">({escape(amendment.author.display_name)}, {states[amendment.state]})</span></label>\n    ')
    return mark_safe("".join(lines))  # every value escaped above


def _truncated(text, length):
    """`truncatechars`, skipped for a short text it would return as it is (Truncator also normalizes to NFC)."""
    if len(text) <= length and unicodedata.is_normalized("NFC", text):
        return text
    return Truncator(text).chars(length)
