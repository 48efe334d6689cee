"""Benchmark: the search page's server time on the 10,000-clause benchmark document (issue 15: under 200 ms).

Builds the document as bench/scaling.py does (10,000 clauses, a fifth of them changed at most 200 after the
import, 500 open amendments), plants one rare word, rebuilds the search index (the benchmark's amendments are
bulk-created, which writes no history and so no search rows), then asks the search page, through Django's test
client as a reviewer on the document, for a common word, a rare word, a word typed without its Azerbaijani
letters, and a word found nowhere: the first request and the median of the next RUNS.

    .venv/bin/python bench/search_bench.py [SIZE]          # SIZE defaults to 10000
(prefix DATABASE_URL=postgres://... for PostgreSQL). Runs against a throw-away test database.
"""
import os
import statistics
import sys
import time
import warnings
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
warnings.filterwarnings("ignore", message="Limit for query logging exceeded")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402
from django.urls import reverse  # noqa: E402

RUNS = 5
QUERIES = {
    "common word (\"paragraph\")": "paragraph",
    "rare word (\"zephyrine\")": "zephyrine",
    "folded word (\"bolme\" for \"Bölmə\")": "bolme",
    "two words (\"second bold\")": "second bold",
    "no match (\"xylophonequartz\")": "xylophonequartz",
}


def main():
    size = int(sys.argv[1]) if len(sys.argv) > 1 else 10000
    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        from bench.scaling import build
        from drafting.models import Clause, SearchEntry
        from drafting.models.history import attribute
        from tests.conftest import login

        started = time.perf_counter()
        reader, _urls, _amendments, _changed = build(size)
        clause = Clause.objects.filter(document__slug=f"scale-{size}").order_by("pk")[size // 3]
        clause.body += " The zephyrine clause."
        attribute(clause, reason="bench")
        clause.save()
        call_command("rebuild_search_index", stdout=open(os.devnull, "w"))
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        built = time.perf_counter() - started
        client = Client()
        login(client, reader)
        rows = []
        for label, q in QUERIES.items():
            times, counts, found = [], [], 0
            for _ in range(RUNS + 1):
                connection.queries_log.clear()
                with CaptureQueriesContext(connection) as queries:
                    began = time.perf_counter()
                    response = client.get(reverse("search"), {"q": q})
                    times.append(time.perf_counter() - began)
                assert response.status_code == 200
                counts.append(len(queries))
                found = len(response.context["results"])
            rows.append((label, times[0], statistics.median(times[1:]), max(counts), found))
        print(f"{size:,} clauses, {SearchEntry.objects.count():,} search rows (built in {built:.0f} s)", file=sys.stderr)
        print(f"database: {connection.vendor}; search page server time, first request / median of the next {RUNS}")
        print("| query | first | warm | queries | results on page 1 |")
        print("|---|---|---|---|---|")
        for label, cold, warm, queries, found in rows:
            print(f"| {label} | {cold * 1000:,.0f} ms | {warm * 1000:,.0f} ms | {queries} | {found} |")
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
