"""Rebasing an amendment onto a clause text that moved on since the amendment was written.

diff-match-patch's patch_apply reports success on wrong merges (see FIELD-NOTES), so it is never trusted
alone. The rule that holds, at word level:

1. Compute the ranges of the base that the amendment changed (base -> proposed) and those that others
   changed (base -> current). An insertion is a point range.
2. Widen every range over the white space around it (white space alone does not separate two changes);
   if any range of one side then overlaps or touches one of the other side, it is a conflict for a person.
3. Otherwise apply the amendment's word-level patch to the current text with a strict Match_Threshold,
   require every hunk to apply, and require the result to equal the exact token-level merge of both
   change sets. Any disagreement is a conflict, never a guess.
"""
from dataclasses import dataclass

from diff_match_patch import diff_match_patch

from .diff_budget import TooCostly
from .redline import tokenize, word_diff

MATCH_THRESHOLD = 0.3


class RebaseConflict(Exception):
    """The two changes cannot be merged safely; the reason is shown to the author."""


@dataclass(frozen=True)
class Edit:
    start: int  # token index in the base
    end: int  # exclusive; start == end for a pure insertion
    replacement: tuple  # tokens that replace base[start:end]


def edits(base_tokens, other_text):
    """The word-level edits that turn the base tokens into `other_text`, as ranges of base tokens."""
    result, index = [], 0
    pending = None
    for op, text in word_diff("".join(base_tokens), other_text):
        tokens = tokenize(text)
        if op == 0:
            if pending:
                result.append(Edit(*pending[:2], tuple(pending[2])))
                pending = None
            index += len(tokens)
            continue
        if pending is None:
            pending = [index, index, []]
        if op == -1:
            index += len(tokens)
            pending[1] = index
        else:
            pending[2].extend(tokens)
    if pending:
        result.append(Edit(*pending[:2], tuple(pending[2])))
    return result


def _widened(edit, tokens):
    start, end = edit.start, edit.end
    while start > 0 and tokens[start - 1].isspace():
        start -= 1
    while end < len(tokens) and tokens[end].isspace():
        end += 1
    return start, end


def conflicts(base_tokens, ours, theirs):
    """Pairs of edits that overlap or touch once widened over white space."""
    found = []
    for a in ours:
        a_start, a_end = _widened(a, base_tokens)
        for b in theirs:
            b_start, b_end = _widened(b, base_tokens)
            if a_start <= b_end and b_start <= a_end:
                found.append((a, b))
    return found


def merge_tokens(base_tokens, all_edits):
    """Apply disjoint edits to the base tokens (the exact merge, used to check patch_apply)."""
    out, index = [], 0
    for edit in sorted(all_edits, key=lambda e: (e.start, e.end)):
        out.extend(base_tokens[index:edit.start])
        out.extend(edit.replacement)
        index = edit.end
    out.extend(base_tokens[index:])
    return "".join(out)


def rebase(base, proposed, current):
    """The amendment's change (base -> proposed) carried onto `current`, or RebaseConflict.

    Only an exact word diff is safe to merge on: when a diff would cost more than its budget
    (drafting/diff_budget.py), the texts are left for a person, never merged on a coarser diff."""
    try:
        return _rebase(base, proposed, current)
    except TooCostly:
        raise RebaseConflict(
            "the texts differ too much for a word-by-word merge; write the amendment again on the current text"
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
    clashes = conflicts(base_tokens, ours, theirs)
    if clashes:
        a, _ = clashes[0]
        words = "".join(base_tokens[a.start:a.end]).strip() or "".join(a.replacement).strip()
        raise RebaseConflict(f'the amendment and a later change both touch the same words ("{words[:60]}")')

    dmp = diff_match_patch()
    dmp.Diff_Timeout = 0
    dmp.Match_Threshold = MATCH_THRESHOLD
    patches = dmp.patch_make(base, word_diff(base, proposed))
    merged, applied = dmp.patch_apply(patches, current)
    if not all(applied):
        raise RebaseConflict("part of the amendment no longer fits the current text")
    if merged != merge_tokens(base_tokens, ours + theirs):
        raise RebaseConflict("the automatic merge was ambiguous")
    return merged
