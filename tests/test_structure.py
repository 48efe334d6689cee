"""What official texts contain has a place (issue 14, point 2): list items and footnotes inside a clause's text
(drafting/structure.py), shown as lists and linked notes wherever a text is shown, always escaped; a parent's
closing text as a part of its own, after its sub-clauses; the Markdown format holds all of it byte for byte."""
import pytest
from django.core.management import call_command
from django.template.loader import render_to_string
from django.urls import reverse
from hypothesis import given, settings
from hypothesis import strategies as st

from drafting import structure
from drafting.markdown_format import FormatError, normalise_text, parse, render
from drafting.models import Amendment, Clause, Review
from drafting.models.amendments import TransitionError

from . import test_commands
from .amendment_builders import insert, modify_texts, remove
from .builders import STRUCTURED_MARKDOWN, make_structured_document, without_trace
from .conftest import login

operator_for = test_commands.operator_for


def body_html(text, prefix="c-1"):
    return render_to_string("drafting/clauses/_body.html", {"body": structure.parse(text), "prefix": prefix})


# The syntax


def test_lettered_items_take_azerbaijani_letters_and_capitals():
    for line in ("a) x", "ç) x", "ş) x", "ı) x", "Ə) x", "İ) x", "b)"):
        assert structure.item_marker(line)[0] == structure.LETTERED_LIST, line
    assert structure.item_marker("ç) birinci")[1:] == ("ç)", "birinci")


def test_dashed_and_numbered_items_need_a_space_after_the_mark():
    assert structure.item_marker("– tire")[0] == structure.DASHED_LIST
    assert structure.item_marker("- tire")[0] == structure.DASHED_LIST
    assert structure.item_marker("12) x")[0] == structure.NUMBERED_LIST
    for plain in ("-5 dərəcə", "ab) x", "a)x", "(a) x", "2007. il", "—dash"):
        assert structure.item_marker(plain) is None, plain


def test_consecutive_items_of_one_kind_make_one_list_across_blank_lines():
    body = structure.parse("Giriş:\n\na) bir;\n\nb) iki.\n- tire\nSon.")
    assert [block.kind for block in body.blocks] == ["paragraph", "lettered", "dashed", "paragraph"]
    assert [item.marker for item in body.blocks[1].items] == ["a)", "b)"]


def test_a_footnote_definition_is_listed_under_the_text_and_its_reference_linked():
    body = structure.parse("Mətn[^1] və[^2].\n\n[^1]: Qeyd\ndavamı.\n[^x]: Sahibsiz.")
    assert [(note.label, note.referenced) for note in body.notes] == [("1", True), ("x", False)]
    assert [segment.text for segment in body.notes[0].lines[1]] == ["davamı."]
    # [^2] has no definition: it stays the text it is.
    assert "".join(s.text for s in body.blocks[0].lines[0]) == "Mətn1 və[^2]."


def test_normalising_keeps_every_marker():
    text = "a) bir  \r\n\r\n\r\nç)\n– tire\t\n[^1]: qeyd"
    assert normalise_text(text) == "a) bir\n\nç)\n– tire\n[^1]: qeyd"


def test_units_of_a_text_join_back_to_it():
    for text in ("", "a", "a\n\nb) x\nc) y", "\n\nx\n"):
        assert "".join(structure.units(text)) == text


# Rendering


def test_the_list_is_a_list_with_its_markers_as_written():
    html = body_html("Sahələr:\n\na) bir;\nç) iki.\n\n– tire")
    assert '<ol class="text-list lettered"><li><span class="marker">a)</span> bir;</li>' in html
    assert '<span class="marker">ç)</span> iki.</li></ol>' in html
    assert '<ul class="text-list dashed"><li><span class="marker">–</span> tire</li></ul>' in html


def test_the_footnote_reference_links_to_the_note_and_back():
    html = body_html("Mətn[^1].\n\n[^1]: Qeyd.", prefix="c-7-az")
    assert '<sup class="note-ref"><a href="#c-7-az-fn-1" id="c-7-az-ref-1">1</a></sup>' in html
    assert '<li id="c-7-az-fn-1"><span class="marker"><a href="#c-7-az-ref-1"' in html


def test_every_piece_of_a_structured_text_is_escaped():
    html = body_html('<script>x</script>[^1]\n\na) <img src=x onerror=alert(1)>\n\n[^1]: <b>"n"</b>')
    assert "<script>" not in html and "<img" not in html and "<b>" not in html
    assert "&lt;script&gt;" in html and "&lt;img src=x" in html and "&lt;b&gt;&quot;n&quot;&lt;/b&gt;" in html


