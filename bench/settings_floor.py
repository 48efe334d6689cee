"""Settings for the HTTP benchmarks only (bench/throughput.py, bench/load.py): the app's own settings, plus a
"floor" view (bench/urls_floor.py), and BENCH_CACHE=dummy to measure every page cold (nothing cached)."""
import os

from config.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls_floor"
if os.environ.get("BENCH_CACHE") == "dummy":
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
