"""Amendments through the browser's forms: the story of the 4.1.1 removal, the AI and economy clauses."""
import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from drafting.models import Amendment, Review, Tag

from .amendment_builders import REMOVED_SENTENCE, insert, modify
from .conftest import english_only, login

MINSK = REMOVED_SENTENCE.strip()


def url(name, document, *args):
    return reverse(name, args=[document.slug, *args])

@pytest.fixture
def concept(concept):
    """The seeded Concept declared English-only: these are the single-language form's rules (the bilingual
    form's are in tests/test_bilingual_amendments.py)."""
    english_only(concept)
    return concept


@pytest.fixture
def clause(concept):
    return concept.clauses.get(number="4.1.1")


def test_the_whole_story_through_the_views(client, concept, clause, drafter, second_drafter, reviewer, admin_member):
    economy_author = admin_member  # a third member drafts the economy clause
    tag = Tag.objects.create(name="territorial integrity")
    # 1. A drafter proposes to remove the OSCE Minsk Group sentence from 4.1.1, and submits it.
    login(client, drafter)
    response = client.get(url("amendment_new", concept, clause.pk, "modify"))
    assert response.status_code == 200 and MINSK in response.text
    base = clause.history.latest().history_id
    response = client.post(url("amendment_new", concept, clause.pk, "modify"), {
        "base": base, "proposed_heading": clause.heading, "proposed_body": clause.body.replace(REMOVED_SENTENCE, ""),
        "rationale": "Since 2023 no territory is under occupation; the Minsk Group process is over.",
        "tags": [tag.pk], "submit": "1",
    })
    removal = Amendment.objects.get(number=1)
    assert response.status_code == 302 and response["Location"] == removal.get_absolute_url()
    assert removal.state == Amendment.State.SUBMITTED
    # 2. A second drafter proposes a new AI clause in section 3, as its last sub-clause.
    login(client, second_drafter)
    section_3 = concept.clauses.get(number="3")
    client.post(url("amendment_new", concept, section_3.pk, "insert"), {
        "base": section_3.history.latest().history_id, "placement": "last_child",
        "proposed_heading": "Threats arising from artificial intelligence",
        "proposed_body": "Demo text on AI.", "rationale": "A new challenge named by the head of state.", "submit": "1",
    })
    ai = Amendment.objects.get(number=2)
    assert ai.state == Amendment.State.SUBMITTED and ai.provisional_label() == "new, last under 3"
    # 3. A third member proposes an economy clause in section 4 and keeps it as a draft first.
    login(client, economy_author)
    section_4 = concept.clauses.get(number="4")
    client.post(url("amendment_new", concept, section_4.pk, "insert"), {
        "base": section_4.history.latest().history_id, "placement": "first_child",
        "proposed_heading": "Economic transformation", "proposed_body": "Demo text on the economy.",
        "rationale": "Economic security.", "save": "1",
    })
    economy = Amendment.objects.get(number=3)
    assert economy.state == Amendment.State.DRAFT
    client.post(url("amendment_submit", concept, 3))
    economy.refresh_from_db()
    assert economy.state == Amendment.State.SUBMITTED
    # 4. The reviewer reads the removal as redline, approves it; requests changes on AI; rejects economy.
    login(client, reviewer)
    page = client.get(removal.get_absolute_url())
    assert "<del>" in page.text and "Minsk Group" in page.text
    client.post(url("amendment_review", concept, 1), {"decision": "approve"})
    client.post(url("amendment_review", concept, 2), {"decision": "request_changes", "note": "Be more specific."})
    client.post(url("amendment_review", concept, 3), {"decision": "reject", "note": "Out of scope for now."})
    removal.refresh_from_db(), ai.refresh_from_db(), economy.refresh_from_db()
    assert (removal.state, ai.state, economy.state) == ("applied", "changes_requested", "rejected")
    # 5. The Concept now reads without the sentence; its history names the amendment and the approver.
    clause.refresh_from_db()
    assert MINSK not in clause.body
    history = client.get(clause.get_absolute_url())
    assert "amendment A-1" in history.text and reviewer.full_name in history.text
    # 6. The AI drafter edits and resubmits; the reviewer approves; the clause is inserted and numbered.
    login(client, second_drafter)
    ai.refresh_from_db()
    client.post(url("amendment_edit", concept, 2), {
        "edited_at": ai.updated_at.isoformat(), "placement": "last_child",
        "proposed_heading": "Threats arising from artificial intelligence",
        "proposed_body": "Demo text on AI, more specific.", "rationale": "A new challenge.", "submit": "1",
    })
    login(client, reviewer)
    client.post(url("amendment_review", concept, 2), {"decision": "approve"})
    ai.refresh_from_db()
    assert ai.state == Amendment.State.APPLIED and ai.result_clause.number == "3.2"
    outline = client.get(concept.get_absolute_url(), {"text": "en"})  # the English heading, read in English
    assert "Threats arising from artificial intelligence" in outline.text


