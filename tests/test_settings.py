"""Production settings pass Django's deployment checklist when the documented variables are set."""
import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from config.settings import envbool, envint


def production_env(**values):
    # The browser tests' DJANGO_ALLOW_ASYNC_UNSAFE belongs to the test process, never to a deployment.
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env.update(values)
    return env


def test_check_deploy_passes_with_production_environment():
    env = production_env( DEBUG="false", SECRET_KEY="x" * 20 + "-production-secret-key-for-the-test-0123456789",
               ALLOWED_HOSTS="drafting.example.org", DJANGO_SETTINGS_MODULE="config.settings")
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)  # set by the browser tests' conftest; never in production
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=settings.BASE_DIR, env=env, capture_output=True, text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_debug_off_without_secret_key_refuses_to_start():
    env = production_env(DEBUG="false", SECRET_KEY="", DJANGO_SETTINGS_MODULE="config.settings")
    result = subprocess.run([sys.executable, "manage.py", "check"], cwd=settings.BASE_DIR, env=env,
                            capture_output=True, text=True)
    assert result.returncode != 0 and "Set SECRET_KEY" in result.stderr


def test_a_misspelt_two_factor_role_refuses_to_start():
    env = production_env(TWO_FACTOR_ROLES="admin,reviewers", DJANGO_SETTINGS_MODULE="config.settings")
    result = subprocess.run([sys.executable, "manage.py", "check"], cwd=settings.BASE_DIR, env=env,
                            capture_output=True, text=True)
    assert result.returncode != 0 and "TWO_FACTOR_ROLES" in result.stderr


def test_two_factor_roles_can_name_no_role():
    env = production_env(TWO_FACTOR_ROLES="none", DJANGO_SETTINGS_MODULE="config.settings")
    code = "from django.conf import settings; print(settings.TWO_FACTOR_ROLES)"
    result = subprocess.run([sys.executable, "manage.py", "shell", "-c", code], cwd=settings.BASE_DIR, env=env,
                            capture_output=True, text=True)
    assert result.stdout.strip().splitlines()[-1] == "[]", result.stderr


@pytest.mark.parametrize("value, expected", [
    ("1", True), ("true", True), ("TRUE", True), (" Yes ", True), ("on", True),
    ("0", False), ("false", False), ("False", False), ("NO", False), ("off", False),
    ("", "default"), ("  ", "default"),
])
def test_envbool_reads_the_documented_words_in_any_case_and_empty_as_the_default(monkeypatch, value, expected):
    monkeypatch.setenv("DRAFTING_TEST_FLAG", value)
    assert envbool("DRAFTING_TEST_FLAG", "default") == expected


def test_envbool_without_the_variable_gives_the_default(monkeypatch):
    monkeypatch.delenv("DRAFTING_TEST_FLAG", raising=False)
    assert envbool("DRAFTING_TEST_FLAG", True) is True


@pytest.mark.parametrize("value", ["ture", "flase", "y", "2", "enabled", "off!"])
def test_envbool_refuses_a_value_it_does_not_know_naming_the_variable_and_the_accepted_values(monkeypatch, value):
    monkeypatch.setenv("SESSION_COOKIE_SECURE", value)
    with pytest.raises(ImproperlyConfigured) as refused:
        envbool("SESSION_COOKIE_SECURE", True)
    message = str(refused.value)
    assert message.startswith(f"SESSION_COOKIE_SECURE={value!r}")
    assert "1/0, true/false, yes/no or on/off" in message and "empty for the default" in message


@pytest.mark.parametrize("value, expected", [("42", 42), (" 7 ", 7), ("-1", -1), ("", 10)])
def test_envint_reads_a_whole_number_and_empty_as_the_default(monkeypatch, value, expected):
    monkeypatch.setenv("DRAFTING_TEST_NUMBER", value)
    assert envint("DRAFTING_TEST_NUMBER", 10) == expected


@pytest.mark.parametrize("value", ["15m", "1.5", "ten", "0x10"])
def test_envint_refuses_what_is_not_a_whole_number_naming_the_variable(monkeypatch, value):
    monkeypatch.setenv("SESSION_IDLE_SECONDS", value)
    with pytest.raises(ImproperlyConfigured, match=r"^SESSION_IDLE_SECONDS=.* is not a whole number"):
        envint("SESSION_IDLE_SECONDS", 28800)


def test_a_typo_in_a_security_switch_stops_the_start():
    env = production_env(SESSION_COOKIE_SECURE="ture", DJANGO_SETTINGS_MODULE="config.settings")
    result = subprocess.run([sys.executable, "manage.py", "check"], cwd=settings.BASE_DIR, env=env,
                            capture_output=True, text=True)
    assert result.returncode != 0 and "SESSION_COOKIE_SECURE='ture' is not a yes/no value" in result.stderr
