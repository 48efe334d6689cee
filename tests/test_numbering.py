"""The numbering policy per document (issue 14 point 3): "renumber" (a new edition, the default) or "keep"
(an amending act: a removed clause keeps its number marked removed, an inserted one takes a derived number)."""
import io
import subprocess

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from docx import Document as WordDocument
from docx.oxml.ns import qn

from drafting.comparison import Point, compare_versions_at, read_version
from drafting.importer import import_document
from drafting.markdown_format import FormatError, parse, render
from drafting.models import Amendment, Clause, Document, Numbering, Review
from drafting.models.clauses import derived_number, in_reading_order, number_key
from drafting.word_import import NUMBERED, NUMBERED_HEADING

from .amendment_builders import insert, remove
from .conftest import login

APPROVE = Review.Decision.APPROVE
AFTER, FIRST, LAST = Amendment.Placement.AFTER, Amendment.Placement.FIRST_CHILD, Amendment.Placement.LAST_CHILD

SOURCE = """# Numbering Test Document

## Introduction

Test introduction text.

## 1. Part one

### 1.1. Section

#### 1.1.1. First

Test clause text one.

#### 1.1.2. Second

Test clause text two.

#### 1.1.3. Third

Test clause text three.

## 2. Part two

Test clause text of part two.
"""


def make_document(policy=Numbering.RENUMBER, source=SOURCE):
    document, _counts = import_document(parse(source), slug=policy)
    if policy != document.numbering:
        document.change_settings({"numbering": policy})
    return document


def clause(document, number):
    return Clause.objects.get(document=document, number=number, status=Clause.Status.IN_FORCE)


def applied(amendment, reviewer):
    assert amendment.review(reviewer, APPROVE) == Amendment.State.APPLIED
    amendment.refresh_from_db()
    return amendment


def add(document, after, heading, drafter, reviewer, placement=AFTER):
    amendment = insert(drafter, clause(document, after), placement, heading, "Test clause text.", submit=True)
    return applied(amendment, reviewer).result_clause


def numbers(document):
    """{heading: number} as the outline numbers the clauses (removed ones included)."""
    return {entry.clause.heading: entry.number for entry in document.outline()}


@pytest.fixture
def kept(db):
    return make_document(Numbering.KEEP)


@pytest.fixture
def renumbered(db):
    return make_document()


# --- the rule itself --------------------------------------------------------------------------------------
def test_derived_numbers_follow_the_legislative_practice_rule():
    taken = {"4.1.1", "4.1.2"}
    assert derived_number("4.1", "4.1.1", "4.1.2", taken) == "4.1.1-1"
    assert derived_number("4.1", "4.1.1-1", "4.1.2", taken | {"4.1.1-1"}) == "4.1.1-2"
    assert derived_number("4.1", "4.1.1-1", "4.1.1-2", taken | {"4.1.1-1", "4.1.1-2"}) == "4.1.1-1-1"
    assert derived_number("4.1", "4.1.1", "4.1.1-1", taken | {"4.1.1-1"}) == "4.1.1-0"
    assert derived_number("4.1", "4.1.2", None, taken) == "4.1.2-1"
    assert derived_number("4.1.1", None, None, set()) == "4.1.1.1"
    assert derived_number("4.1", None, "4.1.1", taken) == "4.1.0"


def test_derived_numbers_sort_in_reading_order():
    ordered = ["4.1.0", "4.1.1", "4.1.1-0", "4.1.1-1", "4.1.1-1-1", "4.1.1-2", "4.1.2", "4.1.10"]
    assert sorted(ordered, key=number_key) == ordered


def test_a_squeezed_clause_still_never_takes_a_number_in_use():
    taken = {"4.1.1", "4.1.1-0", "4.1.1-1"}
    number = derived_number("4.1", "4.1.1", "4.1.1-0", taken)
    assert number not in taken


# --- renumber: as today -----------------------------------------------------------------------------------
def test_renumber_is_the_default_and_renumbers_what_follows_an_insertion(renumbered, drafter, reviewer):
    assert renumbered.numbering == Numbering.RENUMBER
    add(renumbered, "1.1.1", "Inserted", drafter, reviewer)
    assert numbers(renumbered) == {"Introduction": "", "Part one": "1", "Section": "1.1", "First": "1.1.1",
                                   "Inserted": "1.1.2", "Second": "1.1.3", "Third": "1.1.4", "Part two": "2"}


