"""Mention parsing: @username or @Full Name, Azerbaijani letters included; unknown names stay plain text."""
import pytest

from drafting.mentions import find_mentions, mentioned_members, paragraphs
from drafting.models import Member

from .builders import make_member


@pytest.fixture
def people(db):
    return [
        make_member("leyla", Member.Role.REVIEWER, full_name="Leyla Məmmədova"),
        make_member("ilham_a", full_name="İlham Əhmədov"),
        make_member("leyla_q", full_name="Leyla Qasımova"),
        make_member("samir", full_name="Samir Quliyev"),
    ]


def names(text, people):
    return [m.full_name for m in mentioned_members(text, people)]


def test_full_name_with_azerbaijani_letters_is_a_mention(people):
    assert names("Please check, @Leyla Məmmədova.", people) == ["Leyla Məmmədova"]


def test_username_is_a_mention(people):
    assert names("@leyla and @samir: see 4.1.1", people) == ["Leyla Məmmədova", "Samir Quliyev"]


def test_case_and_dotted_i_do_not_matter(people):
    assert names("@ilham əhmədov, @İLHAM_A", people) == ["İlham Əhmədov"]


def test_longest_full_name_wins_over_a_shorter_username(people):
    found = find_mentions("cc @Leyla Qasımova", people)
    assert [(m.member.full_name, m.start, m.end) for m in found] == [("Leyla Qasımova", 3, 18)]


def test_unknown_name_is_plain_text_not_an_error(people):
    assert names("@nobody and @Nigar Unknown-Person", people) == []
    [[piece]] = paragraphs("Ask @nobody.", people)
    assert (piece.text, piece.member) == ("Ask @nobody.", None)


def test_email_addresses_and_word_prefixes_are_not_mentions(people):
    assert names("write to samir@leyla.az or @samirx", people) == []


def test_a_name_must_end_at_a_word_boundary(people):
    assert names("@İlham Əhmədovun fikri", people) == []


def test_body_splits_into_paragraphs_of_text_and_mention_pieces(people):
    result = paragraphs("Hello @leyla,\nsee this.\n\nSecond @Nobody.", people)
    assert [[(p.text, bool(p.member)) for p in para] for para in result] == [
        [("Hello ", False), ("@leyla", True), (",\nsee this.", False)],
        [("Second @Nobody.", False)],
    ]


def test_deactivated_members_cannot_be_mentioned(drafter, deactivated, concept):
    from .comment_builders import comment

    posted = comment(drafter, concept.clauses.get(number="4.1.1"), "@former_farid and @Farid Former")
    assert list(posted.mentioned.all()) == []
