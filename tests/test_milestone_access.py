"""Milestones follow the member's role on the document (issue 12): a reviewer of the document, or a deployment
admin, sets and renames them; the deployment role of anyone else counts for nothing there.

Every persona (deployment drafter, reviewer, admin) is tried in every role on the document (drafter, reviewer,
reader, not on it), for setting a milestone, renaming one, and the Versions page's form.
"""
import pytest
from django.urls import reverse

from drafting.models import DocumentAccess, Member, Milestone

from .builders import make_member
from .conftest import login

pytestmark = pytest.mark.need_to_know

DEPLOYMENT_ROLES = [Member.Role.DRAFTER, Member.Role.REVIEWER, Member.Role.ADMIN]
DOCUMENT_ROLES = [DocumentAccess.Role.DRAFTER, DocumentAccess.Role.REVIEWER, DocumentAccess.Role.READER, None]


def expected(deployment_role, document_role):
    """200/302 allowed, 403 refused, 404 for a document one is not on (as if it did not exist)."""
    if deployment_role == Member.Role.ADMIN:
        return "allowed"
    if document_role is None:
        return "not found"
    return "allowed" if document_role == DocumentAccess.Role.REVIEWER else "refused"


def outcome(response):
    return {302: "allowed", 403: "refused", 404: "not found"}.get(response.status_code, str(response.status_code))


@pytest.fixture
def persona(concept):
    def make(deployment_role, document_role):
        member = make_member(f"milestone_{deployment_role}", deployment_role)
        if document_role is not None:
            DocumentAccess.grant(concept, member, document_role)
        return member
    return make


@pytest.mark.parametrize("document_role", DOCUMENT_ROLES, ids=lambda r: r or "not-on")
@pytest.mark.parametrize("deployment_role", DEPLOYMENT_ROLES)
def test_only_reviewers_of_the_document_and_admins_set_milestones(client, concept, persona, deployment_role,
                                                                  document_role):
    login(client, persona(deployment_role, document_role))
    response = client.post(reverse("milestone_create", args=[concept.slug]), {"name": "Consultation draft"})
    assert outcome(response) == expected(deployment_role, document_role)
    assert concept.milestones.filter(name="Consultation draft").exists() == (outcome(response) == "allowed")


@pytest.mark.parametrize("document_role", DOCUMENT_ROLES, ids=lambda r: r or "not-on")
@pytest.mark.parametrize("deployment_role", DEPLOYMENT_ROLES)
def test_only_reviewers_of_the_document_and_admins_rename_milestones(client, concept, persona, deployment_role,
                                                                     document_role):
    original = concept.milestones.get()
    login(client, persona(deployment_role, document_role))
    response = client.post(reverse("milestone_rename", args=[concept.slug, original.pk]), {"name": "Renamed"})
    assert outcome(response) == expected(deployment_role, document_role)
    renamed = Milestone.objects.get(pk=original.pk).name == "Renamed"
    assert renamed == (outcome(response) == "allowed")


@pytest.mark.parametrize("document_role", DOCUMENT_ROLES[:3])
@pytest.mark.parametrize("deployment_role", DEPLOYMENT_ROLES)
def test_the_versions_page_offers_the_milestone_form_only_to_who_may_use_it(client, concept, persona,
                                                                             deployment_role, document_role):
    login(client, persona(deployment_role, document_role))
    page = client.get(reverse("versions", args=[concept.slug])).text
    offered = f'action="{reverse("milestone_create", args=[concept.slug])}"' in page
    assert offered == (expected(deployment_role, document_role) == "allowed")


def test_a_reviewer_elsewhere_is_a_reader_here(client, concept, persona):
    """The case the deployment role used to decide: a reviewer of the deployment, a reader of this document."""
    reviewer = persona(Member.Role.REVIEWER, DocumentAccess.Role.READER)
    assert not reviewer.can_set_milestones(concept)
    login(client, reviewer)
    response = client.post(reverse("milestone_create", args=[concept.slug]), {"name": "Mine"})
    assert response.status_code == 403 and concept.milestones.count() == 1


def test_a_drafter_of_the_deployment_who_reviews_this_document_sets_milestones(client, concept, persona):
    drafter = persona(Member.Role.DRAFTER, DocumentAccess.Role.REVIEWER)
    login(client, drafter)
    response = client.post(reverse("milestone_create", args=[concept.slug]), {"name": "Mine"})
    assert response.status_code == 302
    assert concept.milestones.get(name="Mine").created_by == drafter
