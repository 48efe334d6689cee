"""Shared by the HTTP benchmarks: a throw-away PostgreSQL database holding the scaling benchmark's document,
gunicorn serving it with bench/settings_floor.py, and signed-in sessions made without the sign-in form.

Never your data: the database is created and dropped here (BENCH_DATABASE_URL, default
postgres://postgres@127.0.0.1:5432/drafting_bench). Requests go to 127.0.0.1 only."""
import http.client
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATABASE_URL = os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/drafting_bench")
HOST, PORT = "127.0.0.1", int(os.environ.get("BENCH_PORT", "8765"))
# The warm runs' cache (each run under a key prefix of its own).
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/0")
# What a browser accepts; BENCH_GZIP=0 asks for the pages uncompressed (the cached pages, stored gzipped, unpacked).
ACCEPT_ENCODING = "identity" if os.environ.get("BENCH_GZIP") == "0" else "gzip, deflate, br"


def server_env(**extra):
    env = {k: v for k, v in os.environ.items() if k not in ("DJANGO_ALLOW_ASYNC_UNSAFE", "REDIS_URL")}
    env.update({
        "DJANGO_SETTINGS_MODULE": "bench.settings_floor", "DATABASE_URL": DATABASE_URL, "DEBUG": "false",
        "SECRET_KEY": "bench-only-secret-key-" + "x" * 40, "ALLOWED_HOSTS": HOST,
        "SESSION_COOKIE_SECURE": "false", "CSRF_COOKIE_SECURE": "false", "SECURE_SSL_REDIRECT": "false",
        "SECURE_HSTS_SECONDS": "0", "SECURE_HSTS_INCLUDE_SUBDOMAINS": "false", "SECURE_HSTS_PRELOAD": "false",
        "TASKS_BACKEND": "django_tasks.backends.immediate.ImmediateBackend", "LOG_LEVEL": "WARNING",
        "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
        "PYTHONPATH": str(ROOT),
    })
    env.update(extra)
    return env


def setup_django():
    os.environ.update(server_env())
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def recreate_database():
    """Drop and create the bench database, then migrate it (run before setup_django's connection is used)."""
    import psycopg

    name = DATABASE_URL.rsplit("/", 1)[1]
    with psycopg.connect(DATABASE_URL.rsplit("/", 1)[0] + "/postgres", autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{name}"')
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def session_cookie(user):
    """A signed-in session for `user`, as the sign-in (with the code, where their role needs one) would make it."""
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore
    from django_otp import DEVICE_ID_SESSION_KEY

    from drafting import two_factor
    from drafting.models.members import member_of
    from tests.builders import enrolled_device

    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    if two_factor.required_for(member_of(user)):  # as after a correct code from their authenticator app
        session[DEVICE_ID_SESSION_KEY] = enrolled_device(user).persistent_id
    session.create()
    return f"{settings.SESSION_COOKIE_NAME}={session.session_key}"


def browser_cookie(user):
    """`session_cookie` with the CSRF cookie a browser holds after its first page (pages are cached per browser)."""
    from django.conf import settings
    from django.middleware.csrf import CSRF_ALLOWED_CHARS, CSRF_SECRET_LENGTH
    from django.utils.crypto import get_random_string

    return f"{session_cookie(user)}; {settings.CSRF_COOKIE_NAME}={get_random_string(CSRF_SECRET_LENGTH, CSRF_ALLOWED_CHARS)}"


class Server:
    """gunicorn on HOST:PORT with WEB_CONCURRENCY workers; stopped on exit, whatever happens."""

    def __init__(self, **env):
        self.env = server_env(**env)

    def __enter__(self):
        self.process = subprocess.Popen(
            [str(ROOT / ".venv/bin/gunicorn"), "-c", "config/gunicorn.py", "config.wsgi",
             "--access-logfile", "/dev/null"],
            cwd=ROOT, env={**self.env, "HOST": HOST, "PORT": str(PORT)},
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
        )
        for _ in range(100):
            try:
                connection = http.client.HTTPConnection(HOST, PORT, timeout=2)
                connection.request("GET", "/accounts/login/")
                connection.getresponse().read()
                return self
            except OSError:
                time.sleep(0.2)
        self.__exit__()
        raise RuntimeError("gunicorn did not start")

    def __exit__(self, *exc):
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def get(connection, path, cookie):
    """One GET on a kept connection: (status, seconds)."""
    started = time.perf_counter()
    connection.request("GET", path, headers={"Cookie": cookie, "Host": HOST, "Accept-Encoding": ACCEPT_ENCODING})
    response = connection.getresponse()
    response.read()
    return response.status, time.perf_counter() - started
