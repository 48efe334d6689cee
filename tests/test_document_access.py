"""Per-document access (issue 12, need-to-know): who is on a document decides who sees it and what they may do.

These tests start from deny by default (`need_to_know`): nobody but admins is on any document until a test
puts them there.
"""
import importlib

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.urls import reverse

from drafting import audit_trail
from drafting.importer import import_document
from drafting.markdown_format import parse
from drafting.models import Amendment, Comment, Document, DocumentAccess, Notification
from drafting.models.document_access import LAST_REVIEWER

from .amendment_builders import modify
from .conftest import login

pytestmark = pytest.mark.need_to_know

DRAFTER, REVIEWER, READER = DocumentAccess.Role.DRAFTER, DocumentAccess.Role.REVIEWER, DocumentAccess.Role.READER

OTHER = """# Unseen Strategy Draft

## 1. Only clause

Placeholder text of a test document.
"""


@pytest.fixture
def other(db):
    document, _ = import_document(parse(OTHER), slug="unseen")
    return document


@pytest.fixture
def clause(concept):
    return concept.clauses.get(number="4.1.1")


def test_a_document_with_no_access_rows_is_seen_by_admins_only(client, other, drafter, reviewer, admin_member):
    assert list(Document.objects.visible_to(admin_member)) == [other]
    for member in (drafter, reviewer):
        assert not Document.objects.visible_to(member).exists()
        login(client, member)
        assert client.get(reverse("document_detail", args=[other.slug])).status_code == 404
        assert "Unseen Strategy" not in client.get(reverse("document_list")).text
    login(client, admin_member)
    assert client.get(reverse("document_detail", args=[other.slug])).status_code == 200


def test_a_member_sees_only_the_documents_they_are_on(client, concept, other, drafter):
    DocumentAccess.grant(concept, drafter, DRAFTER)
    login(client, drafter)
    page = client.get(reverse("document_list")).text
    assert str(concept) in page and "Unseen Strategy" not in page
    for name in ("document_detail", "amendment_list", "versions", "document_activity", "disposition_csv",
                 "versions_markdown", "document_settings"):
        assert client.get(reverse(name, args=[other.slug])).status_code == 404, name


def test_amendments_comments_and_notifications_follow_the_document(concept, clause, drafter, reviewer):
    DocumentAccess.grant(concept, drafter, DRAFTER)
    DocumentAccess.grant(concept, reviewer, REVIEWER)
    amendment = modify(drafter, clause, body="Shorter.", submit=True)
    Comment.post(author=reviewer, target=amendment, body="Why shorter?")
    assert Notification.objects.visible_to(drafter).exists()
    DocumentAccess.revoke(concept, drafter)
    assert not Amendment.objects.visible_to(drafter).exists()
    assert not Comment.objects.visible_to(drafter).exists()
    assert not Notification.objects.visible_to(drafter).exists()
    assert Amendment.objects.visible_to(reviewer).get() == amendment


def test_a_reader_may_read_and_comment_but_not_propose_or_review(client, concept, clause, drafter, reviewer):
    DocumentAccess.grant(concept, drafter, DRAFTER)
    DocumentAccess.grant(concept, reviewer, READER)  # a reviewer of the deployment, a reader here
    amendment = modify(drafter, clause, body="Shorter.", submit=True)
    reviewer = type(reviewer).objects.get(pk=reviewer.pk)
    assert reviewer.can_read(concept) and reviewer.can_comment(concept)
    assert not reviewer.can_propose(concept) and not reviewer.can_review(amendment)
    propose = reverse("amendment_new", args=[concept.slug, clause.pk, "modify"])
    login(client, drafter)
    assert propose in client.get(clause.get_absolute_url()).text
    login(client, reviewer)
    assert client.get(amendment.get_absolute_url()).status_code == 200
    assert propose not in client.get(clause.get_absolute_url()).text  # no button that would answer 403
    assert client.get(reverse("amendment_new", args=[concept.slug, clause.pk, "modify"])).status_code == 403
    review = client.post(reverse("amendment_review", args=[concept.slug, amendment.number]), {"decision": "approve"})
    assert review.status_code == 403
    commented = client.post(reverse("clause_comment", args=[concept.slug, clause.pk]), {"body": "A reader's point."})
    assert commented.status_code == 302 and Comment.objects.filter(author=reviewer).exists()


def test_a_drafter_made_reviewer_on_one_document_reviews_there(concept, clause, drafter, second_drafter):
    DocumentAccess.grant(concept, drafter, DRAFTER)
    DocumentAccess.grant(concept, second_drafter, REVIEWER)
    amendment = modify(drafter, clause, body="Shorter.", submit=True)
    assert second_drafter.can_review(amendment)


