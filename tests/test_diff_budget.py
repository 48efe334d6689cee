"""Every diff has a fixed budget of work, counted (drafting/diff_budget.py): a redline that would cost more is
made by sentence, then paragraph, then as a whole, still exact and saying so; a rebase refuses to merge."""
import random

import pytest
from django.template.loader import render_to_string

from drafting import diff_budget
from drafting.diff_budget import BoundedEngine, TooCostly
from drafting.forms.amendments import MAX_BODY
from drafting.rebase import RebaseConflict, rebase
from drafting.redline import BY_PARAGRAPH, BY_SENTENCE, WHOLE, WORD, Piece, Redline, redline


def prose(seed, length=MAX_BODY):
    rng = random.Random(seed)
    words = [f"w{rng.randrange(5000)}" + ("." if rng.random() < 0.07 else "") for _ in range(length // 4)]
    return " ".join(words)[:length]


def reads_both(pieces, old, new):
    return ("".join(p.text for p in pieces if not p.is_insert) == old
            and "".join(p.text for p in pieces if not p.is_delete) == new)


@pytest.fixture
def attempts(monkeypatch):
    """Every bounded diff a redline makes, with the work it counted."""
    made = []
    original = BoundedEngine.bounded_diff

    def counted(self, text1, text2, limit=None):
        budget = diff_budget.Budget(self, limit)
        try:
            diffs = self.diff_main(text1, text2, False, budget)
        finally:
            made.append(budget)
        return diffs, budget.spent

    monkeypatch.setattr(BoundedEngine, "bounded_diff", counted)
    assert original is not counted
    return made


def test_a_small_change_to_a_long_text_is_still_shown_word_by_word(attempts):
    old = prose(1)
    middle = old.index(" ", 10_000)
    new = old[:middle] + " inserted words" + old[middle:]
    pieces = redline(old, new)
    assert pieces.unit == WORD and not pieces.is_coarse
    assert [p.text.strip() for p in pieces if p.is_insert] == ["inserted words"]
    assert len(attempts) == 1 and attempts[0].spent <= diff_budget.WORD_BUDGET


def test_no_redline_at_the_body_limit_does_more_than_its_budget_of_work(attempts):
    old, new = prose(1), prose(2)  # unrelated: 41.6 s at word level without a budget (FIELD-NOTES)
    pieces = redline(old, new)
    assert pieces.unit in (BY_SENTENCE, BY_PARAGRAPH, WHOLE)
    assert 1 < len(attempts) <= 3  # word, then sentence, then paragraph at most
    # A budget is checked once per bisection step; one step costs at most the two texts' length past it.
    assert all(budget.spent <= budget.limit + 2 * (len(old) + len(new)) for budget in attempts)
    assert sum(budget.spent for budget in attempts) <= 3 * diff_budget.WORD_BUDGET + 6 * (len(old) + len(new))


def test_a_coarse_redline_still_reads_both_texts_exactly():
    old, new = prose(3), prose(4)
    pieces = redline(old, new)
    assert pieces.is_coarse and reads_both(pieces, old, new)


def test_a_coarse_redline_still_says_which_sentences_changed(monkeypatch):
    monkeypatch.setattr(diff_budget, "WORD_BUDGET", 50)
    old = "The first sentence stays. The second one goes away. The third stays too."
    new = "The first sentence stays. A new second sentence comes. The third stays too."
    pieces = redline(old, new)
    assert pieces.unit == BY_SENTENCE
    assert pieces == [Piece("equal", "The first sentence stays. "), Piece("delete", "The second one goes away. "),
                      Piece("insert", "A new second sentence comes. "), Piece("equal", "The third stays too.")]


def test_when_even_paragraphs_cost_too_much_the_whole_text_is_replaced_and_says_so(monkeypatch):
    monkeypatch.setattr(diff_budget, "WORD_BUDGET", 0)
    old, new = "Old words.\n\nMore.", "New words.\n\nOther.\n\nAnd more."
    pieces = redline(old, new)
    assert pieces.unit == WHOLE and reads_both(pieces, old, new)


def test_a_bounded_diff_raises_rather_than_replace_everything():
    engine = BoundedEngine()
    with pytest.raises(TooCostly):
        engine.bounded_diff(prose(5, 4000), prose(6, 4000), limit=1000)


def test_a_coarse_redline_is_marked_for_the_reader():
    html = render_to_string("drafting/_redline.html", {"pieces": Redline([Piece("delete", "A.")], BY_SENTENCE)})
    assert "Shown by sentence: the texts differ too much for a word-by-word comparison." in html
    assert "Shown by" not in render_to_string("drafting/_redline.html", {"pieces": redline("a b", "a c")})


def test_both_sides_of_a_side_by_side_view_keep_the_note():
    from drafting.comparison import _side

    pieces = Redline([Piece("delete", "A. "), Piece("insert", "B. ")], BY_SENTENCE)
    assert _side(pieces, "insert").is_coarse and _side(pieces, "delete").is_coarse


def test_rebase_never_merges_on_a_diff_over_budget(monkeypatch):
    base = "The Republic publishes the draft notes every year."
    proposed = "The Republic publishes a draft memo every year."
    current = "The Republic publishes the draft notes every second month."
    assert rebase(base, proposed, current) == "The Republic publishes a draft memo every second month."
    monkeypatch.setattr(diff_budget, "WORD_BUDGET", 5)
    with pytest.raises(RebaseConflict, match="differ too much"):
        rebase(base, proposed, current)
