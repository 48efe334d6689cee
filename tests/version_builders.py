"""A demo-like story on the seeded Concept, built with the amendment builders: what the Versions tests compare.

After `apply_demo_amendments` the Concept differs from its "2007 original" by
- A-1 (drafter): 4.1.1 loses its sentence on the OSCE Minsk Group (changed);
- A-2 (second drafter): a new clause on artificial intelligence, last under section 3 (added as 3.2);
- A-3 (drafter): a new clause on the economy, first under section 4 (added as 4.1), so the old 4.1 and
  4.1.1 become 4.2 and 4.2.1 (renumbered).
"""
from drafting.models import Amendment, Review

from .amendment_builders import REMOVED_SENTENCE, insert, modify

AI_HEADING = "Threats arising from artificial intelligence"
AI_BODY = "The misuse of artificial intelligence against the state and society is a threat to national security."
ECONOMY_HEADING = "Economic security"
ECONOMY_BODY = "A diversified economy, independent of any single export, is a foundation of national security."


def approve(amendment, reviewer):
    state = amendment.review(reviewer, Review.Decision.APPROVE)
    assert state == Amendment.State.APPLIED, amendment.conflict
    amendment.refresh_from_db()
    return amendment


def apply_demo_amendments(concept, drafter, second_drafter, reviewer):
    clause = concept.clauses.get(number="4.1.1")
    a1 = approve(modify(drafter, clause, body=clause.body.replace(REMOVED_SENTENCE, ""), submit=True), reviewer)
    section_3 = concept.clauses.get(number="3")
    a2 = approve(insert(second_drafter, section_3, Amendment.Placement.LAST_CHILD, AI_HEADING, AI_BODY,
                        submit=True), reviewer)
    section_4 = concept.clauses.get(number="4")
    a3 = approve(insert(drafter, section_4, Amendment.Placement.FIRST_CHILD, ECONOMY_HEADING, ECONOMY_BODY,
                        submit=True), reviewer)
    return a1, a2, a3
