"""Files of a document that keeps its numbers (issue 14 point 3, the leftovers): the Word file of a version and
the Markdown export write a removed clause's number ("1.1.2 (removed)", "<!-- 1.1.2 removed -->") where no reader
takes it for text; the Word import does not warn of numbers stored as written; an import declaring
"numbering: keep" leaves the clauses it removes their numbers."""
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from docx import Document as WordDocument
from docx.oxml.ns import qn
from lxml import etree

from drafting.exports.docx import REMOVED_CLAUSE_STYLE
from drafting.importer import ImportRefused, import_document
from drafting.markdown_format import parse, render
from drafting.models import Amendment, Clause, Numbering, Review
from drafting.tracked_changes import read_tracked_changes
from drafting.word_import import read_docx

from .amendment_builders import remove
from .conftest import login
from .test_numbering import SOURCE, clause, make_document, numbers
from .word_files import edit_document_xml

AUTHOR = "Agentlik Əməkdaşı"
DATE = "2026-11-30T10:00:00Z"


@pytest.fixture
def kept(db):
    return make_document(Numbering.KEEP)


@pytest.fixture
def renumbered(db):
    return make_document()


def removed(document, number, drafter, reviewer):
    amendment = remove(drafter, clause(document, number), submit=True)
    assert amendment.review(reviewer, Review.Decision.APPROVE) == Amendment.State.APPLIED


def version_file(client, document):
    response = client.get(reverse("versions_read_docx", args=[document.slug]), {"at": "now"})
    assert response.status_code == 200
    return response.content


def _paragraph(root, text):
    for p in root.iter(qn("w:p")):
        if "".join(t.text or "" for t in p.iter(qn("w:t"))) == text:
            return p
    raise AssertionError(f"no paragraph {text!r}")


def _inserted(root, text, words):
    """Words typed at the end of a paragraph with Track Changes on."""
    wrapper = etree.SubElement(_paragraph(root, text), qn("w:ins"))
    for name, value in (("w:id", "901"), ("w:author", AUTHOR), ("w:date", DATE)):
        wrapper.set(qn(name), value)
    run = etree.SubElement(wrapper, qn("w:r"))
    t = etree.SubElement(run, qn("w:t"))
    t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    t.text = words


# --- 1. the Word file of a version ----------------------------------------------------------------------
def test_word_file_of_a_keep_version_lists_a_removed_clause_by_its_number(client, kept, drafter, reviewer):
    removed(kept, "1.1.2", drafter, reviewer)
    drafter.language = "en"
    drafter.save()
    login(client, drafter)
    paragraphs = WordDocument(io.BytesIO(version_file(client, kept))).paragraphs
    texts = [p.text for p in paragraphs]
    assert texts.index("1.1.1 First") < texts.index("1.1.2 (removed)") < texts.index("1.1.3 Third")
    line = paragraphs[texts.index("1.1.2 (removed)")]
    assert line.style.name == REMOVED_CLAUSE_STYLE
    assert "Test clause text two." not in texts


def test_word_file_of_a_keep_version_in_azerbaijani_says_removed_in_azerbaijani(client, kept, drafter, reviewer):
    removed(kept, "1.1.2", drafter, reviewer)
    drafter.language = "az"
    drafter.save()
    login(client, drafter)
    texts = [p.text for p in WordDocument(io.BytesIO(version_file(client, kept))).paragraphs]
    assert "1.1.2 (çıxarılıb)" in texts


def test_word_file_of_a_renumber_version_has_no_removed_line(client, renumbered, drafter, reviewer):
    removed(renumbered, "1.1.2", drafter, reviewer)
    login(client, drafter)
    word = WordDocument(io.BytesIO(version_file(client, renumbered)))
    assert not [p for p in word.paragraphs if p.style.name == REMOVED_CLAUSE_STYLE]
    assert "1.1.2 Third" in [p.text for p in word.paragraphs]


def test_removed_line_is_skipped_so_an_unedited_file_proposes_nothing(client, kept, drafter, reviewer):
    removed(kept, "1.1.2", drafter, reviewer)
    login(client, drafter)
    assert read_tracked_changes(version_file(client, kept), kept) == []


