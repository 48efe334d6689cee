"""Suggested changes (issue 15 point 2): in a thread on an open amendment any member suggests other words for part
of its proposed text, shown as a redline in the comment; the amendment's author applies one with one click (a new
revision, recorded as the suggester's and the author's) or declines it. A suggestion made on a text that moved on
is outdated and is never applied."""
import pytest
from django.contrib.messages import get_messages
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from drafting.models import Amendment, Clause, Comment, Notification, Review, Suggestion, TransitionError

from .amendment_builders import modify, modify_texts, remove
from .builders import make_bilingual_document
from .comment_builders import comment, htmx
from .conftest import login

BODY = "Test clause text. The working group reads the draft and the working group decides."


@pytest.fixture
def clause(concept):
    return concept.clauses.get(number="4.1.1")


@pytest.fixture
def amendment(drafter, reviewer, clause):
    """The drafter's rewording, sent back for changes: open, submitted once, and editable by its author."""
    made = modify(drafter, clause, body=BODY, submit=True)
    made.review(reviewer, Review.Decision.REQUEST_CHANGES, "Reword it.")
    return made


def _post_url(amendment):
    return reverse("amendment_comment", args=[amendment.document.slug, amendment.number])


def _apply_url(comment):
    return reverse("suggestion_apply", args=[comment.document.slug, comment.pk])


def _decline_url(comment):
    return reverse("suggestion_decline", args=[comment.document.slug, comment.pk])


def suggest(member, amendment, original, replacement, language="en", occurrence=1, body="Better words."):
    text = amendment.proposed_in(language)[1]
    starts = [i for i in range(len(text)) if text.startswith(original, i)]
    return Comment.post(author=member, target=amendment, body=body, suggestion={
        "language": language, "original": original, "start": starts[occurrence - 1], "replacement": replacement})


def _said(response):
    return [str(message) for message in get_messages(response.wsgi_request)]


# --- posting ---------------------------------------------------------------------------------------------------
def test_member_suggests_a_change_shown_as_a_word_redline(as_reviewer, reviewer, amendment):
    response = as_reviewer.post(_post_url(amendment), {
        "body": "Clearer.", "suggest_original": "reads", "suggest_replacement": "studies"}, **htmx())
    suggestion = Suggestion.objects.get()
    assert (suggestion.comment.author, suggestion.amendment, suggestion.language) == (reviewer, amendment, "en")
    assert (suggestion.original, suggestion.start, suggestion.replacement) == ("reads", BODY.index("reads"), "studies")
    assert (suggestion.made_against, suggestion.made_against_revision, suggestion.state) == (BODY, amendment.revision, "open")
    assert "<del>reads</del> <ins>studies</ins>" in response.text
    assert "The working group" in response.text  # a few words of context around the change


def test_suggestion_is_escaped_in_the_comment(as_reviewer, amendment):
    as_reviewer.post(_post_url(amendment), {
        "body": "x", "suggest_original": "decides", "suggest_replacement": "<script>alert(1)</script> decides"})
    page = as_reviewer.get(amendment.get_absolute_url()).text
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_repeated_phrase_needs_the_occurrence_chosen(as_reviewer, amendment):
    response = as_reviewer.post(_post_url(amendment), {
        "body": "x", "suggest_original": "working group", "suggest_replacement": "committee"})
    assert "occur 2 times in the proposed text" in response.text and not Comment.objects.exists()
    assert "1: Test clause text. The working group reads the draft and …" in response.text  # each in its place
    assert "2: … the draft and the working group decides." in response.text
    assert "committee</textarea>" in response.text  # the text kept
    as_reviewer.post(_post_url(amendment), {
        "body": "x", "suggest_original": "working group", "suggest_occurrence": "2", "suggest_replacement": "committee"})
    assert Suggestion.objects.get().start == BODY.rindex("working group")


def test_an_occurrence_past_the_last_is_refused(as_reviewer, amendment):
    response = as_reviewer.post(_post_url(amendment), {
        "body": "x", "suggest_original": "working group", "suggest_occurrence": "3", "suggest_replacement": "y"})
    assert "There is no such occurrence" in response.text and not Comment.objects.exists()


