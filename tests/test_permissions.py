"""The permission table: every named URL, every persona, GET and POST, and the answer each must get.

A URL pattern without a row fails `test_every_url_pattern_has_a_row`. To add a URL, add one row to TABLE:
pick a helper (`for_members`, `for_admins`, `public`) or spell out the six personas, and give `kwargs`, a
function of the `world` fixture returning the URL's arguments (object-level URLs take an object built there).
tests/test_hardening.py reads the same table to check CSRF on every view that accepts a POST.
"""
from collections.abc import Callable
from dataclasses import dataclass, field
from types import SimpleNamespace

import pytest
from django.contrib.auth import get_user_model
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from drafting.models import Document, Member
from drafting.password_links import INVITATION, PASSWORD_RESET
from drafting.seeds import CONCEPT_SLUG, load_concept

from .amendment_builders import modify
from .builders import make_member, make_outsider

# What a request gets.
OK = "ok"                   # 200, or a redirect somewhere other than the sign-in page
LOGIN = "login"             # redirected to the sign-in page
DENIED = "denied"           # 403
NOT_ALLOWED = "not allowed"  # 405: the method is not accepted (only ever after the access check)
NOT_FOUND = "404"           # another member's own object (a notification): as if it did not exist

PERSONAS = ("anonymous", "outsider", "deactivated", "drafter", "reviewer", "admin")
MEMBERS = ("drafter", "reviewer", "admin")
STRANGERS = {"anonymous": (LOGIN, LOGIN), "outsider": (DENIED, DENIED), "deactivated": (LOGIN, LOGIN)}


@dataclass
class Row:
    """Persona → (GET outcome, POST outcome), and how to build the URL's arguments."""

    outcomes: dict
    kwargs: Callable = field(default=lambda world: {})

    def __post_init__(self):
        assert set(self.outcomes) == set(PERSONAS), f"a row needs all of {PERSONAS}"


def for_members(get=OK, post=OK, kwargs=None):
    """Any active member; strangers are sent to sign in, outsiders refused."""
    return Row({**STRANGERS, **{p: (get, post) for p in MEMBERS}}, kwargs or (lambda world: {}))


def for_admins(get=OK, post=OK, kwargs=None):
    outcomes = {**STRANGERS, "drafter": (DENIED, DENIED), "reviewer": (DENIED, DENIED), "admin": (get, post)}
    return Row(outcomes, kwargs or (lambda world: {}))


def public(get=OK, post=OK, kwargs=None):
    """Reachable signed out; a signed-in account that is not a member is still refused by the middleware."""
    outcomes = {"anonymous": (get, post), "outsider": (DENIED, DENIED), "deactivated": (get, post),
                **{p: (get, post) for p in MEMBERS}}
    return Row(outcomes, kwargs or (lambda world: {}))


def per_member(drafter, reviewer, admin, kwargs=None):
    """Members answered differently by role (or by being the object's author)."""
    outcomes = {**STRANGERS, "drafter": drafter, "reviewer": reviewer, "admin": admin}
    return Row(outcomes, kwargs or (lambda world: {}))


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


