"""Rebasing an amendment onto a clause text that moved on since the amendment was written.

A three-way merge at word level. The rule that holds:

1. Compute the ranges of the base that the amendment changed (base -> proposed) and those that others
   changed (base -> current), in whole tokens. An insertion is a point range. A range covers every place
   where a shortest diff could put its change, not only the place our diff picked (see `edits`), and each
   side's ranges must rebuild that side's text exactly, or the merge would be a guess.
2. The same change made on both sides (the same range replaced by the same words) is taken once, as any
   three-way merge does ("These" -> "These These" on both sides stays "These These").
3. Widen every range over the white space around it (white space alone does not separate two changes); if
   a range of one side then overlaps or touches one of the other side, it is a conflict for a person, unless
   both are a change that both sides made.
4. Otherwise the result is the base with both sides' changes applied: exact, never a fuzzy match.

diff-match-patch's patch_apply is not used: it reports success on wrong merges (FIELD-NOTES), and as a
cross-check it refused good merges (its character-level context no longer matched once a change nearby had
landed) and could not take a change both sides made. tests/test_rebase_property.py checks merges against
`git merge-file` instead.
"""
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from itertools import accumulate
from operator import add

from django.utils.translation import gettext_lazy as _

from .diff_budget import TooCostly
from .redline import DELETE, EQUAL, token_diff, tokenize

# Tokens of unchanged text first looked at on each side of a change when searching for the other places it
# could sit; doubled while the search reaches the edge of what it looked at.
MARGIN = 8
# Work allowed for that search, in table cells (tokens looked at x tokens changed): about a second of Python.
MAX_ALIGNMENT_CELLS = 1_000_000


class RebaseConflict(Exception):
    """The two changes cannot be merged safely; the reason is shown to the author.

    The reason is kept untranslated (a lazy message and its values) and worded by `str()` in the language active
    then: the reader's on a page, the deployment's when it is stored on the amendment."""

    def __init__(self, message, **values):
        super().__init__(message)
        self.message, self.values = message, values

    def __str__(self):
        return str(self.message) % self.values if self.values else str(self.message)


@dataclass(frozen=True)
class Edit:
    start: int  # token index in the base
    end: int  # exclusive; start == end for a pure insertion
    replacement: tuple  # tokens that replace base[start:end]


def edits(base_tokens, other_text):
    """The changes from the base tokens to `other_text`, as ranges of base tokens with their new tokens.

    A change can often sit in more than one place: "to give an appropriate assessment" -> "to an appropriate
    appearance appropriate assessment" is "give" -> "an", "an" -> "appropriate appearance" for one diff and
    "give " deleted, "appearance appropriate " inserted after "appropriate " for another (git's). Merged with a
    change to "assessment", the first is a word apart and the second touches. So each range is as wide as
    every shortest diff allows: the tokens some shortest diff deletes (or keeps, but opposite another token of
    the other text) and the gaps where some inserts, joined where they meet. Between two ranges lie tokens that
    every shortest diff keeps, opposite the same token: what each range becomes is the same for every diff.
    """
    other_tokens = tokenize(other_text)
    partner, changes = _diff(base_tokens, other_tokens)
    uncertain, insertable = _possible_changes(base_tokens, other_tokens, changes)
    result = []
    for start, end in _ranges(uncertain, insertable):
        if (start and start - 1 not in partner) or (end < len(base_tokens) and end not in partner):
            raise RebaseConflict(_("the automatic merge was ambiguous"))  # never expected: the diff was not shortest
        first = partner[start - 1] + 1 if start else 0
        last = partner[end] if end < len(base_tokens) else len(other_tokens)
        result.append(Edit(start, end, tuple(other_tokens[first:last])))
    return result


def _diff(base_tokens, other_tokens):
    """One shortest diff: the kept tokens (base index -> other index) and the changes as
    [base start, base end, other start, other end]."""
    partner, changes = {}, []
    old = new = 0
    for op, tokens in token_diff(base_tokens, other_tokens, semantic=False):
        if op == EQUAL:
            partner.update((old + offset, new + offset) for offset in range(len(tokens)))
            old, new = old + len(tokens), new + len(tokens)
            continue
        if not changes or changes[-1][1] != old or changes[-1][3] != new:
            changes.append([old, old, new, new])
        if op == DELETE:
            old += len(tokens)
        else:
            new += len(tokens)
        changes[-1][1], changes[-1][3] = old, new
    return partner, changes


