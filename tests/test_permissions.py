"""The permission table: every named URL, every persona, GET and POST, and the answer each must get.

A URL pattern without a row fails `test_every_url_pattern_has_a_row`. To add a URL, add one row to TABLE:
pick a helper (`for_members`, `for_admins`, `public`) or spell out the personas, and give `kwargs`, a
function of the `world` fixture returning the URL's arguments (object-level URLs take an object built there).
tests/test_hardening.py reads the same table to check CSRF on every view that accepts a POST.

The same personas then ask again with other objects (OBJECT_VARIANTS: another member's private draft and its
discussion, an amendment a reviewer wrote, objects of another document under this document's address), and
every page of the Django admin (ADMIN_TABLE, kept complete by `test_every_admin_url_has_a_row`). Beside the
answers, every response is read, exports unzipped, for a secret phrase planted in a private draft (its
heading, text, rationale, history and discussion): nobody but the draft's sponsors may ever receive it.
"""
import re
import subprocess
import zipfile
from collections.abc import Callable
from copy import deepcopy
from dataclasses import dataclass, field
from io import BytesIO
from types import SimpleNamespace

import pytest
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from simple_history.admin import SimpleHistoryAdmin

from drafting.importer import import_document
from drafting.markdown_format import parse
from drafting.models import (
    Amendment,
    Comment,
    Document,
    Member,
    Notification,
    Rapporteur,
    ReviewRequest,
    SignInEvent,
    Tag,
)
from drafting.password_links import INVITATION, PASSWORD_RESET
from drafting.seeds import CONCEPT_SLUG, load_concept

from .amendment_builders import modify
from .builders import make_member, make_outsider
from .conftest import login

# What a request gets.
OK = "ok"                   # 200, or a redirect somewhere other than the sign-in page
LOGIN = "login"             # redirected to the sign-in page
DENIED = "denied"           # 403
NOT_ALLOWED = "not allowed"  # 405: the method is not accepted (only ever after the access check)
NOT_FOUND = "404"           # another member's own object (a notification): as if it did not exist
BAD_REQUEST = "400"         # a POST without the data the view needs (the language switcher's empty POST)

# `cosponsor` is a reviewer who co-sponsors the drafter's amendment and `target`'s private draft: a sponsor,
# so never its reviewer, and never its editor either (only the author edits, submits and withdraws).
PERSONAS = ("anonymous", "outsider", "deactivated", "drafter", "reviewer", "admin", "cosponsor")
MEMBERS = ("drafter", "reviewer", "admin", "cosponsor")
STRANGERS = {"anonymous": (LOGIN, LOGIN), "outsider": (DENIED, DENIED), "deactivated": (LOGIN, LOGIN)}
# Who may read the private draft: its author (`target`, asked apart) and its co-sponsor.
SPONSORS = {"cosponsor"}
SECRET = "obsidianheron4471"  # one token, so no markup can split it


@dataclass
class Row:
    """Persona → (GET outcome, POST outcome), and how to build the URL's arguments (a dict of keyword
    arguments, or a list of positional ones)."""

    outcomes: dict
    kwargs: Callable = field(default=lambda world: {})
    personas: tuple = PERSONAS

    def __post_init__(self):
        assert set(self.outcomes) == set(self.personas), f"a row needs all of {self.personas}"


def for_members(get=OK, post=OK, kwargs=None):
    """Any active member; strangers are sent to sign in, outsiders refused."""
    return Row({**STRANGERS, **{p: (get, post) for p in MEMBERS}}, kwargs or (lambda world: {}))


def for_admins(get=OK, post=OK, kwargs=None):
    outcomes = {**STRANGERS, **{p: (DENIED, DENIED) for p in MEMBERS}, "admin": (get, post)}
    return Row(outcomes, kwargs or (lambda world: {}))


def public(get=OK, post=OK, kwargs=None):
    """Reachable signed out; a signed-in account that is not a member is still refused by the middleware."""
    outcomes = {"anonymous": (get, post), "outsider": (DENIED, DENIED), "deactivated": (get, post),
                **{p: (get, post) for p in MEMBERS}}
    return Row(outcomes, kwargs or (lambda world: {}))


def per_member(drafter, reviewer, admin, kwargs=None, cosponsor=None):
    """Members answered differently by role (or by being the object's author). The co-sponsor is a reviewer:
    unless said otherwise, answered as the reviewer is."""
    outcomes = {**STRANGERS, "drafter": drafter, "reviewer": reviewer, "admin": admin,
                "cosponsor": cosponsor or reviewer}
    return Row(outcomes, kwargs or (lambda world: {}))


def hidden(kwargs, get=NOT_FOUND, post=NOT_FOUND, **members):
    """An object no member may see under this address (404, as if it did not exist), except the members
    named, answered as given; a POST-only view answers a GET 405 before looking anything up."""
    outcomes = {**STRANGERS, **{p: (get, post) for p in MEMBERS}, **members}
    return Row(outcomes, kwargs)


def _amendment(attr):
    return lambda world: {"slug": world.concept.slug, "number": getattr(world, attr).number}


def _clause_kind(kind):
    return lambda world: {"slug": world.concept.slug, "pk": world.clause.pk, "kind": kind}


def _link_kwargs(purpose, who):
    def kwargs(world):
        user = getattr(world, who).user
        return {"uidb64": urlsafe_base64_encode(force_bytes(user.pk)), "token": purpose.tokens.make_token(user)}
    return kwargs


def _target(world):
    return {"pk": world.target.pk}


def _comment(who):
    """A thread on 4.1.1 opened by `who` (made once per test, before any persona asks)."""
    def kwargs(world):
        from drafting.models import Comment

        made = getattr(world, f"comment_by_{who}", None)
        if made is None:
            made = Comment.post(author=getattr(world, who), target=world.clause, body="A point.")
            setattr(world, f"comment_by_{who}", made)
        return {"slug": world.concept.slug, "pk": made.pk}
    return kwargs


