"""The what-if draft: the whole document as it would read if a set of amendments were all approved.

Pure data for the template: the outline in reading order, each clause with the amendments that change or
remove it (as redline against its current text), new clauses at their provisional places, and a flag where
several amendments compete for one clause. Two queries whatever the number of clauses or amendments.
"""
from dataclasses import dataclass, field

from .models import Amendment


@dataclass
class Row:
    entry: object = None  # OutlineEntry for an existing clause
    insertion: object = None  # Amendment, for a proposed new clause
    changes: list = field(default_factory=list)  # [(amendment, redline dict)]

    @property
    def competing(self):
        return len(self.changes) > 1


def draft_with(document, amendments):
    entries = [e for e in document.outline() if not e.clause.is_removed]
    changes, first_children, after = {}, {}, {}
    for amendment in amendments:
        if amendment.kind == Amendment.Kind.INSERT:
            bucket = first_children if amendment.placement == Amendment.Placement.FIRST_CHILD else after
            bucket.setdefault(amendment.clause_id, []).append(amendment)
        else:
            changes.setdefault(amendment.clause_id, []).append(amendment)

    rows, closing = [], []  # closing: (depth, insertions) waiting for the end of a clause's subtree
    for entry in entries:
        while closing and closing[-1][0] >= entry.depth:
            rows.extend(closing.pop()[1])
        clause = entry.clause
        rows.append(Row(entry=entry, changes=[(a, a.proposed_redline(clause)) for a in changes.get(clause.pk, [])]))
        rows.extend(Row(insertion=a) for a in first_children.get(clause.pk, []))
        # "after" and "last child" insertions both land once this clause's sub-clauses have been listed.
        pending = [Row(insertion=a) for a in after.get(clause.pk, [])]
        if pending:
            closing.append((entry.depth, pending))
    while closing:
        rows.extend(closing.pop()[1])
    return rows
