"""Profile: where a page's server time goes, warm (its fragments cached) or cold, with pyinstrument.

Builds the scaling benchmark's document (bench/scaling.py) in a throw-away test database, signs in a reviewer,
asks each page once (to warm the cache), then profiles REQUESTS more requests of it through Django's test client
and prints pyinstrument's text report per page. With `cold` as the third argument the cache is cleared before
each request, so the profile is of the work behind a fragment (the page's first request) rather than of serving
it; with `touch`, one amendment's update time moves before each request, as a review does: the page's own key
changes, its parts (the what-if page's rows) stay cached. Not part of the test suite; pyinstrument is installed by hand (`.venv/bin/pip install pyinstrument`).

    DEBUG=false .venv/bin/python bench/profile_pages.py [SIZE] [PAGES] [warm|cold|touch]   # e.g. 1000 "outline,compare" cold
"""
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench.scaling import PAGES, build  # noqa: E402  (sets Django up)

REQUESTS = 20


def main():
    from django.core.cache import cache
    from django.db import connection
    from django.test import Client
    from django.test.utils import setup_test_environment
    from django.utils import timezone
    from pyinstrument import Profiler

    from drafting.models import Amendment
    from tests.conftest import login

    size = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
    pages = sys.argv[2].split(",") if len(sys.argv) > 2 else PAGES
    mode = sys.argv[3] if len(sys.argv) > 3 else "warm"
    cold = mode == "cold"
    requests = REQUESTS // 4 if cold else REQUESTS  # a cold request does several times the work
    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        reader, urls, _, _ = build(size)
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        client = Client()
        login(client, reader)
        touched = Amendment.objects.order_by("number").values_list("pk", flat=True).first()
        for page in pages:
            first = client.get(urls[page])
            assert first.status_code == 200, (page, first.status_code, first.get("Location"))
            profiler = Profiler(interval=0.0005)
            for _ in range(requests):
                if cold:
                    cache.clear()  # outside the profile: the page's work, not the clearing
                elif mode == "touch":  # one amendment moved on, as after a review: the page's key changes
                    Amendment.objects.filter(pk=touched).update(updated_at=timezone.now())
                with profiler:
                    client.get(urls[page])
            print(f"===== {page}: {requests} {mode} requests")
            print(profiler.output_text(unicode=True, color=False, show_all=False))
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