@pytest.mark.parametrize("text", ["a) ", "a)", "[^1]", "[^1]:", "[^1]: ", "a) – b) [^1]", "– a) ç) x", "\x00",
                                  "[^1]: [^1]", "[^" + "x" * 50 + "]: y", "a) x\n\n\n[^1]: y\n\nz"])
def test_odd_texts_render_sensibly(text):
    html = body_html(text)
    assert "<script" not in html
    assert html.count("<li") == html.count("</li>")


@settings(max_examples=200, deadline=None)
@given(st.text(st.sampled_from("ab)ç– -[^1]:\n x<&"), max_size=40))
def test_any_text_renders_with_every_visible_character_kept(text):
    body = structure.parse(text)
    shown = []
    for block in body.blocks:
        for line in block.lines:
            shown.extend(segment.text for segment in line)
        for item in block.items:
            shown.append(item.marker)
            shown.extend(segment.text for line in item.lines for segment in line)
    for note in body.notes:
        shown.append(note.label)
        shown.extend(segment.text for line in note.lines for segment in line)
    kept = "".join(shown)
    for character in "x<&":
        assert kept.count(character) == text.count(character)


# The Markdown format


# What drafting/clauses/_body.html and its per-line include were before the body_html filter took their place:
# the filter writes the same bytes (cached fragments and page tests compare text).
_BODY_BEFORE_THE_FILTER = '{% load i18n %}{# A clause\'s text as data from drafting/structure.py: paragraphs, lists with their markers as written, footnotes linked to the notes under it. Every piece is escaped. #}{% for block in body.blocks %}{% if block.is_paragraph %}<p>{% for line in block.lines %}{% if not forloop.first %}<br>{% endif %}{% include "drafting/clauses/_body_line.html" %}{% endfor %}</p>{% else %}<{% if block.is_dashed %}ul{% else %}ol{% endif %} class="text-list {{ block.kind }}">{% for item in block.items %}<li><span class="marker">{{ item.marker }}</span> {% for line in item.lines %}{% include "drafting/clauses/_body_line.html" %}{% endfor %}</li>{% endfor %}</{% if block.is_dashed %}ul{% else %}ol{% endif %}>{% endif %}{% endfor %}{% if body.notes %}\n<ol class="footnotes" aria-label="{% translate \'Footnotes\' %}">{% for note in body.notes %}<li id="{{ prefix }}-fn-{{ note.label }}"><span class="marker">{% if note.referenced %}<a href="#{{ prefix }}-ref-{{ note.label }}" title="{% translate \'Back to the text\' %}">{{ note.label }}</a>{% else %}{{ note.label }}{% endif %}</span> {% for line in note.lines %}{% if not forloop.first %}<br>{% endif %}{% include "drafting/clauses/_body_line.html" %}{% endfor %}</li>{% endfor %}</ol>{% endif %}'
_LINE_BEFORE_THE_FILTER = '{% for segment in line %}{% if segment.note %}<sup class="note-ref"><a href="#{{ prefix }}-fn-{{ segment.note }}" id="{{ prefix }}-ref-{{ segment.note }}">{{ segment.text }}</a></sup>{% else %}{{ segment.text }}{% endif %}{% endfor %}'


@settings(max_examples=200, deadline=None)
@given(st.text(st.sampled_from("ab)ç– -[^1]:\n x<&\"'"), max_size=60), st.sampled_from(["c-1", "c-7-az", "c-<&"]))
def test_the_body_filter_writes_what_the_template_wrote(text, prefix):
    from django.template import Engine

    from drafting.templatetags.reading import body_html as body_filter

    before = Engine(libraries={"i18n": "django.templatetags.i18n"}, loaders=[("django.template.loaders.locmem.Loader", {
        "body.html": _BODY_BEFORE_THE_FILTER, "drafting/clauses/_body_line.html": _LINE_BEFORE_THE_FILTER})])
    from django.template import Context

    expected = before.get_template("body.html").render(Context({"body": structure.parse(text), "prefix": prefix}))
    assert body_filter(structure.parse(text), prefix) == expected
    assert body_html(text, prefix) == expected  # the template, now the filter, is what any other include gets


def test_a_file_with_closing_text_lists_and_footnotes_round_trips_byte_for_byte():
    parsed = parse(STRUCTURED_MARKDOWN)
    section = parsed.clauses[1]
    closing = section.children[-1]
    assert closing.closing and not closing.numbered and closing.body_az == "Bölmənin yekun test mətni."
    assert section.body_az.startswith("Test sahələri aşağıdakılardır:\n\na) birinci sahə;")
    assert section.body_az.endswith("[^1]: Test qeydi: ölkə.")


