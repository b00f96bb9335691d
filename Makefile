# Two commands on a fresh Debian machine with Python 3.11: `make site` and `make test`.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
export NO_MKDOCS_2_WARNING := 1
export PYTHONDONTWRITEBYTECODE := 1

.PHONY: site serve test check lint bench audit clean

# The venv is (re)installed when pyproject.toml changes.
$(VENV)/.installed: pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	touch $@

site: $(VENV)/.installed
	$(PY) -m generator.cli site --out site

serve: $(VENV)/.installed
	$(PY) -m mkdocs serve --livereload

check: $(VENV)/.installed
	$(PY) -m generator.cli check

# Debian's Chromium for the browser tests (Playwright cannot download a browser here).
/usr/bin/chromium:
	apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium

lint: $(VENV)/.installed
	$(VENV)/bin/ruff check generator tests
	$(VENV)/bin/mypy

test: $(VENV)/.installed /usr/bin/chromium lint
	$(PY) -m pytest -n 2

bench: $(VENV)/.installed
	$(PY) -m generator.bench

clean:
	rm -rf site .cache