def _suggestion(world):
    return {"slug": world.concept.slug, "pk": world.suggestion.comment_id}


def _drafters_notification(world):
    from drafting.models import Comment

    thread = Comment.post(author=world.drafter, target=world.clause, body="Question.")
    Comment.post(author=world.target, parent=thread, body="Answer.")
    return {"pk": world.drafter.notifications.latest("pk").pk}


def _drafters_session(world):
    """Another browser of the drafter's (the personas' own sessions are made when they first ask)."""
    from drafting.models import SessionRecord

    record, _ = SessionRecord.objects.get_or_create(session_key="drafters-other-browser", user=world.drafter.user)
    return {"pk": record.pk}


TABLE = {
    # Reading (foundation). The views ignore the method, so a POST reads too.
    "document_list": for_members(),
    "document_detail": for_members(kwargs=lambda world: {"slug": world.concept.slug}),
    "clause_detail": for_members(kwargs=lambda world: {"slug": world.concept.slug,
                                                       "pk": world.concept.clauses.first().pk}),
    # Signing in and out. A member opening the sign-in page is sent on to the documents.
    "login": public(),
    # Signing out is POST only, and open to an outsider too (the way out of the "not a member" page).
    "logout": Row({"anonymous": (LOGIN, LOGIN), "outsider": (NOT_ALLOWED, LOGIN), "deactivated": (LOGIN, LOGIN),
                   **{p: (NOT_ALLOWED, LOGIN) for p in MEMBERS}}),
    # The language switcher: open to everyone, signed out, outsiders (their "not a member" page has it) and
    # members alike; POST only, and an empty POST names no language (tests/test_interface_language.py: CSRF).
    "choose_language": Row({p: (NOT_ALLOWED, BAD_REQUEST) for p in PERSONAS}),
    "password_reset": public(),
    "password_reset_confirm": public(kwargs=_link_kwargs(PASSWORD_RESET, "target")),
    "invite_accept": public(kwargs=_link_kwargs(INVITATION, "invitee")),
    # One's own account.
    "profile": for_members(),
    "password_change": for_members(),
    # Two-factor sign-in: the code step sends a member who already gave one on (the personas completed the
    # sign-in); enrolment and backup codes are one's own (a drafter who has not enrolled is sent to enrol).
    "two_factor_verify": for_members(),
    "two_factor_enrol": for_members(),  # an empty POST re-renders with the reason
    "backup_codes": for_members(),
    # Your sessions: one's own; another member's session is not found.
    "session_list": for_members(),
    "session_sign_out": per_member((NOT_ALLOWED, OK), (NOT_ALLOWED, NOT_FOUND), (NOT_ALLOWED, NOT_FOUND),
                                   kwargs=_drafters_session),
    # The member list and the audit page: admins only.
    "member_list": for_admins(),
    "member_add": for_admins(),
    "member_edit": for_admins(kwargs=_target),
    "member_deactivate": for_admins(get=NOT_ALLOWED, kwargs=_target),
    "member_reactivate": for_admins(get=NOT_ALLOWED, kwargs=_target),
    "member_invite": for_admins(get=NOT_ALLOWED, kwargs=lambda world: {"pk": world.invitee.pk}),
    "member_sign_out": for_admins(get=NOT_ALLOWED, kwargs=_target),
    "member_two_factor_reset": for_admins(get=NOT_ALLOWED, kwargs=_target),
    "audit_log": for_admins(),
    # Amendments (issue 3). `world.amendment` is the drafter's, sent back for changes: visible to every
    # member, editable and submittable by its author only, reviewable by reviewers and admins.
    "amendment_list": for_members(kwargs=lambda world: {"slug": world.concept.slug}),
    "what_if": for_members(kwargs=lambda world: {"slug": world.concept.slug}),
    "amendment_detail": for_members(kwargs=_amendment("amendment")),
    "amendment_new": for_members(kwargs=_clause_kind("modify")),  # an empty POST re-renders with errors
    "amendment_preview": for_members(get=NOT_ALLOWED, kwargs=_clause_kind("modify")),
    # The co-sponsor reads and comments, but neither edits, submits, withdraws nor reviews it.
    "amendment_edit": per_member((OK, OK), (DENIED, DENIED), (DENIED, DENIED), kwargs=_amendment("amendment"),
                                 cosponsor=(DENIED, DENIED)),
    "amendment_submit": per_member((NOT_ALLOWED, OK), (NOT_ALLOWED, DENIED), (NOT_ALLOWED, DENIED),
                                   kwargs=_amendment("amendment"), cosponsor=(NOT_ALLOWED, DENIED)),
    "amendment_withdraw": per_member((NOT_ALLOWED, OK), (NOT_ALLOWED, DENIED), (NOT_ALLOWED, DENIED),
                                     kwargs=_amendment("amendment"), cosponsor=(NOT_ALLOWED, DENIED)),
    # Any member but the author may sign on as co-sponsor; the author is told they already sponsor it.
    "amendment_cosponsor": for_members(get=NOT_ALLOWED, kwargs=_amendment("amendment")),
    "amendment_review": per_member((NOT_ALLOWED, DENIED), (NOT_ALLOWED, OK), (NOT_ALLOWED, OK),
                                   kwargs=_amendment("amendment"), cosponsor=(NOT_ALLOWED, DENIED)),
    # A compromise (issue 15): reviewers and admins start one; with nothing chosen the form sends them back to
    # the clause (GET) or says why (POST).
    "compromise_new": per_member((DENIED, DENIED), (OK, OK), (OK, OK),
                                 kwargs=lambda world: {"slug": world.concept.slug, "pk": world.clause.pk}),
    # Versions (issue 6): every member reads, compares and exports; reviewers and admins set and rename
    # milestones (an empty POST re-renders the Versions page with the error).
    "versions": for_members(kwargs=lambda world: {"slug": world.concept.slug}),
    "versions_compare": for_members(kwargs=lambda world: {"slug": world.concept.slug}),
    "versions_read": for_members(kwargs=lambda world: {"slug": world.concept.slug}),
    "versions_docx": for_members(kwargs=lambda world: {"slug": world.concept.slug}),
    "versions_markdown": for_members(kwargs=lambda world: {"slug": world.concept.slug}),
    "versions_read_docx": for_members(kwargs=lambda world: {"slug": world.concept.slug}),
    "disposition_csv": for_members(kwargs=lambda world: {"slug": world.concept.slug}),
    "disposition_xlsx": for_members(kwargs=lambda world: {"slug": world.concept.slug}),
    "disposition_pdf": for_members(kwargs=lambda world: {"slug": world.concept.slug}),
    "amendments_pdf": for_members(kwargs=lambda world: {"slug": world.concept.slug}),
    "versions_pdf": for_members(kwargs=lambda world: {"slug": world.concept.slug}),
    "versions_compare_pdf": for_members(kwargs=lambda world: {"slug": world.concept.slug}),
    "milestone_create": per_member((NOT_ALLOWED, DENIED), (NOT_ALLOWED, OK), (NOT_ALLOWED, OK),
                                   kwargs=lambda world: {"slug": world.concept.slug}),
    "milestone_rename": per_member((NOT_ALLOWED, DENIED), (NOT_ALLOWED, OK), (NOT_ALLOWED, OK),
                                   kwargs=lambda world: {"slug": world.concept.slug,
                                                         "pk": world.concept.milestones.get().pk}),
    # Document settings and tags: every member reads them, admins change them.
    "document_settings": per_member((OK, DENIED), (OK, DENIED), (OK, OK),
                                    kwargs=lambda world: {"slug": world.concept.slug}),
    # Who is on a document (issue 12): admins only; an empty POST re-renders with the errors.
    "document_access": for_admins(kwargs=lambda world: {"slug": world.concept.slug}),
    # Word import (issue 14): admins only; an empty POST re-renders the form with the reason.
    "word_import_new": for_admins(),
    "word_import": for_admins(kwargs=lambda world: {"slug": world.concept.slug}),
    # Tracked changes back from Word: whoever may propose amendments (every persona here is on the document
    # as a drafter or reviewer); an empty POST re-renders the form with the reason.
    "tracked_changes": for_members(kwargs=lambda world: {"slug": world.concept.slug}),
    "tag_list": per_member((OK, DENIED), (OK, DENIED), (OK, OK)),
    # Search: any member, by GET; what it finds follows the visibility rule (tests/test_search.py).
    "search": for_members(post=NOT_ALLOWED),
    # Comments (issue 4): any member comments and replies (an empty POST re-renders with the reason); only
    # the author edits or withdraws; the thread's opener (here `target`, a drafter) or a reviewer resolves.
    "clause_comment": for_members(get=NOT_ALLOWED, kwargs=lambda world: {"slug": world.concept.slug,
                                                                          "pk": world.clause.pk}),
    "amendment_comment": for_members(get=NOT_ALLOWED, kwargs=_amendment("amendment")),
    "comment_reply": for_members(get=NOT_ALLOWED, kwargs=_comment("target")),
    "comment_edit": per_member((NOT_ALLOWED, OK), (NOT_ALLOWED, DENIED), (NOT_ALLOWED, DENIED),
                               kwargs=_comment("drafter")),
    "comment_withdraw": per_member((NOT_ALLOWED, OK), (NOT_ALLOWED, DENIED), (NOT_ALLOWED, DENIED),
                                   kwargs=_comment("drafter")),
    "comment_resolve": per_member((NOT_ALLOWED, DENIED), (NOT_ALLOWED, OK), (NOT_ALLOWED, OK),
                                  kwargs=_comment("target")),
    "comment_reopen": per_member((NOT_ALLOWED, DENIED), (NOT_ALLOWED, OK), (NOT_ALLOWED, OK),
                                 kwargs=_comment("target")),
    "comment_versions": for_members(kwargs=_comment("drafter")),
    # Suggested changes (issue 15 point 2): a reviewer's suggestion on the drafter's amendment, which only its
    # author (the drafter) applies or declines; an empty POST declines without a note.
    "suggestion_apply": per_member((NOT_ALLOWED, OK), (NOT_ALLOWED, DENIED), (NOT_ALLOWED, DENIED),
                                   kwargs=_suggestion, cosponsor=(NOT_ALLOWED, DENIED)),
    "suggestion_decline": per_member((NOT_ALLOWED, OK), (NOT_ALLOWED, DENIED), (NOT_ALLOWED, DENIED),
                                     kwargs=_suggestion, cosponsor=(NOT_ALLOWED, DENIED)),
    "document_activity": for_members(kwargs=lambda world: {"slug": world.concept.slug}),
    # Translations (issue 13): every member of the document reads which translations are outdated.
    "document_translations": for_members(post=NOT_ALLOWED, kwargs=lambda world: {"slug": world.concept.slug}),
    # The Work page and rapporteurs (issue 15 point 3): every member of the document reads what awaits whom;
    # its reviewers and admins assign rapporteurs (an empty POST re-renders with the errors) and end them.
    "document_work": for_members(post=NOT_ALLOWED, kwargs=lambda world: {"slug": world.concept.slug}),
    "rapporteur_assign": per_member((NOT_ALLOWED, DENIED), (NOT_ALLOWED, OK), (NOT_ALLOWED, OK),
                                    kwargs=lambda world: {"slug": world.concept.slug}),
    "rapporteur_end": per_member((NOT_ALLOWED, DENIED), (NOT_ALLOWED, OK), (NOT_ALLOWED, OK),
                                 kwargs=lambda world: {"slug": world.concept.slug, "pk": world.assignment.pk}),
    # The inbox: each member's own; another member's notification is not found.
    "inbox": for_members(),
    "notifications_read_all": for_members(get=NOT_ALLOWED),
    "email_preference": for_members(get=NOT_ALLOWED),
    "notification_open": per_member((OK, OK), (NOT_FOUND, NOT_FOUND), (NOT_FOUND, NOT_FOUND),
                                    kwargs=_drafters_notification),
    "notification_read": per_member((NOT_ALLOWED, OK), (NOT_ALLOWED, NOT_FOUND), (NOT_ALLOWED, NOT_FOUND),
                                    kwargs=_drafters_notification),
}