def test_renumber_removed_clause_loses_its_number_and_the_next_takes_it(renumbered, drafter, reviewer):
    applied(remove(drafter, clause(renumbered, "1.1.2"), submit=True), reviewer)
    assert numbers(renumbered)["Second"] == ""
    assert clause(renumbered, "1.1.2").heading == "Third"


# --- keep ---------------------------------------------------------------------------------------------------
def test_keep_insert_after_takes_the_next_free_derived_number(kept, drafter, reviewer):
    new = add(kept, "1.1.1", "Inserted", drafter, reviewer)
    new.refresh_from_db()
    assert new.number == "1.1.1-1"
    assert numbers(kept) == {"Introduction": "", "Part one": "1", "Section": "1.1", "First": "1.1.1",
                             "Inserted": "1.1.1-1", "Second": "1.1.2", "Third": "1.1.3", "Part two": "2"}


def test_keep_insert_after_an_insert_continues_the_series(kept, drafter, reviewer):
    add(kept, "1.1.1", "Inserted one", drafter, reviewer)
    add(kept, "1.1.1-1", "Inserted two", drafter, reviewer)
    assert numbers(kept)["Inserted two"] == "1.1.1-2"
    add(kept, "1.1.1-1", "Between", drafter, reviewer)
    assert numbers(kept)["Between"] == "1.1.1-1-1"
    assert [entry.number for entry in kept.outline() if entry.clause.parent_id == clause(kept, "1.1").pk] == [
        "1.1.1", "1.1.1-1", "1.1.1-1-1", "1.1.1-2", "1.1.2", "1.1.3"]


def test_keep_two_inserts_after_the_same_clause_never_share_a_number(kept, drafter, reviewer):
    add(kept, "1.1.1", "Earlier", drafter, reviewer)
    add(kept, "1.1.1", "Later", drafter, reviewer)  # lands right after 1.1.1, before the earlier one
    assert numbers(kept)["Earlier"] == "1.1.1-1"
    assert numbers(kept)["Later"] == "1.1.1-0"


def test_keep_removed_clause_keeps_its_number_marked_removed(kept, drafter, reviewer):
    applied(remove(drafter, clause(kept, "1.1.2"), submit=True), reviewer)
    entries = {entry.clause.heading: entry for entry in kept.outline()}
    assert entries["Second"].number == "1.1.2" and entries["Second"].kept_removed
    assert entries["Third"].number == "1.1.3"


def test_keep_never_reuses_a_removed_clauses_number(kept, drafter, reviewer):
    applied(remove(drafter, clause(kept, "1.1.3"), submit=True), reviewer)
    add(kept, "1.1.2", "After second", drafter, reviewer)
    assert numbers(kept)["After second"] == "1.1.2-1"
    assert numbers(kept)["Third"] == "1.1.3"


def test_keep_sub_clauses_of_a_removed_clause_are_not_marked_separately(kept, drafter, reviewer):
    add(kept, "1.1.1", "Child", drafter, reviewer, placement=FIRST)
    applied(remove(drafter, clause(kept, "1.1.1"), submit=True), reviewer)
    entries = {entry.clause.heading: entry for entry in kept.outline()}
    assert entries["First"].kept_removed and entries["Child"].number == "1.1.1.1"
    assert not entries["Child"].kept_removed


def test_keep_first_child_of_a_clause_without_children_opens_a_new_level(kept, drafter, reviewer):
    add(kept, "1.1.1", "Child", drafter, reviewer, placement=FIRST)
    assert numbers(kept)["Child"] == "1.1.1.1"
    add(kept, "1.1.1", "Last child", drafter, reviewer, placement=LAST)
    assert numbers(kept)["Last child"] == "1.1.1.1-1"


def test_keep_first_child_before_existing_children_takes_zero(kept, drafter, reviewer):
    add(kept, "1.1", "Before all", drafter, reviewer, placement=FIRST)
    assert numbers(kept)["Before all"] == "1.1.0"
    assert numbers(kept)["First"] == "1.1.1"


def test_keep_sub_clauses_of_a_derived_clause_number_under_it(kept, drafter, reviewer):
    add(kept, "1.1.1", "Inserted", drafter, reviewer)
    add(kept, "1.1.1-1", "Its child", drafter, reviewer, placement=FIRST)
    assert numbers(kept)["Its child"] == "1.1.1-1.1"