@pytest.mark.parametrize("occurrence", ["٣", "99999999999999999999999", "-1", "two"])
def test_odd_occurrences_are_refused_with_a_message_never_a_500(as_reviewer, amendment, occurrence):
    response = as_reviewer.post(_post_url(amendment), {
        "body": "x", "suggest_original": "working group", "suggest_occurrence": occurrence, "suggest_replacement": "y"})
    assert response.status_code == 200 and not Comment.objects.exists()


def test_replaced_part_must_be_non_empty_and_present(as_reviewer, amendment):
    empty = as_reviewer.post(_post_url(amendment), {"body": "x", "suggest_original": "  ", "suggest_replacement": "y"})
    assert "Copy the words to replace from the proposed text." in empty.text
    absent = as_reviewer.post(_post_url(amendment), {"body": "x", "suggest_original": "nowhere", "suggest_replacement": "y"})
    assert "Those words are not in the proposed text" in absent.text
    same = as_reviewer.post(_post_url(amendment), {"body": "x", "suggest_original": "reads", "suggest_replacement": "reads"})
    assert "The replacement is the same as the words it replaces." in same.text
    assert not Comment.objects.exists()
    with pytest.raises(TransitionError):
        Suggestion.check_new(amendment, "en", "", 0, "y")


def test_control_characters_and_huge_replacements_are_refused_with_a_message(as_reviewer, amendment):
    nul = as_reviewer.post(_post_url(amendment), {
        "body": "x", "suggest_original": "reads", "suggest_replacement": "stu\x00dies"})
    assert "“Replace with” contains an invisible control character (U+0000)" in nul.text
    huge = as_reviewer.post(_post_url(amendment), {
        "body": "x", "suggest_original": "reads", "suggest_replacement": "w" * 20_001})
    assert "at most 20000 characters" in huge.text
    long_enough = as_reviewer.post(_post_url(amendment), {
        "body": "x", "suggest_original": "reads", "suggest_replacement": "w" * 19_990})
    assert "longer than a clause may be" in long_enough.text
    assert not Comment.objects.exists()


def test_suggestion_on_a_draft_or_closed_amendment_is_refused(client, drafter, reviewer, clause, amendment):
    draft = modify(drafter, clause, body=BODY)
    draft.sign_on(reviewer)  # a co-sponsor reads and discusses the draft, but suggests nothing on it yet
    login(client, reviewer)
    refused = client.post(_post_url(draft), {"body": "x", "suggest_original": "reads", "suggest_replacement": "y"})
    assert "takes no suggested changes now" in refused.text
    assert 'name="suggest_original"' not in client.get(draft.get_absolute_url()).text
    amendment.withdraw(drafter)
    closed = client.post(_post_url(amendment), {"body": "x", "suggest_original": "reads", "suggest_replacement": "y"})
    assert "takes no suggested changes now" in closed.text
    assert not Comment.objects.exists() and not Suggestion.objects.exists()
    with pytest.raises(TransitionError, match="changes can be suggested only while it is open"):
        Suggestion.check_new(draft, "en", "reads", BODY.index("reads"), "y")


def test_a_removal_takes_no_suggestions(as_reviewer, drafter, clause):
    removal = remove(drafter, clause, submit=True)
    assert 'name="suggest_original"' not in as_reviewer.get(removal.get_absolute_url()).text
    refused = as_reviewer.post(_post_url(removal), {"body": "x", "suggest_original": "Azerbaijan", "suggest_replacement": "y"})
    assert "takes no suggested changes now" in refused.text


def test_a_reply_cannot_carry_a_suggestion(reviewer, drafter, amendment):
    thread = comment(drafter, amendment)
    with pytest.raises(Exception, match="new thread"):
        Comment.post(author=reviewer, parent=thread, body="x",
                     suggestion={"language": "en", "original": "reads", "start": BODY.index("reads"), "replacement": "y"})
    assert not Suggestion.objects.exists()


