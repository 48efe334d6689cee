"""Agencies' Word tracked changes become draft amendments (issue 14, point 4): the Word export of a version,
edited as Word edits (w:ins / w:del with author and date, a deleted paragraph mark, an inserted paragraph),
uploaded back, previewed, then confirmed."""
from datetime import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from docx.oxml.ns import qn
from lxml import etree

from drafting.importer import import_document
from drafting.models import Amendment, Clause
from drafting.word_import import read_docx

from .builders import make_member
from .conftest import login
from .word_files import CLOSING, edit_document_xml, python_docx_file

AUTHOR = "Agentlik Əməkdaşı"
DATE = "2026-11-30T10:00:00Z"
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


@pytest.fixture
def sinaq(db):
    document, _ = import_document(read_docx(python_docx_file(), language="az").parsed, slug="sinaq")
    return document


def exported(client, document):
    response = client.get(reverse("versions_read_docx", args=[document.slug]), {"at": "now"})
    assert response.status_code == 200
    return response.content


def _mark(tag, **extra):
    element = etree.Element(qn(tag))
    element.set(qn("w:id"), str(extra.pop("id", 900)))
    element.set(qn("w:author"), AUTHOR)
    element.set(qn("w:date"), DATE)
    return element


def _run(text, deleted=False):
    run = etree.Element(qn("w:r"))
    t = etree.SubElement(run, qn("w:delText" if deleted else "w:t"))
    t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    t.text = text
    return run


def _paragraph(root, text):
    for p in root.iter(qn("w:p")):
        if "".join(t.text or "" for t in p.iter(qn("w:t"))) == text:
            return p
    raise AssertionError(f"no paragraph {text!r}")


def _track_mark(p, tag):
    properties = p.find(qn("w:pPr"))
    if properties is None:
        properties = etree.Element(qn("w:pPr"))
        p.insert(0, properties)
    run_properties = etree.SubElement(properties, qn("w:rPr"))
    run_properties.append(_mark(tag))


def _delete_all(p):
    for run in list(p.iter(qn("w:r"))):
        text = "".join(t.text or "" for t in run.iter(qn("w:t")))
        wrapper = _mark("w:del")
        wrapper.append(_run(text, deleted=True))
        run.addprevious(wrapper)
        run.getparent().remove(run)
    _track_mark(p, "w:del")


def as_word_edits(root):
    """What an agency does in Word with Track Changes on."""
    # 1: a word replaced.
    p = _paragraph(root, "Ümumi müddəalar.")
    for run in p.findall(qn("w:r")):
        p.remove(run)
    deleted, inserted = _mark("w:del"), _mark("w:ins")
    deleted.append(_run("Ümumi", deleted=True))
    inserted.append(_run("Yeni"))
    p.extend([deleted, inserted, _run(" müddəalar.")])
    # A new section after 1: an inserted heading paragraph and its text.
    heading = etree.Element(qn("w:p"))
    properties = etree.SubElement(heading, qn("w:pPr"))
    etree.SubElement(properties, qn("w:pStyle")).set(qn("w:val"), "Heading1")
    wrapper = _mark("w:ins")
    wrapper.append(_run("Yeni bölmə"))
    heading.append(wrapper)
    _track_mark(heading, "w:ins")
    text = etree.Element(qn("w:p"))
    wrapper = _mark("w:ins")
    wrapper.append(_run("Yeni bölmənin mətni."))
    text.append(wrapper)
    _track_mark(text, "w:ins")
    p.addnext(heading)
    heading.addnext(text)
    # 2.2: words inserted at the end of its text.
    p = _paragraph(root, "Sərhədlər qorunur.")
    words = _mark("w:ins")
    words.append(_run(" Hər gün."))
    p.append(words)
    # 2's closing text (its own part, after 2.2, with no heading paragraph): a sentence inserted.
    p = _paragraph(root, CLOSING)
    words = _mark("w:ins")
    words.append(_run(" Sınaq cümləsi."))
    p.append(words)
    # The final provisions deleted whole.
    _delete_all(_paragraph(root, "Yekun müddəalar"))
    _delete_all(_paragraph(root, "Sənəd qəbul edildiyi gündən qüvvəyə minir."))


def upload(client, document, data, name="agentlik.docx"):
    return client.post(reverse("tracked_changes", args=[document.slug]), {"file": SimpleUploadedFile(name, data)})


def test_tracked_changes_become_draft_amendments_once_confirmed(as_drafter, drafter, sinaq):
    data = exported(as_drafter, sinaq)
    moment = datetime.now().astimezone()
    response = upload(as_drafter, sinaq, edit_document_xml(data, as_word_edits))
    assert response.status_code == 200
    proposals = response.context["proposals"]
    assert [(p.kind, p.number) for p in proposals] == [
        ("modify", "1"), ("insert", "1"), ("modify", "2.2"), ("modify", ""), ("remove", "")]
    assert not Amendment.objects.exists()  # nothing before the confirmation
    page = response.content.decode()
    assert "<del>Ümumi</del> <ins>Yeni</ins> müddəalar." in page and AUTHOR in page
    assert "Create the draft amendments" in page
    response = as_drafter.post(reverse("tracked_changes", args=[sinaq.slug]),
                               {"token": response.context["confirm"]["token"].value()})
    assert response.status_code == 302
    made = list(Amendment.objects.order_by("number"))
    assert [a.kind for a in made] == ["modify", "insert", "modify", "modify", "remove"]
    assert all(a.author == drafter and a.state == Amendment.State.DRAFT for a in made)
    assert all(AUTHOR in a.rationale and "2026-11-30" in a.rationale and "agentlik.docx" in a.rationale for a in made)
    first, new, merged, closing, removed = made
    assert first.proposed_body_az == "Yeni müddəalar." and first.proposed_heading_az == "Təhlükəsizlik mühiti"
    assert first.base.history_date <= moment and first.base.id == first.clause_id
    assert new.placement == Amendment.Placement.AFTER and new.clause.number == "1"
    assert new.proposed_heading_az == "Yeni bölmə" and new.proposed_body_az == "Yeni bölmənin mətni."
    assert merged.proposed_body_az == "Sərhədlər qorunur. Hər gün."
    assert closing.clause.is_closing and closing.proposed_body_az == f"{CLOSING} Sınaq cümləsi."
    assert closing.proposed_heading_az == ""
    assert removed.clause.heading_az == "Yekun müddəalar"


