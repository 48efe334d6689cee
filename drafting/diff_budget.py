"""A fixed budget for every diff, counted in work done rather than measured in time.

diff-match-patch's Myers bisection walks, at its step d, about 2d diagonals from each end, plus the runs of
equal characters ("snakes") along them; d grows with how different two texts are, so two unrelated 50 KB texts
took 41.6 s at word level (FIELD-NOTES). A deadline would make results depend on the machine's load; instead we
count. diff-match-patch asks `time.time() > deadline` once per step of each bisection: handed a `Budget` as its
deadline, that comparison charges the step's diagonals (2d + 2), each bisection's first step also the length
of its two strings (the snakes, walked about once), and raises `TooCostly` once the budget is spent. So a diff
either completes exactly, or raises; it never returns diff-match-patch's silent "replace everything".

Callers choose what a refused diff means: a redline falls back to a coarser unit (drafting/redline.py), a
rebase refuses to merge (drafting/rebase.py), because merging on anything but an exact word diff is unsafe.
"""
import re

from diff_match_patch import diff_match_patch

# Work units (diagonals visited, and each bisection's length once; see above). Measured by bench/worst_diff.py:
# about 0.33 µs a unit on this project's (shared, 2-core) machines, so 0.04 s of bisection, and the semantic
# clean-up after it costs somewhat less; a redline's attempts (word, sentence, paragraph) then stay under
# 0.2 s together at the body limit.
WORD_BUDGET = 120_000


class TooCostly(Exception):
    """The diff would cost more than its budget; nothing was returned."""


class Budget:
    """A deadline that counts: diff-match-patch compares it with the time once per bisection step."""

    def __init__(self, engine, limit=None):
        self.engine, self.limit, self.spent = engine, WORD_BUDGET if limit is None else limit, 0

    def __lt__(self, _now):  # `time.time() > deadline` asks the deadline, reflected, `deadline < now`
        engine = self.engine
        self.spent += 2 * engine.step + 2 + (engine.size if engine.step == 0 else 0)
        engine.step += 1
        if self.spent > self.limit:
            raise TooCostly(f"the diff needs more than {self.limit} units of work")
        return False


class BoundedEngine(diff_match_patch):
    """diff-match-patch that diffs exactly or raises TooCostly: no time limit, a work limit instead."""

    def __init__(self):
        super().__init__()
        self.Diff_Timeout = 0  # no half-match shortcut (it is not minimal) and no clock
        self.step, self.size = 0, 0

    def diff_bisect(self, text1, text2, deadline):
        # A new bisection (the halves of a split are bisected in turn): its steps count from 0 again.
        self.step, self.size = 0, len(text1) + len(text2)
        return super().diff_bisect(text1, text2, deadline)

    def bounded_diff(self, text1, text2, limit=None):
        """diff_main with a work budget: exact diffs, or TooCostly."""
        budget = Budget(self, limit)
        diffs = self.diff_main(text1, text2, False, budget)
        return diffs, budget.spent


# Coarser units for a redline whose word diff is too costly; each covers the text exactly (joined, the units
# are the text), so a coarse redline still reads both texts exactly and shows which sentences changed.
SENTENCE = re.compile(r"[^.!?;\n]*(?:[.!?;]+[\"'”’)\]]*|\n|$)[^\S\n]*", re.UNICODE)
PARAGRAPH = re.compile(r"[^\n]*(?:\n[^\S\n]*)*", re.UNICODE)


def split(text, unit):
    return [part for part in unit.findall(text or "") if part]
