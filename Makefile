# Two commands do all set-up: `make serve` and `make test`. Each creates .venv and installs
# what it needs on first use (Python 3.11+ and make are the only prerequisites).
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-dev

.PHONY: serve test lint clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

serve: $(STAMP)  ## run the server on the bundled default scenario (ARGS="--port 9000" to pass options)
	$(BIN)/fake-meetings serve $(ARGS)

test: $(STAMP)  ## the whole test suite, lint and type checks included
	$(BIN)/ruff check fake_meetings tests
	$(BIN)/mypy
	$(BIN)/python -m pytest $(PYTEST_ARGS)

clean:
	rm -rf $(VENV) build dist .pytest_cache .mypy_cache .ruff_cache
