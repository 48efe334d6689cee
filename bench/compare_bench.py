"""Benchmark: compare two 1,000-clause versions with 200 changed clauses, and render the page in one request.

Runs against a throw-away test database (never your data): `.venv/bin/python bench/compare_bench.py`
(add DATABASE_URL=postgres://... to measure on PostgreSQL). Prints the timings in seconds.
"""
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils import timezone  # noqa: E402

CLAUSES, CHANGED, RUNS = 1000, 200, 3


def build():
    from drafting.importer import import_document
    from drafting.markdown_format import parse
    from drafting.models import Member
    from drafting.models.history import attribute
    from tests.builders import generated_markdown, make_member

    document, _ = import_document(parse(generated_markdown(CLAUSES, title="Bench")), slug="bench")
    member = make_member("bench_reviewer", Member.Role.REVIEWER)
    later = timezone.now()  # one moment for the whole batch, after the import
    subclauses = [c for c in document.clauses.order_by("pk") if c.parent_id is not None]
    step = len(subclauses) // CHANGED
    for clause in subclauses[::step][:CHANGED]:
        clause.body = clause.body.replace("with words", "with other, better words") + " An added sentence."
        attribute(clause, reason="bench", date=later)
        clause.save()
    return document, member


def best(function):
    timings = []
    for _ in range(RUNS):
        started = time.perf_counter()
        result = function()
        timings.append(time.perf_counter() - started)
    return min(timings), result


def main():
    from drafting.comparison import compare_points
    from drafting.exports.docx import comparison_docx

    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        document, member = build()
        original = document.milestones.get().point
        seconds, comparison = best(lambda: compare_points(document, original, "now"))
        print(f"database: {connection.vendor}; {CLAUSES} clauses, {comparison.counts['changed']} changed")
        print(f"comparison engine (read both versions, align, redline): {seconds:.3f} s")
        client = Client()
        from tests.conftest import login

        login(client, member)  # as a member who gave their code
        url = reverse("versions_compare", args=[document.slug]) + f"?old={original}&new=now"

        def page():
            with CaptureQueriesContext(connection) as queries:
                response = client.get(url)
            assert response.status_code == 200
            return len(response.content), len(queries)

        seconds, (size, queries) = best(page)
        print(f"compare page, one request (whole document, inline): {seconds:.3f} s, "
              f"{size / 1024:.0f} KiB of HTML, {queries} queries")
        seconds, (size, queries) = best(lambda: (len(client.get(url + "&show=changes").content), 0))
        print(f"compare page, changes only: {seconds:.3f} s, {size / 1024:.0f} KiB")
        seconds, (size, queries) = best(lambda: (len(client.get(url + "&view=side").content), 0))
        print(f"compare page, side by side: {seconds:.3f} s, {size / 1024:.0f} KiB")
        seconds, docx = best(lambda: comparison_docx(comparison))
        print(f"Word export (.docx with tracked changes): {seconds:.3f} s, {len(docx) / 1024:.0f} KiB")
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
