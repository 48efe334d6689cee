"""Any version exports in the importer's Markdown format, and reads back to the same document."""
from django.urls import reverse

from drafting.importer import import_document
from drafting.markdown_format import parse, render
from drafting.seeds import SEEDS

from .conftest import login
from .version_builders import AI_HEADING, apply_demo_amendments


def export(client, concept, at):
    response = client.get(reverse("versions_markdown", args=[concept.slug]) + f"?at={at}")
    assert response.status_code == 200 and response["Content-Type"] == "text/markdown; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="concept-')
    text = response.content.decode("utf-8")
    trace, _, text = text.partition(" -->\n")  # the trace comment first (tests/test_exports_trace.py)
    assert trace.startswith("<!-- Exported for ")
    return text


def test_the_2007_original_exports_as_the_seed_text_even_after_amendments(
    client, concept, drafter, second_drafter, reviewer
):
    apply_demo_amendments(concept, drafter, second_drafter, reviewer)
    login(client, drafter)
    seed = parse((SEEDS / "concept_2007.md").read_text(encoding="utf-8"))
    text = export(client, concept, concept.milestones.get().point)
    assert AI_HEADING not in text
    assert text.startswith("# National Security Concept of the Republic of Azerbaijan\n\nadopted: 2007\n")
    assert [(c.number, c.heading, c.body) for c in parse(text).walk()] == [
        (c.number, c.heading, c.body) for c in seed.walk()]


def test_exported_version_imports_back_to_the_same_document(client, concept, drafter, second_drafter, reviewer):
    apply_demo_amendments(concept, drafter, second_drafter, reviewer)
    login(client, drafter)
    text = export(client, concept, "now")
    # Both languages, Azerbaijani the main one: the demo clauses' English headings behind "en:".
    assert f"### 3.2.\nen: {AI_HEADING}" in text and "#### 4.2.1.\nen: The restoration" in text
    copy, counts = import_document(parse(text), slug="concept-copy")
    assert counts["created"] == 11
    assert render(copy, copy.clauses.all()) == text
    assert text == render(concept, concept.clauses.all())