def test_the_last_reviewer_of_a_document_with_open_amendments_cannot_be_removed(
    client, concept, clause, drafter, reviewer, admin_member
):
    DocumentAccess.grant(concept, drafter, DRAFTER)
    DocumentAccess.grant(concept, reviewer, REVIEWER)
    modify(drafter, clause, body="Shorter.", submit=True)
    with pytest.raises(ValidationError) as refused:
        DocumentAccess.revoke(concept, reviewer)
    assert refused.value.messages == [LAST_REVIEWER % {"member": reviewer.full_name, "document": concept}]
    with pytest.raises(ValidationError):
        DocumentAccess.grant(concept, reviewer, READER)
    login(client, admin_member)
    response = client.post(reverse("document_access", args=[concept.slug]),
                           {"member": reviewer.pk, "role": "off"}, follow=True)
    assert "is the last reviewer of" in response.text
    assert DocumentAccess.objects.get(document=concept, member=reviewer).role == REVIEWER


def test_the_last_reviewer_may_leave_once_nothing_is_open(concept, reviewer):
    DocumentAccess.grant(concept, reviewer, REVIEWER)
    assert DocumentAccess.revoke(concept, reviewer)


def test_moving_a_member_off_a_document_keeps_their_past_work_under_their_name(
    client, concept, clause, drafter, reviewer, admin_member
):
    DocumentAccess.grant(concept, drafter, DRAFTER)
    DocumentAccess.grant(concept, reviewer, REVIEWER)
    amendment = modify(drafter, clause, body="Shorter.", submit=True)
    DocumentAccess.revoke(concept, drafter, by=admin_member)
    login(client, reviewer)
    page = client.get(amendment.get_absolute_url()).text
    assert drafter.full_name in page
    assert Amendment.objects.get(pk=amendment.pk).author == drafter


def test_an_admin_puts_a_member_on_a_document_through_the_access_page(client, other, drafter, admin_member):
    login(client, admin_member)
    response = client.post(reverse("document_access", args=[other.slug]), {"member": drafter.pk, "role": "reader"})
    assert response.status_code == 302
    assert DocumentAccess.objects.get(document=other, member=drafter).role == READER
    page = client.get(reverse("document_access", args=[other.slug])).text
    assert drafter.full_name in page
    forged = client.post(reverse("document_access", args=[other.slug]), {"member": "x", "role": "owner"})
    assert forged.status_code == 200 and "Select a valid choice" in forged.text


def test_only_admins_open_the_access_page(client, concept, reviewer):
    DocumentAccess.grant(concept, reviewer, REVIEWER)
    login(client, reviewer)
    assert client.get(reverse("document_access", args=[concept.slug])).status_code == 403


def test_every_change_of_access_is_in_the_audit_with_who_and_when(client, concept, drafter, admin_member):
    login(client, admin_member)
    url = reverse("document_access", args=[concept.slug])
    client.post(url, {"member": drafter.pk, "role": "drafter"})
    client.post(url, {"member": drafter.pk, "role": "reader"})
    client.post(url, {"member": drafter.pk, "role": "off"})
    entries = [e for e in audit_trail.entries(kind=audit_trail.ACCESS) if e.subject == drafter.full_name]
    assert [e.detail for e in entries] == [
        f"{concept}: taken off the document", f"{concept}: role drafter → reader", f"{concept}: put on as drafter",
    ]
    assert {e.actor for e in entries} == {admin_member.full_name} and all(e.at for e in entries)
    page = client.get(reverse("audit_log"), {"kind": "access"}).text
    assert "put on as drafter" in page and "Access change" in page


def test_the_upgrade_puts_every_active_member_on_every_document(concept, other, drafter, reviewer, admin_member,
                                                                 deactivated):
    migration = importlib.import_module("drafting.migrations.0008_document_access")
    migration.everyone_on_every_document(apps, None)
    rows = {(row.document_id, row.member_id): row.role for row in DocumentAccess.objects.all()}
    for document in (concept, other):
        assert rows[document.pk, drafter.pk] == DRAFTER
        assert rows[document.pk, reviewer.pk] == REVIEWER
        assert rows[document.pk, admin_member.pk] == REVIEWER
        assert (document.pk, deactivated.pk) not in rows
    assert DocumentAccess.history.filter(history_change_reason=migration.UPGRADE_REASON).count() == len(rows)



def test_a_member_not_on_the_document_is_not_notified_of_a_mention(concept, clause, drafter, reviewer):
    DocumentAccess.grant(concept, reviewer, REVIEWER)
    Comment.post(author=reviewer, target=clause, body=f"What do you think, @{drafter.user.username}?")
    assert not Notification.objects.filter(recipient=drafter).exists()
