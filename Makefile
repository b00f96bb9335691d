# Two commands on a fresh Debian machine with Python 3.11: `make site` and `make test`.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
export NO_MKDOCS_2_WARNING := 1
export PYTHONDONTWRITEBYTECODE := 1

# Debian packages, one a line. scripts/install-system-packages installs the missing ones with one
# apt-get (and never removes anything). tests/test_system_packages.py fails when a command that
# the tests or the build run has no package here: a new tool is one line here and one row there.
#
# What `make site` needs: venv; WeasyPrint's Pango and HarfBuzz (font subsetting); fontconfig and
# the DejaVu fonts the PDFs embed, regular to bold italic (the same fonts give the same PDF bytes
# on every machine).
SITE_PACKAGES := \
	fontconfig \
	fonts-dejavu-core \
	fonts-dejavu-extra \
	libharfbuzz-subset0 \
	libpango-1.0-0 \
	libpangoft2-1.0-0 \
	python3-venv
# What the tests call besides: Chromium (Playwright), Java (Nu HTML Checker), Node and npm (the
# npm tools), poppler (pdftotext, pdffonts, pdftoppm read the PDFs back), pdftk-java (fills the
# PDFs' forms as an independent tool) and qpdf (checks them, re-saves with object streams).
TEST_PACKAGES := \
	chromium \
	default-jre-headless \
	nodejs \
	npm \
	pdftk-java \
	poppler-utils \
	qpdf
# What the real server runs (`make serve-site`, its tests, the load figures of `make bench`):
# Debian's nginx, its brotli_static module (Debian's nginx has gzip_static built in, brotli only
# as this module) and wrk.
SERVER_PACKAGES := \
	libnginx-mod-http-brotli-static \
	nginx \
	wrk

# Python packages: exact versions and hashes in two locks made from pyproject.toml by `make lock`.
# requirements.lock: what the site build needs; requirements-test.lock: that plus the test tools
# (same versions: the site lock is resolved within the test lock).
SITE_LOCK := requirements.lock
TEST_LOCK := requirements-test.lock
# The lock tool, pinned: uv from PyPI, in its own venv under .cache/.
UV_VERSION := 0.13.8
UV_VENV := .cache/uv-$(UV_VERSION)
UV := $(UV_VENV)/bin/uv
# Extra arguments for `make lock`, e.g. LOCK_ARGS=--upgrade to move every pin to the newest
# release allowed by pyproject.toml (without it, existing pins are kept where they still fit).
LOCK_ARGS ?=

.PHONY: site site-zensical serve serve-site test check lint bench audit clean lock determinism \
	site-packages test-packages server-packages

site-packages:
	@scripts/install-system-packages $(SITE_PACKAGES)

test-packages:
	@scripts/install-system-packages $(SITE_PACKAGES) $(TEST_PACKAGES) $(SERVER_PACKAGES)

server-packages:
	@scripts/install-system-packages $(SITE_PACKAGES) $(SERVER_PACKAGES)

# The venv gets the locked packages (pip checks every hash), then the project itself without
# dependencies. --no-build-isolation: the build backend (setuptools) comes from the lock too.
define install_locked
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --require-hashes -r $(1)
	$(PY) -m pip install --quiet --no-deps --no-build-isolation -e .
	touch $@
endef

$(VENV)/.site-installed: $(SITE_LOCK) pyproject.toml | site-packages
	$(call install_locked,$(SITE_LOCK))

$(VENV)/.test-installed: $(TEST_LOCK) pyproject.toml | test-packages
	$(call install_locked,$(TEST_LOCK))

# The engine comes from ENGINE (mkdocs or zensical; the default is DEFAULT_ENGINE in
# generator/engines.py): `ENGINE=zensical make site` publishes the Zensical build into site/.
site: $(VENV)/.site-installed
	$(PY) -m generator.cli site --out site

# The same site built with Zensical, beside the MkDocs one (README, "Engines").
site-zensical: $(VENV)/.site-installed
	$(PY) -m generator.cli site --engine zensical --out site-zensical

serve: $(VENV)/.site-installed
	$(PY) -m mkdocs serve --livereload

# The built site/ through nginx with deploy/nginx.conf, on http://127.0.0.1:8080/ (Ctrl-C stops).
serve-site: $(VENV)/.site-installed | server-packages
	$(PY) -m generator.server --root site --port 8080

check: $(VENV)/.site-installed
	$(PY) -m generator.cli check

# npm devDependencies exactly as locked. --ignore-scripts: vnu-jar's install script would
# download a Java runtime from GitHub; we use the system Java instead.
node_modules/.installed: package-lock.json | test-packages
	npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
	touch $@

lint: $(VENV)/.test-installed
	$(VENV)/bin/ruff check generator tests
	$(VENV)/bin/mypy

test: $(VENV)/.test-installed node_modules/.installed lint
	$(PY) -m pytest -n 2 --durations=10

# Build and PDF figures, then the browser figures of /overzicht/ and the instrument link
# (Playwright and Chromium: the test packages).
bench: $(VENV)/.test-installed | test-packages server-packages
	$(PY) -m generator.bench
	$(PY) scripts/bench_overzicht.py

# Lighthouse (not part of `make test`: slow, and its scores vary with the machine's load).
audit: $(VENV)/.site-installed node_modules/.installed
	$(PY) scripts/audit.py

# Refresh both locks after a change to the dependencies in pyproject.toml (needs PyPI). uv
# resolves for every platform and every Python from 3.11 on (--universal) with one version of each
# package for all of them (--fork-strategy fewest: Debian 12's Python 3.11.2 gets what a newer
# Python gets); the build backend (pyproject's build-system requires) is locked too. Commit
# pyproject.toml and both locks.
$(UV):
	$(PYTHON) -m venv $(UV_VENV)
	$(UV_VENV)/bin/pip install --quiet uv==$(UV_VERSION)

BUILD_REQUIRES := $(PYTHON) -c 'import tomllib; print(*tomllib.load(open("pyproject.toml", "rb"))["build-system"]["requires"], sep="\n")'
UV_COMPILE := pip compile pyproject.toml - --universal --fork-strategy fewest --python-version 3.11 \
	--generate-hashes \
	--custom-compile-command "make lock" --quiet

lock: $(UV)
	$(BUILD_REQUIRES) | $(UV) $(UV_COMPILE) --extra test $(LOCK_ARGS) -o $(TEST_LOCK)
	$(BUILD_REQUIRES) | $(UV) $(UV_COMPILE) -c $(TEST_LOCK) $(LOCK_ARGS) -o $(SITE_LOCK)

# The PDFs are byte-identical when built in two fresh venvs made from the site lock (slow: two
# installs and two full PDF renders; not part of `make test`, which checks determinism within
# one venv).
determinism: | site-packages
	$(PYTHON) scripts/pdf_determinism.py

clean:
	rm -rf site site-zensical .cache