def test_keep_never_changes_an_existing_clauses_number(kept, drafter, reviewer):
    before = {c.pk: c.number for c in Clause.objects.filter(document=kept)}
    add(kept, "1", "Top insert", drafter, reviewer)
    applied(remove(drafter, clause(kept, "1.1.1"), submit=True), reviewer)
    after = {c.pk: c.number for c in Clause.objects.filter(document=kept)}
    assert all(after[pk] == number for pk, number in before.items())
    assert numbers(kept)["Top insert"] == "1-1"


# --- switching the policy -----------------------------------------------------------------------------------
def test_switching_to_keep_freezes_todays_numbers(renumbered, drafter, reviewer, admin_member):
    applied(remove(drafter, clause(renumbered, "1.1.1"), submit=True), reviewer)
    assert numbers(renumbered)["Second"] == "1.1.1"
    changed = renumbered.change_settings({"numbering": Numbering.KEEP}, user=admin_member.user)
    assert changed == ["numbering"]
    # The clause removed earlier gave its number to the next one: it has none now, and is not shown removed.
    entries = {entry.clause.heading: entry for entry in renumbered.outline()}
    assert entries["First"].number == "" and not entries["First"].kept_removed
    assert entries["Second"].number == "1.1.1" and entries["Third"].number == "1.1.2"
    add(renumbered, "1.1.1", "Inserted", drafter, reviewer)
    assert numbers(renumbered)["Inserted"] == "1.1.1-1"


def test_switching_the_policy_is_recorded_in_history(renumbered, admin_member):
    renumbered.change_settings({"numbering": Numbering.KEEP}, user=admin_member.user)
    row = renumbered.history.order_by("-history_date", "-history_id").first()
    assert row.numbering == Numbering.KEEP
    assert row.history_change_reason == "numbering changed"
    assert row.history_user == admin_member.user


def test_switching_to_renumber_renumbers_as_a_new_edition(kept, drafter, reviewer, admin_member):
    inserted = add(kept, "1.1.1", "Inserted", drafter, reviewer)
    applied(remove(drafter, clause(kept, "1.1.3"), submit=True), reviewer)
    kept.change_settings({"numbering": Numbering.RENUMBER}, user=admin_member.user)
    assert numbers(kept) == {"Introduction": "", "Part one": "1", "Section": "1.1", "First": "1.1.1",
                             "Inserted": "1.1.2", "Second": "1.1.3", "Third": "", "Part two": "2"}
    row = inserted.history.order_by("-history_date", "-history_id").first()
    assert row.number == "1.1.2" and row.history_change_reason == "numbering changed"
    assert row.history_user == admin_member.user


def test_an_unchanged_policy_writes_no_history(kept):
    rows = kept.history.count()
    assert kept.change_settings({"numbering": Numbering.KEEP}) == []
    assert kept.history.count() == rows


# --- as-of reading ----------------------------------------------------------------------------------------
def test_as_of_reading_of_an_old_moment_keeps_its_numbers_and_policy(kept, drafter, reviewer, admin_member):
    add(kept, "1.1.1", "Inserted", drafter, reviewer)
    applied(remove(drafter, clause(kept, "1.1.2"), submit=True), reviewer)
    moment = timezone.now()
    kept.change_settings({"numbering": Numbering.RENUMBER}, user=admin_member.user)
    then = {entry.clause.heading: entry for entry in kept.outline_as_of(moment)}
    assert then["Inserted"].number == "1.1.1-1"
    assert then["Second"].number == "1.1.2" and then["Second"].kept_removed
    assert then["Third"].number == "1.1.3"
    now = {entry.clause.heading: entry for entry in kept.outline_as_of(timezone.now())}
    assert now["Inserted"].number == "1.1.2" and now["Second"].number == "" and now["Third"].number == "1.1.3"
    version = read_version(kept, Point("x", "then", moment))
    assert version.numbering_statement == "Numbering: kept (amending act)"


# --- comparison and exports -------------------------------------------------------------------------------
def _compare(document, old, new):
    return compare_versions_at(document, Point("a", "old", old), Point("b", "new", new))


def test_comparison_says_which_numbering_applies(kept, drafter, reviewer):
    start = timezone.now()
    add(kept, "1.1.1", "Inserted", drafter, reviewer)
    applied(remove(drafter, clause(kept, "1.1.2"), submit=True), reviewer)
    comparison = _compare(kept, start, timezone.now())
    assert comparison.numbering_statement == "Numbering: kept (amending act)"
    rows = {row.clause.heading: row for row in comparison.rows}
    assert rows["Inserted"].is_inserted and rows["Inserted"].number == "1.1.1-1"
    assert rows["Second"].is_removed and rows["Second"].number == "1.1.2"
    assert not rows["Third"].renumbered
    assert comparison.counts["renumbered"] == 0


