"""Shared fixtures: the real data, a real MkDocs build in a temp dir, a local server, Chromium.

A missing browser is a failure, never a skip: CI must run every test.
"""

from __future__ import annotations

import contextlib
import functools
import http.server
import os
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from generator import loader
from generator.model import Leidraad

ROOT = Path(__file__).resolve().parent.parent
CRITERIA = ROOT / "criteria"
FIXTURES = Path(__file__).resolve().parent / "fixtures"
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--no-first-run",
]


@pytest.fixture(scope="session")
def leidraad() -> Leidraad:
    return loader.load(CRITERIA)


def write_config(dest: Path, criteria: Path = CRITERIA, site_url: str | None = None) -> Path:
    """A copy of mkdocs.yml with absolute paths, so a build can run from a temp dir."""
    text = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    replacements = {
        "docs_dir: content": f"docs_dir: {ROOT / 'content'}",
        "custom_dir: site_overrides": f"custom_dir: {ROOT / 'site_overrides'}",
        "      criteria: criteria": (
            f"      criteria: {criteria}\n      cache_dir: {ROOT / '.cache' / 'werkplekleren'}"
        ),
        "  - criteria\n  - templates": f"  - {criteria}\n  - {ROOT / 'templates'}",
    }
    for old, new in replacements.items():
        assert old in text, f"mkdocs.yml no longer contains {old!r}; update tests/conftest.py"
        text = text.replace(old, new)
    if site_url is not None:
        # In `!ENV [A, B, default]` every item but the last is a variable name: set the value.
        lines = text.splitlines(keepends=True)
        index = next(i for i, line in enumerate(lines) if line.startswith("site_url:"))
        lines[index] = f'site_url: "{site_url}"\n'
        text = "".join(lines)
    config = dest / "mkdocs.yml"
    config.write_text(text, encoding="utf-8")
    return config


def mkdocs_build(
    dest: Path, criteria: Path = CRITERIA, site_url: str | None = None, strict: bool = True
) -> subprocess.CompletedProcess[str]:
    """Run a real ``mkdocs build`` into ``dest/site``; returns the finished process."""
    dest.mkdir(parents=True, exist_ok=True)
    config = write_config(dest, criteria, site_url)
    command = [sys.executable, "-m", "mkdocs", "build", "-f", str(config), "-d", str(dest / "site")]
    if strict:
        command.append("--strict")
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    env.pop("SITE_URL", None)
    return subprocess.run(command, capture_output=True, text=True, env=env, cwd=dest, check=False)


def zensical_build(
    dest: Path, config: Path = ROOT / "mkdocs.yml"
) -> subprocess.CompletedProcess[str]:
    """Build the whole site with Zensical into ``dest/site``, as ``make site-zensical`` does."""
    command = [sys.executable, "-m", "generator.cli", "site", "--engine", "zensical",
               "--config", str(config), "--out", str(dest / "site"),
               "--work-dir", str(dest / "zensical")]
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    env.pop("SITE_URL", None)
    return subprocess.run(command, capture_output=True, text=True, env=env, cwd=dest, check=False)


#: The engines a test can run against (generator/engines.py). Most tests use the build of the
#: default engine (MkDocs); those listed in BOTH_ENGINES run once per engine.
ENGINES = ("mkdocs", "zensical")
#: Tests that run on the build of each engine, as "module" (every test in it that uses the site,
#: whatever tests it holds) or "module::test". The promises that must hold on both engines:
#: published URLs, the checklist, axe, privacy, internal links, search.
BOTH_ENGINES = {
    "test_checklist.py",
    "test_engines.py",
    "test_quality_axe.py",
    "test_quality_links.py",
    "test_urls.py::test_every_published_url_resolves",
    "test_urls.py::test_everything_the_build_publishes_is_listed",
    "test_quality_privacy.py::test_no_page_contacts_another_host",
    "test_quality_privacy.py::test_html_references_no_foreign_assets",
    "test_quality_privacy.py::test_css_references_no_foreign_files",
    "test_quality_privacy.py::test_our_javascript_references_no_other_host",
    "test_quality_privacy.py::test_material_latent_requests_stay_latent",
    "test_build.py::test_pages_are_dutch_and_have_no_third_party_assets",
    "test_build.py::test_role_filter_with_javascript_and_by_link",
    "test_build.py::test_every_page_links_the_statements_in_its_footer",
}


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """Run the tests in BOTH_ENGINES once per engine: ``site_dir`` (and so ``server`` and
    ``page``) is the build of that engine. The test ids end in ``[mkdocs]`` or ``[zensical]``."""
    module = Path(str(metafunc.definition.fspath)).name
    selected = module in BOTH_ENGINES or f"{module}::{metafunc.function.__name__}" in BOTH_ENGINES
    if selected and "site_dir" in metafunc.fixturenames:
        metafunc.parametrize("site_dir", ENGINES, indirect=True, scope="session")


