"""Benchmark: the Work page's server time and query count on the 10,000-clause benchmark document (issue 15
point 3).

Builds the document as bench/scaling.py does (10,000 clauses, 500 submitted amendments by 10 authors, tags and
co-sponsors), makes it bilingual with 300 outdated translations, puts 10 rapporteurs on it, each assigned 10
sections (so about 500 review requests, a fifth of them then made overdue), and opens 1,000 threads on the
amendments and clauses with replies and mentions. Then asks the Work page, through Django's test client as one of
the rapporteurs: everyone's work, one member's (`?member=`), and the inbox: the first request and the median of
the next RUNS, with the number of queries.

    .venv/bin/python bench/work_bench.py [SIZE]          # SIZE defaults to 10000
(prefix DATABASE_URL=postgres://... for PostgreSQL). Runs against a throw-away test database.
"""
import os
import statistics
import sys
import time
import warnings
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
warnings.filterwarnings("ignore", message="Limit for query logging exceeded")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils import timezone  # noqa: E402

RUNS = 5


def populate(size):
    from bench.scaling import build
    from drafting import notify
    from drafting.models import Amendment, Clause, Comment, Document, DocumentAccess, Member, Rapporteur, ReviewRequest
    from tests.builders import make_member

    _reader, _urls, _amendments, _changed = build(size)
    document = Document.objects.get(slug=f"scale-{size}")
    Document.objects.filter(pk=document.pk).update(translation_language="az")
    document.refresh_from_db()
    clauses = list(document.clauses.order_by("pk").values_list("pk", flat=True))
    Clause.objects.filter(pk__in=clauses[3::7][:300]).update(authoritative_version=2)
    admin = make_member(f"work_{size}_admin", Member.Role.ADMIN)
    rapporteurs = [make_member(f"work_{size}_rapporteur_{i}", Member.Role.REVIEWER) for i in range(10)]
    for member in rapporteurs:
        DocumentAccess.grant(document, member, DocumentAccess.Role.REVIEWER)
    sections = list(document.clauses.filter(parent__isnull=True).order_by("position"))
    due = timezone.localdate() + timedelta(days=14)
    with notify.without_email():
        for i, section in enumerate(sections[:100]):
            Rapporteur.assign(clause=section, member=rapporteurs[i % 10], due_date=due, by=admin)
        requests = list(ReviewRequest.objects.filter(amendment__document=document).values_list("pk", flat=True))
        ReviewRequest.objects.filter(pk__in=requests[::5]).update(due_date=timezone.localdate() - timedelta(days=3))
        authors = list(Member.objects.filter(user__username__startswith=f"scale_{size}_author_"))
        amendments = list(Amendment.objects.filter(document=document).select_related("document")[:500])
        clause_objects = list(document.clauses.order_by("pk")[:500:1])
        for i in range(1000):
            target = amendments[i % len(amendments)] if i % 2 == 0 else clause_objects[i % len(clause_objects)]
            opener = rapporteurs[i % 10] if i % 2 == 0 else authors[i % len(authors)]
            thread = Comment.post(author=opener, target=target, body=f"Question {i} @{authors[(i + 3) % 10].user.username}")
            if i % 3:
                Comment.post(author=authors[(i + 1) % len(authors)], parent=thread, body=f"Answer {i}.")
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    return document, rapporteurs[0], rapporteurs[1]


def measure(client, url):
    times, counts = [], []
    response = None
    for _ in range(RUNS + 1):
        connection.queries_log.clear()
        with CaptureQueriesContext(connection) as queries:
            began = time.perf_counter()
            response = client.get(url)
            times.append(time.perf_counter() - began)
        assert response.status_code == 200, (url, response.status_code)
        counts.append(len(queries))
    if os.environ.get("WORK_BENCH_SLOWEST"):
        slowest = sorted(queries.captured_queries, key=lambda q: -float(q["time"]))[:4]
        for query in slowest:
            print(f"  {query['time']} s  {query['sql'][:300]}", file=sys.stderr)
    return times[0], statistics.median(times[1:]), max(counts), response


def main():
    size = int(sys.argv[1]) if len(sys.argv) > 1 else 10000
    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        from drafting.models import Comment, ReviewRequest
        from tests.conftest import login

        started = time.perf_counter()
        document, viewer, other = populate(size)
        built = time.perf_counter() - started
        client = Client()
        login(client, viewer)
        work = reverse("document_work", args=[document.slug])
        pages = {
            "Work page, everyone": work,
            "Work page, one member (?member=)": f"{work}?member={other.pk}",
            "Inbox (the rapporteur's requests)": reverse("inbox"),
        }
        rows = []
        for label, url in pages.items():
            cold, warm, queries, response = measure(client, url)
            if "work" in response.context:
                shown = sum(len(entry.shown) for entry in response.context["work"])
                waiting = sum(len(entry.items) for entry in response.context["work"])
            else:
                shown = waiting = len(response.context["requests"])
            rows.append((label, cold, warm, queries, f"{shown} of {waiting}"))
        print(f"{size:,} clauses, {ReviewRequest.objects.count():,} review requests, "
              f"{Comment.objects.count():,} comments (built in {built:.0f} s)", file=sys.stderr)
        print(f"database: {connection.vendor}; {size:,} clauses, {ReviewRequest.objects.count():,} review requests, "
              f"{Comment.objects.threads().count():,} threads; server time, first request / median of the next {RUNS}")
        print("| page | first | warm | queries | items shown of those waiting |")
        print("|---|---|---|---|---|")
        for label, cold, warm, queries, items in rows:
            print(f"| {label} | {cold * 1000:,.0f} ms | {warm * 1000:,.0f} ms | {queries} | {items} |")
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
