"""Races on PostgreSQL under "keep numbers": insertions applied at the same moment never share a number.

Each race releases two reviewers together (a barrier), each approving another insertion after the same clause;
the document's row lock, taken by every application, makes the second read the first one's number."""
import pytest
from django.test import Client

from drafting.models import Amendment, Clause, Document, Numbering, Review
from drafting.seeds import CONCEPT_SLUG, load_concept

from .amendment_builders import insert
from .builders import make_member
from .conftest import login
from .test_concurrency import assert_no_server_error, assert_record_agrees, race, review

ITERATIONS = 12

pytestmark = [pytest.mark.postgresql, pytest.mark.django_db(transaction=True)]


def test_two_inserts_after_the_same_clause_applied_at_once_under_keep_never_share_a_number():
    load_concept()
    document = Document.objects.get(slug=CONCEPT_SLUG)
    document.change_settings({"numbering": Numbering.KEEP})
    drafters = [make_member(f"keep_drafter_{i}") for i in range(2)]
    clients = [login(Client(raise_request_exception=False), make_member(f"keep_reviewer_{i}", role="reviewer"))
               for i in range(2)]
    anchor = Clause.objects.get(document=document, number="4.1.1")
    seen = set()
    for i in range(ITERATIONS):
        pair = [insert(d, anchor, Amendment.Placement.AFTER, f"Race {i} by {n}", f"Test clause text {i}/{n}.", submit=True)
                for n, d in enumerate(drafters)]
        responses = race(*(review(c, a, Review.Decision.APPROVE) for c, a in zip(clients, pair)))
        assert_no_server_error(responses)
        for amendment in pair:
            assert_record_agrees(amendment)
            assert amendment.is_applied
        siblings = list(Clause.objects.filter(document=document, parent_id=anchor.parent_id))
        numbers = [c.number for c in siblings if c.numbered]
        assert len(numbers) == len(set(numbers)), numbers
        new = {Clause.objects.get(pk=a.result_clause_id).number for a in pair}
        assert len(new) == 2 and all(n.startswith("4.1.1-") for n in new), new
        assert not new & seen  # never a number given before
        seen |= new
    anchor.refresh_from_db()
    assert anchor.number == "4.1.1"


def test_switching_the_policy_while_an_insert_is_applied_leaves_numbers_under_the_final_policy():
    load_concept()
    document = Document.objects.get(slug=CONCEPT_SLUG)
    drafter = make_member("switch_drafter")
    reviewer = login(Client(raise_request_exception=False), make_member("switch_reviewer", role="reviewer"))
    admin = login(Client(raise_request_exception=False), make_member("switch_admin", role="admin"))
    settings_url = f"/d/{document.slug}/settings/"
    for i in range(ITERATIONS):
        document.refresh_from_db()
        target = Numbering.RENUMBER if document.keeps_numbers else Numbering.KEEP
        anchor = Clause.objects.get(document=document, heading="The restoration of the territorial integrity of the Republic of Azerbaijan")
        amendment = insert(drafter, anchor, Amendment.Placement.AFTER, f"Switch race {i}", f"Test clause text {i}.", submit=True)
        switch = {"quorum": document.quorum, "marking": document.marking, "numbering": target,
                  "authoritative_language": document.authoritative_language,
                  "translation_language": document.translation_language}
        responses = race(review(reviewer, amendment, Review.Decision.APPROVE),
                         lambda data=switch: admin.post(settings_url, data))
        assert_no_server_error(responses)
        assert_record_agrees(amendment)
        document.refresh_from_db()
        assert document.numbering == target
        # The stored numbers are the ones the final policy gives: nothing left to renumber, none given twice.
        assert document.renumber() == []
        numbers = [e.number for e in document.outline() if e.number]
        assert len(numbers) == len(set(numbers)), numbers


def test_two_keep_imports_that_remove_a_clause_at_once_leave_it_its_number():
    # Both files switch a renumber document to "keep" and leave 1.1.2 out: whichever writes last, the removed
    # clause keeps its number and no number is shown twice among the clauses in force.
    from drafting.importer import import_document
    from drafting.markdown_format import parse

    from .test_numbering import SOURCE

    source = SOURCE.replace("# Numbering Test Document\n", "# Numbering Test Document\nnumbering: keep\n").replace(
        "#### 1.1.2. Second\n\nTest clause text two.\n\n", "")
    for i in range(ITERATIONS // 2):
        document, _counts = import_document(parse(SOURCE), slug=f"import-race-{i}")
        results = race(*(lambda pk=document.pk: import_document(parse(source), document=Document.objects.get(pk=pk))
                         for _ in range(2)))
        assert not [r for r in results if isinstance(r, Exception)], results
        document.refresh_from_db()
        assert document.numbering == Numbering.KEEP
        second = Clause.objects.get(document=document, heading="Second")
        assert second.is_removed and second.number == "1.1.2", (i, second.number, results)
        in_force = [c.number for c in Clause.objects.filter(document=document, status=Clause.Status.IN_FORCE) if c.number]
        assert len(in_force) == len(set(in_force)), in_force
