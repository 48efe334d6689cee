"""The Word import as an admin uses it: upload, read the preview with its warnings (and, for a new version,
the comparison), confirm; at a laptop's and a phone's width, with axe. SCREENSHOT_DIR=/work/screens/word saves
each page."""
import pytest
from django.urls import reverse

from drafting.importer import import_document
from drafting.models import Document, Member
from drafting.word_import import read_docx

from ..builders import make_member
from ..word_files import TITLE, python_docx_file, replace_in_document_xml
from .conftest import accessibility_problems, overflows_horizontally, sign_in
from .test_layout_browser import LAPTOP, PHONE, screenshot

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def checked(page, name, viewport, axe_source):
    screenshot(page, name, viewport)
    problems = accessibility_problems(page, axe_source)
    if overflows_horizontally(page):
        problems.append(f"{page.evaluate('document.documentElement.scrollWidth')} px wide")
    assert problems == [], f"{name}: " + "\n".join(problems)


@pytest.mark.parametrize("viewport", [LAPTOP, PHONE], ids=["1280px", "390px"])
def test_an_admin_uploads_reads_the_preview_and_confirms(new_page, transactional_db, axe_source, viewport):
    make_member("word_admin", Member.Role.ADMIN, full_name="Word Admin")
    page = sign_in(new_page(viewport=viewport), "word_admin")
    page.goto(reverse("word_import_new"))
    checked(page, "word-import-form", viewport, axe_source)
    page.set_input_files("#id_file", files=[{"name": "sinaq.docx", "mimeType": DOCX, "buffer": python_docx_file()}])
    page.select_option("#id_language", "az")
    page.get_by_role("button", name="Show the preview").click()
    page.wait_for_selector(".import-preview")
    assert "read as the closing text of 2" in page.inner_text(".import-preview")
    assert page.locator(".import-preview ol.text-list.lettered > li").count() == 2  # the list shown as a list
    assert not Document.objects.filter(title=TITLE).exists()
    checked(page, "word-import-preview", viewport, axe_source)
    page.get_by_role("button", name="Confirm import").click()
    page.wait_for_url("**/d/*/")
    assert Document.objects.filter(title=TITLE).exists()
    assert "Ərazi bütövlüyü" in page.content()
    # The outline page itself is not checked here: it links an Azerbaijani-only heading by its English field
    # (empty), which the bilingual work on the outline replaces.
    screenshot(page, "word-import-done", viewport)

    document = Document.objects.get(title=TITLE)
    page.goto(reverse("word_import", args=[document.slug]))
    changed = replace_in_document_xml(python_docx_file(), "Ümumi müddəalar.".encode(), "Yeni müddəalar.".encode())
    page.set_input_files("#id_file", files=[{"name": "sinaq-2.docx", "mimeType": DOCX, "buffer": changed}])
    page.get_by_role("button", name="Show the preview").click()
    page.wait_for_selector(".comparison")
    assert page.locator(".comparison ins", has_text="Yeni").count() >= 1
    checked(page, "word-import-new-version-preview", viewport, axe_source)


@pytest.mark.parametrize("viewport", [LAPTOP, PHONE], ids=["1280px", "390px"])
def test_a_drafter_uploads_tracked_changes_and_sees_the_amendments(new_page, transactional_db, axe_source, viewport):
    make_member("word_drafter", Member.Role.DRAFTER, full_name="Word Drafter")
    document, _ = import_document(read_docx(python_docx_file(), language="az").parsed, slug="sinaq")
    page = sign_in(new_page(viewport=viewport), "word_drafter")
    with page.expect_download() as download:
        page.goto(reverse("versions_read", args=[document.slug]))
        page.get_by_role("link", name="Download in Word, to edit with tracked changes").click()
    data = open(download.value.path(), "rb").read()
    edited = replace_in_document_xml(data, "Ümumi müddəalar.".encode(), "Yeni müddəalar.".encode())
    page.get_by_role("link", name="Upload it back with tracked changes").click()
    checked(page, "tracked-changes-form", viewport, axe_source)
    page.set_input_files("#id_file", files=[{"name": "agentlik.docx", "mimeType": DOCX, "buffer": edited}])
    page.get_by_role("button", name="Show the amendments").click()
    page.wait_for_selector(".import-preview")
    assert "Yeni müddəalar." in page.inner_text(".import-preview")
    checked(page, "tracked-changes-preview", viewport, axe_source)
    page.get_by_role("button", name="Create the draft amendments").click()
    page.wait_for_url("**/amendments/")
    checked(page, "tracked-changes-created", viewport, axe_source)
