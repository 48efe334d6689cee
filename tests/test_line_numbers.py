"""Line numbers and the PDF for meetings (issue 14, point 5): the app lays the text out in lines of a fixed length,
the web page's "Line numbers" view and the PDF print the same lines on the same pages, and an amendment is cited
by the page and lines it changes."""
import re
import subprocess
import textwrap
from html import unescape

import pytest
from django.urls import reverse
from hypothesis import given, settings
from hypothesis import strategies as st

from drafting.line_numbers import LINE_LENGTH, LINES_PER_PAGE, Layout, citation, version_layout, wrap
from drafting.models import Amendment, ExportEvent
from drafting.redline import DELETE, EQUAL, INSERT, Piece, redline

from .amendment_builders import insert, modify, remove
from .builders import make_document, make_member
from .conftest import login

NOT_ENTERED = "Text not yet entered."
WORDS = st.text(alphabet=st.characters(blacklist_categories=("Cs", "Zs", "Zl", "Zp", "Cc")), min_size=1, max_size=14)


def _text(line):
    return "".join(piece.text for piece in line.pieces)


def pdf_pages(content):
    """The PDF's text page by page (pdftotext keeps the layout, so a row reads "  12 words of the line")."""
    text = subprocess.run(["pdftotext", "-layout", "-", "-"], input=content, capture_output=True, check=True).stdout
    return text.decode("utf-8").split("\f")


def numbered(page):
    """{line number: the line's text} of one PDF page."""
    lines = {}
    for row in page.splitlines():
        if match := re.match(r"^\s*(\d+)\s{2,}(\S.*)$", row):
            lines[int(match[1])] = " ".join(match[2].split())
    return lines


# --- The layout, against an independent oracle ---------------------------------------------------------------

@settings(max_examples=300, deadline=None)
@given(st.lists(st.lists(WORDS, min_size=1, max_size=40), min_size=1, max_size=4), st.sampled_from([" ", "  ", "\t"]))
def test_lines_break_between_words_as_textwrap_does(paragraphs, space):
    """Greedy filling at LINE_LENGTH, each paragraph on new lines, runs of white space read as one: what Python's
    textwrap does with the same words (words no longer than a line; those longer are cut, tested below)."""
    text = "\n".join(space.join(words) for words in paragraphs)
    expected = [line for words in paragraphs
                for line in textwrap.wrap(" ".join(words), LINE_LENGTH, break_long_words=False, break_on_hyphens=False)]
    assert [_text(line) for line in wrap([Piece(EQUAL, text)])] == expected


@settings(max_examples=200, deadline=None)
@given(st.text(min_size=0, max_size=600))
def test_no_line_is_longer_than_the_line_length_and_no_word_is_lost(text):
    lines = [_text(line) for line in wrap([Piece(EQUAL, text)])]
    assert all(0 < len(line) <= LINE_LENGTH for line in lines)
    assert "".join("".join(lines).split()) == "".join(text.split())


def test_a_word_longer_than_a_line_is_cut_at_the_line_length():
    lines = [_text(line) for line in wrap([Piece(EQUAL, "short " + "ə" * 200 + " end")])]
    assert lines == ["short", "ə" * LINE_LENGTH, "ə" * LINE_LENGTH, "ə" * 56 + " end"]


@settings(max_examples=200, deadline=None)
@given(st.text(min_size=0, max_size=300), st.text(min_size=0, max_size=300))
def test_a_redline_takes_the_room_of_its_deleted_and_inserted_words(old, new):
    """Each side of the redline's lines, read in order, is that side's text (white space aside)."""
    lines = wrap(redline(old, new))
    assert all(len(_text(line)) <= LINE_LENGTH for line in lines)
    for side, text in ((INSERT, old), (DELETE, new)):
        kept = "".join(piece.text for line in lines for piece in line.pieces if piece.op != side)
        assert "".join(kept.split()) == "".join(text.split())


def test_each_line_knows_the_characters_of_the_text_it_holds():
    body = " ".join(f"word{i}" for i in range(60))
    for line in wrap([Piece(EQUAL, body)]):
        assert body[line.start:line.end] == _text(line)


