# Two commands do all the set-up on a fresh machine:
#   make run    create .venv, install the reader, open it
#   make test   create .venv with the test extra, lint, run the whole suite headless
# Releases:
#   make dist    the sdist and the wheel in dist/ (python -m build)
#   make bundle  a one-folder application in dist/reference-reader/ (PyInstaller)
PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python

.PHONY: run test lint bench screenshots clean dist bundle

$(VENV)/.run-installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e .
	touch $@

$(VENV)/.test-installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test,bundle]'
	touch $(VENV)/.run-installed $@

run: $(VENV)/.run-installed
	$(PY) main.py

lint: $(VENV)/.test-installed
	$(VENV)/bin/ruff check .
	$(VENV)/bin/lint-imports
	$(VENV)/bin/mypy reader

test: lint
	QT_QPA_PLATFORM=offscreen $(PY) -m pytest

dist: $(VENV)/.test-installed
	rm -rf dist/*.whl dist/*.tar.gz
	$(PY) -m build --outdir dist .

$(VENV)/.bundle-installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[bundle]'
	touch $(VENV)/.run-installed $@

bundle: $(VENV)/.bundle-installed
	$(PY) -m PyInstaller --noconfirm --clean --distpath dist --workpath build/pyinstaller \
		packaging/reference-reader.spec

bench: $(VENV)/.test-installed
	$(PY) benchmarks/startup.py
	$(PY) benchmarks/search_bench.py

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache build dist
