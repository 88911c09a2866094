# Two commands do all the set-up on a fresh machine:
#   make run    create .venv, install the reader, open it
#   make test   create .venv with the test extra, lint, run the whole suite headless
PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python

.PHONY: run test lint bench screenshots clean

$(VENV)/.run-installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e .
	touch $@

$(VENV)/.test-installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	touch $(VENV)/.run-installed $@

run: $(VENV)/.run-installed
	$(PY) main.py

lint: $(VENV)/.test-installed
	$(VENV)/bin/ruff check .
	$(VENV)/bin/lint-imports
	$(VENV)/bin/mypy reader

test: lint
	QT_QPA_PLATFORM=offscreen $(PY) -m pytest

bench: $(VENV)/.test-installed
	$(PY) benchmarks/startup.py
	$(PY) benchmarks/search_bench.py

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
