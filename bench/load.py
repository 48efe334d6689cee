"""Benchmark: MEMBERS simulated members for SECONDS against gunicorn on PostgreSQL, with the 1,000-clause document.

Members arrive over the first 10 s (each opens the outline after a random 0-10 s) and each thinks 0-10 s
between requests, then reads a page (outline, a clause, the amendment list, an
amendment, the comparison, the what-if page) or writes: a comment on a clause, or, for reviewers, a review
(request changes or reject, with a note; never an approval, so the amendments stay reviewable and each
member reviews each amendment at most once). Reports errors, p50, p95 and p99 of all requests, the unloaded
p50 of the same reads (one member, measured first), and checks that every write the server accepted is stored.
Requests go to 127.0.0.1 only; every loop ends by itself at the deadline.

    .venv/bin/python bench/load.py [MEMBERS] [SECONDS]      # defaults 50 and 60; BURST=1: all arrive at once
"""
import http.client
import os
import random
import statistics
import sys
import threading
import time
import uuid
from pathlib import Path
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench import http_server  # noqa: E402

THINK = (0.0, 10.0)
BURST = os.environ.get("BURST", "") == "1"
WRITE_SHARE, REVIEW_SHARE = 0.2, 0.1


def percentile(values, share):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


class Member:
    def __init__(self, member, cookie, reads, document, clause_ids, amendments, deadline, seed):
        self.member, self.cookie, self.reads, self.document = member, cookie, reads, document
        self.clause_ids, self.amendments, self.deadline = clause_ids, amendments, deadline
        self.random = random.Random(seed)
        self.times, self.kinds, self.errors, self.comments, self.reviews = [], [], [], [], []
        self.csrf = None

    def request(self, connection, method, path, body=None, kind=None):
        headers = {"Cookie": self.cookie + (f"; csrftoken={self.csrf}" if self.csrf else ""),
                   "Host": http_server.HOST, "Accept-Encoding": http_server.ACCEPT_ENCODING}
        if body is not None:
            headers.update({"Content-Type": "application/x-www-form-urlencoded", "X-CSRFToken": self.csrf})
        started = time.perf_counter()
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            response.read()
        except (OSError, http.client.HTTPException) as error:
            self.errors.append(f"{method} {path}: {error!r}")
            connection.close()
            return None
        self.times.append(time.perf_counter() - started)
        self.kinds.append(kind or path)
        for header, value in response.getheaders():
            if header.lower() == "set-cookie" and value.startswith("csrftoken="):
                self.csrf = value.split(";", 1)[0].split("=", 1)[1]
        if response.status >= 400:
            self.errors.append(f"{method} {path}: {response.status}")
        return response.status

    def run(self):
        connection = http.client.HTTPConnection(http_server.HOST, http_server.PORT, timeout=60)
        # Members arrive over the first think time, as people open the app, not all 50 in the same instant (a
        # burst no group of people makes; BURST=1 measures it, as this benchmark did until 5 December); their
        # first page, the outline, brings the CSRF cookie.
        if not BURST:
            time.sleep(self.random.uniform(*THINK))
        self.request(connection, "GET", self.reads["outline"], kind="outline")
        reviewed = set()
        while True:
            think = self.random.uniform(*THINK)
            if time.perf_counter() + think >= self.deadline:
                break
            time.sleep(think)
            roll = self.random.random()
            slug = self.document.slug
            if roll < REVIEW_SHARE and self.member.can_review_any and self.csrf:
                number = self.random.choice([n for n in self.amendments if n not in reviewed] or [None])
                if number is None:
                    continue
                reviewed.add(number)
                note = f"load {uuid.uuid4().hex}"
                body = urlencode({"decision": self.random.choice(["request_changes", "reject"]), "note": note})
                if self.request(connection, "POST", f"/d/{slug}/amendments/{number}/review/", body,
                                "review") == 302:
                    self.reviews.append((number, note))
            elif roll < WRITE_SHARE and self.csrf:
                clause = self.random.choice(self.clause_ids)
                text = f"load {uuid.uuid4().hex}"
                if self.request(connection, "POST", f"/d/{slug}/clauses/{clause}/comments/",
                                urlencode({"body": text}), "comment") in (200, 302):
                    self.comments.append(text)
            else:
                page = self.random.choice(list(self.reads))
                self.request(connection, "GET", self.reads[page], kind=page)
        connection.close()