# --- the same URLs with other objects ------------------------------------------------------------------------
def _draft_comment(world):
    return {"slug": world.concept.slug, "pk": world.draft_comment.pk}


def _in_concept(attr, key="pk", **extra):
    """This document's address with an object of the other document."""
    return lambda world: {"slug": world.concept.slug, key: getattr(getattr(world, attr), key), **extra}


_other_clause = _in_concept("other_clause")
_other_clause_kind = _in_concept("other_clause", kind="modify")
_other_amendment = _in_concept("other_amendment", "number")
_other_comment = _in_concept("other_comment")

OBJECT_VARIANTS = {
    # `target`'s private draft (the secret phrase in its heading, text, rationale and discussion), which the
    # co-sponsor signed: every amendment and comment URL for it is a 404 to everyone else, even to admins.
    "another member's draft": {
        "amendment_detail": hidden(_amendment("draft"), cosponsor=(OK, OK)),
        "amendment_edit": hidden(_amendment("draft"), cosponsor=(DENIED, DENIED)),
        "amendment_submit": hidden(_amendment("draft"), get=NOT_ALLOWED, cosponsor=(NOT_ALLOWED, DENIED)),
        "amendment_withdraw": hidden(_amendment("draft"), get=NOT_ALLOWED, cosponsor=(NOT_ALLOWED, DENIED)),
        "amendment_cosponsor": hidden(_amendment("draft"), get=NOT_ALLOWED, cosponsor=(NOT_ALLOWED, OK)),
        "amendment_review": hidden(_amendment("draft"), get=NOT_ALLOWED, cosponsor=(NOT_ALLOWED, DENIED)),
        "amendment_comment": hidden(_amendment("draft"), get=NOT_ALLOWED, cosponsor=(NOT_ALLOWED, OK)),
        "comment_reply": hidden(_draft_comment, get=NOT_ALLOWED, cosponsor=(NOT_ALLOWED, OK)),
        "comment_edit": hidden(_draft_comment, get=NOT_ALLOWED, cosponsor=(NOT_ALLOWED, DENIED)),
        "comment_withdraw": hidden(_draft_comment, get=NOT_ALLOWED, cosponsor=(NOT_ALLOWED, DENIED)),
        "comment_resolve": hidden(_draft_comment, get=NOT_ALLOWED, cosponsor=(NOT_ALLOWED, OK)),
        "comment_reopen": hidden(_draft_comment, get=NOT_ALLOWED, cosponsor=(NOT_ALLOWED, OK)),
        "comment_versions": hidden(_draft_comment, cosponsor=(OK, OK)),
        # The draft takes no suggestions: its comment has none, so there is nothing to apply even for a sponsor.
        "suggestion_apply": hidden(_draft_comment, get=NOT_ALLOWED),
        "suggestion_decline": hidden(_draft_comment, get=NOT_ALLOWED),
    },
    # A reviewer never reviews what they wrote; another reviewer, or an admin, may.
    "an amendment a reviewer wrote": {
        "amendment_review": per_member((NOT_ALLOWED, DENIED), (NOT_ALLOWED, DENIED), (NOT_ALLOWED, OK),
                                       kwargs=_amendment("reviewers_amendment"), cosponsor=(NOT_ALLOWED, OK)),
    },
    # Document A's address with document B's clause, amendment, comment or milestone: not found, although
    # every member may read it at its own address.
    "another document's object": {
        "clause_detail": hidden(_other_clause),
        "amendment_new": hidden(_other_clause_kind),
        "amendment_preview": hidden(_other_clause_kind, get=NOT_ALLOWED),
        "compromise_new": hidden(_other_clause),
        "clause_comment": hidden(_other_clause, get=NOT_ALLOWED),
        "amendment_detail": hidden(_other_amendment),
        "amendment_edit": hidden(_other_amendment),
        **{name: hidden(_other_amendment, get=NOT_ALLOWED) for name in (
            "amendment_submit", "amendment_withdraw", "amendment_cosponsor", "amendment_review", "amendment_comment")},
        **{name: hidden(_other_comment, get=NOT_ALLOWED) for name in (
            "comment_reply", "comment_edit", "comment_withdraw", "comment_resolve", "comment_reopen",
            "suggestion_apply", "suggestion_decline")},
        "comment_versions": hidden(_other_comment),
        # Drafters are refused the capability before anything is looked up.
        "milestone_rename": hidden(_in_concept("other_milestone"), get=NOT_ALLOWED, drafter=(NOT_ALLOWED, DENIED)),
        "rapporteur_end": hidden(_in_concept("other_assignment"), get=NOT_ALLOWED, drafter=(NOT_ALLOWED, DENIED)),
    },
}


