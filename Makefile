# Two commands do all the set-up: `make book` and `make test`. Both create .venv with the
# pinned dependencies of requirements.lock, and reinstall only when pyproject.toml or the
# lock file changed.
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
LINT_PATHS := $(wildcard lib tests bench notebooks data/official/build_tables.py)
# One BLAS thread per process: statsmodels on short series is far slower with more.
export OPENBLAS_NUM_THREADS := 1
export OMP_NUM_THREADS := 1
export MKL_NUM_THREADS := 1

.PHONY: book pdf test bench lab lint format lock clean help

help:
	@echo "make book   - create .venv, run every chapter, build the site (and the scenarios) into _build/html"
	@echo "make pdf    - make book, then print it to one PDF: _build/pdf/book.pdf (headless Chromium)"
	@echo "make test   - create .venv, run every test (lint, unit, CLI, notebooks, book build)"
	@echo "make bench  - measure build times (naive vs planbook build) into bench/results.md"
	@echo "make lab    - open JupyterLab on notebooks/ with the project's environment"
	@echo "make lint   - ruff check and format check; make format - apply ruff format"
	@echo "make lock   - re-resolve requirements.lock from pyproject.toml (needs the registry)"
	@echo "make clean  - remove _build: cache and last-run parameters go, chapters return to defaults"

$(STAMP): pyproject.toml requirements.lock
	@$(PYTHON) -c 'import sys; v = sys.version_info[:2]; sys.exit(0 if v == (3, 11) else "error: Python 3.11 is required, found %d.%d; set PYTHON=/path/to/python3.11" % v)'
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.lock
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	@touch $(STAMP)

# The site publishes the shipped scenarios too (under scenarios/NAME/, with a page that
# compares them); a plain 'planbook build' (and the test suite) builds the main book only.
book: $(STAMP)
	$(BIN)/planbook build --with-scenarios

# The PDF is printed offline by Debian's chromium; the plan's Chinese text needs a CJK font.
# Both are installed when missing (as root, with apt-get); otherwise one line names them.
pdf: $(STAMP)
	@bash .ci/system-packages chromium fonts-wqy-microhei
	$(BIN)/planbook build --with-scenarios
	$(BIN)/planbook pdf

# One pytest worker per core (pytest-xdist); a worker that runs out of tests takes half of
# another's queue. The book is built once for all workers (tests/conftest.py).
test: $(STAMP)
	$(BIN)/ruff check $(LINT_PATHS)
	$(BIN)/ruff format --check $(LINT_PATHS)
	$(BIN)/python -m pytest -n auto --dist worksteal

bench: $(STAMP)
	$(BIN)/python bench/build.py

lab: $(STAMP)
	$(BIN)/jupyter lab --notebook-dir=notebooks $$([ "$$(id -u)" = 0 ] && echo --allow-root)

lint: $(STAMP)
	$(BIN)/ruff check $(LINT_PATHS)
	$(BIN)/ruff format --check $(LINT_PATHS)

format: $(STAMP)
	$(BIN)/ruff format $(LINT_PATHS)
	$(BIN)/ruff check --fix $(LINT_PATHS)

lock:
	rm -rf .lock-venv
	$(PYTHON) -m venv .lock-venv
	.lock-venv/bin/python -m pip install --quiet '.[dev]'
	.lock-venv/bin/python -m pip freeze --exclude planbook > requirements.lock
	PYTHONPATH=lib .lock-venv/bin/python -m planbook.engine.lockfile
	rm -rf .lock-venv

clean:
	rm -rf _build
