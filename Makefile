# Ketenwacht: `make run` sets everything up and serves the portal; `make test` runs the suite.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: run test install migrate demo messages lint format bench bench-micro bench-load bench-sector clean

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[dev]"
	touch $(STAMP)

install: $(STAMP) messages

messages: $(STAMP)
	$(PY) manage.py compiletranslations

migrate: install
	$(PY) manage.py migrate --noinput

demo: migrate
	$(PY) manage.py demo

run: demo
	@echo ""
	@echo "Ketenwacht runs on http://127.0.0.1:8000 — sign in with one of the demo logins above."
	$(PY) manage.py runserver 127.0.0.1:8000

test: install
	$(PY) -m pytest -m "not celery_worker and not e2e and not fault" -p no:cacheprovider $(PYTEST_ARGS)

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: $(STAMP)
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

# Everything: the SQLite micro-benchmarks, then on PostgreSQL the load test (seed_bench,
# gunicorn 2 workers, locust) and the in-process server times (dashboards, PDFs).
bench: bench-micro bench-load
	$(PY) -m benchmarks.load --reuse --inprocess --repeat 7 $(BENCH_LOAD_ARGS)

bench-micro: install
	$(PY) -m benchmarks.run

# Load test on PostgreSQL (gunicorn + locust); BENCH_LOAD_ARGS="--reuse --repeat 5" etc.
bench-load: install
	$(PY) -c "import locust, pyinstrument" 2>/dev/null || $(PY) -m pip install --quiet -e ".[bench]"
	$(PY) -m benchmarks.load $(BENCH_LOAD_ARGS)

# Sector scale side by side (DESIGN §16): seeds a hospital-sized and a sector-sized database
# (seed_bench; seed_bench --scale sector), measures the same pages in both, EXPLAINs the slowest
# queries and reports memory. BENCH_SECTOR_ARGS="--reuse --small db1 --large db2" etc.
bench-sector: install
	$(PY) -m benchmarks.sector $(BENCH_SECTOR_ARGS)

clean:
	rm -rf $(VENV) staticfiles .pytest_cache
