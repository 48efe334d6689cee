"""Lists, footnotes and closing texts kept in every export (issue 14, point 2): the version's Word file (read
back exactly), the comparison's Word file, the PDF and the web page with line numbers (which agree), the
Markdown file (tests/test_structure.py), and every page that shows a clause without a 500."""
from io import BytesIO

import pytest
from django.urls import reverse
from docx import Document as WordDocument

from drafting.comparison import NOW, read_version, resolve_point
from drafting.exports.docx import version_docx
from drafting.models import Amendment, Clause, Review
from drafting.word_import import read_docx

from .amendment_builders import modify_texts
from .builders import make_structured_document
from .conftest import login
from .test_line_numbers import numbered, pdf_pages, web_lines

pytestmark = pytest.mark.django_db


def now(document):
    return read_version(document, resolve_point(document, NOW))


def test_the_word_export_writes_the_closing_text_in_its_style_and_list_paragraphs_indented():
    document = make_structured_document()
    word = WordDocument(BytesIO(version_docx(now(document), slug=document.slug, language="az")))
    styles = {paragraph.text: paragraph.style.name for paragraph in word.paragraphs}
    assert styles["Bölmənin yekun test mətni."] == "Closing Text 2"
    assert styles["a) birinci sahə;\nb) ikinci sahə[^1];\nc) üçüncü sahə;\nç) dördüncü sahə."] == "List Paragraph"
    assert styles["[^1]: Test qeydi: ölkə."] == "List Paragraph"
    assert styles["Test sahələri aşağıdakılardır:"] == "Normal"


def test_the_word_export_reads_back_as_the_same_texts_and_closing_part():
    document = make_structured_document()
    read = read_docx(version_docx(now(document), slug=document.slug, language="az"), language="az")
    assert not read.warnings
    stored = {(entry.clause.number, entry.clause.is_closing): entry.clause.body_az for entry in document.outline()}
    parsed = {(clause.number, clause.closing): clause.body_az for clause in read.parsed.walk()}
    assert parsed == stored


def test_the_pdf_and_the_web_page_number_list_items_and_notes_as_the_same_lines(client, drafter):
    document = make_structured_document()
    login(client, drafter)
    web, _pages = web_lines(client, document)
    response = client.get(reverse("versions_pdf", args=[document.slug]))
    assert response.status_code == 200
    printed = {}
    for page in pdf_pages(response.content):
        printed.update(numbered(page))
    assert printed == web
    texts = list(web.values())
    # Each item and the note start a line of their own; the closing text follows 2.2.
    for line in ("a) birinci sahə;", "ç) dördüncü sahə.", "[^1]: Test qeydi: ölkə.", "- tire ilə bənd"):
        assert line in texts
    assert texts.index("İkinci alt bəndin mətni.") < texts.index("Bölmənin yekun test mətni.")


def test_a_changed_closing_text_and_list_item_show_in_every_comparison(client, drafter, reviewer):
    document = make_structured_document()
    milestone = document.milestones.get()
    section = Clause.objects.get(document=document, number="2")
    closing = section.children.get(role=Clause.Role.CLOSING)
    for clause, body in ((closing, "Bölmənin yeni yekun mətni."),
                         (section, section.body_az.replace("b) ikinci sahə[^1];", "b) ikinci sahə[^1];\nb1) yox;")
                          .replace("c) üçüncü sahə;", "c) əlavə sahə;\nç) üçüncü sahə;"))):
        amendment = modify_texts(drafter, clause, {"az": (clause.heading_az, body)}, submit=True)
        assert amendment.review(reviewer, Review.Decision.APPROVE) == Amendment.State.APPLIED
    login(client, drafter)
    query = {"old": milestone.point, "new": "now"}
    page = client.get(reverse("versions_compare", args=[document.slug]), query)
    assert page.status_code == 200
    html = page.content.decode()
    # The inserted item is one inserted item (whichever of the two like items the new one is taken to be).
    assert "<ins>ç) üçüncü sahə;\n</ins>" in html or "<ins>c) əlavə sahə;\n</ins>" in html
    assert "<ins>b1) yox;\n</ins>" in html or "<ins>\nb1) yox;</ins>" in html
    assert '<span class="closing-label">Closing text</span>' in html and "<ins>yeni" in html
    for name in ("versions_docx", "versions_compare_pdf"):
        assert client.get(reverse(name, args=[document.slug]), query).status_code == 200
    word = WordDocument(BytesIO(client.get(reverse("versions_docx", args=[document.slug]), query).content))
    assert "Closing text" in [paragraph.text for paragraph in word.paragraphs]
    assert '<span class="closing-label">Closing text</span>' in client.get(
        reverse("versions_read", args=[document.slug])).content.decode()
    for url in (document.get_absolute_url(), reverse("what_if", args=[document.slug]),
                reverse("versions_read", args=[document.slug]), closing.get_absolute_url(),
                reverse("versions_markdown", args=[document.slug]), reverse("versions_read_docx", args=[document.slug])):
        assert client.get(url).status_code == 200, url