def _possible_changes(base, other, changes):
    """The base tokens that some shortest diff deletes or keeps opposite another token than our diff does, and
    the gaps (gap g is before token g) where some shortest diff inserts.

    Each group of nearby changes is searched in a window of unchanged text around it. The window is widened
    while what it finds reaches its edge: a change slides only along text that repeats next to it.
    """
    margin = MARGIN
    while True:
        uncertain, insertable, cells, reached_edge = set(), set(), 0, False
        for start, end, other_start, other_end, deleted, inserted in _groups(changes, margin):
            low, high = max(0, start - margin), min(len(base), end + margin)
            old = base[low:high]
            new = other[other_start - (start - low):other_end + (high - end)]
            cells += (len(old) + 1) * (deleted + inserted + 1)
            if cells > MAX_ALIGNMENT_CELLS:
                raise RebaseConflict(_("the amendment changes too much of a long text to be merged automatically"))
            tokens, gaps = _shortest_diff_steps(old, new, deleted, inserted)
            uncertain.update(low + i for i in tokens)
            insertable.update(low + g for g in gaps)
            reached_edge = reached_edge or (low > 0 and (0 in tokens or 0 in gaps)) or (
                high < len(base) and (len(old) - 1 in tokens or len(old) in gaps))
        if not reached_edge:
            return uncertain, insertable
        margin *= 2


def _groups(changes, margin):
    """Changes closer than two margins joined: (base start, base end, other start, other end, tokens deleted,
    tokens inserted)."""
    groups = []
    for start, end, other_start, other_end in changes:
        if groups and start - groups[-1][1] < 2 * margin:
            group = groups[-1]
            group[1], group[3] = end, other_end
            group[4] += end - start
            group[5] += other_end - other_start
        else:
            groups.append([start, end, other_start, other_end, end - start, other_end - other_start])
    return groups


def _shortest_diff_steps(old, new, deleted, inserted):
    """Which tokens of `old` some shortest diff to `new` deletes or keeps opposite more than one token of `new`,
    and at which gaps some inserts.

    A shortest diff keeps a longest common subsequence. `before[i][j]` is the longest common subsequence of
    old[:i] and new[:j], `after[i][j]` that of old[i:] and new[j:]; a step lies on some shortest diff when the
    two add up to the longest. Every shortest diff deletes `deleted` tokens and inserts `inserted`, so it stays
    in the band of diagonals i - deleted <= j <= i + inserted: row i of both tables holds only that band.
    """
    n, m = len(old), len(new)
    low = [max(0, i - deleted) for i in range(n + 1)]
    high = [min(m, i + inserted) for i in range(n + 1)]
    before = _common_subsequence_rows(old, new, low, high)
    after = [row[::-1] for row in reversed(_common_subsequence_rows(
        old[::-1], new[::-1], [m - h for h in reversed(high)], [m - lo for lo in reversed(low)]))]
    longest = n - deleted
    if before[n][-1] != longest:
        raise RebaseConflict(_("the automatic merge was ambiguous"))  # never expected: the diff was not shortest
    positions = {}
    for j, token in enumerate(new):
        positions.setdefault(token, []).append(j)
    tokens, gaps = set(), set()
    for i in range(n + 1):
        # Insert new[j] at gap i: from (i, j) to (i, j + 1).
        if high[i] > low[i] and max(map(add, before[i][:-1], after[i][1:])) == longest:
            gaps.add(i)
        if i == n:
            break
        # Delete old[i]: from (i, j) to (i + 1, j), for j in both rows' bands.
        if high[i] >= low[i + 1] and max(map(add, before[i][low[i + 1] - low[i]:],
                                                after[i + 1][:high[i] - low[i + 1] + 1])) == longest:
            tokens.add(i)
            continue
        # Keep old[i] opposite new[j]: from (i, j) to (i + 1, j + 1); more than one such j makes it uncertain.
        candidates = positions.get(old[i], [])
        first, last = max(low[i], low[i + 1] - 1), min(high[i], high[i + 1] - 1)
        opposite = [j for j in candidates[bisect_left(candidates, first):bisect_right(candidates, last)]
                    if before[i][j - low[i]] + 1 + after[i + 1][j + 1 - low[i + 1]] == longest]
        if len(opposite) > 1:
            tokens.add(i)
    return tokens, gaps