def _drafters_notification(world):
    from drafting.models import Comment

    thread = Comment.post(author=world.drafter, target=world.clause, body="Question.")
    Comment.post(author=world.target, parent=thread, body="Answer.")
    return {"pk": world.drafter.notifications.latest("pk").pk}


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
    "password_reset": public(),
    "password_reset_confirm": public(kwargs=_link_kwargs(PASSWORD_RESET, "target")),
    "invite_accept": public(kwargs=_link_kwargs(INVITATION, "invitee")),
    # One's own account.
    "profile": for_members(),
    "password_change": for_members(),
    # The member list and the audit page: admins only.
    "member_list": for_admins(),
    "member_add": for_admins(),
    "member_edit": for_admins(kwargs=_target),
    "member_deactivate": for_admins(get=NOT_ALLOWED, kwargs=_target),
    "member_reactivate": for_admins(get=NOT_ALLOWED, kwargs=_target),
    "member_invite": for_admins(get=NOT_ALLOWED, kwargs=lambda world: {"pk": world.invitee.pk}),
    "audit_log": for_admins(),
    # Amendments (issue 3). `world.amendment` is the drafter's, sent back for changes: visible to every
    # member, editable and submittable by its author only, reviewable by reviewers and admins.
    "amendment_list": for_members(kwargs=lambda world: {"slug": world.concept.slug}),
    "what_if": for_members(kwargs=lambda world: {"slug": world.concept.slug}),
    "amendment_detail": for_members(kwargs=_amendment("amendment")),
    "amendment_new": for_members(kwargs=_clause_kind("modify")),  # an empty POST re-renders with errors
    "amendment_preview": for_members(get=NOT_ALLOWED, kwargs=_clause_kind("modify")),
    "amendment_edit": per_member((OK, OK), (DENIED, DENIED), (DENIED, DENIED), kwargs=_amendment("amendment")),
    "amendment_submit": per_member((NOT_ALLOWED, OK), (NOT_ALLOWED, DENIED), (NOT_ALLOWED, DENIED),
                                   kwargs=_amendment("amendment")),
    "amendment_withdraw": per_member((NOT_ALLOWED, OK), (NOT_ALLOWED, DENIED), (NOT_ALLOWED, DENIED),
                                     kwargs=_amendment("amendment")),
    # Any member but the author may sign on as co-sponsor; the author is told they already sponsor it.
    "amendment_cosponsor": for_members(get=NOT_ALLOWED, kwargs=_amendment("amendment")),
    "amendment_review": per_member((NOT_ALLOWED, DENIED), (NOT_ALLOWED, OK), (NOT_ALLOWED, OK),
                                   kwargs=_amendment("amendment")),
    # Versions (issue 6): every member reads, compares and exports; reviewers and admins set and rename
    # milestones (an empty POST re-renders the Versions page with the error).
    "versions": for_members(kwargs=lambda world: {"slug": world.concept.slug}),
    "versions_compare": for_members(kwargs=lambda world: {"slug": world.concept.slug}),
    "versions_read": for_members(kwargs=lambda world: {"slug": world.concept.slug}),
    "versions_docx": for_members(kwargs=lambda world: {"slug": world.concept.slug}),
    "versions_markdown": for_members(kwargs=lambda world: {"slug": world.concept.slug}),
    "disposition_csv": for_members(kwargs=lambda world: {"slug": world.concept.slug}),
    "disposition_xlsx": for_members(kwargs=lambda world: {"slug": world.concept.slug}),
    "milestone_create": per_member((NOT_ALLOWED, DENIED), (NOT_ALLOWED, OK), (NOT_ALLOWED, OK),
                                   kwargs=lambda world: {"slug": world.concept.slug}),
    "milestone_rename": per_member((NOT_ALLOWED, DENIED), (NOT_ALLOWED, OK), (NOT_ALLOWED, OK),
                                   kwargs=lambda world: {"slug": world.concept.slug,
                                                         "pk": world.concept.milestones.get().pk}),
    # Document settings and tags: every member reads them, admins change them.
    "document_settings": per_member((OK, DENIED), (OK, DENIED), (OK, OK),
                                    kwargs=lambda world: {"slug": world.concept.slug}),
    "tag_list": per_member((OK, DENIED), (OK, DENIED), (OK, OK)),
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
    "document_activity": for_members(kwargs=lambda world: {"slug": world.concept.slug}),
    # The inbox: each member's own; another member's notification is not found.
    "inbox": for_members(),
    "notifications_read_all": for_members(get=NOT_ALLOWED),
    "email_preference": for_members(get=NOT_ALLOWED),
    "notification_open": per_member((OK, OK), (NOT_FOUND, NOT_FOUND), (NOT_FOUND, NOT_FOUND),
                                    kwargs=_drafters_notification),
    "notification_read": per_member((NOT_ALLOWED, OK), (NOT_ALLOWED, NOT_FOUND), (NOT_ALLOWED, NOT_FOUND),
                                    kwargs=_drafters_notification),
}


def url_patterns():
    """Every URL pattern outside the Django admin (which has its own staff checks)."""
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


def test_every_url_pattern_has_a_row():
    unnamed = [str(p.pattern) for p in url_patterns() if not p.name]
    assert not unnamed, f"name these URL patterns so the table can cover them: {unnamed}"
    names = {p.name for p in url_patterns()}
    assert not names - TABLE.keys(), f"add rows to TABLE in tests/test_permissions.py for: {names - TABLE.keys()}"
    assert not TABLE.keys() - names, f"rows for URLs that no longer exist: {TABLE.keys() - names}"


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
        target=make_member("table_target", Member.Role.DRAFTER),
        invitee=invitee,
    )
    world.clause = world.concept.clauses.get(number="4.1.1")
    world.amendment = modify(world.drafter, world.clause, body="Shorter text.", submit=True)
    world.amendment.review(make_member("table_second_reviewer", Member.Role.REVIEWER), "request_changes", "More.")
    return world


def client_for(persona, world, **options):
    client = Client(**options)
    if persona != "anonymous":
        account = getattr(world, persona)
        client.force_login(getattr(account, "user", account))
    return client


def outcome_of(response):
    if response.status_code == 302:
        return LOGIN if response["Location"].startswith(reverse("login")) else OK
    return {200: OK, 403: DENIED, 405: NOT_ALLOWED}.get(response.status_code, str(response.status_code))


def ask(persona, world, method, url, **options):
    """One request, in a savepoint rolled back afterwards, so no persona's POST changes what the next sees."""
    with transaction.atomic():
        response = getattr(client_for(persona, world, **options), method)(url)
        transaction.set_rollback(True)
    return response


@pytest.mark.parametrize("name", sorted(TABLE))
def test_each_persona_gets_the_answer_in_the_permission_table(world, name):
    row = TABLE[name]
    url = reverse(name, kwargs=row.kwargs(world))
    wrong = []
    for persona in PERSONAS:
        for method, expected in zip(("get", "post"), row.outcomes[persona]):
            response = ask(persona, world, method, url)
            if outcome_of(response) != expected:
                wrong.append(f"  {persona} {method.upper()}: expected {expected}, got {outcome_of(response)}")
    assert not wrong, f"{name} ({url}):\n" + "\n".join(wrong)


def test_persona_accounts_are_what_their_names_say(world):
    assert not world.deactivated.user.is_active
    assert not hasattr(get_user_model().objects.get(pk=world.outsider.pk), "member")
    assert [getattr(world, p).role for p in MEMBERS] == ["drafter", "reviewer", "admin"]
