"""Importing a new version of a document keeps clause identities and records history."""
import pytest

from drafting.importer import import_document
from drafting.markdown_format import parse
from drafting.models import Clause

V1 = "# Doc\n\n## 1. One\n\nFirst text.\n\n## 2. Two\n\nSecond text.\n\n## 3. Three\n\nThird text.\n"
V2 = "# Doc\n\n## 1. One\n\nFirst text, amended.\n\n## 2. Three\n\nThird text.\n"


@pytest.mark.django_db
def test_reimport_updates_changed_clause_with_history_and_keeps_identity():
    document, _ = import_document(parse(V1), slug="doc")
    one = document.clauses.get(number="1")
    _, counts = import_document(parse(V1.replace("First text.", "First text, amended.")), document=document,
                                reason="imported v2")
    one.refresh_from_db()
    assert one.body == "First text, amended."
    assert counts == {"created": 0, "changed": 1, "removed": 0, "unchanged": 2}
    assert [v.history_change_reason for v in one.versions()] == ["imported v2", "imported"]


@pytest.mark.django_db
def test_reimporting_the_same_file_changes_nothing():
    document, _ = import_document(parse(V1), slug="doc")
    before = Clause.history.count()
    _, counts = import_document(parse(V1), document=document)
    assert counts["changed"] == counts["created"] == counts["removed"] == 0
    assert Clause.history.count() == before


@pytest.mark.django_db
def test_clause_missing_from_new_version_is_marked_removed_not_deleted():
    document, _ = import_document(parse(V1), slug="doc")
    # V2 drops "Two" and the old "3. Three" becomes "2. Three"; matching is by place, so clause 2 gets the
    # heading "Three" and clause 3 is removed: the row stays, with its history.
    import_document(parse(V2), document=document)
    assert Clause.objects.filter(document=document).count() == 3
    removed = Clause.objects.get(document=document, status=Clause.Status.REMOVED)
    assert removed.heading == "Three" and removed.versions().count() == 2


@pytest.mark.django_db
def test_reimporting_two_unnumbered_clauses_of_one_heading_changes_nothing():
    text = ("# Doc\n\n## Annex\n\nFirst annex.\n\n### 1. Item\n\n## Annex\n\nSecond annex.\n\n"
            "### 1. Item\n\nOf the second.\n")
    document, _ = import_document(parse(text), slug="doc")
    before = Clause.history.count()
    _, counts = import_document(parse(text), document=document)
    assert counts == {"created": 0, "changed": 0, "removed": 0, "unchanged": 4}
    assert Clause.history.count() == before
    assert not Clause.objects.filter(document=document, status=Clause.Status.REMOVED).exists()


@pytest.mark.django_db
def test_the_second_of_two_same_heading_clauses_keeps_its_identity_when_it_changes():
    text = "# Doc\n\n## Annex\n\nFirst.\n\n## Annex\n\nSecond.\n"
    document, _ = import_document(parse(text), slug="doc")
    first, second = document.clauses.order_by("position")
    _, counts = import_document(parse(text.replace("Second.", "Second, amended.")), document=document)
    assert counts == {"created": 0, "changed": 1, "removed": 0, "unchanged": 1}
    second.refresh_from_db()
    assert second.body == "Second, amended." and second.versions().count() == 2
