"""The production server (`make serve`): gunicorn with our config answers, database connections are kept, and
an import leaves PostgreSQL's planner with fresh statistics."""
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext

from drafting.models import Clause

from .builders import make_document


def _env(**values):
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env.update(DJANGO_SETTINGS_MODULE="config.settings", **values)
    return env


def _free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_make_serve_gunicorn_command_starts_and_answers_the_sign_in_page(tmp_path):
    port = _free_port()
    env = _env(
        HOST="127.0.0.1", PORT=str(port), WEB_CONCURRENCY="1", DEBUG="false",
        SECRET_KEY="a-test-only-secret-key-long-enough-for-the-deployment-check-0123456789",
        SECURE_SSL_REDIRECT="false", DATABASE_URL=f"sqlite:///{tmp_path / 'serve.sqlite3'}",
    )
    gunicorn = Path(sys.executable).parent / "gunicorn"
    server = subprocess.Popen([str(gunicorn), "-c", "config/gunicorn.py", "config.wsgi"], cwd=settings.BASE_DIR,
                              env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        deadline, response = time.monotonic() + 60, None
        while response is None and time.monotonic() < deadline and server.poll() is None:
            try:
                response = urllib.request.urlopen(f"http://127.0.0.1:{port}/accounts/login/", timeout=5)
            except OSError:
                time.sleep(0.3)
        assert response is not None, "gunicorn did not answer"
        page = response.read().decode()
        assert response.status == 200 and 'name="password"' in page
    finally:
        server.terminate()
        output = server.communicate(timeout=30)[0]
    assert f"Listening at: http://127.0.0.1:{port}" in output
    assert "Booting worker" in output and "Control socket" not in output


def _database_settings(**values):
    code = ("from django.conf import settings; d = settings.DATABASES['default']; "
            "print(d['CONN_MAX_AGE'], d['CONN_HEALTH_CHECKS'])")
    result = subprocess.run([sys.executable, "manage.py", "shell", "--verbosity", "0", "-c", code], cwd=settings.BASE_DIR,
                            env=_env(**values), capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    return result.stdout.split()


def test_database_connections_are_kept_60_seconds_with_health_checks_unless_configured():
    assert _database_settings(CONN_MAX_AGE="", CONN_HEALTH_CHECKS="") == ["60", "True"]
    assert _database_settings(CONN_MAX_AGE="0", CONN_HEALTH_CHECKS="off") == ["0", "False"]


def test_an_import_refreshes_the_planner_statistics_of_the_clause_tables_on_postgresql(db):
    with CaptureQueriesContext(connection) as queries:
        make_document(20, slug="analyzed")
    analyzed = [q["sql"] for q in queries if q["sql"].upper().startswith("ANALYZE")]
    if connection.vendor == "postgresql":
        tables = [Clause._meta.db_table, Clause.history.model._meta.db_table]
        assert analyzed == [f'ANALYZE "{table}"' for table in tables]
    else:  # SQLite's planner needs no statistics for these queries; nothing is sent
        assert analyzed == []


def test_gunicorn_takes_its_workers_and_threads_per_worker_from_the_environment():
    code = "import config.gunicorn as g; print(g.workers, g.threads)"
    def read(**values):
        result = subprocess.run([sys.executable, "-c", code], cwd=settings.BASE_DIR, env=_env(**values),
                                capture_output=True, text=True)
        assert result.returncode == 0, result.stderr
        return result.stdout.split()

    assert read(WEB_CONCURRENCY="", WEB_THREADS="") == ["2", "1"]
    assert read(WEB_CONCURRENCY="4", WEB_THREADS="8") == ["4", "8"]