# --- applying and declining -------------------------------------------------------------------------------------
def test_author_applies_a_suggestion_as_a_new_revision_recorded_as_both(as_drafter, drafter, second_drafter, amendment):
    made = suggest(second_drafter, amendment, "reads", "studies")
    page = as_drafter.get(amendment.get_absolute_url()).text
    assert _apply_url(made) in page
    response = as_drafter.post(_apply_url(made))
    assert response.status_code == 302 and response["Location"].endswith(f"#comment-{made.pk}")
    amendment.refresh_from_db()
    assert amendment.proposed_body == BODY.replace("reads", "studies")
    assert amendment.revision == 2 and amendment.changes_requested  # edited, not resubmitted: the author submits
    row = amendment.history.latest()
    assert row.history_user == drafter.user and row.revision == 2
    assert row.history_change_reason == "suggestion by Samir Quliyev applied by Dinara Əliyeva"
    suggestion = Suggestion.objects.get()
    assert (suggestion.state, suggestion.decided_by, suggestion.applied_revision) == ("applied", drafter, row)
    page = as_drafter.get(amendment.get_absolute_url()).text
    assert "suggestion by Samir Quliyev applied by Dinara Əliyeva" in page  # the amendment's history names both
    assert "as revision 2" in page and _apply_url(made) not in page


def test_only_the_author_applies_or_declines(client, reviewer, second_drafter, admin_member, amendment):
    made = suggest(second_drafter, amendment, "reads", "studies")
    for member in (reviewer, second_drafter, admin_member):
        login(client, member)
        assert _apply_url(made) not in client.get(amendment.get_absolute_url()).text
        assert client.post(_apply_url(made)).status_code == 403
        assert client.post(_decline_url(made), {"note": "no"}).status_code == 403
    amendment.refresh_from_db()
    assert amendment.proposed_body == BODY and amendment.revision == 1
    assert Suggestion.objects.get().state == "open"


def test_author_declines_with_a_note(as_drafter, drafter, second_drafter, amendment):
    made = suggest(second_drafter, amendment, "reads", "studies")
    as_drafter.post(_decline_url(made), {"note": "The group reads; it does not study."})
    suggestion = Suggestion.objects.get()
    assert (suggestion.state, suggestion.decided_by, suggestion.note) == ("declined", drafter, "The group reads; it does not study.")
    page = as_drafter.get(amendment.get_absolute_url()).text
    assert "suggestion-state declined" in page and "The group reads; it does not study." in page
    assert _apply_url(made) not in page
    response = as_drafter.post(_apply_url(made))
    assert "This suggestion was already declined." in _said(response)
    amendment.refresh_from_db()
    assert amendment.proposed_body == BODY


def test_decline_note_with_control_characters_is_refused(as_drafter, second_drafter, amendment):
    made = suggest(second_drafter, amendment, "reads", "studies")
    response = as_drafter.post(_decline_url(made), {"note": "no\x00 way"})
    assert response.status_code == 200 and "“Why (optional)” contains an invisible control character (U+0000)" in response.text
    assert Suggestion.objects.get().state == "open"


def test_applying_twice_makes_one_revision(as_drafter, second_drafter, amendment):
    made = suggest(second_drafter, amendment, "reads", "studies")
    as_drafter.post(_apply_url(made))
    again = as_drafter.post(_apply_url(made))
    assert "This suggestion was already applied." in _said(again)
    amendment.refresh_from_db()
    assert amendment.revision == 2


def test_apply_is_refused_while_the_amendment_cannot_be_edited(as_drafter, drafter, second_drafter, amendment):
    made = suggest(second_drafter, amendment, "reads", "studies")
    amendment.submit(drafter)  # submitted again: the author no longer edits it until reviewers answer
    page = as_drafter.get(amendment.get_absolute_url()).text
    assert _apply_url(made) not in page
    response = as_drafter.post(_apply_url(made))
    assert any("it cannot be edited now" in message for message in _said(response))
    amendment.refresh_from_db()
    assert amendment.proposed_body == BODY and Suggestion.objects.get().is_open


def test_outdated_suggestion_shows_outdated_and_no_apply_button(as_drafter, drafter, second_drafter, amendment):
    made = suggest(second_drafter, amendment, "reads", "studies")
    amendment.revise(drafter, fields={"proposed_body": BODY.replace("decides", "agrees")})
    page = as_drafter.get(amendment.get_absolute_url()).text
    assert "suggestion-state outdated" in page and _apply_url(made) not in page
    assert "<del>reads</del> <ins>studies</ins>" in page  # still shown, against the text it was made on
    forged = as_drafter.post(_apply_url(made))
    assert any("This suggestion is outdated" in message for message in _said(forged))
    amendment.refresh_from_db()
    assert amendment.proposed_body == BODY.replace("decides", "agrees") and amendment.revision == 2
    assert Suggestion.objects.get().is_open


