# Safeguarding analytics: run `make help` for the targets.
.DEFAULT_GOAL := help
SHELL := /bin/bash
VENV ?= .venv
PY := $(VENV)/bin/python
PORT ?= 8050
export SAFEGUARDING_CHROMIUM ?= /usr/bin/chromium

.PHONY: help setup run demo test test-fast test-minimums lint format bench docs clean

help: ## List the targets
	@grep -E '^[a-zA-Z_-]+:.*?## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*?## "}; {printf "  \033[36m%-10s\033[0m %s\n", $$1, $$2}'

$(VENV)/.installed: pyproject.toml
	python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $@

AXE := .cache/axe/node_modules/axe-core/axe.min.js

$(AXE):
	npm install --silent --no-save --no-package-lock --prefix .cache/axe axe-core@4.10

setup: $(VENV)/.installed ## Create the virtualenv and install the project

demo: setup ## Generate the synthetic demo partnership (demo LA 856 and members 855, 857) and load it into the warehouse
	$(VENV)/bin/safeguarding demo --partnership

run: demo ## Set up, load the demo data and serve the dashboard on 127.0.0.1:$(PORT) (demo mode)
	$(VENV)/bin/safeguarding serve --demo --host 127.0.0.1 --port $(PORT)

test: setup $(AXE) ## Run every test: unit, integration and real-browser (headless Chromium)
	@test -x "$$SAFEGUARDING_CHROMIUM" || { echo "Chromium not found at $$SAFEGUARDING_CHROMIUM: install Debian's chromium (see .ci/run)"; exit 1; }
	$(VENV)/bin/pytest -n 2 tests

test-fast: setup ## Unit and integration tests only (no browser)
	$(VENV)/bin/pytest -n 2 tests/unit tests/integration

MIN_VENV ?= .cache/venv-minimums
test-minimums: ## Fresh venv with the declared floors (constraints/minimums.txt); unit, integration, notebooks
	rm -rf $(MIN_VENV)
	python3 -m venv $(MIN_VENV)
	$(MIN_VENV)/bin/python -m pip install --quiet --upgrade pip
	$(MIN_VENV)/bin/python -m pip install --quiet -c constraints/minimums.txt \
		-e '.[dashboard,report,notebooks]' 'pytest>=8,<10' 'pytest-xdist>=3.5,<4' 'hypothesis>=6.100,<7'
	$(MIN_VENV)/bin/python -m pip freeze | grep -iE '^(pandas|numpy|pyarrow|duckdb|typer|plotly|dash|kaleido|weasyprint|jinja2|flask)=='
	$(MIN_VENV)/bin/pytest -n 2 -p no:playwright tests/unit tests/integration tests/notebooks

lint: setup ## ruff lint and format check
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: setup ## Format the code with ruff
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

bench: setup ## Run the benchmarks in bench/ (writes bench/results.json)
	$(PY) bench/run.py

docs: setup ## Regenerate docs/indicators.md from the registry
	$(PY) -m indicators.docs

clean: ## Remove the virtualenv, caches and the local warehouse
	rm -rf $(VENV) .pytest_cache .ruff_cache data/curated/*.duckdb