def _common_subsequence_rows(old, new, low, high):
    """Row i holds the longest common subsequence of old[:i] and new[:j] for j from low[i] to high[i].

    Along a row the length never falls, so a row is the running maximum of what the row above gives each cell:
    the cell above (old[i - 1] deleted) or the one above-left plus one where the tokens are equal (kept).
    """
    positions = {}
    for j, token in enumerate(new):
        positions.setdefault(token, []).append(j)
    rows = [[0] * (high[0] - low[0] + 1)]
    for i in range(1, len(old) + 1):
        above, above_low = rows[-1], low[i - 1]
        cells = above[low[i] - above_low:] + [-1] * (high[i] - high[i - 1])
        candidates = positions.get(old[i - 1], [])
        # new[j - 1] == old[i - 1] with j in this row and j - 1 in the row above
        first, last = max(low[i], above_low + 1), min(high[i], high[i - 1] + 1)
        for j in candidates[bisect_left(candidates, first - 1):bisect_right(candidates, last - 1)]:
            diagonal = above[j - above_low] + 1
            if diagonal > cells[j + 1 - low[i]]:
                cells[j + 1 - low[i]] = diagonal
        rows.append(list(accumulate(cells, max)))
    return rows


def _ranges(uncertain, insertable):
    """Uncertain tokens (i, i + 1) and insertion points (g, g) joined into ranges wherever they meet."""
    ranges = []
    for start, end in sorted([(i, i + 1) for i in uncertain] + [(g, g) for g in insertable]):
        if ranges and start <= ranges[-1][1]:
            ranges[-1] = (ranges[-1][0], max(ranges[-1][1], end))
        else:
            ranges.append((start, end))
    return ranges


def _widened(edit, tokens):
    start, end = edit.start, edit.end
    while start > 0 and tokens[start - 1].isspace():
        start -= 1
    while end < len(tokens) and tokens[end].isspace():
        end += 1
    return start, end


def conflicts(base_tokens, ours, theirs, widen=True):
    """Pairs of edits, one from each side, that overlap or touch once widened over white space.

    An edit made on both sides (the same range replaced by the same words) is taken once: two such edits never
    conflict with each other, but an edit made on one side only must still keep away from them. `widen=False`
    gives the plain rule of a line-based merge such as git's, for comparison.
    """
    found = []
    for a in ours:
        a_start, a_end = _widened(a, base_tokens) if widen else (a.start, a.end)
        for b in theirs:
            if a in theirs and b in ours:
                continue
            b_start, b_end = _widened(b, base_tokens) if widen else (b.start, b.end)
            if a_start <= b_end and b_start <= a_end:
                found.append((a, b))
    return found


def merge_tokens(base_tokens, all_edits):
    """Apply disjoint edits to the base tokens."""
    out, index = [], 0
    for edit in sorted(all_edits, key=lambda e: (e.start, e.end)):
        out.extend(base_tokens[index:edit.start])
        out.extend(edit.replacement)
        index = edit.end
    out.extend(base_tokens[index:])
    return "".join(out)


def _quoted(base_tokens, a, b):
    """The base words where two edits meet, with a word on either side, for the author to find the place."""
    start, end = min(a.start, b.start), max(a.end, b.end)
    while start > 0 and base_tokens[start - 1].isspace():
        start -= 1
    start = max(0, start - 1)
    while end < len(base_tokens) and base_tokens[end].isspace():
        end += 1
    end = min(len(base_tokens), end + 1)
    words = " ".join("".join(base_tokens[start:end]).split())
    return words if len(words) <= 60 else words[:59] + "…"


def rebase(base, proposed, current):
    """The amendment's change (base -> proposed) carried onto `current`, or RebaseConflict.

    Only an exact word diff is safe to merge on: when a diff would cost more than its budget
    (drafting/diff_budget.py), the texts are left for a person, never merged on a coarser diff."""
    try:
        return _rebase(base, proposed, current)
    except TooCostly:
        raise RebaseConflict(
            _("the texts differ too much for a word-by-word merge; write the amendment again on the current text")
        ) from None


def _rebase(base, proposed, current):
    base, proposed, current = base or "", proposed or "", current or ""
    if current == base:
        return proposed
    if proposed == base:
        return current  # the amendment changes nothing here: keep the others' text
    if proposed == current:
        return current  # both made the same change
    base_tokens = tokenize(base)
    ours = edits(base_tokens, proposed)
    theirs = edits(base_tokens, current)
    if merge_tokens(base_tokens, ours) != proposed or merge_tokens(base_tokens, theirs) != current:
        raise RebaseConflict(_("the automatic merge was ambiguous"))  # never expected: guarded all the same
    clashes = conflicts(base_tokens, ours, theirs)
    if clashes:
        raise RebaseConflict(_('the amendment and a later change both touch the same words ("%(words)s")'),
                             words=_quoted(base_tokens, *clashes[0]))
    return merge_tokens(base_tokens, ours + [edit for edit in theirs if edit not in ours])
