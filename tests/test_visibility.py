"""One visibility rule: a draft is its author's and co-sponsors' alone, everything else every active member
reads, and nobody else reads anything. `AmendmentQuerySet.visible_to` says it; comments, reviews and
notifications derive theirs from it; every list, count, export, feed, inbox and notification goes through it.

tests/test_permissions.py asks every URL as every persona for a secret phrase planted in a draft; here each
place is checked by name, with the sponsors' side too, so a rule that hid everything would fail."""
import csv
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from drafting.models import Amendment, Comment, Member, Notification, Review

from .amendment_builders import REMOVED_SENTENCE, modify
from .comment_builders import comment, reply
from .conftest import login
from .test_permissions import readable

PHRASE = "lapislynx2207"


@pytest.fixture
def clause(concept):
    return concept.clauses.get(number="4.1.1")


@pytest.fixture
def draft(drafter, second_drafter, clause):
    """Dinara's draft of 4.1.1, co-sponsored by Samir, with the phrase in its rationale and its discussion."""
    amendment = modify(drafter, clause, body=clause.body.replace(REMOVED_SENTENCE, ""), rationale=f"Why: {PHRASE}")
    amendment.sign_on(second_drafter)
    comment(drafter, amendment, f"Between us: {PHRASE}")
    return amendment


@pytest.fixture
def submitted(reviewer, clause):
    return modify(reviewer, clause, body=clause.body + " More.", rationale="Open to all.", submit=True)


def get(client, member, name, *args, **params):
    login(client, member)
    response = client.get(reverse(name, args=args), params)
    assert response.status_code == 200, name
    return response


def test_the_rule_shows_a_draft_to_its_sponsors_only_and_nothing_to_non_members(
    draft, submitted, drafter, second_drafter, reviewer, admin_member, deactivated
):
    visible = {m.username if hasattr(m, "username") else m.user.username: set(Amendment.objects.visible_to(m))
               for m in (drafter, second_drafter, reviewer, admin_member, deactivated)}
    assert visible["drafter_dina"] == visible["drafter_samir"] == {draft, submitted}
    assert visible["reviewer_rauf"] == visible["admin_aysel"] == {submitted}
    assert visible["former_farid"] == set() and not Amendment.objects.visible_to(None).exists()


def test_comments_reviews_and_notifications_follow_the_amendment_rule(
    draft, submitted, drafter, second_drafter, reviewer, second_reviewer, admin_member
):
    submitted.review(second_reviewer, "request_changes", "More.")
    comment(second_reviewer, submitted, "On the submitted one.")
    for member in (drafter, second_drafter, reviewer, second_reviewer, admin_member):
        amendments = set(Amendment.objects.visible_to(member))
        assert {c.amendment for c in Comment.objects.visible_to(member) if c.amendment_id} == amendments
        assert {r.amendment for r in Review.objects.visible_to(member)} <= amendments
        assert {n.amendment or n.comment.amendment for n in Notification.objects.visible_to(member)} <= amendments
    assert not Comment.objects.visible_to(None).exists() and not Review.objects.visible_to(None).exists()


def test_the_disposition_table_holds_a_draft_for_its_sponsors_only(client, draft, submitted, second_drafter, reviewer):
    def csv_text(member):
        return get(client, member, "disposition_csv", "concept").content.decode("utf-8-sig")

    def xlsx_cells(member):
        sheet = load_workbook(io.BytesIO(get(client, member, "disposition_xlsx", "concept").content)).active
        return [cell for row in sheet.iter_rows(values_only=True) for cell in row if cell]

    for sponsor in (draft.author, second_drafter):
        assert f"Why: {PHRASE}" in csv_text(sponsor) and f"Why: {PHRASE}" in xlsx_cells(sponsor)
    rows = list(csv.reader(io.StringIO(csv_text(reviewer))))
    assert [row[0] for row in rows[2:]] == [submitted.label]  # after the trace row and the column names  # the draft's row is not there, nor its author
    assert PHRASE not in csv_text(reviewer) and not any(PHRASE in str(c) for c in xlsx_cells(reviewer))


def test_the_outline_counts_agree_with_the_amendment_list_for_each_member(
    client, draft, submitted, clause, drafter, reviewer
):
    comment(reviewer, submitted, "Open thread.")
    for member, amendments in ((drafter, 2), (reviewer, 1)):
        outline = get(client, member, "document_detail", "concept").text
        assert f"{amendments} open amendment" in outline
        listed = get(client, member, "amendment_list", "concept", state="open", clause=clause.pk).context["page"]
        assert len(listed.object_list) == amendments  # what the badge links to
        threads = Comment.objects.open_thread_counts_by_clause(clause.document, member)
        assert threads[clause.pk] == amendments  # one open thread on each amendment the member reads


def test_the_activity_feed_shows_a_draft_and_its_discussion_to_its_sponsors_only(
    client, draft, submitted, second_drafter, reviewer
):
    assert draft.label in get(client, second_drafter, "document_activity", "concept").text
    feed = get(client, reviewer, "document_activity", "concept").text
    assert submitted.label in feed and draft.label not in feed and PHRASE not in feed


def test_nobody_is_told_of_a_draft_they_cannot_read(drafter, second_drafter, reviewer, draft):
    mentioned = comment(drafter, draft, "@reviewer_rauf, @drafter_samir: a look?")
    mentioned.edit(drafter, "@reviewer_rauf, @drafter_samir: a look, please?")
    reply(second_drafter, mentioned, "@reviewer_rauf too")
    assert not reviewer.notifications.exists()
    assert second_drafter.notifications.filter(comment=mentioned).exists()  # a co-sponsor reads it: told


def test_a_former_cosponsor_no_longer_reads_a_drafts_discussion_in_their_inbox(client, drafter, second_drafter, draft):
    thread = comment(drafter, draft, f"Still between us: {PHRASE}")
    notice = second_drafter.notifications.get(comment=thread)
    assert PHRASE in get(client, second_drafter, "inbox").text
    draft.sign_off(second_drafter)
    inbox = get(client, second_drafter, "inbox")
    assert PHRASE not in inbox.text
    assert not Notification.objects.visible_to(second_drafter).unread().exists()  # the header's unread count
    assert client.get(reverse("notification_open", args=[notice.pk])).status_code == 404
    assert client.post(reverse("notification_read", args=[notice.pk])).status_code == 404


def test_the_word_export_attributes_changes_to_applied_amendments_only(client, clause, drafter, reviewer, second_drafter):
    applied = modify(drafter, clause, body=clause.body.replace(REMOVED_SENTENCE, ""), submit=True)
    applied.review(reviewer, "approve")
    assert Amendment.objects.get(pk=applied.pk).is_applied
    Member.objects.filter(pk=second_drafter.pk).update(full_name="Samir Draftonly")
    second_drafter.refresh_from_db()
    modify(second_drafter, clause, body=f"{PHRASE} rewritten", rationale=PHRASE)
    modify(second_drafter, clause, body="Another rewrite.", submit=True)  # submitted: open, not applied
    login(client, reviewer)
    original = clause.document.milestones.get().point
    word = readable(client.get(reverse("versions_docx", args=["concept"]), {"old": original, "new": "now", "text": "en"}))
    assert f'w:author="{drafter.full_name}"' in word
    assert "Samir Draftonly" not in word and PHRASE not in word
