"""Any text a clause can hold exports to Markdown and reads back identical: lines that look like structure are
escaped, the escape itself round-trips, and normalising a text at input changes only whitespace."""
import itertools
from types import SimpleNamespace

import pytest
from django.core.management import call_command
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from drafting.characters import exportable
from drafting.markdown_format import normalise_text, parse, render
from drafting.models import Clause, Document

from . import test_commands
from .builders import without_trace

operator_for = test_commands.operator_for  # the member the export command is run for

AZERBAIJANI = "əƏğĞıIİişŞçÇöÖüÜ"
# Prefixes that read as structure in the format, escapes of them, and near misses that must stay plain text.
PREFIXES = [
    "", "", "", "#", "# ", "## ", "###### ", "#NoSpace", "az:", "az: ", "AZ:", " az:", "<!--", "<!-- c -->",
    "   <!--", "-->", "\\", "\\#", "\\\\#", "\\az:", "\\<!--", "\\\\ <!--", "adopted:", "Short Title: ", "1. ",
    "2007. ", "\\1. ", " ", "\t", "language: az", "Translation: EN", "language: fr", "\\language: en", "en:", "en: ",
]
characters = st.one_of(
    st.sampled_from(AZERBAIJANI + " \t\\#:<!->."),
    # Any code point a UTF-8 file can carry, control characters and line breaks included; NUL is refused.
    st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"),
)
line = st.builds(
    lambda prefix, text, trailing: prefix + text + trailing,
    st.sampled_from(PREFIXES), st.text(characters, max_size=20), st.sampled_from(["", " ", "  \t", "\u00a0"]),
)
texts = st.lists(line, max_size=8).map("\n".join)
# A heading is one line without surrounding whitespace (the forms strip it; "\r" and "\n" are line breaks).
headings = st.builds(
    lambda prefix, text: (prefix + text).strip(),
    st.sampled_from(PREFIXES), st.text(characters.filter(lambda c: c not in "\r\n"), max_size=20),
)


def plain_document(*, description="", clauses=(), authoritative="en", translation="", languages=None):
    """A document as render() reads it, without a database: (numbered, heading, heading_az, body[, body_az])
    per clause."""
    document = SimpleNamespace(title="Round trip", short_title="", adopted="", description=description,
                               authoritative_language=authoritative, translation_language=translation)
    rows = [
        SimpleNamespace(id=index + 1, parent_id=None, position=index, status="in_force", numbered=clause[0],
                        heading=clause[1], heading_az=clause[2], body=clause[3],
                        body_az=clause[4] if len(clause) > 4 else "")
        for index, clause in enumerate(clauses)
    ]
    return render(document, rows, languages=languages)


@settings(max_examples=400, deadline=None)
@given(raw=texts)
def test_any_clause_text_exports_and_imports_back_identical(raw):
    body = normalise_text(raw)
    parsed = parse(plain_document(clauses=[(True, "Heading", "", body), (False, "Next", "", "After.")]))
    assert [clause.body for clause in parsed.clauses] == [body, "After."]


@settings(max_examples=300, deadline=None)
@given(raw=texts)
def test_any_description_exports_and_imports_back_identical(raw):
    description = normalise_text(raw)
    parsed = parse(plain_document(description=description, clauses=[(True, "One", "", "")]))
    assert (parsed.description, parsed.adopted, parsed.short_title) == (description, "", "")


@settings(max_examples=300, deadline=None)
@given(numbered_heading=headings, unnumbered_heading=headings.filter(bool), heading_az=headings, body=texts)
def test_any_heading_exports_and_imports_back_identical(numbered_heading, unnumbered_heading, heading_az, body):
    body = normalise_text(body)
    parsed = parse(plain_document(clauses=[
        (True, numbered_heading, heading_az, body), (False, unnumbered_heading, "", ""),
    ]))
    first, second = parsed.clauses
    assert (first.numbered, first.number, first.heading, first.heading_az, first.body) == (
        True, "1", numbered_heading, heading_az, body)
    assert (second.numbered, second.heading) == (False, unnumbered_heading)


@settings(max_examples=300, deadline=None)
@given(raw=texts)
def test_normalising_a_text_changes_only_whitespace(raw):
    text = normalise_text(raw)
    assert text.split() == raw.split()  # every visible character kept, in order
    assert normalise_text(text) == text
    assert "\r" not in text and text == text.strip("\n") and "\n\n\n" not in text


_slugs = (f"round-trip-{n}" for n in itertools.count())