@pytest.mark.django_db
def test_the_structured_file_round_trips_through_the_import_and_export_commands(tmp_path, operator_for):
    source = tmp_path / "structured.md"
    source.write_bytes(STRUCTURED_MARKDOWN.encode("utf-8"))
    call_command("import_document", str(source), "--slug", "structured")
    exported = tmp_path / "out.md"
    call_command("export_document", "structured", "--for", operator_for, "-o", str(exported))
    assert without_trace(exported.read_bytes()) == STRUCTURED_MARKDOWN.encode("utf-8")


@pytest.mark.parametrize("text, message", [
    ("# T\n\n## 1. A\n\n## ~\n\nx\n", "needs a parent"),
    ("# T\n\n## 1. A\n\n### ~\n\nx\n\n### 1.1. B\n", "after its parent's closing text"),
    ("# T\n\n## 1. A\n\n### ~\n\n### ~\n", "after its parent's closing text"),
    ("# T\n\n## 1. A\n\n### ~\n\n#### 1.1. B\n", "has no sub-clauses"),
])
def test_a_closing_text_comes_once_after_the_sub_clauses_of_a_parent(text, message):
    with pytest.raises(FormatError, match=message):
        parse(text)


def test_an_unnumbered_part_headed_with_the_closing_mark_is_escaped():
    text = "# T\n\n## \\~\n\nx\n"
    parsed = parse(text)
    assert (parsed.clauses[0].closing, parsed.clauses[0].heading) == (False, "~")


def test_a_closing_text_is_read_after_its_parents_sub_clauses_whatever_its_position(db):
    document = make_structured_document()
    section = Clause.objects.get(document=document, number="2")
    closing = section.children.get(role=Clause.Role.CLOSING)
    closing.position = 0  # as if a sub-clause had been inserted after it
    closing.save()
    numbers = [entry.clause.number for entry in document.outline() if entry.clause.parent_id == section.pk]
    assert numbers == ["2.1", "2.2", ""]
    assert closing.label == "Closing text of 2"


def test_files_without_a_closing_mark_read_as_before():
    text = "# T\n\n## 1. A\n\na) x\n\n### 1.1. B\n\n~ tilde text\n"
    parsed = parse(text)
    assert [child.closing for child in parsed.clauses[0].children] == [False]
    assert render(_Doc(), []) == "# T\n"


class _Doc:
    title, short_title, adopted, description = "T", "", "", ""


# Pages


@pytest.mark.django_db
def test_the_clause_page_shows_the_list_the_footnote_and_the_closing_text(client, drafter):
    document = make_structured_document()
    login(client, drafter)
    section = Clause.objects.get(document=document, number="2")
    page = client.get(reverse("clause_detail", args=[document.slug, section.pk])).content.decode()
    assert '<span class="marker">ç)</span> dördüncü sahə.</li></ol>' in page
    assert f'href="#c-{section.pk}-az-fn-1"' in page or f'href="#c-{section.pk}-fn-1"' in page
    closing = section.children.get(role=Clause.Role.CLOSING)
    page = client.get(reverse("clause_detail", args=[document.slug, closing.pk])).content.decode()
    assert "Closing text of 2" in page and "Bölmənin yekun test mətni." in page
    outline = client.get(document.get_absolute_url()).content.decode()
    assert '<span class="closing-label">Closing text</span>' in outline
    assert outline.index("İkinci alt bəndin mətni.") < outline.index("Bölmənin yekun test mətni.")


@pytest.mark.django_db
def test_a_closing_text_is_reworded_and_removed_by_amendment_like_any_clause(drafter, reviewer):
    document = make_structured_document()
    closing = Clause.objects.get(document=document, role=Clause.Role.CLOSING)
    amendment = modify_texts(drafter, closing, {"az": ("", "Yeni yekun mətn.")}, submit=True)
    assert amendment.review(reviewer, Review.Decision.APPROVE) == Amendment.State.APPLIED
    closing.refresh_from_db()
    assert (closing.body_az, closing.role, closing.number) == ("Yeni yekun mətn.", Clause.Role.CLOSING, "")
    assert closing.versions().first().role == Clause.Role.CLOSING
    removal = remove(drafter, closing, submit=True)
    assert removal.review(reviewer, Review.Decision.APPROVE) == Amendment.State.APPLIED
    closing.refresh_from_db()
    assert closing.is_removed


@pytest.mark.django_db
def test_a_closing_text_takes_no_sub_clauses(drafter):
    document = make_structured_document()
    closing = Clause.objects.get(document=document, role=Clause.Role.CLOSING)
    for placement in (Amendment.Placement.FIRST_CHILD, Amendment.Placement.LAST_CHILD):
        with pytest.raises(TransitionError, match="no sub-clauses"):
            insert(drafter, closing, placement, "Yeni", "Mətn.")


