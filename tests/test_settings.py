"""Production settings pass Django's deployment checklist when the documented variables are set."""
import os
import subprocess
import sys

from django.conf import settings


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
