"""Pages that read at a glance: the amendment list, the what-if page, a clause's history, the Versions page."""
import re
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from drafting.models import Amendment, Review
from drafting.views.clauses import label_moments

from .amendment_builders import REMOVED_SENTENCE, insert, modify
from .comment_builders import comment
from .conftest import login


@pytest.fixture
def clause(concept):
    return concept.clauses.get(number="4.1.1")


def test_amendment_list_shows_clause_kind_summary_author_state_threads_and_last_activity(
    as_reviewer, concept, clause, drafter, second_drafter, reviewer
):
    modify(drafter, clause, body=clause.body.replace("OSCE Minsk Group", "United Nations"), submit=True)
    insert(second_drafter, concept.clauses.get(number="4"), Amendment.Placement.LAST_CHILD, "Economic security",
           "A diversified economy.", submit=True)
    page = as_reviewer.get(reverse("amendment_list", args=[concept.slug])).text
    head = page[page.index("<thead>"):page.index("</thead>")]
    for column in ("Clause", "Kind", "Change", "Author", "State", "Open threads", "Last activity"):
        assert f">{column}</th>" in head
    # The change itself, cut to its words: the insertion by its heading, the rewording by the words it swaps.
    assert "<ins>Economic security</ins>" in page
    assert "<del>OSCE Minsk Group</del>" in page and "<ins>United Nations</ins>" in page
    assert "Republic of Azerbaijan is unified" not in page  # not the whole clause


def test_amendment_list_last_activity_counts_comments(as_reviewer, concept, clause, drafter, reviewer):
    amendment = modify(drafter, clause, body="A shorter text.", submit=True)
    Amendment.objects.filter(pk=amendment.pk).update(updated_at=timezone.now() - timedelta(days=30))
    comment(reviewer, amendment, body="A question.")
    page = as_reviewer.get(reverse("amendment_list", args=[concept.slug])).text
    assert timezone.localtime().strftime("%Y-%m-%dT%H") in page  # the comment's moment, not a month ago


def test_amendment_list_links_the_topic_tags_page(as_reviewer, concept):
    assert f'href="{reverse("tag_list")}"' in as_reviewer.get(reverse("amendment_list", args=[concept.slug])).text


def test_what_if_shows_only_the_changed_words_of_competing_amendments_with_their_titles(
    as_reviewer, concept, clause, drafter, second_drafter
):
    modify(drafter, clause, body=clause.body.replace(REMOVED_SENTENCE, ""), submit=True)
    modify(second_drafter, clause, body=clause.body.replace("OSCE Minsk Group", "United Nations"), submit=True)
    page = as_reviewer.get(reverse("what_if", args=[concept.slug]), {"text": "en"}).text  # the English changes
    chooser = page[page.index("<legend>Amendments shown</legend>"):page.index("</fieldset>")]
    assert chooser.count("Reword 4.1.1 The restoration of the territorial integrity") == 2
    outline = page[page.index('class="outline what-if"'):]
    # Each competing change is shown by its words and a little context; the whole clause only folded.
    shown = re.sub(r"<details.*?</details>", "", outline, flags=re.S)
    assert "<ins>United Nations</ins>" in shown
    assert shown.count("Republic of Azerbaijan is unified") == 0
    assert outline.count("<details") == 2


def test_clause_history_links_the_amendment_that_made_a_version(as_reviewer, clause, drafter, reviewer):
    amendment = modify(drafter, clause, body="A shorter text.", submit=True)
    amendment.review(reviewer, Review.Decision.APPROVE)
    page = as_reviewer.get(clause.get_absolute_url()).text
    assert f'<a href="{amendment.get_absolute_url()}">amendment {amendment.label}</a>' in page


def test_version_picker_timestamps_are_distinct_when_versions_share_a_minute(as_reviewer, clause):
    minute = timezone.now().replace(second=5, microsecond=0)
    first = clause.history.latest()
    clause.body += " More."
    clause.save()
    clause.history.filter(pk=first.pk).update(history_date=minute)
    clause.history.exclude(pk=first.pk).update(history_date=minute + timedelta(seconds=30))
    page = as_reviewer.get(clause.get_absolute_url()).text
    options = re.findall(r"<option value=\"\d+\"[^>]*>(v\d · [^<]+)</option>", page)
    assert len(options) == 4 and len(set(options[:2])) == 2
    assert all(re.search(r"\d\d:\d\d:\d\d$", text) for text in options)


def test_moment_labels_grow_only_as_fine_as_needed():
    class Version:
        def __init__(self, moment):
            self.history_date = moment

    moment = timezone.now().replace(second=0, microsecond=0)
    apart = label_moments([Version(moment), Version(moment + timedelta(minutes=2))])
    assert [v.when.count(":") for v in apart] == [1, 1]
    same_second = label_moments([Version(moment), Version(moment + timedelta(microseconds=10))])
    assert same_second[0].when != same_second[1].when


def test_versions_page_says_the_import_milestone_is_when_the_text_was_imported(as_reviewer, concept):
    page = as_reviewer.get(reverse("versions", args=[concept.slug])).text
    assert "2007 original · imported " in page
    assert "the text itself dates from 2007" in page


def test_templates_compare_no_state_kind_status_or_decision_as_a_string():
    """A state is a model property (`amendment.is_applied`), never `amendment.state == "applied"` in a template."""
    found = []
    for path in Path(settings.BASE_DIR, "templates").rglob("*.html"):
        for line in path.read_text(encoding="utf-8").splitlines():
            if re.search(r"\.(state|kind|status|decision|reason)\s*[!=]=\s*['\"]|\bkind\s*[!=]=\s*['\"]", line):
                found.append(f"{path.name}: {line.strip()[:100]}")
    assert found == []


def test_deactivated_member_with_a_stale_session_is_told_why(client, drafter):
    login(client, drafter)
    drafter.user.is_active = False  # as the Django admin would, without ending the sessions
    drafter.user.save()
    page = client.get(reverse("login"))
    assert "membership of the working group was deactivated" in page.text