def test_editing_the_clause_after_a_removed_line_proposes_exactly_that(client, kept, drafter, reviewer):
    removed(kept, "1.1.2", drafter, reviewer)
    login(client, drafter)
    edited = edit_document_xml(version_file(client, kept),
                               lambda root: _inserted(root, "Test clause text three.", " Added words."))
    [proposal] = read_tracked_changes(edited, kept)
    assert (proposal.kind, proposal.number, proposal.clause_id) == ("modify", "1.1.3", clause(kept, "1.1.3").pk)
    assert proposal.body == "Test clause text three. Added words." and not proposal.problem
    # The same through the upload page: one proposal, for 1.1.3.
    response = client.post(reverse("tracked_changes", args=[kept.slug]),
                           {"file": SimpleUploadedFile("agentlik.docx", edited)})
    assert [(p.kind, p.number) for p in response.context["proposals"]] == [("modify", "1.1.3")]


def test_editing_the_removed_line_itself_proposes_nothing(client, kept, drafter, reviewer):
    removed(kept, "1.1.2", drafter, reviewer)
    drafter.language = "en"
    drafter.save()
    login(client, drafter)
    edited = edit_document_xml(version_file(client, kept), lambda root: _inserted(root, "1.1.2 (removed)", " Again"))
    assert read_tracked_changes(edited, kept) == []


def test_word_import_skips_the_removed_line(client, kept, drafter, reviewer):
    removed(kept, "1.1.2", drafter, reviewer)
    drafter.language = "en"
    drafter.save()
    login(client, drafter)
    read = read_docx(version_file(client, kept), language="en", numbering=Numbering.KEEP)
    by_number = {c.number: c for c in read.parsed.walk()}
    assert "1.1.2" not in by_number and by_number["1.1.1"].body == "Test clause text one."
    assert all("(removed)" not in c.body for c in read.parsed.walk())
    assert not [w for w in read.warnings if "number" in w.message]


# --- 2. the Word import's number warnings under "keep" --------------------------------------------------
def _word(*headings):
    word = WordDocument()
    word.add_paragraph("Test document", style="Title")
    for text in headings:
        word.add_paragraph(text, style=f"Heading {text.split(' ')[0].count('.') + 1}")
        word.add_paragraph("Test clause text.")
    buffer = io.BytesIO()
    word.save(buffer)
    return buffer.getvalue()


KEPT_FILE = ("1. Part one", "1.1 Section", "1.1.1 First", "1.1.1-1 Inserted", "1.1.3 Third", "1.2 Next", "3. Part three")


def _number_warnings(read):
    return [(w.clause.number if w.clause else None, w.message) for w in read.warnings if "number" in w.message]


def test_word_import_under_keep_does_not_warn_of_derived_or_skipped_numbers():
    read = read_docx(_word(*KEPT_FILE), language="en", numbering=Numbering.KEEP)
    assert _number_warnings(read) == []
    assert [c.number for c in read.parsed.walk()] == ["1", "1.1", "1.1.1", "1.1.1-1", "1.1.3", "1.2", "3"]


def test_word_import_under_renumber_still_warns_of_numbers_out_of_place():
    read = read_docx(_word(*KEPT_FILE), language="en")
    messages = [message for _number, message in _number_warnings(read)]
    assert len(messages) == 2 and all("does not follow its place" in m for m in messages)  # 1.1.1-1 and 3


@pytest.mark.parametrize("headings, refused", [
    (("1. One", "1.1 Sub", "1.3 Third", "1.2 Second"), "1.2"),  # not after the number before it
    (("1. One", "1.1 Sub", "1.1 Again"), "1.1"),  # the same number twice
    (("1. One", "1.1 Sub", "2.1.1 Elsewhere"), "2.1.1"),  # not under its parent's number
    (("2. Two", "1. One"), "1"),
])
def test_word_import_under_keep_warns_only_of_what_the_keep_rules_refuse(headings, refused):
    read = read_docx(_word(*headings), language="en", numbering=Numbering.KEEP)
    warnings = _number_warnings(read)
    assert len(warnings) == 1 and f"the number {refused} does not fit its place" in warnings[0][1]
    assert "derived number" in warnings[0][1]
    assert warnings[0][0] == ""  # the number as written is not stored: the import derives one


