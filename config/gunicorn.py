"""Gunicorn's settings for `make serve` (`gunicorn -c config/gunicorn.py config.wsgi`), read from the
environment like the app's own: HOST and PORT to bind, WEB_CONCURRENCY worker processes (default 2, one per
core of the machines we run on; each holds its own database connection for CONN_MAX_AGE seconds)."""
import os

from config.settings import envint

bind = f"{os.environ.get('HOST') or '127.0.0.1'}:{envint('PORT', 8000)}"
workers = envint("WEB_CONCURRENCY", 2)
# WEB_THREADS > 1 serves each worker's requests on that many threads (gunicorn's gthread worker), so a slow page
# does not hold up the quick ones queued behind it in the same process.
threads = envint("WEB_THREADS", 1)
accesslog = "-"  # one line per request on standard output, for the service manager's log
# Gunicorn 25 opens a control socket at one path per user ($HOME/.gunicorn/gunicorn.ctl): two servers on one
# machine would fight over it, and we do not use it.
control_socket_disable = True