def test_invalid_amendment_form_keeps_the_text_and_says_why(as_drafter, concept, clause):
    typed = clause.body + " A sentence I typed."
    response = as_drafter.post(url("amendment_new", concept, clause.pk, "modify"), {
        "base": clause.history.latest().history_id, "proposed_heading": clause.heading,
        "proposed_body": typed, "rationale": "   ", "save": "1",
    })
    assert response.status_code == 200
    assert "A sentence I typed." in response.text
    assert "Give the rationale" in response.text
    assert not Amendment.objects.exists()


def test_oversize_text_is_refused_with_a_reason(as_drafter, concept, clause):
    response = as_drafter.post(url("amendment_new", concept, clause.pk, "modify"), {
        "base": clause.history.latest().history_id, "proposed_heading": clause.heading,
        "proposed_body": "x " * 15000, "rationale": "Long.", "save": "1",
    })
    assert response.status_code == 200 and "At most 20,000 characters" in response.text
    assert not Amendment.objects.exists()


def test_preview_without_javascript_shows_the_redline_and_saves_nothing(as_drafter, concept, clause):
    response = as_drafter.post(url("amendment_new", concept, clause.pk, "modify"), {
        "base": clause.history.latest().history_id, "proposed_heading": clause.heading,
        "proposed_body": clause.body.replace("most paramount", "paramount"), "rationale": "", "preview": "1",
    })
    assert response.status_code == 200 and "<del>most </del>" in response.text
    assert not Amendment.objects.exists()