def test_outdated_is_strict_any_change_of_its_text_outdates_it(drafter, second_drafter, amendment):
    made = suggest(second_drafter, amendment, "reads", "studies").suggestion
    assert not made.is_outdated
    amendment.revise(drafter, fields={"rationale": "Another reason."})  # not the text: still current
    made.refresh_from_db()
    assert not made.is_outdated
    amendment.revise(drafter, fields={"proposed_body": BODY + " More."})  # the part is where it was, the text moved on
    made.refresh_from_db()
    assert made.is_outdated
    with pytest.raises(TransitionError, match="outdated"):
        made.apply(drafter)


def test_a_withdrawn_comment_takes_its_suggestion_with_it(as_drafter, second_drafter, amendment):
    made = suggest(second_drafter, amendment, "reads", "studies")
    made.withdraw(second_drafter)
    assert _apply_url(made) not in as_drafter.get(amendment.get_absolute_url()).text
    response = as_drafter.post(_apply_url(made))
    assert "This suggestion was withdrawn with its comment." in _said(response)


# --- bilingual --------------------------------------------------------------------------------------------------
def test_bilingual_suggestion_applies_to_its_own_language_only(client, db):
    from drafting.models import Member

    from .builders import make_member

    document = make_bilingual_document()
    author = make_member("bi_author", Member.Role.DRAFTER, full_name="Bi Author")
    other = make_member("bi_other", Member.Role.REVIEWER, full_name="Bi Other")
    clause = document.clauses.get(number="1.1")
    made = modify_texts(author, clause, {"az": ("", "Bənd mətni, sınaq üçün."), "en": ("", "Test clause text here.")},
                        submit=True)
    made.review(other, Review.Decision.REQUEST_CHANGES, "x")
    login(client, other)
    form_page = client.get(made.get_absolute_url()).text
    assert 'name="suggest_language"' in form_page
    client.post(_post_url(made), {"body": "x", "suggest_language": "en", "suggest_original": "here",
                                  "suggest_replacement": "there"})
    suggestion = Suggestion.objects.get()
    assert suggestion.language == "en"
    # An edit of the Azerbaijani text leaves the English suggestion current.
    made.revise(author, fields={"proposed_body_az": "Bənd mətni, yeni."})
    suggestion.refresh_from_db()
    assert not suggestion.is_outdated
    suggestion.apply(author)
    made.refresh_from_db()
    assert made.proposed_body == "Test clause text there." and made.proposed_body_az == "Bənd mətni, yeni."


def test_bilingual_suggestion_on_the_other_language_does_not_find_the_words(client, db):
    from drafting.models import Member

    from .builders import make_member

    document = make_bilingual_document()
    author = make_member("bi_author", Member.Role.DRAFTER)
    other = make_member("bi_other", Member.Role.REVIEWER)
    made = modify_texts(author, document.clauses.get(number="1.1"),
                        {"az": ("", "Bənd mətni."), "en": ("", "Test text.")}, submit=True)
    login(client, other)
    response = client.post(_post_url(made), {"body": "x", "suggest_language": "az", "suggest_original": "Test",
                                              "suggest_replacement": "y"})
    assert "Those words are not in the proposed text" in response.text and not Suggestion.objects.exists()


# --- access -----------------------------------------------------------------------------------------------------
def test_another_documents_comment_or_a_hidden_amendments_comment_is_not_found(client, drafter, second_drafter, clause,
                                                                                amendment):
    from .builders import make_document

    made = suggest(second_drafter, amendment, "reads", "studies")
    other = make_document(2, slug="other-doc")
    login(client, drafter)
    wrong_document = reverse("suggestion_apply", args=[other.slug, made.pk])
    assert client.post(wrong_document).status_code == 404
    draft = modify(second_drafter, clause, body=BODY)
    draft_comment = comment(second_drafter, draft, "private")
    for url in (_apply_url(draft_comment), _decline_url(draft_comment)):
        assert client.post(url).status_code == 404
    plain = comment(second_drafter, amendment, "no suggestion")
    assert client.post(_apply_url(plain)).status_code == 404
    assert client.get(_apply_url(made)).status_code == 405


