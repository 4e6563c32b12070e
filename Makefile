# The two commands of the README. Both create .venv with the machine's Python 3.11.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
DB ?= ilacs.db
HOST ?= 127.0.0.1
PORT ?= 8000
VENDORED := src/ilacs/web/static/vendor/VENDORED.json
# Source documents beside the repository, so the bundled record's facts link to their pages.
DOCUMENTS := $(foreach dir,$(wildcard ../shared/corpus/reports ../shared/corpus/letters ../shared/corpus/docs),--documents $(dir))

.PHONY: run test lint typecheck pytest clean chromium

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# uv (from PyPI) installs pyproject.toml's packages, the same ones pip would, and compiles
# their bytecode as pip does, on every core: in a quarter of pip's time.
$(BIN)/uv: | $(BIN)/python
	$(BIN)/python -m pip install --quiet 'uv>=0.5'

$(VENV)/.installed: pyproject.toml | $(BIN)/uv
	$(BIN)/uv pip install --quiet --compile-bytecode --python $(BIN)/python -e .
	touch $@

$(VENV)/.installed-dev: pyproject.toml | $(BIN)/uv
	$(BIN)/uv pip install --quiet --compile-bytecode --python $(BIN)/python -e '.[dev]'
	touch $(VENV)/.installed $@

# govuk-frontend (and axe-core for the tests) from the npm registry, checked against pinned
# integrity hashes; stdlib Python only, so no node is needed.
$(VENDORED): scripts/vendor_assets.py scripts/css_branding.py
	$(PYTHON) scripts/vendor_assets.py

# Debian's chromium for the browser tests (they skip, loudly, if it cannot be installed).
chromium:
	@command -v chromium >/dev/null 2>&1 || (DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium >/dev/null 2>&1 || (apt-get update -q >/dev/null 2>&1 && DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium >/dev/null 2>&1)) || echo "WARNING: chromium could not be installed; the browser tests will be skipped"

## make run: install, build the record from the bundled data, show it, and serve the dashboard
run: $(VENV)/.installed $(VENDORED)
	$(BIN)/ilacs --db $(DB) build
	$(BIN)/ilacs --db $(DB) summary
	$(BIN)/ilacs --db $(DB) serve --host $(HOST) --port $(PORT) $(DOCUMENTS)

## make test: linters, type checks and every test (the command CI runs), on two workers
## (pytest-xdist) that share the corpus's session fixtures (tests/conftest.py, made_once)
test: $(VENV)/.installed-dev $(VENDORED) chromium
	$(BIN)/ruff check src tests benchmarks scripts
	$(BIN)/mypy
	$(BIN)/python -m pytest -n 2 --dist loadfile --no-loadscope-reorder

clean:
	rm -rf $(VENV) .mypy_cache .ruff_cache .pytest_cache
