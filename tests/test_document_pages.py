"""Reading the Concept: document list, numbered outline, clause page with history and redline."""
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from drafting.models import Clause
from drafting.models.history import attribute

from .builders import make_document


def test_document_list_shows_the_concept(as_drafter, concept):
    response = as_drafter.get(reverse("document_list"))
    assert response.status_code == 200
    assert "National Security Concept of the Republic of Azerbaijan" in response.text


def test_outline_shows_numbered_clauses_in_reading_order(as_drafter, concept):
    response = as_drafter.get(concept.get_absolute_url())
    labels = [entry.clause.label for entry in response.context["outline"]]
    assert labels[:4] == ["Introduction", "1 Security environment",
                          "2 National interests of the Republic of Azerbaijan",
                          "3 Threats to the national security of the Republic of Azerbaijan"]
    assert labels[-1] == "Final provisions"
    assert "4.1" in labels and any(label.startswith("4.1.1 The restoration") for label in labels)
    assert 'class="toc"' in response.text


def test_clause_without_text_says_so_plainly(as_drafter, concept):
    response = as_drafter.get(concept.get_absolute_url(), {"text": "en"})
    assert response.text.count("Text not yet entered.") == 8  # every clause but 4.1.1, read in English


def test_clause_4_1_1_shows_its_full_text(as_drafter, concept):
    clause = concept.clauses.get(number="4.1.1")
    response = as_drafter.get(clause.get_absolute_url(), {"text": "en"})  # the English wording we hold
    assert "The territory of the Republic of Azerbaijan is unified" in response.text
    assert "undertaking complex work to ensure an international legal assessment of the conflict." in response.text


def test_clause_page_lists_every_version_with_who_and_why(as_drafter, concept, reviewer):
    clause = concept.clauses.get(number="4.1.1")
    clause.body = clause.body.replace("most paramount", "paramount")
    attribute(clause, user=reviewer.user, reason="amendment A-1")
    clause.save()
    response = as_drafter.get(clause.get_absolute_url())
    versions = response.context["versions"]
    assert [v.history_change_reason for v in versions] == ["amendment A-1", "imported"]
    assert "Rauf Həsənov" in response.text


def test_any_two_versions_compare_as_word_redline(as_drafter, concept, reviewer):
    clause = concept.clauses.get(number="4.1.1")
    first = clause.versions().get()
    clause.body = clause.body.replace("most paramount", "paramount")
    attribute(clause, user=reviewer.user, reason="edit 1")
    clause.save()
    clause.body = clause.body + " Added sentence."
    attribute(clause, user=reviewer.user, reason="edit 2")
    clause.save()
    latest = clause.versions().first()
    response = as_drafter.get(clause.get_absolute_url(),
                              {"old": first.history_id, "new": latest.history_id, "text": "en"})
    assert "<del>most </del>" in response.text
    assert "<ins> Added sentence.</ins>" in response.text


def test_compare_ignores_versions_of_other_clauses(as_drafter, concept):
    clause = concept.clauses.get(number="4.1.1")
    other = concept.clauses.get(number="1").versions().get()
    clause.body += " More."
    clause.save()
    response = as_drafter.get(clause.get_absolute_url(), {"old": other.history_id})
    assert response.status_code == 200
    assert response.context["compare"]["old"].id == clause.pk


def test_redline_escapes_user_text(as_drafter, concept):
    clause = concept.clauses.get(number="1")
    clause.body = "<script>alert(1)</script></ins><img src=x onerror=alert(2)>"
    clause.save()
    response = as_drafter.get(clause.get_absolute_url(), {"text": "both"})
    assert "<script>alert(1)" not in response.text
    assert "<img src=x" not in response.text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;&lt;/ins&gt;" in response.text


def test_removed_clause_is_kept_and_hidden_from_the_outline(as_drafter, concept):
    clause = concept.clauses.get(number="1")
    clause.status = Clause.Status.REMOVED
    clause.save()
    concept.renumber()
    response = as_drafter.get(concept.get_absolute_url())
    labels = [entry.clause.label for entry in response.context["outline"]]
    assert "1 National interests of the Republic of Azerbaijan" in labels
    assert Clause.objects.filter(pk=clause.pk).exists()


def _document_page_queries(client, clauses, reading=None):
    document = make_document(clauses, slug=f"doc-{clauses}")
    query = ""
    if reading:  # the generated document has Azerbaijani headings: read it as a bilingual one
        document.translation_language = "az"
        document.save()
        query = f"?text={reading}"
    with CaptureQueriesContext(connection) as queries:
        response = client.get(document.get_absolute_url() + query)
    assert response.status_code == 200
    assert len(response.context["outline"]) == clauses
    return len(queries)


@pytest.mark.parametrize("reading", [None, "both"])
def test_document_page_query_count_does_not_grow_with_clauses(as_drafter, capsys, reading):
    small = _document_page_queries(as_drafter, 10, reading)
    large = _document_page_queries(as_drafter, 500, reading)
    with capsys.disabled():
        print(f"\n[query count] document page ({reading or 'one language'}): {small} queries at 10 clauses, "
              f"{large} at 500 clauses")
    assert small == large
