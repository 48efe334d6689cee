"""Benchmark: requests per second of the main pages, served by gunicorn on PostgreSQL, against the floor.

Builds the scaling benchmark's document (1,000 clauses, 500 open amendments; bench/scaling.py) in a throw-away
database, then serves it twice with gunicorn (WEB_CONCURRENCY workers, default 2): cold, with no cache at all
(every page worked out anew), and warm, with the fragments cached in Redis (BENCH_REDIS_URL, default
redis://127.0.0.1:6379/0, under a key prefix of its own) after one request of each page. The floor is a
login-required view answering a few bytes (bench/urls_floor.py). Pages are measured in interleaved rounds
(floor, outline, ..., floor, outline, ...), CLIENTS threads for SECONDS each; the table gives the median.

    .venv/bin/python bench/throughput.py [SIZE]      # SIZE defaults to 1000 clauses
"""
import http.client
import statistics
import sys
import threading
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench import http_server  # noqa: E402

ROUNDS, SECONDS, CLIENTS = 3, 3.0, 4
GOALS = ("warm outline, compare and what-if: at least 50% of the floor; cold compare: at most 1.5x the outline's time")


def rate(path, cookie):
    """Requests per second of CLIENTS threads asking `path` for SECONDS; any status but 200 is an error."""
    done, errors = [], []
    stop = time.perf_counter() + SECONDS

    def client():
        connection = http.client.HTTPConnection(http_server.HOST, http_server.PORT, timeout=60)
        count = 0
        while time.perf_counter() < stop:
            status, _ = http_server.get(connection, path, cookie)
            if status == 200:
                count += 1
            else:
                errors.append(status)
        done.append(count)
        connection.close()

    started = time.perf_counter()
    threads = [threading.Thread(target=client) for _ in range(CLIENTS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if errors:
        raise RuntimeError(f"{path}: {len(errors)} errors ({sorted(set(errors))})")
    return sum(done) / (time.perf_counter() - started)


def measure(pages, cookie, label):
    rates = {page: [] for page in pages}
    for round_number in range(ROUNDS):
        for page, path in pages.items():
            rates[page].append(rate(path, cookie))
        print(f"  {label}: round {round_number + 1} of {ROUNDS} done", file=sys.stderr)
    return {page: statistics.median(values) for page, values in rates.items()}


def main():
    size = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
    http_server.setup_django()
    http_server.recreate_database()
    from django.db import connection

    from bench.scaling import build

    started = time.perf_counter()
    reader, urls, amendments, changed = build(size)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print(f"built {size:,} clauses, {amendments} open amendments in {time.perf_counter() - started:.0f} s",
          file=sys.stderr)
    cookie = http_server.browser_cookie(reader.user)
    pages = {"floor": "/bench/floor/", **urls}
    connection.close()

    with http_server.Server(BENCH_CACHE="dummy"):
        cold = measure(pages, cookie, "cold")
    prefix = f"bench-{uuid.uuid4().hex[:8]}"
    with http_server.Server(REDIS_URL=http_server.REDIS_URL, CACHE_KEY_PREFIX=prefix):
        primer = http.client.HTTPConnection(http_server.HOST, http_server.PORT, timeout=120)
        for path in pages.values():
            assert http_server.get(primer, path, cookie)[0] == 200
        warm = measure(pages, cookie, "warm")

    print(f"\n{size:,} clauses, {amendments} open amendments, PostgreSQL, gunicorn "
          f"{http_server.server_env().get('WEB_CONCURRENCY', '2')} workers, {CLIENTS} clients, "
          f"median of {ROUNDS} interleaved rounds of {SECONDS:.0f} s, Accept-Encoding: {http_server.ACCEPT_ENCODING}")
    print("| page | cold req/s | cold % of floor | warm req/s | warm % of floor |")
    print("|---|---|---|---|---|")
    for page in pages:
        print(f"| {page} | {cold[page]:.1f} | {100 * cold[page] / cold['floor']:.0f}% | {warm[page]:.1f} | "
              f"{100 * warm[page] / warm['floor']:.0f}% |")
    print(f"cold compare / cold outline time: {cold['outline'] / cold['compare']:.2f}x; goals: {GOALS}")


if __name__ == "__main__":
    main()
