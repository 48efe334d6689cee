"""Benchmark: how the main pages scale with the document: server time and queries at 10, 1,000 and 10,000 clauses.

For each size it imports a generated document, changes a fifth of its clauses (at most 200) after the import, and
adds open amendments (half the clause count, at most 500) by ten authors with co-sponsors and tags; then it asks
for the outline, a clause, the amendment list, an amendment, the comparison (import → now) and the what-if page
through Django's test client (middleware included, no network), reporting the first request (cold: nothing
cached) and the median of the next RUNS (warm).

Runs against a throw-away test database (never your data):
    .venv/bin/python bench/scaling.py [SIZES]        # SIZES defaults to 10,1000,10000
(prefix DATABASE_URL=postgres://... to measure on PostgreSQL). Figures compare changes on one machine; they are
not limits. A page whose query count grows with the size shows it here.
"""
import os
import statistics
import sys
import time
import warnings
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
# With DEBUG on (the default) the build's queries fill Django's query log; each page's queries are counted anew.
warnings.filterwarnings("ignore", message="Limit for query logging exceeded")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils import timezone  # noqa: E402

RUNS = 3
PAGES = ("outline", "clause", "amendment list", "amendment", "compare", "what-if")


def build(size):
    from drafting.importer import import_document
    from drafting.markdown_format import parse
    from drafting.models import Amendment, DocumentAccess, Member, Tag
    from drafting.models.history import attribute
    from tests.builders import generated_markdown, make_member

    document, _ = import_document(parse(generated_markdown(size, title=f"Scale {size}")), slug=f"scale-{size}")
    later = timezone.now()  # one moment for the whole batch, after the import
    clauses = list(document.clauses.order_by("pk"))
    for clause in clauses[:: 5][:200]:
        clause.body += " A sentence added after the import."
        attribute(clause, reason="bench", date=later)
        clause.save()
    authors = [make_member(f"scale_{size}_author_{i}") for i in range(10)]
    tags = [Tag.objects.get_or_create(name=f"scale topic {i}")[0] for i in range(5)]
    bases = {row.id: row for row in document.clauses.model.history.filter(document_id=document.pk)
             .order_by("id", "history_date")}  # the latest row of each clause wins
    amendments = Amendment.objects.bulk_create([
        Amendment(document=document, number=i + 1, kind="modify", clause=clause, base=bases[clause.pk],
                  proposed_heading=clause.heading, proposed_body=clause.body + f" Amended {i}.", rationale="bench",
                  author=authors[i % 10], state="submitted")
        for i, clause in enumerate(clauses[1::2][:500])
    ])
    Amendment.tags.through.objects.bulk_create(
        [Amendment.tags.through(amendment_id=a.pk, tag_id=tags[i % 5].pk) for i, a in enumerate(amendments)])
    Amendment.cosponsors.through.objects.bulk_create(
        [Amendment.cosponsors.through(amendment_id=a.pk, member_id=authors[(i + 1) % 10].pk)
         for i, a in enumerate(amendments)])
    reader = make_member(f"scale_{size}_reviewer", Member.Role.REVIEWER)
    # Need-to-know: a new document is seen by admins only until its members are put on it.
    for member in authors:
        DocumentAccess.grant(document, member, DocumentAccess.Role.DRAFTER)
    DocumentAccess.grant(document, reader, DocumentAccess.Role.REVIEWER)
    middle = clauses[len(clauses) // 2]
    slug = document.slug
    urls = {
        "outline": reverse("document_detail", args=[slug]),
        "clause": reverse("clause_detail", args=[slug, middle.pk]),
        "amendment list": reverse("amendment_list", args=[slug]),
        "amendment": reverse("amendment_detail", args=[slug, amendments[len(amendments) // 2].number]),
        "compare": reverse("versions_compare", args=[slug]) + f"?old={document.milestones.get().point}&new=now",
        "what-if": reverse("what_if", args=[slug]),
    }
    return reader, urls, len(amendments), min(200, len(clauses[::5]))


def measure(client, url):
    """(cold seconds, warm seconds, cold CPU seconds, queries): the first request works the page out (its
    fragments are not cached yet), the median of the next RUNS is served from the cache (local memory, in this
    process). The CPU time is this process's alone (not PostgreSQL's): on a machine shared with other work it
    moves far less than the wall time."""
    times, counts = [], []
    for _ in range(RUNS + 1):
        connection.queries_log.clear()  # a full log (9,000 queries, from the build) would count as 0 queries
        with CaptureQueriesContext(connection) as queries:
            started, cpu = time.perf_counter(), time.process_time()
            response = client.get(url)
            times.append((time.perf_counter() - started, time.process_time() - cpu))
        assert response.status_code == 200, (url, response.status_code)
        counts.append(len(queries))
    return times[0][0], statistics.median(t for t, _ in times[1:]), times[0][1], max(counts)


def main():
    sizes = [int(s) for s in (sys.argv[1] if len(sys.argv) > 1 else "10,1000,10000").split(",")]
    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        results = {}
        for size in sizes:
            started = time.perf_counter()
            reader, urls, amendments, changed = build(size)
            built = time.perf_counter() - started
            client = Client()
            from tests.conftest import login

            login(client, reader)  # as a member who gave their code
            results[size] = {page: measure(client, urls[page]) for page in PAGES}
            print(f"{size:,} clauses: {changed} changed since the import, {amendments} open amendments "
                  f"(built in {built:.1f} s)", file=sys.stderr)
        print(f"database: {connection.vendor}; server time in ms, cold (first request) / warm (median of the next "
              f"{RUNS}), the cold request's CPU time in this process, and queries")
        print("| page | " + " | ".join(f"{size:,} clauses" for size in sizes) + " |")
        print("|---|" + "---|" * len(sizes))
        for page in PAGES:
            cells = [f"{cold * 1000:,.0f} / {warm * 1000:,.0f} ms (cold CPU {cpu * 1000:,.0f} ms), {queries} q"
                     for cold, warm, cpu, queries in (results[size][page] for size in sizes)]
            print(f"| {page} | " + " | ".join(cells) + " |")
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
