"""Benchmark: the document, amendment-list and what-if pages on a large document.

Builds, in a throw-away SQLite database, a 1,000-clause document with 500 open amendments, then requests each
page through Django's test client, reporting queries and wall time (median of 5). Run: make bench
(or .venv/bin/python bench/pages_bench.py). Figures are for comparing changes on one machine, not limits.
"""
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ["DATABASE_URL"] = f"sqlite:///{tempfile.mkdtemp()}/bench.sqlite3"

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import reverse  # noqa: E402

from drafting.importer import import_document  # noqa: E402
from drafting.markdown_format import parse  # noqa: E402
from drafting.models import Amendment, Member  # noqa: E402
from tests.builders import generated_markdown, make_member  # noqa: E402
from tests.conftest import login  # noqa: E402


def build(clauses=1000, amendments=500):
    call_command("migrate", verbosity=0)
    document, _ = import_document(parse(generated_markdown(clauses, title="Bench")), slug="bench")
    author = make_member("bench_author")
    reviewer = make_member("bench_reviewer", Member.Role.REVIEWER)
    rows = list(document.clauses.all())
    bases = {c.pk: c.history.latest() for c in rows}
    Amendment.objects.bulk_create([
        Amendment(document=document, number=i + 1, kind="modify", clause=rows[i % len(rows)],
                  base=bases[rows[i % len(rows)].pk], proposed_heading=rows[i % len(rows)].heading,
                  proposed_body=rows[i % len(rows)].body + f" Amended {i}.", rationale="bench",
                  author=author, state="submitted")
        for i in range(amendments)
    ])
    return document, reviewer


def measure(client, url, runs=5):
    times = []
    for _ in range(runs):
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            response = client.get(url)
            times.append(time.perf_counter() - started)
        assert response.status_code == 200, (url, response.status_code)
    return len(queries), statistics.median(times), len(response.content)


def main():
    document, reviewer = build()
    client = Client()
    login(client, reviewer)  # as a member who gave their code
    print("1,000 clauses, 500 open amendments (SQLite, median of 5 requests)")
    for name in ("document_detail", "amendment_list", "what_if"):
        queries, seconds, size = measure(client, reverse(name, args=[document.slug]))
        print(f"  {name:<16} {queries:>3} queries  {seconds * 1000:7.1f} ms  {size / 1024:7.0f} KB")


if __name__ == "__main__":
    main()
