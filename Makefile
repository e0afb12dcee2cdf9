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

check: $(STAMP)  ## for contributors, in under a minute: lint, types and the tests not marked slow
	$(BIN)/ruff check fake_meetings tests bench
	$(BIN)/ruff format --check fake_meetings tests bench
	$(BIN)/mypy
	$(BIN)/python -m pytest $(XDIST) -q -m "not slow" $(PYTEST_ARGS)

$(BENCH_STAMP): $(STAMP) pyproject.toml
	$(BIN)/python -m pip install --quiet -e '.[dev,bench]'
	touch $(BENCH_STAMP)

# The figures of docs/performance.md (make bench takes about 10 minutes; BENCH_ARGS="--quick" for
# a 2-minute smoke run). wrk is a system package: apt-get install -y wrk (Debian/Ubuntu),
# brew install wrk (macOS).
bench: $(BENCH_STAMP)  ## start-up, throughput, latency and memory figures, each with its baseline
	@command -v wrk >/dev/null 2>&1 || { echo "wrk is not installed: apt-get install -y wrk (Debian/Ubuntu) or brew install wrk (macOS)" >&2; exit 1; }
	$(BIN)/python bench/startup_bench.py
	$(BIN)/python bench/http_bench.py $(BENCH_ARGS)
	$(BIN)/python bench/namespace_memory.py $(if $(findstring --quick,$(BENCH_ARGS)),--quick)
	$(BIN)/python bench/timeline_bench.py $(if $(findstring --quick,$(BENCH_ARGS)),--quick)
	$(BIN)/python bench/webhooks_bench.py $(if $(findstring --quick,$(BENCH_ARGS)),--quick)
	$(BIN)/python bench/capture_bench.py
	$(BIN)/python bench/load_bench.py $(if $(findstring --quick,$(BENCH_ARGS)),--sessions 20000 --runs 1)
	@if command -v valgrind >/dev/null 2>&1; then $(BIN)/python bench/instructions_bench.py $(if $(findstring --quick,$(BENCH_ARGS)),--requests 100); else echo "valgrind is not installed: instructions_bench.py skipped (apt-get install -y valgrind)"; fi

docs: $(STAMP)  ## serve the documentation site (docs/, mkdocs.yml) on http://127.0.0.1:8000
	$(BIN)/mkdocs serve

clean:
	rm -rf $(VENV) build dist .pytest_cache .mypy_cache .ruff_cache