def test_live_preview_partial_renders_redline(as_drafter, concept, clause):
    response = as_drafter.post(
        url("amendment_preview", concept, clause.pk, "modify"),
        {"base": clause.history.latest().history_id, "proposed_heading": clause.heading,
         "proposed_body": clause.body + " New words."},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    assert "<ins> New words.</ins>" in response.text and "<html" not in response.text


def test_live_preview_refuses_get(as_drafter, concept, clause):
    assert as_drafter.get(url("amendment_preview", concept, clause.pk, "modify")).status_code == 405


def test_new_amendment_is_written_against_the_version_the_drafter_saw(as_drafter, concept, clause, reviewer):
    seen = clause.history.latest().history_id
    clause.body = clause.body.replace("most paramount", "paramount")
    clause.save()  # someone else's change lands while the form is open
    as_drafter.post(url("amendment_new", concept, clause.pk, "modify"), {
        "base": seen, "proposed_heading": clause.heading, "rationale": "r", "save": "1",
        "proposed_body": clause.history.get(history_id=seen).body.replace(REMOVED_SENTENCE, ""),
    })
    amendment = Amendment.objects.get()
    assert amendment.base.history_id == seen and not amendment.base_is_current


def test_stale_edit_is_detected_not_overwritten(as_drafter, concept, clause, drafter):
    amendment = modify(drafter, clause, body="first")
    opened_at = amendment.updated_at.isoformat()
    amendment.proposed_body = "changed in another tab"
    amendment.save()
    response = as_drafter.post(url("amendment_edit", concept, amendment.number), {
        "edited_at": opened_at, "proposed_heading": clause.heading, "proposed_body": "my late edit",
        "rationale": "r", "save": "1",
    })
    assert response.status_code == 200
    assert "changed in another window" in response.text and "my late edit" in response.text
    amendment.refresh_from_db()
    assert amendment.proposed_body == "changed in another tab"


def test_drafter_cannot_edit_another_drafters_amendment_by_crafted_post(client, concept, clause, drafter, second_drafter):
    amendment = modify(drafter, clause, body="mine")
    login(client, second_drafter)
    response = client.post(url("amendment_edit", concept, amendment.number), {
        "edited_at": amendment.updated_at.isoformat(), "proposed_heading": "x", "proposed_body": "hijack",
        "rationale": "r", "save": "1",
    })
    assert response.status_code in (403, 404)
    amendment.refresh_from_db()
    assert amendment.proposed_body == "mine"


def test_drafts_are_visible_only_to_author_and_cosponsors(client, concept, clause, drafter, second_drafter, reviewer):
    amendment = modify(drafter, clause, body="work in progress")
    amendment.cosponsors.add(reviewer)
    login(client, second_drafter)
    assert client.get(amendment.get_absolute_url()).status_code == 404
    assert "A-1" not in client.get(url("amendment_list", concept)).text
    login(client, reviewer)
    assert client.get(amendment.get_absolute_url()).status_code == 200


def test_drafter_cannot_review_through_the_view(client, concept, clause, drafter, second_drafter):
    amendment = modify(drafter, clause, body="x", submit=True)
    login(client, second_drafter)
    response = client.post(url("amendment_review", concept, amendment.number), {"decision": "approve"})
    assert response.status_code == 403
    assert not Review.objects.exists()


def test_author_cannot_approve_own_amendment_through_the_view(client, concept, clause, reviewer):
    amendment = modify(reviewer, clause, body="x", submit=True)
    login(client, reviewer)
    response = client.post(url("amendment_review", concept, amendment.number), {"decision": "approve"})
    assert response.status_code == 403
    amendment.refresh_from_db()
    assert amendment.state == Amendment.State.SUBMITTED


def test_rejecting_needs_a_note_and_keeps_it_beside_the_field(client, concept, clause, drafter, reviewer):
    amendment = modify(drafter, clause, body="x", submit=True)
    login(client, reviewer)
    response = client.post(url("amendment_review", concept, amendment.number), {"decision": "reject", "note": ""})
    assert response.status_code == 200 and "Say what should change" in response.text


def test_forbidden_transition_is_refused_with_a_clear_message(client, concept, clause, drafter):
    amendment = modify(drafter, clause, body="x", submit=True)
    login(client, drafter)
    response = client.post(url("amendment_submit", concept, amendment.number), follow=True)
    assert "is submitted; it cannot be submitted now" in response.text


def test_outsider_and_deactivated_member_get_nothing(client, concept, clause, drafter, outsider, deactivated):
    amendment = modify(drafter, clause, body="x", submit=True)
    login(client, outsider)
    assert client.get(amendment.get_absolute_url()).status_code == 403
    assert client.post(url("amendment_review", concept, 1), {"decision": "approve"}).status_code == 403
    client.logout()
    client.force_login(deactivated.user)
    response = client.get(amendment.get_absolute_url())
    assert response.status_code == 302 and "login" in response["Location"]


def test_removal_form_lists_sub_clauses_before_confirming(as_drafter, concept):
    section_3 = concept.clauses.get(number="3")
    page = as_drafter.get(url("amendment_new", concept, section_3.pk, "remove"))
    assert "3.1 Attempts against" in page.text
    response = as_drafter.post(url("amendment_new", concept, section_3.pk, "remove"), {"rationale": "r", "save": "1"})
    assert response.status_code == 200 and "Confirm that the clause" in response.text
    as_drafter.post(url("amendment_new", concept, section_3.pk, "remove"), {"rationale": "r", "confirm": "on", "save": "1"})
    assert Amendment.objects.get().kind == Amendment.Kind.REMOVE


def test_stale_amendment_page_shows_notice_and_redline_against_current(client, concept, clause, drafter, second_drafter, reviewer):
    ours = modify(drafter, clause, body=clause.body.replace(REMOVED_SENTENCE, ""), submit=True)
    modify(second_drafter, clause, body=clause.body.replace("most paramount", "paramount"), submit=True).review(
        reviewer, Review.Decision.APPROVE)
    login(client, reviewer)
    page = client.get(ours.get_absolute_url())
    assert "The clause has changed since it was written" in page.text
    # The reviewer sees the rebased result before approving: the sentence goes, the others' edit stays; no
    # "redline against the current text" that would read as undoing the others' edit.
    assert "If approved now: the change carried onto the current text" in page.text
    assert "<h2>Redline against the current text</h2>" not in page.text
    removed = "".join(p.text for p in page.context["rebase_preview"]["body"] if p.is_delete)
    assert "OSCE Minsk Group" in removed and "most" not in removed


def test_stale_overlapping_amendment_warns_the_reviewer_before_approval(client, concept, clause, drafter, second_drafter, reviewer):
    ours = modify(drafter, clause, body=clause.body.replace("OSCE Minsk Group", "United Nations"), submit=True)
    modify(second_drafter, clause, body=clause.body.replace(REMOVED_SENTENCE, ""), submit=True).review(
        reviewer, Review.Decision.APPROVE)
    login(client, reviewer)
    page = client.get(ours.get_absolute_url())
    assert "approving now would not apply it" in page.text


def test_needs_rebase_page_shows_the_three_way_view(client, concept, clause, drafter, second_drafter, reviewer):
    ours = modify(drafter, clause, body=clause.body.replace("OSCE Minsk Group", "United Nations"), submit=True)
    modify(second_drafter, clause, body=clause.body.replace(REMOVED_SENTENCE, ""), submit=True).review(
        reviewer, Review.Decision.APPROVE)
    ours.review(reviewer, Review.Decision.APPROVE)
    login(client, drafter)
    page = client.get(ours.get_absolute_url())
    assert "Needs rebase" in page.text and page.context["three_way"] is not None
    edit = client.get(url("amendment_edit", concept, ours.number))
    assert edit.status_code == 200 and "The editor starts from the current text" in edit.text


XSS = '<script>alert(1)</script><img src=x onerror=alert(2)></ins></del>'


def test_amendment_text_and_rationale_render_escaped_everywhere(client, concept, clause, drafter, reviewer):
    amendment = modify(drafter, clause, body=clause.body + XSS, heading=XSS, rationale=XSS, submit=True)
    insert(drafter, concept.clauses.get(number="3"), "after", XSS, XSS, rationale=XSS, submit=True)
    login(client, reviewer)
    pages = [
        amendment.get_absolute_url(), url("amendment_list", concept), url("what_if", concept),
        concept.get_absolute_url(), clause.get_absolute_url(), url("amendment_detail", concept, 2),
    ]
    preview = client.post(url("amendment_preview", concept, clause.pk, "modify"),
                          {"proposed_heading": XSS, "proposed_body": XSS})
    for response in [client.get(page) for page in pages] + [preview]:
        assert response.status_code == 200
        assert "<script>alert(1)" not in response.text
        assert "<img src=x" not in response.text
    assert "&lt;/ins&gt;&lt;/del&gt;" in client.get(amendment.get_absolute_url()).text


def test_open_amendment_counts_appear_on_the_outline(client, concept, clause, drafter, reviewer):
    modify(drafter, clause, body="a", submit=True)
    modify(drafter, clause, body="b", submit=True)
    login(client, reviewer)
    assert "2 open amendments" in client.get(concept.get_absolute_url()).text


def test_list_filters_by_state_clause_tag_and_author(client, concept, clause, drafter, second_drafter, reviewer):
    ai = Tag.objects.create(name="artificial intelligence")
    a1 = modify(drafter, clause, body="a", submit=True)
    a2 = insert(second_drafter, concept.clauses.get(number="3"), "last_child", "AI", "AI text", submit=True)
    a2.tags.add(ai)
    a1.review(reviewer, Review.Decision.REJECT, "no")
    login(client, reviewer)
    def page(**q):
        return {a["number"] for a in client.get(url("amendment_list", concept), q).context["page"].object_list}

    assert page() == {1, 2}
    assert page(state="rejected") == {1}
    assert page(state="open") == {2}
    assert page(clause=str(clause.pk)) == {1}
    assert page(tag=str(ai.pk)) == {2}
    assert page(author=str(second_drafter.pk)) == {2}


def test_what_if_flags_competing_amendments(client, concept, clause, drafter, second_drafter, reviewer):
    modify(drafter, clause, body="one way", submit=True)
    modify(second_drafter, clause, body="another way", submit=True)
    insert(drafter, concept.clauses.get(number="3"), "last_child", "AI clause", "AI", submit=True)
    login(client, reviewer)
    response = client.get(url("what_if", concept))
    assert response.context["competing"] == 1
    assert "competing: A-1, A-2" in response.text
    assert "AI clause" in response.text
    chosen = client.get(url("what_if", concept), {"a": ["3"]})
    assert chosen.context["competing"] == 0 and "one way" not in chosen.text


def test_admin_sets_the_quorum_and_others_cannot(client, concept, admin_member, reviewer):
    login(client, reviewer)
    assert client.post(url("document_settings", concept), {"quorum": 3}).status_code == 403
    login(client, admin_member)
    client.post(url("document_settings", concept), {"quorum": 2})
    concept.refresh_from_db()
    assert concept.quorum == 2


def test_admins_manage_topic_tags_and_drafters_cannot(client, drafter, admin_member):
    login(client, drafter)
    assert client.post(reverse("tag_list"), {"name": "economy"}).status_code == 403
    login(client, admin_member)
    client.post(reverse("tag_list"), {"name": "economy"})
    assert Tag.objects.filter(name="economy").exists()


def _many_amendments(document, author, n):
    clauses = list(document.clauses.filter(status="in_force"))
    base_by_clause = {c.pk: c.history.latest() for c in clauses}
    Amendment.objects.bulk_create([
        Amendment(document=document, number=i + 1, kind="modify", clause=clauses[i % len(clauses)],
                  base=base_by_clause[clauses[i % len(clauses)].pk], proposed_heading="h",
                  proposed_body=f"text {i}", rationale="r", author=author, state="submitted")
        for i in range(n)
    ])


@pytest.mark.parametrize("page_name, reading", [("amendment_list", None), ("what_if", None), ("what_if", "both")])
def test_amendment_pages_query_count_does_not_grow_with_amendments(client, drafter, reviewer, page_name, reading,
                                                                   capsys):
    from .builders import make_document

    counts = {}
    for n in (10, 500):
        document = make_document(50, slug=f"doc-{n}")
        if reading:  # the generated document has Azerbaijani headings: read it as a bilingual one
            document.translation_language = "az"
            document.save()
        _many_amendments(document, drafter, n)
        login(client, reviewer)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url(page_name, document) + (f"?text={reading}" if reading else ""))
        assert response.status_code == 200
        counts[n] = len(queries)
    with capsys.disabled():
        print(f"\n[query count] {page_name} ({reading or 'one language'}): {counts[10]} queries at 10 amendments, "
              f"{counts[500]} at 500")
    assert counts[10] == counts[500]


