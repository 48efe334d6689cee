"""Every page in Azerbaijani (issue 13, point 5): each URL of the permission table, asked by each persona with
Azerbaijani active, shows no English word of the interface outside the user content.

User content is taken out first: every text the database holds (clause headings and bodies, amendment texts and
rationales, comments, names, tags, milestones...), line by line, is removed from the page's visible text, as are
<script> and <style>. What is left must be the interface, and none of it may be English.
"""
import html
import re

import pytest
from django.apps import apps
from django.db import models
from django.test import Client
from django.urls import reverse
from django.utils import translation

from drafting.views import errors

from .test_permissions import TABLE, _url, ask, world  # noqa: F401  (world is a fixture)

pytestmark = pytest.mark.azerbaijani

# Words and phrases of the English interface; none may be left on an Azerbaijani page. (Names that read the same
# in Azerbaijani are not here: "Audit", "Markdown", "Word", "Excel", "PDF", "Drafting".)
ENGLISH_UI = (
    "Amendment", "Amendments", "Submit", "Sign out", "Sign in", "Save", "Cancel", "Documents", "Document",
    "Members", "Member", "Review", "Reviews", "Reviewer", "Clause", "Version", "Versions", "Compare", "Comment",
    "Comments", "Reply", "Approve", "Approved", "Reject", "Rejected", "Withdraw", "Withdrawn", "Search", "Filter",
    "Profile", "Password", "History", "Export", "Exports", "Draft", "Status", "Author", "Settings", "Activity",
    "Inbox", "Milestone", "Milestones", "Discussion", "Rationale", "Heading", "Edit", "Delete", "Remove", "Insert",
    "Preview", "Inline", "Side by side", "Show", "Next", "Previous", "Page", "Back", "Continue", "When", "Who",
    "What", "Why", "Role", "Name", "Email", "Agency", "Position", "State", "Kind", "Change", "Changes", "Changed",
    "Added", "Removed", "Open", "Resolve", "Reopen", "Resolved", "Deactivate", "Reactivate", "Active", "Access",
    "Tag", "Tags", "Topic", "Number", "Round", "Decision", "Note", "Contents", "Skip to content", "Your",
    "Nothing", "No ", "None", "There is", "You are", "Welcome", "Legend", "deleted", "inserted", "never", "system",
    "unknown", "applied", "proposed", "commented", "replied", "imported", "open amendment", "open thread",
)
WORD = re.compile(r"(?<![A-Za-z])(" + "|".join(re.escape(word) for word in ENGLISH_UI) + r")(?![A-Za-z])")
INVISIBLE = re.compile(r"<(script|style)\b.*?</\1>|<!--.*?-->", re.S | re.I)
# What a reader sees or hears beside the text: labels, tooltips, placeholders, alternative text, confirmations.
SPOKEN = re.compile(r'\s(?:title|aria-label|placeholder|alt|hx-confirm|data-label)="([^"]*)"')
# Records kept in English by design (drafting/models/history.py): the reason of a history row.
NOT_USER_TEXT = {"history_change_reason"}


def user_texts():
    """Every line of text the database holds, longest first, so a line is removed before any part of it."""
    lines = set()
    for model in apps.get_models():
        fields = [f.name for f in model._meta.get_fields() if isinstance(f, (models.CharField, models.TextField))
                  and f.name not in NOT_USER_TEXT and not f.choices]
        if not fields:
            continue
        for row in model._default_manager.values_list(*fields):
            for value in row:
                for line in str(value or "").splitlines():
                    if len(line.strip()) >= 2:
                        lines.add(line.strip())
    return sorted(lines, key=len, reverse=True)


def visible_text(page):
    page = INVISIBLE.sub(" ", page)
    spoken = SPOKEN.findall(page)
    text = re.sub(r"<[^>]+>", "\n", page)
    return html.unescape("\n".join([text, *spoken]))


def english_left(page, texts):
    text = visible_text(page)
    for line in texts:
        text = text.replace(line, " ")
        # Shown cut short ("…") or in a title: the start of a long line, removed too.
        if len(line) > 40:
            text = text.replace(line[:40], " ")
    return sorted({match.group(0) for match in WORD.finditer(text)}), text


@pytest.fixture
def azerbaijani(settings):
    settings.LANGUAGE_CODE = "az"
    with translation.override("az"):
        yield


def test_no_page_shows_an_english_interface_word_to_any_persona(world, azerbaijani, capsys):  # noqa: F811
    texts = user_texts()
    checked, wrong = 0, []
    for name, row in sorted(TABLE.items()):
        url = _url(name, row, world)
        for persona in row.personas:
            response = ask(persona, world, "get", url)
            if not response.get("Content-Type", "").startswith("text/html") or not response.content:
                continue
            found, _ = english_left(response.text, texts)
            checked += 1
            if found:
                wrong.append(f"  {name} as {persona} ({response.status_code}): {found}")
    with capsys.disabled():
        print(f"\n[azerbaijani pages] {checked} pages × personas checked, {len(wrong)} with English words")
    assert checked >= 200
    assert not wrong, "English left on Azerbaijani pages:\n" + "\n".join(wrong)


def test_the_error_pages_are_azerbaijani(rf, db, azerbaijani):
    request = rf.get("/")
    request.user = type("Anonymous", (), {"is_authenticated": False})()
    request.member = None
    pages = {
        "400": errors.bad_request(request), "404": errors.page_not_found(request),
        "403": errors.permission_denied(request), "413": errors.too_large(request), "500": errors.server_error(request),
    }
    for code, response in pages.items():
        found, _ = english_left(response.content.decode(), [])
        assert not found, (code, found)
    assert "Xəta baş verdi" in pages["500"].content.decode()


def test_a_form_shown_again_with_errors_is_azerbaijani(client, db, azerbaijani):
    response = Client().post(reverse("login"), {"username": "nobody", "password": "wrong"})
    found, _ = english_left(response.text, ["nobody"])
    assert not found, found


def test_the_check_finds_english_when_it_is_there():
    found, _ = english_left('<p title="Sign out">Düzəlişlər</p><h1>Amendments</h1><script>Save</script>', [])
    assert found == ["Amendments", "Sign out"]
    found, _ = english_left("<p>Draft of the Concept</p>", ["Draft of the Concept"])
    assert found == []