# --- the Django admin ----------------------------------------------------------------------------------------
# Beside the table's personas: a drafter whose account is marked staff, an admin member marked staff (the only
# one let in), the same with the superuser flag of an older deployment, and a superuser that is no member.
STAFF = ("staff_admin", "superuser_admin")
ADMIN_PERSONAS = PERSONAS + ("staff_drafter", "superuser_outsider") + STAFF


def admin_page(get, post, kwargs=None):
    """An admin page: what the staff admins get; every other member, and any account that is no member, is
    refused (403), and strangers are sent to the app's sign-in page."""
    refused = {p: (DENIED, DENIED) for p in MEMBERS + ("staff_drafter", "superuser_outsider")}
    return Row({**STRANGERS, **refused, **{p: (get, post) for p in STAFF}}, kwargs or (lambda world: {}),
               personas=ADMIN_PERSONAS)


def _object_id(model):
    return lambda world: {"object_id": world.admin_objects[model].pk}


def _version(model):
    """simple-history's version page takes positional arguments: the object and one of its history rows."""
    def args(world):
        record = world.admin_objects[model]
        return [record.pk, record.history.earliest("history_date").history_id]
    return args


def _model_rows(model, model_admin):
    prefix = f"{model._meta.app_label}_{model._meta.model_name}"
    rows = {
        # Reading is the whole of it: a list (a POST without an action shows it again: "delete selected" is
        # gone), a read-only form, the history; adding, changing, deleting and reverting are refused.
        f"{prefix}_changelist": admin_page(OK, OK),
        f"{prefix}_add": admin_page(DENIED, DENIED),
        f"{prefix}_change": admin_page(OK, DENIED, _object_id(model)),
        f"{prefix}_delete": admin_page(DENIED, DENIED, _object_id(model)),
        f"{prefix}_history": admin_page(OK, OK, _object_id(model)),
    }
    if isinstance(model_admin, SimpleHistoryAdmin):
        rows[f"{prefix}_simple_history"] = admin_page(OK, DENIED, _version(model))
    return rows


