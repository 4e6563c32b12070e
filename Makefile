# The two commands of the README. Both create .venv with the machine's Python 3.11.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
DB ?= ilacs.db

.PHONY: run test lint typecheck pytest clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-dev: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(VENV)/.installed $@

## make run: install, build the record from the bundled data, and show it
run: $(VENV)/.installed
	$(BIN)/ilacs --db $(DB) build
	$(BIN)/ilacs --db $(DB) summary

## make test: linters, type checks and every test (the command CI runs)
test: $(VENV)/.installed-dev
	$(BIN)/ruff check src tests benchmarks scripts
	$(BIN)/mypy
	$(BIN)/python -m pytest

clean:
	rm -rf $(VENV) .mypy_cache .ruff_cache .pytest_cache
