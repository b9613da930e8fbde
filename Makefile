# Two commands do everything on a fresh machine (Python 3.11, git, make):
#   make run   - create the environment if needed, ingest data/reports/, dbt build, write outputs
#   make test  - create the environment if needed and run the whole test suite
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
export DBT_PROFILES_DIR := $(CURDIR)/profiles
export DBT_SEND_ANONYMOUS_USAGE_STATS := false
export DO_NOT_TRACK := 1

.PHONY: run test lint env lock clean system-deps

$(STAMP): requirements.lock pyproject.toml
	@command -v $(PYTHON) >/dev/null || { echo "need $(PYTHON) on PATH (or make PYTHON=...)"; exit 1; }
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.lock
	$(BIN)/python -m pip install --quiet --no-deps -e .
	touch $(STAMP)

env: $(STAMP)

run: $(STAMP)
	$(BIN)/cchc build

system-deps:
	@bash scripts/install_system_deps.sh

# sqlfluff's dbt templater compiles the project and opens the warehouse: a throwaway one under target/
lint: $(STAMP)
	$(BIN)/ruff check ingest outputs pipeline cli synth bench tests
	$(BIN)/ruff format --check ingest outputs pipeline cli synth bench tests
	$(BIN)/mypy
	mkdir -p target
	CCHC_WAREHOUSE=target/sqlfluff_lint.duckdb $(BIN)/sqlfluff lint models

# the suite on every core; a file's tests stay on one worker (its module fixtures are built once)
test: $(STAMP) system-deps lint
	$(BIN)/pytest -n auto --dist loadfile

lock: $(STAMP)
	( echo "# Exact versions installed by 'make' (generated with pip freeze; regenerate with 'make lock')."; \
	  $(BIN)/pip freeze --exclude-editable ) > requirements.lock

clean:
	rm -rf $(VENV) target warehouse logs dbt_packages