def test_a_refused_number_under_keep_is_imported_with_a_derived_number(kept):
    source = ("1. Part one", "1.1 Section", "1.1.1 First", "1.1.3 Third", "1.1.2 Second", "2. Part two")
    read = read_docx(_word(*source), language="en", numbering=Numbering.KEEP)
    document, _counts = import_document(read.parsed, document=kept)
    by_heading = numbers(document)
    assert by_heading["Third"] == "1.1.3" and by_heading["Second"] == "1.1.3-1"
    in_force = [c.number for c in document.clauses.filter(status=Clause.Status.IN_FORCE) if c.number]
    assert len(in_force) == len(set(in_force))


def test_word_import_page_of_a_keep_document_shows_no_warning_for_kept_numbers(client, kept, admin_member):
    login(client, admin_member)
    response = client.post(reverse("word_import", args=[kept.slug]),
                           {"file": SimpleUploadedFile("kept.docx", _word(*KEPT_FILE)), "language": "en"})
    assert response.status_code == 200
    assert not [w for w in response.context["read"].warnings if "number" in w.message]


# --- 3. an import that switches to "keep" and removes clauses -------------------------------------------
KEEP_SOURCE = SOURCE.replace("# Numbering Test Document\n", "# Numbering Test Document\nnumbering: keep\n")


def test_a_keep_import_into_a_renumber_document_leaves_its_removed_clauses_their_numbers(renumbered):
    source = KEEP_SOURCE.replace("#### 1.1.2. Second\n\nTest clause text two.\n\n", "")
    document, counts = import_document(parse(source), document=renumbered)
    assert counts["removed"] == 1 and document.numbering == Numbering.KEEP
    second = Clause.objects.get(document=document, heading="Second")
    assert second.is_removed and second.number == "1.1.2"
    entries = {entry.clause.heading: entry for entry in document.outline()}
    assert entries["Second"].kept_removed and entries["Third"].number == "1.1.3"
    assert second.history.first().history_change_reason == "imported"


def test_a_keep_import_still_clears_numbers_of_clauses_removed_before_the_switch(renumbered, drafter, reviewer):
    removed(renumbered, "1.1.1", drafter, reviewer)  # under renumber: 1.1.2 became 1.1.1 and so on
    first = Clause.objects.get(document=renumbered, heading="First")
    first.refresh_from_db()
    source = KEEP_SOURCE.replace("#### 1.1.1. First\n\nTest clause text one.\n\n", "").replace(
        "#### 1.1.2. Second", "#### 1.1.1. Second").replace("#### 1.1.3. Third", "#### 1.1.2. Third")
    document, _counts = import_document(parse(source), document=renumbered)
    first.refresh_from_db()
    assert first.is_removed and first.number == ""  # its number was given to Second long ago
    assert numbers(document)["Second"] == "1.1.1"


def test_a_number_removed_now_but_held_by_a_sibling_in_force_is_cleared(renumbered):
    # Matching by number makes this rare; the rule still holds: a number is never shown twice among siblings.
    second, third = clause(renumbered, "1.1.2"), clause(renumbered, "1.1.3")
    Clause.objects.filter(pk=third.pk).update(status=Clause.Status.REMOVED)
    Clause.objects.filter(pk=second.pk).update(number="1.1.3")
    Clause.objects.filter(pk=clause(renumbered, "1.1.1").pk).update(status=Clause.Status.REMOVED)
    renumbered.numbering = Numbering.KEEP
    renumbered.numbering_switched(removed_now={third.pk, clause_pk(renumbered, "First")})
    third.refresh_from_db()
    assert third.number == "" and Clause.objects.get(pk=clause_pk(renumbered, "First")).number == "1.1.1"


def clause_pk(document, heading):
    return Clause.objects.get(document=document, heading=heading).pk


