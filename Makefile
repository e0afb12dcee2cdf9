# Two commands do all set-up: `make serve` and `make test`. Each creates .venv and installs
# what it needs on first use (Python 3.11+ and make are the only prerequisites): `make serve`
# only the runtime dependencies, `make test` the development tools too (pytest, mypy, ruff,
# schemathesis, hadolint, hatchling). After that set-up, `make test` needs no network.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
RUNTIME_STAMP := $(VENV)/.installed-runtime
STAMP := $(VENV)/.installed-dev
BENCH_STAMP := $(VENV)/.installed-bench

.PHONY: serve test check clean bench docs

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(RUNTIME_STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $(RUNTIME_STAMP)

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

serve: $(RUNTIME_STAMP)  ## run the server on the bundled default scenario (ARGS="--port 9000" to pass options)
	$(BIN)/fake-meetings serve $(ARGS)

# pytest runs on every core (pytest-xdist); worksteal moves tests from a busy worker to an idle
# one, so a run does not end waiting on one worker's last slow module.
XDIST := -n auto --dist worksteal

test: $(STAMP)  ## the whole test suite, lint, type checks and the docs build included
	$(BIN)/ruff check fake_meetings tests bench
	$(BIN)/mypy
	$(BIN)/python -m pytest $(XDIST) $(PYTEST_ARGS)
	NO_MKDOCS_2_WARNING=1 $(BIN)/mkdocs build --strict --site-dir build/site

# The fuzzing module is slow as a whole, and only importing it (schemathesis builds its cases at
# collection) doubled the time each xdist worker takes to collect: make check does not load it.
CHECK_SKIPS := --ignore=tests/api/daily/test_openapi_schemathesis.py -p no:schemathesis

check: $(STAMP)  ## for contributors, in under a minute: lint, types and the tests not marked slow
	$(BIN)/ruff check fake_meetings tests bench
	$(BIN)/ruff format --check fake_meetings tests bench
	$(BIN)/mypy
	$(BIN)/python -m pytest $(XDIST) -q -m "not slow" $(CHECK_SKIPS) $(PYTEST_ARGS)

$(BENCH_STAMP): $(STAMP) pyproject.toml
	$(BIN)/python -m pip install --quiet -e '.[dev,bench]'
	touch $(BENCH_STAMP)

# The figures of docs/performance.md: make bench runs bench/report.py, which runs each benchmark
# (about 10 minutes) and rewrites that benchmark's block of the page as it finishes (a step that
# fails keeps its block, and make bench fails). BENCH_ARGS="--quick": a 2-minute smoke run that
# writes nothing ("--quick --write" to write it anyway); BENCH_ARGS="--only load timeline": some
# steps. wrk is a system package: apt-get install -y wrk (Debian/Ubuntu), brew install wrk
# (macOS); valgrind too for the instruction counts (skipped without it). Without wrk, the run
# stops before it starts, unless the steps chosen need none.
bench: $(BENCH_STAMP)  ## start-up, throughput, latency and memory figures, each with its baseline
	$(BIN)/python bench/report.py $(BENCH_ARGS)

docs: $(STAMP)  ## serve the documentation site (docs/, mkdocs.yml) on http://127.0.0.1:8000
	$(BIN)/mkdocs serve

clean:
	rm -rf $(VENV) build dist .pytest_cache .mypy_cache .ruff_cache