@pytest.fixture(scope="session")
def mkdocs_site_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The whole site, built once per test session (per worker) with MkDocs ``--strict``."""
    dest = tmp_path_factory.mktemp("build")
    result = mkdocs_build(dest)
    assert result.returncode == 0, result.stderr
    return dest / "site"


@pytest.fixture(scope="session")
def zensical_site_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The whole site, built once per test session (per worker) with Zensical ``--strict``."""
    dest = tmp_path_factory.mktemp("zensical")
    result = zensical_build(dest)
    assert result.returncode == 0, result.stdout + result.stderr
    return dest / "site"


@pytest.fixture(scope="session")
def site_dir(request: pytest.FixtureRequest) -> Path:
    """The built site: MkDocs', or each engine's in turn for the tests in BOTH_ENGINES.

    Parametrized (not depending on a parametrized fixture) so that pytest rebuilds it, and the
    server on it, whenever the engine changes; the builds themselves are made once.
    """
    from generator import engines

    engine = getattr(request, "param", engines.DEFAULT_ENGINE)
    path: Path = request.getfixturevalue(f"{engine}_site_dir")
    return path


@pytest.fixture(scope="session")
def engine(site_dir: Path) -> str:
    """The engine that built ``site_dir``."""
    from generator import engines

    return engines.built_with(site_dir)


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@contextlib.contextmanager
def serve_directory(directory: Path) -> Iterator[str]:
    """Serve a built site on localhost; yields the base URL ending in '/'."""
    handler = functools.partial(_QuietHandler, directory=str(directory))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}/"
    finally:
        httpd.shutdown()
        httpd.server_close()


@pytest.fixture(scope="session")
def server(site_dir: Path) -> Iterator[str]:
    """Serve the built site on localhost; yields the base URL ending in '/'."""
    with serve_directory(site_dir) as url:
        yield url


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """Debian's Chromium driven by Playwright. Fails (not skips) when it is missing."""
    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium not found at {CHROMIUM}: run `make test` (it installs it)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        instance = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield instance
        instance.close()


@pytest.fixture
def page(browser: Any, server: str) -> Iterator[Any]:
    """A fresh browser context with JavaScript on. Requests to other hosts are blocked and
    recorded in ``page.foreign_requests`` (privacy: no third-party host may be contacted)."""
    context = browser.new_context(locale="nl-BE", viewport={"width": 1280, "height": 900})
    foreign: list[str] = []

    def guard(route: Any) -> None:
        url = route.request.url
        if url.startswith(server) or url.startswith("data:") or url.startswith("blob:"):
            route.continue_()
        else:
            foreign.append(url)
            route.abort()

    context.route("**/*", guard)
    tab = context.new_page()
    tab.foreign_requests = foreign
    errors: list[str] = []
    tab.on("pageerror", lambda exc: errors.append(str(exc)))
    tab.js_errors = errors
    yield tab
    context.close()


@pytest.fixture
def page_nojs(browser: Any, server: str) -> Iterator[Any]:
    """A browser context with JavaScript off (progressive enhancement)."""
    context = browser.new_context(java_script_enabled=False, locale="nl-BE")
    tab = context.new_page()
    yield tab
    context.close()
