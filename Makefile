# The two commands a newcomer needs: `make run` and `make test` (and `make dev` to work on the code).
# All create .venv and install on first use (or when pyproject.toml changes).
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000

NODE_MODULES := tests/browser/node_modules
# `make run` and `make dev` start no worker: their (console) email is sent in the request, after the commit.
IMMEDIATE_TASKS := django_tasks.backends.immediate.ImmediateBackend

# `make run` serves as production does (DEBUG off: the app's own error pages, static files through WhiteNoise)
# but over plain HTTP on this machine, so the HTTPS-only settings are switched off for it alone.
LOCAL_PRODUCTION := DEBUG=false SECRET_KEY_FILE=.secret_key SESSION_COOKIE_SECURE=false CSRF_COOKIE_SECURE=false \
	SECURE_SSL_REDIRECT=false SECURE_HSTS_SECONDS=0 SECURE_HSTS_INCLUDE_SUBDOMAINS=false SECURE_HSTS_PRELOAD=false \
	TASKS_BACKEND=django_tasks.backends.immediate.ImmediateBackend

.PHONY: run dev serve test lint setup migrate seeds bench clean messages

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[test]"
	touch $(STAMP)

# The browser tests' accessibility checker (axe-core, npm), pinned by tests/browser/package-lock.json; only
# `make test` needs it (and the browser tests' conftest runs the same `npm ci` when it is missing).
$(NODE_MODULES): tests/browser/package-lock.json
	cd tests/browser && npm ci --no-audit --no-fund
	touch $(NODE_MODULES)

setup: $(STAMP)

# A secret key made once for `make run` and `make serve` on this machine; git-ignored, never committed.
.secret_key: | $(STAMP)
	umask 077 && $(PY) -c "from django.core.management.utils import get_random_secret_key as k; print(k())" > $@

migrate: setup
	$(PY) manage.py migrate --noinput

seeds: migrate
	$(PY) manage.py load_seeds

run: seeds .secret_key
	$(PY) manage.py demo_logins --address $(HOST):$(PORT)
	$(LOCAL_PRODUCTION) $(PY) manage.py runserver --noreload $(HOST):$(PORT)

# Debug on: Django's technical error pages and code reloading, for working on the app.
dev: seeds
	$(PY) manage.py demo_logins --address $(HOST):$(PORT)
	DEBUG=true TASKS_BACKEND=$(IMMEDIATE_TASKS) $(PY) manage.py runserver $(HOST):$(PORT)

# `make serve`: the production server. Gunicorn with WEB_CONCURRENCY workers (default 2) on HOST:PORT, DEBUG off,
# static files collected for WhiteNoise, and beside it the email worker (`task_worker`: db_worker, or rqworker when
# TASKS_BACKEND names the RQ backend), stopped with it.
# SECRET_KEY from the environment, or else the generated .secret_key. The HTTPS settings stay on (behind a TLS
# proxy set BEHIND_TLS_PROXY=true); to try it over plain HTTP see the README's "Serving in production".
serve: migrate .secret_key
	export DEBUG=false; [ -n "$$SECRET_KEY" ] || export SECRET_KEY_FILE="$${SECRET_KEY_FILE:-.secret_key}"; \
	$(PY) manage.py collectstatic --noinput --verbosity 0 || exit 1; \
	$(PY) manage.py task_worker & worker=$$!; \
	HOST=$(HOST) PORT=$(PORT) $(VENV)/bin/gunicorn -c config/gunicorn.py config.wsgi & web=$$!; \
	trap 'kill $$web $$worker 2>/dev/null' INT TERM; \
	wait $$web; status=$$?; kill $$worker 2>/dev/null; wait; exit $$status

# PYTEST_ARGS lets CI choose a subset (for example -m browser) without a second target.
test: seeds $(NODE_MODULES)
	$(PY) manage.py check
	$(PY) manage.py makemigrations --check --dry-run
	$(PY) -m pytest $(PYTEST_ARGS)

lint: setup
	$(PY) -m ruff check .

# The Azerbaijani catalog from the sources (templates and Python), sorted and without fuzzy guesses
# (drafting/management/commands/makemessages.py), then compiled; both files are committed. Translate the new
# empty entries of locale/az/LC_MESSAGES/django.po and run it again (tests/test_catalog.py checks the result).
messages: setup
	$(PY) manage.py makemessages -l az --no-location --no-obsolete
	msgfmt --check -o locale/az/LC_MESSAGES/django.mo locale/az/LC_MESSAGES/django.po

bench: migrate
	for script in bench/*_bench.py; do $(PY) $$script; done

clean:
	rm -rf $(VENV) db.sqlite3 .pytest_cache $(NODE_MODULES)
