"""Two reviewers approve two competing amendments of one clause at the same moment (PostgreSQL row locks)."""
import threading

import pytest
from django.db import connection

from drafting.models import Amendment, Clause, Review
from drafting.seeds import load_concept

from .amendment_builders import modify
from .builders import make_member


@pytest.mark.postgresql
@pytest.mark.django_db(transaction=True)
def test_competing_approvals_at_the_same_moment_apply_exactly_one():
    load_concept()
    clause = Clause.objects.get(number="4.1.1")
    drafters = [make_member(f"drafter_{i}") for i in range(2)]
    reviewers = [make_member(f"reviewer_{i}", role="reviewer") for i in range(2)]
    # Both rewrite the same words: whichever lands second overlaps the first.
    first = modify(drafters[0], clause, body=clause.body.replace("most paramount task", "first task"), submit=True)
    second = modify(drafters[1], clause, body=clause.body.replace("most paramount task", "second task"), submit=True)
    barrier = threading.Barrier(2)
    results, errors = {}, []

    def approve(amendment, reviewer):
        try:
            amendment = Amendment.objects.get(pk=amendment.pk)
            barrier.wait(timeout=10)
            results[amendment.number] = amendment.review(reviewer, Review.Decision.APPROVE)
        except Exception as error:  # noqa: BLE001 — reported by the assertion below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=approve, args=pair) for pair in ((first, reviewers[0]), (second, reviewers[1]))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert not errors, errors
    assert sorted(results.values()) == ["applied", "needs_rebase"]
    winner = Amendment.objects.get(state="applied")
    loser = Amendment.objects.get(state="needs_rebase")
    clause.refresh_from_db()
    # No approved change is lost: the winner's text is there, the loser is waiting for its author.
    assert clause.body == winner.proposed_body
    assert loser.conflict
    assert clause.history.filter(history_change_reason__startswith="amendment").count() == 1