def _admin_table():
    table = {
        "index": admin_page(OK, OK),
        "login": admin_page(OK, OK),  # staff are sent on to the index; the admin's own sign-in form is never shown
        "logout": admin_page(NOT_ALLOWED, LOGIN),  # signed out, as by the app's own "Sign out"
        "password_change": admin_page(OK, OK),  # sent to the app's own page
        "password_change_done": admin_page(OK, OK),
        "autocomplete": admin_page(DENIED, NOT_ALLOWED),  # no field of ours autocompletes
        "jsi18n": admin_page(OK, NOT_ALLOWED),
        "view_on_site": admin_page(OK, OK, lambda world: {
            "content_type_id": ContentType.objects.get_for_model(Document).pk, "object_id": world.concept.pk}),
        "app_list": admin_page(OK, OK, lambda world: {"app_label": "drafting"}),
        "auth_user_password_change": admin_page(DENIED, DENIED, lambda world: {"id": world.target.user.pk}),
    }
    for model, model_admin in admin.site._registry.items():
        table.update(_model_rows(model, model_admin))
    # A notification is its recipient's (here the staff admin's), in the admin as in the inbox: to the other
    # admin it does not exist (its change page sends them back to the index, as Django does for a missing record).
    table["drafting_notification_history"].outcomes["superuser_admin"] = (NOT_FOUND, NOT_FOUND)
    return table


ADMIN_TABLE = _admin_table()


def _admin_group(name):
    """The admin table's rows, grouped by model (and the site's own pages), one test each."""
    for model in admin.site._registry:
        if name.startswith(f"{model._meta.app_label}_{model._meta.model_name}_"):
            return model._meta.label
    return "site" if name != "auth_user_password_change" else "auth.User"


ADMIN_GROUPS = sorted({_admin_group(name) for name in ADMIN_TABLE})


# --- the tests -----------------------------------------------------------------------------------------------
def url_patterns():
    """Every URL pattern outside the Django admin (which has its own table, ADMIN_TABLE)."""
    found = []

    def walk(patterns):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                if pattern.namespace != "admin":
                    walk(pattern.url_patterns)
            elif isinstance(pattern, URLPattern):
                found.append(pattern)

    walk(get_resolver().url_patterns)
    return found


def admin_url_names():
    [site] = [p for p in get_resolver().url_patterns if isinstance(p, URLResolver) and p.namespace == "admin"]
    names = set()

    def walk(patterns):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                walk(pattern.url_patterns)
            elif pattern.name:  # unnamed: the redirect from an object's bare URL to its change page, the catch-all
                names.add(pattern.name)

    walk(site.url_patterns)
    return names


def test_every_url_pattern_has_a_row():
    unnamed = [str(p.pattern) for p in url_patterns() if not p.name]
    assert not unnamed, f"name these URL patterns so the table can cover them: {unnamed}"
    names = {p.name for p in url_patterns()}
    assert not names - TABLE.keys(), f"add rows to TABLE in tests/test_permissions.py for: {names - TABLE.keys()}"
    assert not TABLE.keys() - names, f"rows for URLs that no longer exist: {TABLE.keys() - names}"


def full_routes():
    """{URL name: its whole route}, prefixes of include()s included ("d/<slug:slug>/amendments/...")."""
    routes = {}

    def walk(patterns, prefix):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                if pattern.namespace != "admin":
                    walk(pattern.url_patterns, prefix + str(pattern.pattern))
            elif isinstance(pattern, URLPattern):
                routes[pattern.name] = prefix + str(pattern.pattern)

    walk(get_resolver().url_patterns, "")
    return routes


def test_every_url_for_an_amendment_or_a_comment_is_tried_on_another_members_draft():
    routes = full_routes()
    about_draft = {name for name, route in routes.items() if "<int:number>" in route or "comments/<int:pk>" in route}
    assert about_draft == OBJECT_VARIANTS["another member's draft"].keys()


def test_every_url_for_an_object_of_a_document_is_tried_with_another_documents_object():
    routes = full_routes()
    in_document = {name for name, route in routes.items() if "<slug:slug>" in route and "<int:" in route}
    assert in_document == OBJECT_VARIANTS["another document's object"].keys()


def test_every_admin_url_has_a_row():
    names = admin_url_names()
    assert not names - ADMIN_TABLE.keys(), f"add rows to ADMIN_TABLE for: {names - ADMIN_TABLE.keys()}"
    assert not ADMIN_TABLE.keys() - names, f"rows for admin URLs that no longer exist: {ADMIN_TABLE.keys() - names}"


OTHER_DOCUMENT = """# Permission Table Test Document

Not official text: a second document, made by tests/test_permissions.py.

## 1. A test clause

The only clause of the test document.
"""