def test_comparison_under_renumber_says_so(renumbered):
    comparison = _compare(renumbered, timezone.now(), timezone.now())
    assert comparison.numbering_statement == "Numbering: renumbered (new edition)"


def test_compare_page_word_and_pdf_name_the_policy(client, kept, drafter, reviewer, settings):
    settings.LANGUAGE_CODE = "en"
    start = kept.milestones.get().point
    add(kept, "1.1.1", "Inserted", drafter, reviewer)
    login(client, drafter)
    query = f"?old={start}&new=now"
    page = client.get(reverse("versions_compare", args=[kept.slug]) + query, HTTP_ACCEPT_LANGUAGE="en")
    assert "Numbering: kept (amending act)" in page.content.decode()
    word = WordDocument(io.BytesIO(client.get(reverse("versions_docx", args=[kept.slug]) + query).content))
    assert "Numbering: kept (amending act)" in [p.text for p in word.paragraphs]
    inserted = "".join(t.text or "" for t in word.element.body.iter(qn("w:t")))
    assert "1.1.1-1 Inserted" in inserted


def test_compare_pdf_names_the_policy(client, kept, drafter):
    drafter.language = "en"
    drafter.save()
    login(client, drafter)
    response = client.get(reverse("versions_compare_pdf", args=[kept.slug]) + f"?old={kept.milestones.get().point}&new=now")
    assert response.status_code == 200
    text = subprocess.run(["pdftotext", "-", "-"], input=response.content, capture_output=True, check=True).stdout
    assert "Numbering: kept (amending act)" in " ".join(text.decode().split())


def test_word_export_of_a_version_names_the_policy_and_reads_back(client, kept, drafter, reviewer):
    add(kept, "1.1.1", "Inserted", drafter, reviewer)
    login(client, drafter)
    content = client.get(reverse("versions_read_docx", args=[kept.slug]) + "?at=now").content
    paragraphs = [p.text for p in WordDocument(io.BytesIO(content)).paragraphs]
    assert paragraphs[1] in ("Numbering: kept (amending act)", "Nömrələmə: saxlanılır (dəyişiklik aktı)")
    assert "1.1.1-1 Inserted" in paragraphs
    # The file comes back unchanged: no proposal (the derived number is read as a number, not as a new heading).
    from drafting.tracked_changes import read_tracked_changes

    assert read_tracked_changes(content, kept) == []


# --- the outline page -------------------------------------------------------------------------------------
def test_outline_shows_a_removed_clause_by_its_number_under_keep_only(client, kept, renumbered, drafter, reviewer):
    for document in (kept, renumbered):
        applied(remove(drafter, Clause.objects.get(document=document, number="1.1.2"), submit=True), reviewer)
    login(client, drafter)
    page = client.get(reverse("document_detail", args=[kept.slug])).content.decode()
    assert '<span class="number">1.1.2</span>' in page and "removed-clause" in page
    assert "Test clause text two." not in page
    other = client.get(reverse("document_detail", args=[renumbered.slug])).content.decode()
    assert "removed-clause" not in other


# --- provisional numbers and the what-if draft ------------------------------------------------------------
def test_provisional_label_of_an_insert_under_keep_is_its_number(kept, renumbered, drafter):
    amendment = insert(drafter, clause(kept, "1.1.1"), AFTER, "New", "Test clause text.")
    assert amendment.provisional_label() in ("1.1.1-1 (provisional)", "1.1.1-1 (müvəqqəti)")
    other = insert(drafter, clause(renumbered, "1.1.1"), AFTER, "New", "Test clause text.")
    assert "1.1.1" in other.provisional_label() and "1.1.1-1" not in other.provisional_label()


def test_what_if_numbers_several_insertions_together(client, kept, drafter):
    insert(drafter, clause(kept, "1.1.1"), AFTER, "New one", "Test clause text.", submit=True)
    insert(drafter, clause(kept, "1.1.1"), AFTER, "New two", "Test clause text.", submit=True)
    insert(drafter, clause(kept, "1.1.3"), FIRST, "New child", "Test clause text.", submit=True)
    login(client, drafter)
    page = client.get(reverse("what_if", args=[kept.slug])).content.decode()
    for number in ("1.1.1-1", "1.1.1-2", "1.1.3.1"):
        assert number in page