def test_a_file_edited_without_tracked_changes_is_compared_with_its_base(as_drafter, sinaq):
    data = exported(as_drafter, sinaq)
    edited = edit_document_xml(data, lambda root: _paragraph(root, "Ümumi müddəalar.").find(
        f".//{W}t").__setattr__("text", "Başqa müddəalar."))
    [proposal] = upload(as_drafter, sinaq, edited).context["proposals"]
    assert proposal.kind == "modify" and proposal.body == "Başqa müddəalar."
    assert "without tracked changes" in proposal.rationale


def test_a_clause_removed_since_the_export_is_named_and_not_proposed(as_drafter, sinaq):
    data = exported(as_drafter, sinaq)
    clause = sinaq.clauses.get(number="1")
    clause.status = Clause.Status.REMOVED
    clause.save()
    response = upload(as_drafter, sinaq, edit_document_xml(data, as_word_edits))
    problems = {p.number: p.problem for p in response.context["proposals"] if p.problem}
    assert set(problems) == {"1"} and "removed since" in problems["1"]
    as_drafter.post(reverse("tracked_changes", args=[sinaq.slug]),
                    {"token": response.context["confirm"]["token"].value()})
    assert Amendment.objects.count() == 3  # 2.2, 2's closing text and the final provisions; nothing on 1


def test_a_file_exported_from_another_document_is_refused(as_drafter, sinaq, concept):
    response = upload(as_drafter, sinaq, exported(as_drafter, concept))
    assert response.status_code == 200 and "another document" in str(response.context["form"].errors)
    assert not Amendment.objects.exists()


def test_a_word_file_that_is_no_export_is_refused(as_drafter, sinaq):
    response = upload(as_drafter, sinaq, python_docx_file())
    assert "does not say which version" in str(response.context["form"].errors)


def test_an_unchanged_file_proposes_nothing(as_drafter, sinaq):
    response = upload(as_drafter, sinaq, exported(as_drafter, sinaq))
    assert response.context["proposals"] == [] and "No changes" in response.content.decode()


@pytest.mark.need_to_know
def test_a_drafter_not_on_the_document_finds_nothing(client, sinaq):
    stranger = make_member("drafter_elsewhere", "drafter")
    login(client, stranger)
    assert upload(client, sinaq, python_docx_file()).status_code == 404
    assert client.get(reverse("versions_read_docx", args=[sinaq.slug])).status_code == 404


def test_a_forged_confirm_with_another_sessions_token_creates_nothing(as_drafter, drafter, sinaq):
    response = upload(as_drafter, sinaq, edit_document_xml(exported(as_drafter, sinaq), as_word_edits))
    token = response.context["confirm"]["token"].value()
    other = login(Client(), make_member("drafter_other", "drafter"))
    response = other.post(reverse("tracked_changes", args=[sinaq.slug]), {"token": token})
    assert "not made in this session" in response.content.decode()
    assert not Amendment.objects.exists()


def test_the_version_export_carries_its_version(as_drafter, sinaq):
    from io import BytesIO

    from docx import Document as WordDocument

    word = WordDocument(BytesIO(exported(as_drafter, sinaq)))
    assert word.core_properties.identifier.startswith("drafting-version:sinaq@")
    names = {b.get(qn("w:name")) for b in word.element.body.iter(qn("w:bookmarkStart"))}
    assert names == {f"c{pk}" for pk in sinaq.clauses.values_list("pk", flat=True)}


def test_control_characters_in_the_word_text_are_replaced(as_drafter, sinaq):
    data = exported(as_drafter, sinaq)
    edited = edit_document_xml(data, lambda root: _paragraph(root, "Ümumi müddəalar.").find(
        f".//{W}t").__setattr__("text", "Ümumi\u0085 müddəalar."))
    [proposal] = upload(as_drafter, sinaq, edited).context["proposals"]
    assert proposal.body == "Ümumi\ufffd müddəalar."


def test_a_file_exported_in_the_translation_proposes_in_the_translation(as_drafter, sinaq):
    sinaq.translation_language = "en"
    sinaq.save()
    response = as_drafter.get(reverse("versions_read_docx", args=[sinaq.slug]), {"at": "now", "text": "en"})
    edited = edit_document_xml(response.content, lambda root: _paragraph(root, "1").find(f".//{W}t").__setattr__(
        "text", "1 Security environment"))
    response = upload(as_drafter, sinaq, edited)
    [proposal] = response.context["proposals"]
    assert proposal.language == "en" and proposal.heading == "Security environment"
    as_drafter.post(reverse("tracked_changes", args=[sinaq.slug]),
                    {"token": response.context["confirm"]["token"].value()})
    amendment = Amendment.objects.get()
    assert amendment.proposed_heading == "Security environment"
    assert amendment.proposed_heading_az == "Təhlükəsizlik mühiti" and amendment.proposed_body_az == "Ümumi müddəalar."
