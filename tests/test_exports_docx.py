"""The comparison as a Word document: real tracked changes, attributed and dated, numbering intact."""
import io
import os
import shutil
import subprocess
import zipfile

import pytest
from django.urls import reverse
from docx import Document as WordDocument
from docx.oxml.ns import qn

from .amendment_builders import REMOVED_SENTENCE
from .conftest import login
from .version_builders import AI_HEADING, ECONOMY_HEADING, apply_demo_amendments

W_INS, W_DEL, W_T, W_DELTEXT = qn("w:ins"), qn("w:del"), qn("w:t"), qn("w:delText")


@pytest.fixture
def story(concept, drafter, second_drafter, reviewer):
    return apply_demo_amendments(concept, drafter, second_drafter, reviewer)


def download(client, member, concept):
    login(client, member)
    original = concept.milestones.get().point
    # The English file: the demo amendments change the Concept's English text (its Azerbaijani text is not yet in).
    response = client.get(reverse("versions_docx", args=[concept.slug]) + f"?old={original}&new=now&text=en")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats-officedocument.wordprocessingml")
    assert response["Content-Disposition"] == 'attachment; filename="concept-2007-original-to-now-en.docx"'
    return response.content


def _text(paragraph, *, accepted):
    """A paragraph as it reads with every change accepted (or rejected)."""
    parts = []
    for element in paragraph._p.iter(W_T, W_DELTEXT):
        inside_ins = any(a.tag == W_INS for a in element.iterancestors())
        inside_del = any(a.tag == W_DEL for a in element.iterancestors())
        if (accepted and not inside_del) or (not accepted and not inside_ins):
            parts.append(element.text or "")
    return "".join(parts)


def _deleted_paragraph(paragraph):
    mark = paragraph._p.find(f"{qn('w:pPr')}/{qn('w:rPr')}/{W_DEL}")
    return mark is not None


def _inserted_paragraph(paragraph):
    return paragraph._p.find(f"{qn('w:pPr')}/{qn('w:rPr')}/{W_INS}") is not None


def test_docx_holds_tracked_insertions_and_deletions_with_author_and_date(client, drafter, concept, story):
    a1, a2, a3 = story
    word = WordDocument(io.BytesIO(download(client, drafter, concept)))
    body = word.element.body
    changes = list(body.iter(W_INS, W_DEL))
    assert changes, "no tracked changes at all"
    for change in changes:
        assert change.get(qn("w:author")) and change.get(qn("w:date")) and change.get(qn("w:id"))
    deletions = [d for d in body.iter(W_DEL) if d.getparent().tag != qn("w:rPr")]
    deleted_text = ["".join(t.text for t in d.iter(W_DELTEXT)) for d in deletions]
    assert REMOVED_SENTENCE in deleted_text
    sentence = deletions[deleted_text.index(REMOVED_SENTENCE)]
    assert sentence.get(qn("w:author")) == "Dinara Əliyeva"
    assert sentence.get(qn("w:date")) == a1.applied_at.strftime("%Y-%m-%dT%H:%M:%SZ")
    ai = [i for i in body.iter(W_INS) if AI_HEADING in "".join(t.text for t in i.iter(W_T))]
    assert ai and ai[0].get(qn("w:author")) == "Samir Quliyev"
    assert ai[0].get(qn("w:date")) == a2.applied_at.strftime("%Y-%m-%dT%H:%M:%SZ")
    # a clause only renumbered is attributed to the amendment that moved it (A-3, the economy clause)
    renumbered = [d for d in deletions if "".join(t.text for t in d.iter(W_DELTEXT)) == "4.1"]
    assert renumbered and renumbered[0].get(qn("w:author")) == "Dinara Əliyeva"
    assert renumbered[0].get(qn("w:date")) == a3.applied_at.strftime("%Y-%m-%dT%H:%M:%SZ")
    # unique ids, as Word requires
    ids = [c.get(qn("w:id")) for c in changes]
    assert len(ids) == len(set(ids))


def test_docx_headings_keep_the_clause_numbers_before_and_after(client, drafter, concept, story):
    word = WordDocument(io.BytesIO(download(client, drafter, concept)))
    headings = [p for p in word.paragraphs if p.style.name.startswith("Heading")]
    accepted = [_text(p, accepted=True) for p in headings if not _deleted_paragraph(p)]
    rejected = [_text(p, accepted=False) for p in headings if not _inserted_paragraph(p)]
    assert [h.split(" ")[0] for h in accepted] == [
        "Introduction", "1", "2", "3", "3.1", "3.2", "4", "4.1", "4.2", "4.2.1", "Final"]
    assert accepted[5] == f"3.2 {AI_HEADING}" and accepted[7] == f"4.1 {ECONOMY_HEADING}"
    assert accepted[9].startswith("4.2.1 The restoration of the territorial integrity")
    assert [h.split(" ")[0] for h in rejected] == ["Introduction", "1", "2", "3", "3.1", "4", "4.1", "4.1.1", "Final"]
    # heading levels follow the clause depth
    levels = {_text(p, accepted=True).split(" ")[0]: p.style.name for p in headings}
    assert (levels["4"], levels["4.2"], levels["4.2.1"]) == ("Heading 1", "Heading 2", "Heading 3")


def test_docx_marks_changes_as_revisions_not_as_formatting(client, drafter, concept, story):
    content = download(client, drafter, concept)
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        xml = archive.read("word/document.xml").decode("utf-8")
        settings = archive.read("word/settings.xml").decode("utf-8")
    for formatting in ("<w:color", "<w:highlight", "<w:shd", "<w:strike", "<w:u ", "<w:u/>"):
        assert formatting not in xml
    assert "<w:trackRevisions/>" in settings


def test_whole_clauses_inserted_or_removed_have_their_paragraph_marks_tracked(client, drafter, reviewer, concept):
    from drafting.models import Amendment

    from .amendment_builders import insert, remove
    from .version_builders import approve

    approve(remove(drafter, concept.clauses.get(number="3.1"), submit=True), reviewer)
    approve(insert(drafter, concept.clauses.get(number="3"), Amendment.Placement.LAST_CHILD, "New", "Body.",
                   submit=True), reviewer)
    word = WordDocument(io.BytesIO(download(client, drafter, concept)))
    removed = [p for p in word.paragraphs if _deleted_paragraph(p)]
    added = [p for p in word.paragraphs if _inserted_paragraph(p)]
    assert [_text(p, accepted=False) for p in removed][0].startswith("3.1 Attempts against the independence")
    assert [_text(p, accepted=True) for p in added] == ["3.1 New", "Body."]


def test_libreoffice_converts_the_docx_to_pdf(client, drafter, concept, story, tmp_path):
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if not soffice:
        pytest.skip("LibreOffice not installed: apt-get install -y libreoffice-writer-nogui")
    source = tmp_path / "concept.docx"
    source.write_bytes(download(client, drafter, concept))
    profile = (tmp_path / "profile").as_uri()
    result = subprocess.run(
        [soffice, f"-env:UserInstallation={profile}", "--headless", "--norestore",
         "--convert-to", "pdf", "--outdir", str(tmp_path), str(source)],
        capture_output=True, text=True, timeout=240, env={**os.environ, "HOME": str(tmp_path)},
    )
    assert result.returncode == 0, result.stderr
    pdf = tmp_path / "concept.pdf"
    assert pdf.exists(), f"no PDF written: {result.stdout} {result.stderr}"
    assert pdf.read_bytes().startswith(b"%PDF") and pdf.stat().st_size > 1000