def test_amendment_list_under_keep_reads_provisional_numbers_in_flat_queries(client, kept, drafter, empty_cache):
    login(client, drafter)
    url = reverse("amendment_list", args=[kept.slug])

    def count(n):
        for i in range(n):
            insert(drafter, clause(kept, "1.1.1"), AFTER, f"New {i}", "Test clause text.", submit=True)
        empty_cache()  # every row rendered, its provisional number worked out
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    few = count(1)
    many = count(6)
    assert many == few
    assert "1.1.1-1" in client.get(url).content.decode()


# --- Markdown ---------------------------------------------------------------------------------------------
def test_markdown_round_trip_with_derived_numbers(kept, drafter, reviewer):
    add(kept, "1.1.1", "Inserted", drafter, reviewer)
    applied(remove(drafter, clause(kept, "1.1.2"), submit=True), reviewer)
    kept.refresh_from_db()
    text = render(kept, list(kept.clauses.filter(status=Clause.Status.IN_FORCE)))
    assert "numbering: keep" in text
    assert "#### 1.1.1-1. Inserted" in text and "1.1.2." not in text
    parsed = parse(text)
    assert parsed.numbering == Numbering.KEEP
    assert render(kept, list(kept.clauses.filter(status=Clause.Status.IN_FORCE))) == text
    document, counts = import_document(parsed, slug="round-trip")
    assert document.numbering == Numbering.KEEP
    assert numbers(document)["Inserted"] == "1.1.1-1"
    assert render(document, list(document.clauses.all())) == text


def test_markdown_derived_numbers_are_not_numbers_without_numbering_keep():
    # As before the policy existed: "1-1. Inserted" is an unnumbered part's heading, and "1.1-1." no number.
    parsed = parse("# T\n\n## 1. One\n\n## 1-1. Inserted\n")
    assert parsed.clauses[1].number == "" and parsed.clauses[1].heading == "1-1. Inserted"
    with pytest.raises(FormatError, match="does not follow its place"):
        parse("# T\nnumbering: renumber\n\n## 1. One\n\n## 3. Three\n")


@pytest.mark.parametrize("source, message", [
    ("# T\nnumbering: keep\n\n## 2. Two\n\n## 1. One\n", "does not come after"),
    ("# T\nnumbering: keep\n\n## 1. One\n\n### 2.1. Wrong parent\n", "not under its parent"),
    ("# T\nnumbering: keep\n\n## 1. One\n\n## 1. Again\n", "does not come after"),
])
def test_markdown_kept_numbers_must_be_under_their_parent_and_in_order(source, message):
    with pytest.raises(FormatError, match=message):
        parse(source)


def test_markdown_numbering_line_with_another_word_is_description():
    parsed = parse("# T\nnumbering: sometimes\n\n## 1. One\n")
    assert parsed.numbering == "" and parsed.description == "numbering: sometimes"


def test_markdown_unnumbered_heading_that_reads_as_a_derived_number_is_escaped(kept):
    part = Clause.objects.get(document=kept, heading="Introduction")
    part.heading = "2007-1. A part"
    part.save()
    text = render(kept, list(kept.clauses.all()))
    assert "## \\2007-1. A part" in text
    assert [c.heading for c in parse(text).clauses][0] == "2007-1. A part"


# --- Word import ------------------------------------------------------------------------------------------
@pytest.mark.parametrize("text, number", [("4.1.1-1 A heading", "4.1.1-1"), ("4.1.1-1-1. Text", "4.1.1-1-1"),
                                          ("3-1. Heading", "3-1"), ("4.1.1-1.2 Sub", "4.1.1-1.2")])
def test_word_import_recognises_derived_numbers(text, number):
    match = NUMBERED.match(text)
    assert next(group for group in match.groups() if group) == number
    assert NUMBERED_HEADING.match(text).group(1) == number


# --- the Settings page ------------------------------------------------------------------------------------
def _post(client, document, **data):
    values = {"quorum": document.quorum, "marking": document.marking,
              "authoritative_language": document.authoritative_language,
              "translation_language": document.translation_language, **data}
    return client.post(reverse("document_settings", args=[document.slug]), values)


def test_admin_chooses_keep_numbers_on_the_settings_page(client, renumbered, admin_member):
    login(client, admin_member)
    page = client.get(reverse("document_settings", args=[renumbered.slug])).content.decode()
    assert 'name="numbering"' in page
    response = _post(client, renumbered, numbering="keep")
    assert response.status_code == 302
    renumbered.refresh_from_db()
    assert renumbered.numbering == Numbering.KEEP
    assert renumbered.history.first().history_user == admin_member.user