@pytest.fixture
def world(db):
    load_concept()
    invitee = Member.add(full_name="Invited Ilqar", email="ilqar@example.test", role=Member.Role.DRAFTER)
    world = SimpleNamespace(
        concept=Document.objects.get(slug=CONCEPT_SLUG),
        outsider=make_outsider(),
        deactivated=make_member("table_former", Member.Role.REVIEWER, active=False),
        drafter=make_member("table_drafter", Member.Role.DRAFTER),
        reviewer=make_member("table_reviewer", Member.Role.REVIEWER),
        admin=make_member("table_admin", Member.Role.ADMIN),
        cosponsor=make_member("table_cosponsor", Member.Role.REVIEWER),
        target=make_member("table_target", Member.Role.DRAFTER),
        invitee=invitee,
    )
    world.clause = world.concept.clauses.get(number="4.1.1")
    world.amendment = modify(world.drafter, world.clause, body="Shorter text.", submit=True)
    world.amendment.sign_on(world.cosponsor)
    world.amendment.review(make_member("table_second_reviewer", Member.Role.REVIEWER), "request_changes", "More.")
    world.suggestion = Comment.post(author=world.reviewer, target=world.amendment, body="Say more.", suggestion={
        "language": "en", "original": "Shorter", "start": 0, "replacement": "Much shorter"}).suggestion
    _plant_the_secret(world)
    world.reviewers_amendment = modify(world.reviewer, world.concept.clauses.get(number="1"), body="A reviewer's.",
                                       submit=True)
    _another_document(world)
    _admin_accounts_and_records(world)
    return world


def _plant_the_secret(world):
    """`target`'s private draft of 4.1.1 (the clause every member reads), co-sponsored, edited once (so it has a
    history), and discussed, the phrase in every part and in both languages of the Concept (a page read in
    either language must keep it out); its comment mentions a non-sponsor, who must not hear."""
    draft = modify(world.target, world.clause, heading=f"Heading {SECRET}", body=f"Proposed text with {SECRET}.",
                   rationale=f"Reason: {SECRET}", proposed_body_az=f"Təklif olunan mətn: {SECRET}.")
    draft.sign_on(world.cosponsor)
    draft.rationale = f"Reason, revised: {SECRET}"
    draft.proposed_heading_az = f"Başlıq {SECRET}"
    draft.save()
    world.draft = draft
    world.draft_comment = Comment.post(author=world.target, target=draft, body=f"Between us: {SECRET} @table_drafter")
    Comment.post(author=world.cosponsor, parent=world.draft_comment, body=f"Agreed on {SECRET}.")
    world.draft_comment.edit(world.target, f"Between us, edited: {SECRET} @table_drafter")


def _another_document(world):
    other, _ = import_document(parse(OTHER_DOCUMENT), slug="table-test-document")
    world.other_clause = other.clauses.get()
    world.other_amendment = modify(world.drafter, world.other_clause, body="Changed.", submit=True)
    # Numbers are per document: give B's a number A does not have, so only the document tells them apart.
    Amendment.objects.filter(pk=world.other_amendment.pk).update(number=99)
    world.other_amendment.refresh_from_db()
    assert not world.concept.amendments.filter(number=99).exists()
    world.other_comment = Comment.post(author=world.drafter, target=world.other_clause, body="On document B.")
    world.other_milestone = other.milestones.get()
    world.other_assignment = Rapporteur.assign(clause=world.other_clause, member=world.reviewer,
                                               due_date=timezone.localdate(), by=world.admin)


def _admin_accounts_and_records(world):
    User = get_user_model()
    world.staff_drafter = make_member("table_staff_drafter", Member.Role.DRAFTER)
    world.staff_admin = make_member("table_staff_admin", Member.Role.ADMIN)
    world.superuser_admin = make_member("table_superuser_admin", Member.Role.ADMIN)
    User.objects.filter(pk__in=[world.staff_drafter.user_id, world.staff_admin.user_id]).update(is_staff=True)
    User.objects.filter(pk=world.superuser_admin.user_id).update(is_staff=True, is_superuser=True)
    world.superuser_outsider = User.objects.create_superuser("table_root", "root@example.test", "x-root-password")
    for member in (world.staff_drafter, world.staff_admin, world.superuser_admin):
        member.user.refresh_from_db()
    # One record of every model the admin shows, for its change, delete and history pages. The rapporteur of
    # section 4 is asked to review `amendment` (on 4.1.1, sent back for changes, so open and not a draft).
    world.assignment = Rapporteur.assign(clause=world.concept.clauses.get(number="4"), member=world.reviewer,
                                         due_date=timezone.localdate(), by=world.admin)
    mentioned = Comment.post(author=world.drafter, target=world.clause,
                             body="For @table_staff_admin and @table_superuser_admin.")
    from axes.models import AccessAttempt, AccessFailureLog, AccessLog

    fields = {"user_agent": "test", "ip_address": "192.0.2.1", "username": "someone", "http_accept": "*/*",
              "path_info": "/accounts/login/"}
    world.admin_objects = {
        Document: world.concept, get_user_model(): world.target.user, Group: Group.objects.create(name="Unused"),
        Member: world.target, Amendment: world.amendment, Comment: mentioned,
        type(world.amendment.reviews.first()): world.amendment.reviews.first(),
        type(world.concept.clauses.first()): world.clause, type(world.other_milestone): world.concept.milestones.get(),
        Tag: Tag.objects.create(name="Table topic"), type(world.suggestion): world.suggestion,
        Rapporteur: world.assignment, ReviewRequest: ReviewRequest.objects.get(rapporteur=world.assignment),
        Notification: Notification.objects.filter(recipient=world.staff_admin).latest("pk"),
        SignInEvent: SignInEvent.objects.create(kind=SignInEvent.Kind.FAILED, username="someone"),
        AccessAttempt: AccessAttempt.objects.create(get_data="", post_data="", failures_since_start=1, **fields),
        AccessLog: AccessLog.objects.create(**fields),
        AccessFailureLog: AccessFailureLog.objects.create(**fields),
    }
    assert set(world.admin_objects) == set(admin.site._registry), "add a record of the new admin model above"