def test_pages_hold_a_fixed_number_of_rows_and_notices_take_a_row_but_no_number():
    layout = Layout()
    layout.note(NOT_ENTERED)
    for i in range(LINES_PER_PAGE + 5):
        layout.add(f"line {i}")
    assert layout.rows[0].number is None and layout.rows[1].number == 1
    assert [len(page) for page in layout.pages] == [LINES_PER_PAGE, 6]
    assert layout.pages[1][0].number == LINES_PER_PAGE and layout.pages[1][0].page == 2


# --- The web page and the PDF agree --------------------------------------------------------------------------

@pytest.fixture
def long_document(db):
    """A document of more than one page, with Azerbaijani letters in the headings."""
    return make_document(60, slug="long")


def numbered_on_the_web(html):
    """{line number: the line's text} of a page with line numbers, its markup taken off and its text unescaped."""
    return {int(number): " ".join(unescape(re.sub(r"<[^>]+>", "", text)).split()) for number, text in
            re.findall(r'<span class="line-no">(\d+)</span><span class="line-text">(.*?)</span></div>', html)}


def web_lines(client, document, **query):
    response = client.get(reverse("versions_read", args=[document.slug]), {"lines": "on", **query})
    assert response.status_code == 200
    html = response.content.decode()
    return numbered_on_the_web(html), re.findall(r'<p class="page-mark">Page (\d+)</p>', html)


