"""Benchmark: the slowest redlines at the body limit (MAX_BODY characters), with the unit each is shown by.

Every diff has a fixed budget of work (drafting/diff_budget.py); past it a redline is made by sentence, then by
paragraph, then as a whole. The goal: no redline takes more than 0.2 s. Pure Python, no database:
    .venv/bin/python bench/worst_diff.py
Prints, for each pair of texts, the unit used, the median and the slowest of RUNS runs, and the work counted.
"""
import os
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from drafting import diff_budget  # noqa: E402
from drafting.forms.amendments import MAX_BODY  # noqa: E402
from drafting.redline import redline  # noqa: E402

RUNS = 5
GOAL = 0.2


def prose(rng, length, *, vocabulary=5000, sentence=0.07, paragraph=0.01):
    words, size = [], 0
    while size < length:
        word = f"w{rng.randrange(vocabulary)}"
        roll = rng.random()
        word += ".\n\n" if roll < paragraph else "." if roll < sentence else ""
        words.append(word)
        size += len(word) + 1
    return " ".join(words)[:length]


def every(text, n):
    return " ".join(word + "x" if i % n == 0 else word for i, word in enumerate(text.split(" ")))


def cases():
    rng = random.Random(11)
    a, b = prose(rng, MAX_BODY), prose(rng, MAX_BODY)
    flat_a, flat_b = prose(rng, MAX_BODY, sentence=0, paragraph=0), prose(rng, MAX_BODY, sentence=0, paragraph=0)
    sentences = a.split(". ")
    yield "unrelated prose", a, b
    yield "unrelated, no sentences", flat_a, flat_b
    yield "unrelated, few words", prose(rng, MAX_BODY, vocabulary=20), prose(rng, MAX_BODY, vocabulary=20)
    yield "one word changed", a, a[: MAX_BODY // 2] + "z" + a[MAX_BODY // 2 + 1:]
    for n in (100, 20, 5, 2):
        yield f"every {n}th word changed", a, every(a, n)
    yield "sentences reversed", a, ". ".join(reversed(sentences))
    yield "half rewritten", a, a[: MAX_BODY // 2] + b[MAX_BODY // 2:]
    yield "periodic texts", ("a b " * (MAX_BODY // 4))[:MAX_BODY], ("a a b " * (MAX_BODY // 6))[:MAX_BODY]
    yield "empty to full", "", a


def main():
    spent = []
    original = diff_budget.BoundedEngine.bounded_diff

    def counted(self, text1, text2, limit=None):
        budget_before = len(spent)
        try:
            result = original(self, text1, text2, limit)
            spent.append(result[1])
            return result
        except diff_budget.TooCostly:
            spent.append(diff_budget.WORD_BUDGET if limit is None else limit)
            raise
        finally:
            assert len(spent) == budget_before + 1

    diff_budget.BoundedEngine.bounded_diff = counted
    print(f"Redlines at the body limit ({MAX_BODY:,} characters), budget {diff_budget.WORD_BUDGET:,} units a diff")
    print(f"{'texts':<26} {'shown by':<10} {'median ms':>10} {'max ms':>8} {'attempts':>9} {'work':>9}")
    worst = 0
    for name, old, new in cases():
        times = []
        for _ in range(RUNS):
            spent.clear()
            started = time.perf_counter()
            pieces = redline(old, new)
            times.append(time.perf_counter() - started)
        assert "".join(p.text for p in pieces if not p.is_insert) == old
        assert "".join(p.text for p in pieces if not p.is_delete) == new
        worst = max(worst, max(times))
        print(f"{name:<26} {pieces.unit:<10} {statistics.median(times) * 1000:>10.1f} {max(times) * 1000:>8.1f}"
              f" {len(spent):>9} {sum(spent):>9,}")
    print(f"slowest: {worst * 1000:.0f} ms; goal {GOAL * 1000:.0f} ms: {'met' if worst <= GOAL else 'NOT met'}")


if __name__ == "__main__":
    main()