@pytest.mark.django_db
@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(raw=texts, heading=headings.filter(bool))
def test_any_clause_text_round_trips_through_the_import_and_export_commands(tmp_path, operator_for, raw, heading):
    body = normalise_text(raw)
    slug = next(_slugs)
    source = tmp_path / f"{slug}.md"
    source.write_text(plain_document(clauses=[(False, heading, "Başlıq", body)]), encoding="utf-8")
    call_command("import_document", str(source), "--slug", slug)
    clause = Clause.objects.get(document__slug=slug)
    assert (clause.numbered, clause.heading, clause.body) == (False, heading, body)
    exported = tmp_path / f"{slug}-out.md"
    call_command("export_document", slug, "--for", operator_for, "-o", str(exported))
    # Byte for byte, but for control characters, which every export (web or command) writes as U+FFFD.
    assert without_trace(exported.read_bytes()) == exportable(source.read_text(encoding="utf-8")).encode("utf-8")


TRICKY = """# Tricky lines

\\# The description's first line starts with a hash.

## 1. Structure-looking text
az: Struktura

\\## Not a clause
\\az: not an Azerbaijani heading
\\<!-- not a comment -->
-->
\\\\# a backslash before a hash, kept

Əsas mətn: ğ ı İ ş ç ö ü.
\\   <!-- indented, still not a comment
\\unescaped backslash stays \\ as it is

## \\2007. An unnumbered part that starts with a year
"""


@pytest.mark.django_db
def test_structure_looking_lines_round_trip_through_the_commands_byte_for_byte(tmp_path, operator_for):
    source = tmp_path / "tricky.md"
    source.write_bytes(TRICKY.encode("utf-8"))
    call_command("import_document", str(source))
    document = Document.objects.get(slug="tricky-lines")
    assert document.description == "# The description's first line starts with a hash."
    first, second = document.clauses.order_by("position")
    assert first.body.split("\n") == [
        "## Not a clause", "az: not an Azerbaijani heading", "<!-- not a comment -->", "-->",
        "\\# a backslash before a hash, kept", "", "Əsas mətn: ğ ı İ ş ç ö ü.",
        "   <!-- indented, still not a comment", "\\unescaped backslash stays \\ as it is",
    ]
    assert (second.numbered, second.heading) == (False, "2007. An unnumbered part that starts with a year")
    out = tmp_path / "out.md"
    call_command("export_document", "tricky-lines", "--for", operator_for, "-o", str(out))
    assert without_trace(out.read_bytes()) == source.read_bytes()


def test_description_first_line_that_reads_as_metadata_is_escaped_later_lines_are_not():
    text = plain_document(description="adopted: by decree\n\nadopted: later, in the text", clauses=[(True, "A", "", "")])
    assert "\\adopted: by decree\n\nadopted: later, in the text\n" in text
    parsed = parse(text)
    assert (parsed.adopted, parsed.description) == ("", "adopted: by decree\n\nadopted: later, in the text")


def test_existing_files_without_structure_looking_lines_are_written_exactly_as_before():
    text = "# T\n\nadopted: 2007\n\nA description with a \\ backslash.\n\n## 1. A\naz: B\n\nText \\# mid-line.\n"
    parsed = parse(text)
    assert parsed.description == "A description with a \\ backslash."
    assert parsed.clauses[0].body == "Text \\# mid-line."
    clause = parsed.clauses[0]
    assert plain_document(description=parsed.description, clauses=[
        (True, clause.heading, clause.heading_az, clause.body)]).replace("# Round trip\n\n", "# T\n\nadopted: 2007\n\n") == text


def test_a_utf8_byte_order_mark_is_ignored(tmp_path):
    parsed = parse("\ufeff# Title\n\n## 1. One\n")
    assert parsed.title == "Title" and parsed.clauses[0].heading == "One"


def test_line_separators_inside_a_line_are_text_not_line_breaks():
    body = "form\x0cfeed and line\u2028separator and next\x85line"
    assert parse(plain_document(clauses=[(True, "A", "", body)])).clauses[0].body == body



def test_amendment_forms_normalise_typed_text_to_what_the_format_holds(concept, drafter):
    from drafting.forms.amendments import InsertForm, ModifyForm

    clause = concept.clauses.get(number="4.1.1")
    typed = "\r\n# First line, as a browser sends it.  \r\n\r\n\r\n   \r\nSecond paragraph.\t\r\n"
    data = {"proposed_heading": clause.heading, "proposed_body": typed, "rationale": "Why.", "placement": "after"}
    for Form in (ModifyForm, InsertForm):
        form = Form(data, author=drafter, base=clause.history.latest())
        assert form.is_valid(), form.errors
        assert form.cleaned_data["proposed_body"] == "# First line, as a browser sends it.\n\nSecond paragraph."


def test_a_text_differing_from_the_clause_only_in_whitespace_is_no_change(concept, drafter):
    from drafting.forms.amendments import ModifyForm

    clause = concept.clauses.get(number="4.1.1")
    data = {"proposed_heading": clause.heading, "proposed_body": clause.body + "  \r\n\r\n", "rationale": "Why."}
    form = ModifyForm(data, author=drafter, base=clause.history.latest())
    assert not form.is_valid() and "same as the clause" in str(form.errors)