# --- 4. the Markdown export -------------------------------------------------------------------------------
def markdown_of(client, document):
    response = client.get(reverse("versions_markdown", args=[document.slug]), {"at": "now"})
    assert response.status_code == 200
    return response.content.decode()


def test_markdown_export_of_a_keep_document_notes_a_removed_clause_as_a_comment(client, kept, drafter, reviewer):
    removed(kept, "1.1.2", drafter, reviewer)
    login(client, drafter)
    text = markdown_of(client, kept)
    assert "#### 1.1.1. First\n\nTest clause text one.\n\n<!-- 1.1.2 removed -->\n\n#### 1.1.3. Third" in text
    parsed = parse(text)  # read as every comment is: the gap, nothing more
    assert [c.number for c in parsed.walk()] == ["", "1", "1.1", "1.1.1", "1.1.3", "2"]
    assert parsed.clauses[1].children[0].children[0].body == "Test clause text one."


def test_markdown_round_trip_of_a_keep_document_with_a_removed_clause_is_byte_identical(client, kept, drafter, reviewer):
    removed(kept, "1.1.2", drafter, reviewer)
    login(client, drafter)
    text = markdown_of(client, kept)
    body = text[text.index("# Numbering Test Document"):]
    document, counts = import_document(parse(text), document=kept)
    assert counts["created"] == counts["removed"] == 0
    again = markdown_of(client, document)
    assert again[again.index("# Numbering Test Document"):] == body


def test_markdown_render_of_a_renumber_document_writes_no_removed_comment(renumbered, drafter, reviewer):
    removed(renumbered, "1.1.2", drafter, reviewer)
    assert "removed -->" not in render(renumbered, list(renumbered.clauses.all()))


def test_markdown_sub_clauses_of_a_removed_clause_get_no_comment_of_their_own(kept, drafter, reviewer):
    removed(kept, "1.1", drafter, reviewer)
    text = render(kept, list(kept.clauses.all()))
    assert "<!-- 1.1 removed -->" in text and "1.1.1 removed" not in text
    assert "First" not in text


# --- cost ---------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("url_name", ["versions_read_docx", "versions_markdown"])
def test_word_and_markdown_files_with_removed_lines_cost_flat_queries(client, kept, drafter, reviewer, url_name):
    login(client, drafter)
    url = reverse(url_name, args=[kept.slug])

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url, {"at": "now"}).status_code == 200
        return len(queries)

    removed(kept, "1.1.2", drafter, reviewer)
    one = count()
    for number in ("1.1.3", "2", "1.1.1"):
        removed(kept, number, drafter, reviewer)
    assert count() == one


def test_an_import_into_a_keep_document_never_gives_a_removed_clauses_number_again(kept, drafter, reviewer):
    removed(kept, "1.1.2", drafter, reviewer)
    source = KEEP_SOURCE.replace("#### 1.1.2. Second\n\nTest clause text two.", "#### 1.1.2. A new second\n\nTest clause text.")
    with pytest.raises(ImportRefused, match="1.1.2 is that of a removed clause"):
        import_document(parse(source), document=kept)
    assert not Clause.objects.filter(document=kept, heading="A new second").exists()
    # The same file with a derived number is imported, and the removed clause keeps its number.
    document, counts = import_document(parse(source.replace("#### 1.1.2. A new", "#### 1.1.1-1. A new")), document=kept)
    assert counts["created"] == 1 and numbers(document)["A new second"] == "1.1.1-1"
    assert Clause.objects.get(document=kept, heading="Second").number == "1.1.2"


def test_a_word_import_reusing_a_removed_number_is_refused_in_the_preview(client, kept, admin_member, drafter, reviewer):
    removed(kept, "1.1.2", drafter, reviewer)
    login(client, admin_member)
    data = _word("1. Part one", "1.1 Section", "1.1.1 First", "1.1.2 Reused", "1.1.3 Third")
    response = client.post(reverse("word_import", args=[kept.slug]),
                           {"file": SimpleUploadedFile("kept.docx", data), "language": "en"})
    assert response.status_code == 200
    assert "is that of a removed clause" in response.content.decode()
    assert not Clause.objects.filter(document=kept, heading="Reused").exists()