@pytest.mark.django_db
def test_an_insertion_against_a_closing_text_offers_only_the_last_sub_clause_and_refuses_a_forged_place(
        client, drafter):
    document = make_structured_document()
    closing = Clause.objects.get(document=document, role=Clause.Role.CLOSING)
    login(client, drafter)
    url = reverse("amendment_new", args=[document.slug, closing.pk, "insert"])
    page = client.get(url).content.decode()
    assert "Before this closing text, as the last sub-clause" in page and "first sub-clause" not in page
    response = client.post(url, {"placement": "first_child", "proposed_heading_az": "Yeni", "proposed_body_az": "x",
                                 "rationale": "Test."})
    assert response.status_code == 200 and not Amendment.objects.exists()
    closing_page = client.get(closing.get_absolute_url()).content.decode()
    assert "Insert a sub-clause<" not in closing_page and "Insert a sub-clause before it" in closing_page


def _sections_with_closing_texts(count):
    blocks = ["# Closing texts", "language: az"]
    for n in range(1, count + 1):
        blocks += [f"## {n}. Bölmə {n}\n\nGiriş {n}:\n\na) bir[^1];\nb) iki.\n\n[^1]: Qeyd {n}.",
                   f"### {n}.1. Alt bənd\n\nMətn {n}.", f"### ~\n\nYekun {n}."]
    return "\n\n".join(blocks) + "\n"


@pytest.mark.django_db
def test_pages_with_closing_texts_take_as_many_queries_at_any_size(client, drafter):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from drafting.importer import import_document

    login(client, drafter)
    counts = {}
    for size in (2, 20):
        document, _ = import_document(parse(_sections_with_closing_texts(size)), slug=f"closing-{size}")
        for closing in Clause.objects.filter(document=document, role=Clause.Role.CLOSING):
            modify_texts(drafter, closing, {"az": ("", "Yeni yekun.")})
        for name, url in (("outline", document.get_absolute_url()),
                          ("amendments", reverse("amendment_list", args=[document.slug]))):
            client.get(url)  # caches warm
            with CaptureQueriesContext(connection) as queries:
                assert client.get(url).status_code == 200
            counts[name, size] = len(queries)
    assert counts["outline", 2] == counts["outline", 20]
    assert counts["amendments", 2] == counts["amendments", 20]


STRUCTURED_LINES = ["a) bir;", "ç) iki[^1];", "- tire", "– tire", "1) say", "[^1]: qeyd", "[^x]:", "~", "\\~",
                    "## ~", "az: ~", "Mətn ~ [^", ""]


class _Row:
    def __init__(self, id, parent_id, position, numbered, role="clause", heading="", heading_az="", body="",
                 body_az=""):
        self.id, self.parent_id, self.position, self.numbered, self.role = id, parent_id, position, numbered, role
        self.heading, self.heading_az, self.body, self.body_az = heading, heading_az, body, body_az
        self.status = "in_force"


class _Bilingual:
    title, short_title, adopted, description = "T", "", "", ""
    authoritative_language, translation_language = "en", "az"


@settings(max_examples=200, deadline=None)
@given(bodies=st.lists(st.lists(st.sampled_from(STRUCTURED_LINES), max_size=6).map("\n".join), min_size=4,
                       max_size=4))
def test_any_structured_text_and_closing_text_round_trip_in_both_languages(bodies):
    body, body_az, closing, closing_az = (normalise_text(text) for text in bodies)
    rows = [_Row(1, None, 0, True, heading="A", body=body, body_az=body_az),
            _Row(2, 1, 0, True, heading="B", body="b"),
            _Row(3, 1, 1, False, role="closing", body=closing, body_az=closing_az)]
    text = render(_Bilingual(), rows)
    parsed = parse(text)
    parent = parsed.clauses[0]
    assert (parent.body, parent.body_az) == (body, body_az)
    last = parent.children[-1]
    assert last.closing and (last.body, last.body_az, last.heading) == (closing, closing_az, "")
    assert render(_Bilingual(), rows) == text


def test_a_huge_structured_text_renders_in_time():
    import time

    text = "\n".join(f"{'abcç'[n % 4]}) bənd {n}[^{n % 50}];" for n in range(20000)) + "\n\n" + "\n".join(
        f"[^{n}]: qeyd {n}" for n in range(50))
    started = time.perf_counter()
    html = body_html(text)
    assert time.perf_counter() - started < 5
    assert html.count("<li") == 20000 + 50