def main():
    members_count = int(sys.argv[1]) if len(sys.argv) > 1 else 50
    seconds = float(sys.argv[2]) if len(sys.argv) > 2 else 60.0
    http_server.setup_django()
    http_server.recreate_database()
    from django.db import connection

    from bench.scaling import build
    from drafting.models import Comment, Document, DocumentAccess, Review
    from drafting.models import Member as MemberModel
    from tests.builders import make_member

    reader, urls, amendments_count, _ = build(1000)
    document = Document.objects.get(slug="scale-1000")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    clause_ids = list(document.clauses.values_list("pk", flat=True))
    numbers = list(document.amendments.values_list("number", flat=True))
    people = []
    for i in range(members_count):
        role = MemberModel.Role.REVIEWER if i % 2 else MemberModel.Role.DRAFTER
        member = make_member(f"load_{i}", role)
        DocumentAccess.grant(document, member, role)  # the member roles' names are the access roles' too
        member.can_review_any = role == MemberModel.Role.REVIEWER
        people.append((member, http_server.session_cookie(member.user)))
    connection.close()

    prefix = f"load-{uuid.uuid4().hex[:8]}"
    with http_server.Server(REDIS_URL=http_server.REDIS_URL, CACHE_KEY_PREFIX=prefix):
        # Unloaded: one member reads each page five times (the first pass also fills the cache).
        alone = Member(*people[0], urls, document, clause_ids, numbers, 0, 0)
        single = http.client.HTTPConnection(http_server.HOST, http_server.PORT, timeout=60)
        for path in urls.values():
            alone.request(single, "GET", path)
        alone.times.clear()
        alone.kinds.clear()
        for _ in range(5):
            for page, path in urls.items():
                alone.request(single, "GET", path, kind=page)
        unloaded_p50 = statistics.median(alone.times)
        deadline = time.perf_counter() + seconds
        simulated = [Member(member, cookie, urls, document, clause_ids, numbers, deadline, seed)
                     for seed, (member, cookie) in enumerate(people)]
        threads = [threading.Thread(target=m.run) for m in simulated]
        started = time.perf_counter()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=seconds + 120)
        elapsed = time.perf_counter() - started

    times = [t for m in simulated for t in m.times]
    errors = [e for m in simulated for e in m.errors] + alone.errors
    comments = [c for m in simulated for c in m.comments]
    reviews = [(m.member, number, note) for m in simulated for number, note in m.reviews]
    stored_comments = set(Comment.objects.filter(body__in=comments).values_list("body", flat=True))
    stored_reviews = set(Review.objects.filter(note__in=[note for _, _, note in reviews]).values_list("note", flat=True))
    lost = [c for c in comments if c not in stored_comments] + [n for _, _, n in reviews if n not in stored_reviews]
    p50, p95, p99 = (percentile(times, share) for share in (0.5, 0.95, 0.99))
    env = http_server.server_env()
    print(f"\n{members_count} members for {elapsed:.0f} s (think time {THINK[0]:.0f}-{THINK[1]:.0f} s, "
          f"{'all arriving at once' if BURST else 'arriving over the first think time'}), "
          f"1,000 clauses, {amendments_count} amendments, PostgreSQL, gunicorn {env.get('WEB_CONCURRENCY', '2')} "
          f"workers x {env.get('WEB_THREADS', '1')} threads, Redis cache")
    print("| requests | errors | p50 ms | p95 ms | p99 ms | unloaded p50 ms | comments stored | reviews stored | lost |")
    print("|---|---|---|---|---|---|---|---|---|")
    print(f"| {len(times)} | {len(errors)} | {p50 * 1000:.0f} | {p95 * 1000:.0f} | {p99 * 1000:.0f} | "
          f"{unloaded_p50 * 1000:.0f} | {len(stored_comments)}/{len(comments)} | {len(stored_reviews)}/{len(reviews)} "
          f"| {len(lost)} |")
    print(f"p95 / unloaded p50: {p95 / unloaded_p50:.1f}x (goal at most 3x); errors: {errors[:5]}")
    # Where the tail comes from: each kind of request on its own, loaded and (reads) unloaded.
    by_kind, unloaded = {}, {}
    for m in simulated:
        for kind, spent in zip(m.kinds, m.times):
            by_kind.setdefault(kind, []).append(spent)
    for kind, spent in zip(alone.kinds, alone.times):
        unloaded.setdefault(kind, []).append(spent)
    print("| request | count | p50 ms | p95 ms | max ms | unloaded p50 ms |")
    print("|---|---|---|---|---|---|")
    for kind, spent in sorted(by_kind.items()):
        alone_p50 = f"{statistics.median(unloaded[kind]) * 1000:.0f}" if kind in unloaded else "-"
        print(f"| {kind} | {len(spent)} | {percentile(spent, 0.5) * 1000:.0f} | {percentile(spent, 0.95) * 1000:.0f} "
              f"| {max(spent) * 1000:.0f} | {alone_p50} |")


if __name__ == "__main__":
    main()
