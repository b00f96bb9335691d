# Two commands on a fresh Debian machine with Python 3.11: `make site` and `make test`.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
export NO_MKDOCS_2_WARNING := 1
export PYTHONDONTWRITEBYTECODE := 1

.PHONY: site site-zensical serve test check lint bench audit clean

# The venv is (re)installed when pyproject.toml changes.
$(VENV)/.installed: pyproject.toml
	# Debian ships venv separately (python3-venv); install it when the stock Python lacks it.
	test -x $(PY) || $(PYTHON) -m venv $(VENV) || { rm -rf $(VENV) && apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-venv && $(PYTHON) -m venv $(VENV); }
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	touch $@

# The engine comes from ENGINE (mkdocs or zensical; the default is DEFAULT_ENGINE in
# generator/engines.py): `ENGINE=zensical make site` publishes the Zensical build into site/.
site: $(VENV)/.installed
	$(PY) -m generator.cli site --out site

# The same site built with Zensical, beside the MkDocs one (README, "Engines").
site-zensical: $(VENV)/.installed
	$(PY) -m generator.cli site --engine zensical --out site-zensical

serve: $(VENV)/.installed
	$(PY) -m mkdocs serve --livereload

check: $(VENV)/.installed
	$(PY) -m generator.cli check

# Debian's Chromium for the browser tests (Playwright cannot download a browser here).
/usr/bin/chromium:
	apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium

# Java for the Nu HTML Checker (vnu) in the tests.
/usr/bin/java:
	apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq default-jre-headless

# Node and npm for the npm tools (vnu-jar, Lighthouse).
/usr/bin/npm:
	apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs npm

# npm devDependencies exactly as locked. --ignore-scripts: vnu-jar's install script would
# download a Java runtime from GitHub; we use the system Java instead.
node_modules/.installed: package-lock.json | /usr/bin/npm
	npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
	touch $@

lint: $(VENV)/.installed
	$(VENV)/bin/ruff check generator tests
	$(VENV)/bin/mypy

test: $(VENV)/.installed /usr/bin/chromium /usr/bin/java node_modules/.installed lint
	$(PY) -m pytest -n 2

bench: $(VENV)/.installed
	$(PY) -m generator.bench

# Lighthouse (not part of `make test`: slow, and its scores vary with the machine's load).
audit: $(VENV)/.installed /usr/bin/chromium node_modules/.installed
	$(PY) scripts/audit.py

clean:
	rm -rf site site-zensical .cache