def test_every_post_view_refuses_a_missing_csrf_token(concept, clause, drafter, reviewer):
    amendment = modify(drafter, clause, body="x", submit=True)
    csrf_client = Client(enforce_csrf_checks=True)
    login(csrf_client, reviewer)
    for target in [
        url("amendment_new", concept, clause.pk, "modify"), url("amendment_preview", concept, clause.pk, "modify"),
        url("amendment_edit", concept, 1), url("amendment_submit", concept, 1), url("amendment_withdraw", concept, 1),
        url("amendment_review", concept, 1), url("document_settings", concept), reverse("tag_list"),
    ]:
        assert csrf_client.post(target, {"decision": "approve"}).status_code == 403, target
    amendment.refresh_from_db()
    assert amendment.state == Amendment.State.SUBMITTED


def test_amendment_page_shows_who_signed_on_and_off_and_when(client, concept, clause, drafter, second_drafter):
    amendment = modify(drafter, clause, body="x", submit=True)
    amendment.sign_on(second_drafter)
    amendment.sign_off(second_drafter)
    login(client, drafter)
    page = client.get(amendment.get_absolute_url()).text
    assert "Samir Quliyev signed on" in page and "Samir Quliyev signed off" in page


def test_propose_form_saves_tags_and_cosponsors_and_records_the_sign_on(client, concept, clause, drafter, second_drafter):
    from drafting.models import Tag

    tag = Tag.objects.create(name="Territorial integrity")
    login(client, drafter)
    response = client.post(url("amendment_new", concept, clause.pk, "modify"), {
        "proposed_heading": clause.heading, "proposed_body": clause.body + " More.", "rationale": "Why.",
        "tags": [tag.pk], "cosponsors": [second_drafter.pk], "save": "1",
    })
    assert response.status_code == 302
    amendment = Amendment.objects.get()
    assert list(amendment.tags.all()) == [tag] and list(amendment.cosponsors.all()) == [second_drafter]
    assert amendment.sponsorship_events.get().by == drafter


def test_review_posted_from_a_page_read_before_an_edit_is_refused_with_a_message(client, concept, clause, drafter, reviewer):
    amendment = modify(drafter, clause, body="first", submit=True)
    amendment.review(reviewer, "request_changes", "Shorter.")
    read = amendment.revision
    amendment.revise(drafter, fields={"proposed_body": "second"})
    login(client, reviewer)
    response = client.post(url("amendment_review", concept, amendment.number),
                           {"decision": "approve", "note": "", "revision": read}, follow=True)
    assert "edited since you opened it" in response.text
    amendment.refresh_from_db()
    assert amendment.changes_requested