def test_the_pdf_numbers_every_line_as_the_web_page_does_page_by_page(client, drafter, long_document):
    login(client, drafter)
    web, web_pages = web_lines(client, long_document)
    response = client.get(reverse("versions_pdf", args=[long_document.slug]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    pages = [page for page in pdf_pages(response.content) if page.strip()]
    assert len(pages) == len(web_pages) > 1
    printed = {}
    for page_number, page in enumerate(pages, start=1):
        on_page = numbered(page)
        printed.update(on_page)
        # Each page starts where the app said it does.
        layout_rows = [row for row in version_layout(_now(long_document), "en", NOT_ENTERED).pages[page_number - 1]
                       if row.number is not None]
        assert min(on_page) == layout_rows[0].number and max(on_page) == layout_rows[-1].number
    assert printed == web


def _now(document):
    from drafting.comparison import NOW, read_version, resolve_point

    return read_version(document, resolve_point(document, NOW))


def test_the_pdf_of_a_comparison_numbers_the_redline_and_holds_both_sides(client, drafter, reviewer, concept):
    from drafting.models import Review

    clause = concept.clauses.get(number="4.1.1")
    amendment = modify(drafter, clause, body=clause.body.replace("territorial integrity", "sovereignty"), submit=True)
    assert amendment.review(reviewer, Review.Decision.APPROVE) == Amendment.State.APPLIED
    login(client, drafter)
    response = client.get(reverse("versions_compare_pdf", args=[concept.slug]),
                          {"old": concept.milestones.get().point, "new": "now", "text": "en"})
    assert response.status_code == 200
    text = " ".join(" ".join(pdf_pages(response.content)).split())
    assert "territorial integrity" in text and "sovereignty" in text
    assert re.search(r"\n\s*1\s{2,}\S", pdf_pages(response.content)[0])


def test_the_amendment_list_cites_the_page_and_lines_each_open_amendment_changes(client, drafter, long_document):
    clause = long_document.clauses.get(number="5.3")
    lines, _pages = web_lines(login(client, drafter) or client, long_document)
    heading_line = next(number for number, text in lines.items() if text.startswith("5.3 Clause 5.3"))
    changed = modify(drafter, clause, body=clause.body.replace("Second paragraph", "Third paragraph"))
    removed = remove(drafter, long_document.clauses.get(number="2"))
    inserted = insert(drafter, long_document.clauses.get(number="1.4"), Amendment.Placement.AFTER, "New", "New text.")
    layout = version_layout(_now(long_document), "en", NOT_ENTERED)
    # The body's second paragraph is two lines below the heading (first paragraph, then the second).
    assert (citation(changed, layout, "en").first.number, citation(changed, layout, "en").last.number) == (
        heading_line + 2, heading_line + 2)
    section_2 = layout.lines_under(long_document.clauses.get(number="2").pk)
    assert citation(removed, layout, "en").first == section_2[0] and citation(removed, layout, "en").last == section_2[-1]
    assert len(section_2) > 10  # the section and its nine sub-clauses
    anchor = layout.lines_of(long_document.clauses.get(number="1.4").pk)
    assert citation(inserted, layout, "en").after and citation(inserted, layout, "en").last == anchor[-1]
    response = client.get(reverse("amendments_pdf", args=[long_document.slug]))
    text = " ".join(" ".join(pdf_pages(response.content)).split())
    page = (heading_line + 2 - 1) // LINES_PER_PAGE + 1  # a row per line on these pages: no notices above
    assert f"p. {page}, l. {heading_line + 2}" in text
    assert f"p. 1, after l. {anchor[-1].number}" in text


def test_a_changed_heading_is_cited_on_the_heading_line(drafter, long_document):
    clause = long_document.clauses.get(number="3.2")
    layout = version_layout(_now(long_document), "en", NOT_ENTERED)
    cited = citation(modify(drafter, clause, heading="Renamed clause"), layout, "en")
    assert cited.first == cited.last == layout.lines_of(clause.pk, "heading")[0]


def test_every_pdf_is_traced_and_carries_the_marking_on_every_page(client, drafter, long_document):
    long_document.marking = "For official use only"
    long_document.save()
    login(client, drafter)
    for name, query in (("versions_pdf", {}), ("versions_compare_pdf", {"old": "now"}), ("amendments_pdf", {}),
                        ("disposition_pdf", {})):
        before = ExportEvent.objects.count()
        response = client.get(reverse(name, args=[long_document.slug]), query)
        assert response.status_code == 200, name
        assert ExportEvent.objects.count() == before + 1
        assert ExportEvent.objects.latest("pk").format == ExportEvent.Format.PDF
        for page in [p for p in pdf_pages(response.content) if p.strip()]:
            assert "FOR OFFICIAL USE ONLY" in page and f"Exported for {drafter.full_name}" in page, name


def test_the_disposition_pdf_never_holds_another_members_draft(client, drafter, second_drafter, concept):
    clause = concept.clauses.get(number="4.1.1")
    modify(second_drafter, clause, body="zirconwillow5521 is a private draft.")
    shared = modify(drafter, clause, body="A submitted rewording.", submit=True)
    login(client, drafter)
    text = " ".join(" ".join(pdf_pages(client.get(reverse("disposition_pdf", args=[concept.slug])).content)).split())
    assert shared.label in text and "zirconwillow5521" not in text
    amendments = " ".join(" ".join(pdf_pages(client.get(reverse("amendments_pdf", args=[concept.slug])).content)).split())
    assert shared.label in amendments and f"A-{shared.number - 1} " not in amendments


@pytest.mark.need_to_know
def test_a_pdf_of_a_document_the_member_is_not_on_is_not_found(client, db, long_document):
    stranger = make_member("stranger")  # a member of the group, not given this document
    login(client, stranger)
    before = ExportEvent.objects.count()
    for name in ("versions_pdf", "versions_compare_pdf", "amendments_pdf", "disposition_pdf"):
        assert client.get(reverse(name, args=[long_document.slug])).status_code == 404
    assert ExportEvent.objects.count() == before


@pytest.mark.parametrize("raw", ["²", "\x00", "9999-12-31", "m" + "9" * 30])
def test_a_pdf_of_a_point_that_cannot_be_read_is_answered_with_a_message(client, drafter, long_document, raw):
    login(client, drafter)
    for name, parameter in (("versions_pdf", "at"), ("versions_compare_pdf", "old")):
        response = client.get(reverse(name, args=[long_document.slug]), {parameter: raw})
        assert response.status_code == 400 and b"Versions" in response.content, (name, raw)


def test_odd_text_is_printed_and_numbered_never_an_error(client, drafter, long_document):
    clause = long_document.clauses.get(number="1.1")
    clause.body = "Ünicode ٣٤ digits, a tab\there, <script>alert(1)</script> & " + "x" * 500 + "\n\n\nend\x0b."
    clause.save()
    login(client, drafter)
    response = client.get(reverse("versions_pdf", args=[long_document.slug]))
    assert response.status_code == 200
    text = " ".join(" ".join(pdf_pages(response.content)).split())
    assert "<script>alert(1)</script>" in text and "Ünicode ٣٤ digits" in text
    web = client.get(reverse("versions_read", args=[long_document.slug]), {"lines": "on"}).content.decode()
    assert "<script>alert(1)</script>" not in web and "&lt;script&gt;" in web


def test_a_bilingual_document_is_laid_out_in_the_language_asked_for(client, drafter, long_document):
    long_document.authoritative_language, long_document.translation_language = "az", "en"
    long_document.save()
    login(client, drafter)
    az_lines, _ = web_lines(client, long_document, text="az")
    assert any("Bölmə 1 — ğüşıöçə" in text for text in az_lines.values())
    en_lines, _ = web_lines(client, long_document, text="en")
    assert not any("Bölmə" in text for text in en_lines.values())
    response = client.get(reverse("versions_pdf", args=[long_document.slug]), {"text": "az"})
    assert "Bölmə 1 — ğüşıöçə" in " ".join(" ".join(pdf_pages(response.content)).split())
    assert response["Content-Disposition"].endswith('-az.pdf"')


def test_a_comparison_with_line_numbers_reads_on_the_web_as_in_its_pdf(client, drafter, reviewer, long_document):
    from drafting.models import Review

    clause = long_document.clauses.get(number="4.2")
    amendment = modify(drafter, clause, body=clause.body.replace("First paragraph", "Opening paragraph"), submit=True)
    assert amendment.review(reviewer, Review.Decision.APPROVE) == Amendment.State.APPLIED
    login(client, drafter)
    query = {"old": long_document.milestones.get().point, "new": "now"}
    html = client.get(reverse("versions_compare", args=[long_document.slug]), {**query, "lines": "on"}).content.decode()
    web = numbered_on_the_web(html)
    assert "<del>First</del><ins>Opening</ins>" in html.replace(" ", "") or "<del>First</del> <ins>Opening</ins>" in html
    response = client.get(reverse("versions_compare_pdf", args=[long_document.slug]), query)
    printed = {}
    for page in pdf_pages(response.content):
        printed.update(numbered(page))
    assert printed == web and len(web) > LINES_PER_PAGE


def test_a_text_longer_than_one_pdf_holds_is_offered_in_parts_numbered_as_the_whole(client, drafter, long_document,
                                                                                     settings):
    settings.PDF_MAX_PAGES = 2
    login(client, drafter)
    web, web_pages = web_lines(client, long_document)
    assert len(web_pages) > 2
    url = reverse("versions_pdf", args=[long_document.slug])
    for odd in ("", "0", "²", "99", "-1", "1" * 30):
        offer = client.get(url, {"part": odd})
        assert offer.status_code == 200 and offer["Content-Type"].startswith("text/html"), odd
        assert "Pages 1–2" in offer.content.decode() and "part=2" in offer.content.decode()
    before = ExportEvent.objects.count()
    second = client.get(url, {"part": "2"})
    assert second["Content-Type"] == "application/pdf" and second["Content-Disposition"].endswith('-pages-3-4.pdf"')
    printed = {}
    for page in pdf_pages(second.content):
        printed.update(numbered(page))
    layout = version_layout(_now(long_document), "en", NOT_ENTERED)
    expected = {row.number for page in layout.pages[2:4] for row in page if row.number}
    assert set(printed) == expected and all(printed[n] == web[n] for n in printed)
    assert ExportEvent.objects.count() == before + 1
    assert ExportEvent.objects.latest("pk").version.endswith("pages 3–4")