@pytest.mark.parametrize("value", ["", "KEEP", "freeze", "keep\x00", "٣", "k" * 10_000])
def test_odd_values_of_the_numbering_setting_are_refused(client, renumbered, admin_member, value):
    login(client, admin_member)
    response = _post(client, renumbered, numbering=value)
    assert response.status_code == 200
    assert 'name="numbering"' in response.content.decode()
    renumbered.refresh_from_db()
    assert renumbered.numbering == Numbering.RENUMBER


def test_a_settings_post_without_numbering_keeps_it(client, kept, admin_member):
    login(client, admin_member)
    response = client.post(reverse("document_settings", args=[kept.slug]), {"quorum": 2})
    assert response.status_code == 302
    kept.refresh_from_db()
    assert kept.numbering == Numbering.KEEP and kept.quorum == 2


def test_only_admins_change_the_numbering(client, renumbered, drafter, reviewer):
    for member in (drafter, reviewer):
        login(client, member)
        assert _post(client, renumbered, numbering="keep").status_code == 403
        page = client.get(reverse("document_settings", args=[renumbered.slug])).content.decode()
        assert 'name="numbering"' not in page
    renumbered.refresh_from_db()
    assert renumbered.numbering == Numbering.RENUMBER


def test_the_admin_site_cannot_switch_the_numbering():
    from django.contrib import admin

    assert "numbering" in admin.site._registry[Document].readonly_fields


def test_in_reading_order_defaults_to_renumber(kept):
    entries = in_reading_order(kept.clauses.all())
    assert [e.number for e in entries if e.clause.heading == "Third"] == ["1.1.3"]


def test_importing_a_keep_file_into_a_renumber_document_switches_it_and_stores_its_numbers(renumbered):
    source = SOURCE.replace("numbering", "").replace("# Numbering Test Document\n", "# Numbering Test Document\nnumbering: keep\n")
    source = source.replace("#### 1.1.2. Second", "#### 1.1.1-1. Inserted in the file\n\nTest clause text.\n\n#### 1.1.2. Second")
    document, counts = import_document(parse(source), document=renumbered)
    assert counts["created"] == 1
    assert document.numbering == Numbering.KEEP
    assert numbers(document)["Inserted in the file"] == "1.1.1-1"
    assert numbers(document)["Second"] == "1.1.2"


def test_a_version_read_and_printed_shows_a_removed_clause_by_its_number_under_keep(client, kept, drafter, reviewer):
    applied(remove(drafter, clause(kept, "1.1.2"), submit=True), reviewer)
    drafter.language = "en"
    drafter.save()
    login(client, drafter)
    page = client.get(reverse("versions_read", args=[kept.slug]) + "?at=now").content.decode()
    assert '<span class="number">1.1.2</span> (removed)' in page
    assert "Numbering: kept (amending act)." in page and "Test clause text two." not in page
    with_lines = client.get(reverse("versions_read", args=[kept.slug]) + "?at=now&lines=on").content.decode()
    assert "1.1.2 (removed)" in with_lines
    pdf = client.get(reverse("versions_pdf", args=[kept.slug]) + "?at=now").content
    text = subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True).stdout.decode()
    assert "1.1.2 (removed)" in text


def test_a_version_of_a_renumber_document_shows_no_removed_clause(client, renumbered, drafter, reviewer):
    applied(remove(drafter, clause(renumbered, "1.1.2"), submit=True), reviewer)
    login(client, drafter)
    page = client.get(reverse("versions_read", args=[renumbered.slug]) + "?at=now").content.decode()
    assert "removed-clause" not in page and "Test clause text two." not in page


def test_the_amendment_list_offers_clauses_in_reading_order_with_derived_numbers(kept, drafter, reviewer):
    new = add(kept, "1.1.1", "Inserted", drafter, reviewer)
    for number in ("1.1.2", "1.1.1"):
        insert(drafter, clause(kept, number), AFTER, "New", "Test clause text.")
    insert(drafter, new, AFTER, "New", "Test clause text.")
    entries = Amendment.objects.filter(document=kept).clause_entries()
    assert [e.number for e in entries] == ["1.1.1", "1.1.1-1", "1.1.2"]


def test_number_key_reads_any_decimal_digits_and_ignores_others():
    assert number_key("٣.1") == ((3,), (1,))
    assert number_key("2²") == ((),)
