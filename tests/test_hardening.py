"""Hardening: CSRF on every state change, the Content Security Policy, sign-in throttling, session expiry."""
import os
import re
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from drafting.models import SignInEvent

from .builders import PASSWORD
from .conftest import login
from .test_permissions import LOGIN, OK, TABLE, ask, world  # noqa: F401  (world is a fixture)

# --- CSRF -------------------------------------------------------------------------------------------------


def csrf_case(row):
    """The first persona whose POST the view accepts: an admin, a reviewer, a drafter, or someone signed out.

    For a signed-in persona a redirect to the sign-in page also counts as accepted (signing out does that).
    """
    for persona in ("admin", "reviewer", "drafter", "anonymous"):
        outcome = row.outcomes[persona][1]
        if outcome == OK or (outcome == LOGIN and persona != "anonymous"):
            return persona
    return None


POST_VIEWS = sorted(name for name, row in TABLE.items() if csrf_case(row))


def test_every_state_changing_view_is_in_the_csrf_check():
    for name in ("login", "logout", "member_add", "member_deactivate", "profile", "password_change",
                 "invite_accept", "password_reset_confirm"):
        assert name in POST_VIEWS


@pytest.mark.parametrize("name", POST_VIEWS)
def test_a_post_without_the_csrf_token_is_refused(world, name):  # noqa: F811
    row = TABLE[name]
    persona = csrf_case(row)
    url = reverse(name, kwargs=row.kwargs(world))
    response = ask(persona, world, "post", url, enforce_csrf_checks=True)
    assert response.status_code == 403, f"{name} as {persona}"
    assert "CSRF verification failed" in response.text


# --- Content Security Policy ------------------------------------------------------------------------------

TEMPLATES = sorted((Path(settings.BASE_DIR) / "templates").rglob("*.html"))
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.I)
INLINE_STYLE = re.compile(r"<style\b|\sstyle\s*=", re.I)
HANDLER = re.compile(r"<[^>]+\son[a-z]+\s*=", re.I)


def inline_code(html):
    return [pattern.pattern for pattern in (INLINE_SCRIPT, INLINE_STYLE, HANDLER) if pattern.search(html)]


def test_the_policy_forbids_inline_scripts_and_styles(as_drafter):
    policy = as_drafter.get(reverse("document_list"))["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";"))
    assert directives["script-src"] == "'self'" and directives["style-src"] == "'self'"
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
    assert directives["frame-ancestors"] == "'none'"


@pytest.mark.parametrize("template", TEMPLATES, ids=lambda path: str(path.relative_to(settings.BASE_DIR)))
def test_templates_have_no_inline_script_style_or_handler(template):
    assert not inline_code(template.read_text(encoding="utf-8"))


def test_rendered_pages_have_no_inline_code_and_load_htmx(as_admin, admin_member, concept):
    pages = [reverse("document_list"), concept.get_absolute_url(), reverse("member_list"), reverse("member_add"),
             reverse("member_edit", args=[admin_member.pk]), reverse("audit_log"), reverse("profile"),
             reverse("password_change")]
    for url in pages:
        html = as_admin.get(url).text
        assert not inline_code(html), url
        assert re.search(r'<script src="/static/django_htmx/htmx-2(\.min)?\.js" defer>', html), url
        assert "<meta name=\"htmx-config\" content='{\"includeIndicatorStyles\":false}'>" in html
    as_admin.logout()
    assert not inline_code(Client().get(reverse("login")).text)


# --- Sign-in throttling -----------------------------------------------------------------------------------


def sign_in(client, username, password, address="127.0.0.1"):
    return client.post(reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=address)


def let_the_lockout_pass():
    """Move every recorded failure back past the cool-off, as if the window had gone by."""
    AccessAttempt.objects.update(attempt_time=timezone.now() - settings.AXES_COOLOFF_TIME - timedelta(seconds=1))


def test_after_too_many_failures_even_the_right_password_is_refused_until_the_window_passes(client, drafter):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, "drafter_dina", "wrong password")
    refused = sign_in(client, "drafter_dina", PASSWORD)
    assert refused.status_code == 429
    assert "Too many failed sign-ins" in refused.text and "Try again in" in refused.text
    assert "_auth_user_id" not in client.session
    let_the_lockout_pass()
    allowed = sign_in(client, "drafter_dina", PASSWORD)
    assert allowed.status_code == 302 and allowed["Location"] == reverse("document_list")


