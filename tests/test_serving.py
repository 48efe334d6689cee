"""How the app is served: `make run` as production (debug off over local plain HTTP), the favicon, the app's own
error pages, and the sign-in page that says why a deactivated member was signed out."""
import re
import subprocess
import sys
from pathlib import Path

from django.conf import settings
from django.test import Client
from django.urls import reverse

from .conftest import login
from .test_settings import production_env


def make_run_environment():
    """The variables the Makefile's `make run` sets, read from the Makefile itself."""
    makefile = Path(settings.BASE_DIR, "Makefile").read_text(encoding="utf-8")
    block = re.search(r"^LOCAL_PRODUCTION := (.*?[^\\])$", makefile, re.S | re.M).group(1)
    return dict(pair.split("=", 1) for pair in block.replace("\\\n", " ").split())


def test_make_run_serves_with_debug_off_over_plain_http(tmp_path):
    env = make_run_environment()
    assert env["DEBUG"] == "false"
    key = tmp_path / "secret"
    key.write_text("a-key-generated-once-for-this-machine-0123456789-abcdefghijklmnop\n")
    env["SECRET_KEY_FILE"] = str(key)
    script = ("from django.conf import settings as s; print(s.DEBUG, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, "
              "s.SECURE_SSL_REDIRECT, s.SECURE_HSTS_SECONDS, s.SECRET_KEY)")
    result = subprocess.run([sys.executable, "manage.py", "shell", "-c", script], cwd=settings.BASE_DIR,
                            env=production_env(DJANGO_SETTINGS_MODULE="config.settings", **env),
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1].split() == ["False", "False", "False", "False", "0",
                                     "a-key-generated-once-for-this-machine-0123456789-abcdefghijklmnop"]


def test_secret_key_file_of_make_run_is_ignored_by_git():
    assert ".secret_key" in Path(settings.BASE_DIR, ".gitignore").read_text(encoding="utf-8").split()


def test_favicon_is_served_to_anyone(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 200
    assert b"".join(response.streaming_content)[:4] == b"\x00\x00\x01\x00"  # an icon file


def test_unknown_address_shows_the_apps_404_page_with_debug_off(as_drafter, settings):
    settings.DEBUG = False
    response = as_drafter.get("/no-such-page/")
    assert response.status_code == 404
    assert "There is no such page." in response.text and "Back to the documents" in response.text
    assert "URLconf" not in response.text  # not Django's technical page listing every pattern


def test_deactivated_member_is_told_why_on_the_sign_in_page(drafter, admin_member):
    browser = login(Client(), drafter)
    assert browser.get(reverse("document_list")).status_code == 200
    drafter.deactivate(by=admin_member)
    response = browser.get(reverse("document_list"), follow=True)
    assert response.request["PATH_INFO"] == reverse("login")
    assert "membership of the working group was deactivated" in response.text


def test_sign_in_page_says_nothing_of_deactivation_to_anyone_else(client, drafter, admin_member):
    other = login(Client(), admin_member)
    drafter.deactivate(by=admin_member)
    assert "deactivated" not in client.get(reverse("login")).text
    other.post(reverse("logout"))
    assert "deactivated" not in other.get(reverse("login")).text