# --- notifications ----------------------------------------------------------------------------------------------
def test_author_hears_of_a_suggestion_and_the_suggester_of_the_decision(
        drafter, second_drafter, amendment, django_capture_on_commit_callbacks):
    made = suggest(second_drafter, amendment, "reads", "studies")
    told = Notification.objects.get(recipient=drafter)
    assert told.kind == Notification.Kind.SUGGESTION and told.comment == made
    assert told.summary == f"Samir Quliyev suggested a change to {amendment.label}"
    with django_capture_on_commit_callbacks(execute=True):
        made.suggestion.apply(drafter)
    heard = Notification.objects.get(recipient=second_drafter)
    assert (heard.kind, heard.detail, heard.actor) == ("suggestion", "applied", drafter)
    assert heard.summary == f"Dinara Əliyeva applied your suggested change to {amendment.label}"
    amendment.refresh_from_db()
    second = suggest(second_drafter, amendment, "decides", "agrees")
    with django_capture_on_commit_callbacks(execute=True):
        second.suggestion.decline(drafter)
    assert Notification.objects.filter(recipient=second_drafter, detail="declined").count() == 1


# --- the page's queries ------------------------------------------------------------------------------------------
def test_amendment_page_query_count_does_not_grow_with_suggestions(as_reviewer, drafter, second_drafter, amendment):
    def measure(count):
        Suggestion.objects.filter(state="open").update(state="declined", decided_by=drafter)
        for i in range(count):
            made = suggest(second_drafter, amendment, "reads", f"studies {i}")
            if i % 3 == 1:
                made.suggestion.decline(drafter, "no")
        with CaptureQueriesContext(connection) as queries:
            response = as_reviewer.get(amendment.get_absolute_url())
        assert response.text.count('class="suggestion') >= count
        return len(queries)

    as_reviewer.get(amendment.get_absolute_url())  # the session's first page writes what later ones only read
    assert measure(3) == measure(20)


def test_the_admin_shows_suggestions_read_only(client, admin_member, second_drafter, amendment):
    made = suggest(second_drafter, amendment, "reads", "studies").suggestion
    admin_member.user.is_staff = True
    admin_member.user.save(update_fields=["is_staff"])
    login(client, admin_member)
    url = reverse("admin:drafting_suggestion_change", args=[made.pk])
    assert client.get(url).status_code == 200
    assert client.post(url, {"replacement": "forged", "state": "applied"}).status_code == 403
    made.refresh_from_db()
    assert (made.replacement, made.state) == ("studies", "open")
    assert Amendment.objects.get(pk=amendment.pk).proposed_body == BODY


def test_the_inbox_and_the_digest_name_the_suggestion(as_drafter, drafter, second_drafter, amendment):
    suggest(second_drafter, amendment, "reads", "studies")
    inbox = as_drafter.get(reverse("inbox")).text
    assert f"Samir Quliyev suggested a change to {amendment.label}" in inbox
    assert str(Notification.Kind.SUGGESTION.label) == "Suggested change"


def test_a_refused_decline_note_comes_back_as_typed(as_drafter, second_drafter, amendment):
    made = suggest(second_drafter, amendment, "reads", "studies")
    response = as_drafter.post(_decline_url(made), {"note": "x" * 5001})
    assert response.status_code == 200 and "x" * 5001 in response.text
    assert "<del>reads</del> <ins>studies</ins>" in response.text
    assert Suggestion.objects.get().is_open


def test_search_finds_a_suggested_change_by_the_words_it_proposes(client, drafter, reviewer, amendment):
    from drafting.models import SearchEntry
    from drafting.search import rebuild

    from .test_search import find, results

    comment = suggest(reviewer, amendment, "reads", "ponders")
    login(client, drafter)
    [result] = results(find(client, "ponders"))
    assert result.kind == "comment" and result.url.endswith(f"#comment-{comment.pk}")
    rebuild(ClauseHistory=Clause.history.model, Amendment=Amendment, Comment=Comment, SearchEntry=SearchEntry)
    assert len(results(find(client, "ponders"))) == 1  # the command's rebuild keeps it too
