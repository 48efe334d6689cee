"""The what-if page's list of amendments to choose, written line by line in Python (drafting/what_if.py
`choice_line`, cached per line), reads exactly as the template loop it replaced, for any title: long, not in
NFC, with markup, in Azerbaijani."""
import unicodedata

import pytest
from django.template import engines
from django.utils import translation

from drafting.models import Amendment
from drafting.what_if import CHECKED, choice_line

from .amendment_builders import insert, modify

OLD_LOOP = engines["django"].from_string(
    '{% for amendment in open_amendments %}\n'
    '    <label class="choice"><input type="checkbox" name="a" value="{{ amendment.number }}"'
    '{% if amendment.number in selected %} checked{% endif %}> <strong>{{ amendment.label }}</strong> '
    '{{ amendment.title|truncatechars:90 }} <span class="muted">({{ amendment.author.display_name }}, '
    '{{ amendment.get_state_display|lower }})</span></label>\n    {% endfor %}')

HEADINGS = [
    "Short",
    "Çox uzun başlıq " * 12,  # over 90 characters
    unicodedata.normalize("NFD", "Ərazi bütövlüyü və İŞĞAL"),  # not in NFC: truncatechars normalizes it
    '<script>alert(1)</script> & "quotes" \'apostrophes\'',
    "x" * 90,
    "x" * 91,
]


@pytest.mark.parametrize("language", ["en", "az"])
def test_the_amendment_choices_read_as_the_template_loop_did(concept, drafter, second_drafter, language):
    clause = concept.clauses.get(number="4.1.1")
    for heading in HEADINGS:
        insert(drafter, clause, "after", heading, "Test clause text.", submit=True)
    modify(second_drafter, clause, body=clause.body + " Changed.", submit=True)
    modify(drafter, clause, body=clause.body + " Draft.")
    drafter.full_name = "<b>Dina</b> & co"
    drafter.save()
    amendments = list(Amendment.objects.filter(document=concept).select_related("author__user", "clause", "document"))
    selected = {amendments[0].number, amendments[3].number}
    with translation.override(language):
        new = "".join(choice_line(a).replace(CHECKED, " checked" if a.number in selected else "") for a in amendments)
        old = OLD_LOOP.render({"open_amendments": amendments, "selected": selected})
    assert new == old
    assert "<script>" not in new and "&lt;script&gt;" in new