# Bilingual files (issue 13): the text in the main language as before, the other language behind "az: " / "en: ".
azerbaijani_texts = st.lists(
    st.builds(lambda prefix, text: prefix + text, st.sampled_from(PREFIXES + ["en:", "en: ", "az: Mətn"]),
              st.text(st.one_of(st.sampled_from(AZERBAIJANI + " .,"), characters), max_size=20)),
    max_size=6,
).map("\n".join)


@settings(max_examples=300, deadline=None)
@given(authoritative=st.sampled_from(["az", "en"]), heading=headings, heading_az=headings,
       body=texts, body_az=azerbaijani_texts)
def test_any_bilingual_clause_exports_and_imports_back_identical(authoritative, heading, heading_az, body, body_az):
    body, body_az = normalise_text(body), normalise_text(body_az)
    translation = "en" if authoritative == "az" else "az"
    text = plain_document(authoritative=authoritative, translation=translation,
                          clauses=[(True, heading, heading_az, body, body_az), (True, "Next", "Növbəti", "", "")])
    parsed = parse(text)
    first, second = parsed.clauses
    assert (first.heading, first.heading_az, first.body, first.body_az) == (heading, heading_az, body, body_az)
    assert (second.heading, second.heading_az, second.body, second.body_az) == ("Next", "Növbəti", "", "")
    assert (parsed.language, parsed.translation) == (authoritative, translation)
    again = plain_document(authoritative=parsed.language, translation=parsed.translation, clauses=[
        (c.numbered, c.heading, c.heading_az, c.body, c.body_az) for c in parsed.clauses])
    assert again == text


@settings(max_examples=200, deadline=None)
@given(language=st.sampled_from(["az", "en"]), heading=headings.filter(bool), body=azerbaijani_texts)
def test_a_file_in_one_language_alone_reads_and_writes_back_identical(language, heading, body):
    body = normalise_text(body)
    clause = (False, heading, "", body, "") if language == "en" else (False, "", heading, "", body)
    text = plain_document(authoritative=language, clauses=[clause])
    parsed = parse(text)
    assert parsed.languages == [language]
    assert (parsed.clauses[0].text("heading", language), parsed.clauses[0].text("body", language)) == (heading, body)
    assert plain_document(authoritative=language, clauses=[
        (c.numbered, c.heading, c.heading_az, c.body, c.body_az) for c in parsed.clauses]) == text


BILINGUAL = """# Milli Təhlükəsizlik Konsepsiyası

adopted: 2007
language: az
translation: en

## Giriş
en: Introduction

Azərbaycan Respublikası müstəqilliyini bərpa etdikdən sonra.

İkinci abzas: ə ğ ı İ ş ç ö ü.

en: After the Republic of Azerbaijan restored its independence.
en:
en: # A second paragraph that starts with a hash, and needs no escape here.

## 1. Təhlükəsizlik mühiti
en: Security environment

\\en: a line of Azerbaijani text that starts like the English marker

### 1.1.

en: Only the English text so far.

## Yekun müddəalar
"""


@pytest.mark.django_db
def test_a_bilingual_file_round_trips_through_the_import_and_export_commands_byte_for_byte(tmp_path, operator_for):
    source = tmp_path / "bilingual.md"
    source.write_bytes(BILINGUAL.encode("utf-8"))
    call_command("import_document", str(source), "--slug", "konsepsiya")
    document = Document.objects.get(slug="konsepsiya")
    assert (document.authoritative_language, document.translation_language) == ("az", "en")
    introduction, section, sub, final = [entry.clause for entry in document.outline()]
    assert (introduction.heading_az, introduction.heading) == ("Giriş", "Introduction")
    assert introduction.body_az.endswith("ə ğ ı İ ş ç ö ü.")
    assert introduction.body == ("After the Republic of Azerbaijan restored its independence.\n\n"
                                 "# A second paragraph that starts with a hash, and needs no escape here.")
    assert section.body_az == "en: a line of Azerbaijani text that starts like the English marker"
    assert (sub.number, sub.body_az, sub.body) == ("1.1", "", "Only the English text so far.")
    assert (final.numbered, final.heading_az, final.heading) == (False, "Yekun müddəalar", "")
    out = tmp_path / "out.md"
    call_command("export_document", "konsepsiya", "--for", operator_for, "-o", str(out))
    assert without_trace(out.read_bytes()) == source.read_bytes()


def test_a_file_written_before_the_translation_text_existed_reads_exactly_as_before():
    parsed = parse("# T\n\nLanguage: English and Azerbaijani\n\n## 1. A\naz: Bir\n\nText \\# mid-line.\n")
    assert (parsed.language, parsed.translation, parsed.description) == ("en", "", "Language: English and Azerbaijani")
    clause = parsed.clauses[0]
    assert (clause.heading, clause.heading_az, clause.body, clause.body_az) == ("A", "Bir", "Text \\# mid-line.", "")
    assert parsed.languages == ["en", "az"]
    assert parse("# T\n\n## 1. A\n\nText.\n").languages == ["en"]
