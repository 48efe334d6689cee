# The two commands a newcomer needs: `make run` and `make test`.
# Both create .venv and install on first use (or when pyproject.toml changes).
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test lint setup migrate seeds bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[test]"
	touch $(STAMP)

setup: $(STAMP)

migrate: setup
	$(PY) manage.py migrate --noinput

seeds: migrate
	$(PY) manage.py load_seeds

run: seeds
	$(PY) manage.py demo_logins
	$(PY) manage.py runserver $(HOST):$(PORT)

# PYTEST_ARGS lets CI choose a subset (for example -m browser) without a second target.
test: seeds
	$(PY) manage.py check
	$(PY) manage.py makemigrations --check --dry-run
	$(PY) -m pytest $(PYTEST_ARGS)

lint: setup
	$(PY) -m ruff check .

bench: migrate
	for script in bench/*_bench.py; do $(PY) $$script; done

clean:
	rm -rf $(VENV) db.sqlite3 .pytest_cache