def client_for(persona, world, **options):
    """A client signed in as `persona`, made once per test: signing in writes a session and a sign-in record,
    which every request of the test then shares (`ask` rolls back whatever a request writes)."""
    clients = vars(world).setdefault("clients", {})
    key = (persona, tuple(sorted(options.items())))
    if key not in clients:
        client = Client(**options)
        if persona != "anonymous":
            account = getattr(world, persona)
            login(client, account)
        clients[key] = client
    return clients[key]


def outcome_of(response):
    if response.status_code == 302:
        # The admin's sign-in address only sends on to the app's (the "login" row of ADMIN_TABLE checks it).
        # The code step is part of signing in: a persona sent there is not signed in yet.
        to_sign_in = response["Location"].startswith((reverse("login"), reverse("admin:login"),
                                                      reverse("two_factor_verify")))
        return LOGIN if to_sign_in else OK
    return {200: OK, 403: DENIED, 405: NOT_ALLOWED}.get(response.status_code, str(response.status_code))


def ask(persona, world, method, url, **options):
    """One request, in a savepoint rolled back afterwards, so no persona's POST changes what the next sees
    (the client's cookies go back too: a sign-out or a new session key is undone with the rows behind it)."""
    client = client_for(persona, world, **options)
    cookies = deepcopy(client.cookies)
    with transaction.atomic():
        response = getattr(client, method)(url)
        transaction.set_rollback(True)
    client.cookies = cookies
    return response


def pdf_text(body):
    """A PDF's text as one line, each printed line's number taken off, so a phrase that the app's line numbers
    wrapped reads whole."""
    text = subprocess.run(["pdftotext", "-", "-"], input=body, capture_output=True, check=True).stdout.decode()
    return " ".join(re.sub(r"^\d+\s+", "", line.strip()) for line in text.splitlines() if line.strip())


def readable(response):
    """Everything a response carries, as text: headers and body, with zip files (.docx, .xlsx) opened and
    every part read, and PDF files read as text (pdftotext), so a phrase cannot hide in an export."""
    body = b"".join(response.streaming_content) if response.streaming else response.content
    parts = [f"{name}: {value}" for name, value in response.headers.items()]
    if body.startswith(b"%PDF"):
        parts.append(pdf_text(body))
    elif body.startswith(b"PK\x03\x04"):
        with zipfile.ZipFile(BytesIO(body)) as archive:
            parts += [archive.read(name).decode("utf-8", "replace") for name in archive.namelist()]
    else:
        parts.append(body.decode("utf-8", "replace"))
    return "\n".join(parts)


def _url(name, row, world):
    arguments = row.kwargs(world)
    if isinstance(arguments, list):
        return reverse(name, args=arguments)
    return reverse(name, kwargs=arguments)


def wrong_answers(name, row, world, *, posts_change_nothing_for=()):
    """What differs from the row, for every persona and method, and any response that carries the secret
    phrase to someone who is not a sponsor of the draft; and any POST by the personas named that changed data."""
    url = _url(name, row, world)
    wrong = []
    for persona in row.personas:
        for method, expected in zip(("get", "post"), row.outcomes[persona]):
            if method == "post" and persona in posts_change_nothing_for:
                response, changed = ask_and_compare_records(persona, world, url)
                if changed:
                    wrong.append(f"  {name} ({url}) {persona} POST: changed data")
            else:
                response = ask(persona, world, method, url)
            if outcome_of(response) != expected:
                wrong.append(f"  {name} ({url}) {persona} {method.upper()}: expected {expected}, got {outcome_of(response)}")
            if persona not in SPONSORS and SECRET in readable(response):
                wrong.append(f"  {name} ({url}) {persona} {method.upper()}: the response holds the private draft's phrase")
    return wrong


@pytest.mark.parametrize("name", sorted(TABLE))
def test_each_persona_gets_the_answer_in_the_permission_table(world, name):
    wrong = wrong_answers(name, TABLE[name], world)
    assert not wrong, "\n".join(wrong)


@pytest.mark.parametrize("variant", sorted(OBJECT_VARIANTS))
def test_each_persona_gets_the_answer_for_other_objects(world, variant):
    wrong = []
    for name, row in OBJECT_VARIANTS[variant].items():
        wrong += wrong_answers(name, row, world)
    assert not wrong, f"{variant}:\n" + "\n".join(wrong)


def _records():
    """Every row of every model the admin shows, with each history table's size."""
    state = {}
    for model in admin.site._registry:
        state[model._meta.label] = list(model._default_manager.order_by("pk").values_list())
        if hasattr(model, "history"):
            state[f"{model._meta.label} history"] = model.history.count()
    return state


def ask_and_compare_records(persona, world, url):
    """A POST, and whether it changed any record the admin shows (rolled back afterwards, as every request)."""
    client = client_for(persona, world)
    cookies = deepcopy(client.cookies)
    with transaction.atomic():
        before = _records()
        response = client.post(url)
        changed = _records() != before
        transaction.set_rollback(True)
    client.cookies = cookies
    return response, changed


@pytest.mark.parametrize("group", ADMIN_GROUPS)
def test_each_persona_gets_the_answer_on_the_admin_pages(world, group):
    wrong = []
    for name, row in ADMIN_TABLE.items():
        if _admin_group(name) == group:
            # Signing out is the one POST that writes: its record in the audit log.
            unchanged = STAFF if name != "logout" else ()
            wrong += wrong_answers(f"admin:{name}", row, world, posts_change_nothing_for=unchanged)
    assert not wrong, f"{group}:\n" + "\n".join(wrong)


