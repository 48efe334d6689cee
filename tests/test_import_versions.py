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