def test_failures_below_the_limit_do_not_lock_the_account(client, drafter):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert sign_in(client, "drafter_dina", "wrong password").status_code == 200
    assert sign_in(client, "drafter_dina", PASSWORD).status_code == 302


def test_an_account_is_locked_whatever_address_the_attempts_come_from(client, drafter):
    for i in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, "drafter_dina", "wrong password", address=f"198.51.100.{i + 1}")
    assert sign_in(client, "drafter_dina", PASSWORD, address="203.0.113.9").status_code == 429


def test_an_address_is_locked_whatever_accounts_it_tries(client, drafter):
    for i in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, f"guess{i}", "wrong password", address="198.51.100.7")
    assert sign_in(client, "drafter_dina", PASSWORD, address="198.51.100.7").status_code == 429
    assert sign_in(client, "drafter_dina", PASSWORD, address="203.0.113.9").status_code == 302


def test_refusals_by_the_throttle_are_recorded_for_the_audit(client, drafter):
    for _ in range(settings.AXES_FAILURE_LIMIT + 1):
        sign_in(client, "drafter_dina", "wrong password")
    kinds = list(SignInEvent.objects.filter(username="drafter_dina").values_list("kind", flat=True))
    assert kinds.count(SignInEvent.Kind.LOCKED_OUT) >= 1
    assert kinds.count(SignInEvent.Kind.FAILED) == settings.AXES_FAILURE_LIMIT - 1


# --- Sessions ---------------------------------------------------------------------------------------------


def test_sessions_end_at_browser_close_and_after_eight_idle_hours_by_default():
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE and settings.SESSION_SAVE_EVERY_REQUEST
    assert settings.SESSION_COOKIE_HTTPONLY
    if "SESSION_IDLE_SECONDS" not in os.environ:
        assert settings.SESSION_COOKIE_AGE == 8 * 60 * 60


def test_an_idle_session_is_over(client, drafter):
    login(client, drafter)
    assert client.get(reverse("document_list")).status_code == 200
    Session.objects.update(expire_date=timezone.now() - timedelta(seconds=1))
    response = client.get(reverse("document_list"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_each_request_pushes_the_idle_limit_forward(client, drafter):
    login(client, drafter)
    Session.objects.update(expire_date=timezone.now() + timedelta(minutes=1))
    client.get(reverse("document_list"))
    assert Session.objects.get().expire_date > timezone.now() + timedelta(seconds=settings.SESSION_COOKIE_AGE - 60)


def test_session_and_csrf_cookies_are_secure_in_production():
    env = dict(os.environ, DEBUG="false", SECRET_KEY="y" * 60, ALLOWED_HOSTS="drafting.example.org",
               DJANGO_SETTINGS_MODULE="config.settings")
    env.pop("SESSION_IDLE_SECONDS", None)
    code = ("from django.conf import settings as s; print(s.SESSION_COOKIE_SECURE, s.SESSION_COOKIE_HTTPONLY, "
            "s.CSRF_COOKIE_SECURE, s.SESSION_EXPIRE_AT_BROWSER_CLOSE, s.SESSION_COOKIE_AGE)")
    result = subprocess.run([sys.executable, "-c", code], cwd=settings.BASE_DIR, env=env, capture_output=True,
                            text=True)
    assert result.stdout.split() == ["True", "True", "True", "True", str(8 * 60 * 60)], result.stderr