def test_sponsors_do_see_the_secret_phrase(world):
    """The phrase check can fail: the draft's author and co-sponsor receive it on the draft's page and in
    their disposition table (CSV and the XLSX read by `readable`), its discussion on the clause's page."""
    for sponsor in ("target", "cosponsor"):
        for name, kwargs in (
            ("amendment_detail", {"slug": world.concept.slug, "number": world.draft.number}),
            ("clause_detail", {"slug": world.concept.slug, "pk": world.clause.pk}),
            ("what_if", {"slug": world.concept.slug}),
            ("disposition_csv", {"slug": world.concept.slug}),
            ("disposition_xlsx", {"slug": world.concept.slug}),
            ("disposition_pdf", {"slug": world.concept.slug}),
            ("comment_versions", {"slug": world.concept.slug, "pk": world.draft_comment.pk}),
        ):
            assert SECRET in readable(ask(sponsor, world, "get", reverse(name, kwargs=kwargs))), (sponsor, name)


def test_the_phrase_check_reads_inside_the_word_and_markdown_exports(world):
    for name in ("versions_docx", "versions_markdown", "versions_pdf", "versions_compare_pdf"):
        # Both languages (a PDF holds one: English): the English heading is in the file (4.1.1 has no
        # Azerbaijani heading).
        query = "?text=en" if name.endswith("pdf") else "?text=both"
        response = ask("drafter", world, "get", reverse(name, kwargs={"slug": world.concept.slug}) + query)
        assert world.clause.heading in readable(response), name


def test_persona_accounts_are_what_their_names_say(world):
    assert not world.deactivated.user.is_active
    assert not hasattr(get_user_model().objects.get(pk=world.outsider.pk), "member")
    assert [getattr(world, p).role for p in MEMBERS] == ["drafter", "reviewer", "admin", "reviewer"]
    assert list(world.amendment.cosponsors.all()) == list(world.draft.cosponsors.all()) == [world.cosponsor]
    assert world.draft.is_draft and world.draft.author == world.target
    assert not world.reviewers_amendment.is_draft and world.reviewers_amendment.author == world.reviewer
    assert [world.staff_admin.user.is_staff, world.staff_admin.user.is_superuser] == [True, False]
    assert world.superuser_admin.user.is_superuser and world.superuser_outsider.is_superuser
    assert world.staff_drafter.user.is_staff and world.staff_drafter.role == Member.Role.DRAFTER


# --- The document dimension (issue 12, need-to-know) ----------------------------------------------------------
HIDDEN = "quartzlantern2093"  # in the title and a clause of the document the personas are taken off
NOT_ON = ("drafter", "reviewer", "cosponsor")


def _take_them_off_the_concept(world):
    """The same world, but `drafter`, `reviewer` and `cosponsor` are no longer on the Concept, whose title and
    clause 1 now hold a phrase. Rows are deleted directly: this sets the scene, the last-reviewer rule has its
    own test (tests/test_document_access.py)."""
    from drafting.models import DocumentAccess

    concept = world.concept
    concept.title = f"{concept.title} {HIDDEN}"
    concept.save()
    first = concept.clauses.get(number="1")
    first.body = f"{first.body} {HIDDEN}"
    first.save()
    DocumentAccess.objects.filter(document=concept, member__in=[getattr(world, p) for p in NOT_ON]).delete()
    for persona in NOT_ON:
        vars(getattr(world, persona)).pop("_roles_on_documents", None)


def test_a_document_one_is_not_on_answers_as_if_it_did_not_exist(world):
    """Every URL of the table, for members taken off the Concept: under the Concept's address the answer is the
    one a document that does not exist gets (404; 405 or 403 where that comes before any look-up), never the
    page; and no response anywhere (lists, counts, inbox, activity, exports) holds the Concept's title or text."""
    # The URLs first: some rows' objects (a persona's comment) are made when first asked for.
    urls = {name: (row.kwargs(world), _url(name, row, world)) for name, row in sorted(TABLE.items())}
    _take_them_off_the_concept(world)
    wrong = []
    for name, (arguments, url) in urls.items():
        missing = None
        if isinstance(arguments, dict) and arguments.get("slug") == world.concept.slug:
            missing = reverse(name, kwargs={**arguments, "slug": "no-such-document"})
        for persona in NOT_ON:
            for method in ("get", "post"):
                response = ask(persona, world, method, url)
                if missing is not None:
                    expected = outcome_of(ask(persona, world, method, missing))
                    if outcome_of(response) != expected or expected == OK:
                        wrong.append(f"  {name} {persona} {method.upper()}: {outcome_of(response)}, "
                                     f"a missing document gets {expected}")
                if HIDDEN in readable(response):
                    wrong.append(f"  {name} ({url}) {persona} {method.upper()}: the response holds the hidden phrase")
    assert not wrong, "\n".join(wrong)


def test_the_hidden_phrase_check_can_fail(world):
    """Those still on the Concept (the admin; the author of the private draft) do receive the phrase."""
    _take_them_off_the_concept(world)
    for persona in ("admin", "target"):
        for name in ("document_list", "document_detail", "versions_markdown", "versions_docx"):
            kwargs = {} if name == "document_list" else {"slug": world.concept.slug}
            assert HIDDEN in readable(ask(persona, world, "get", reverse(name, kwargs=kwargs))), (persona, name)


def test_milestone_rows_follow_the_role_on_the_document(world):
    """The milestone rows again with the roles on the Concept swapped against the deployment roles: the drafter
    reviews the Concept and the reviewer only reads it. The role on the document decides, never the other."""
    from drafting.models import DocumentAccess

    DocumentAccess.objects.filter(document=world.concept, member=world.drafter).update(role=DocumentAccess.Role.REVIEWER)
    DocumentAccess.objects.filter(document=world.concept, member=world.reviewer).update(role=DocumentAccess.Role.READER)
    swapped = {
        name: per_member((NOT_ALLOWED, OK), (NOT_ALLOWED, DENIED), (NOT_ALLOWED, OK), kwargs=TABLE[name].kwargs,
                         cosponsor=(NOT_ALLOWED, OK))  # still a reviewer of the Concept
        for name in ("milestone_create", "milestone_rename")
    }
    wrong = []
    for name, row in swapped.items():
        wrong += wrong_answers(name, row, world)
    assert not wrong, "\n".join(wrong)
