"""Two engines, one site (issue 14): what Zensical builds is the site MkDocs builds.

The tests that use ``site_dir``/``server``/``page`` here run on both builds (conftest
BOTH_ENGINES); the other promises (URLs, checklist, axe, privacy, links) are the existing tests,
run on both builds too. The rest checks the Zensical path itself: a config derived from
mkdocs.yml, the one switch (ENGINE), and an atomic build.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import pytest
import yaml

from generator import engines, loader, site
from tests.conftest import CRITERIA, ROOT, write_config

#: Dutch queries and a page each must find. A plural that occurs only in its singular form on
#: that page, and a word with a diaeresis.
DUTCH_QUERIES = {
    "leerwerkopleidingen": "vormen/leerwerkopleiding/",
    "variëren": "",
}


def open_search(page: Any, engine: str) -> None:
    # The theme's bundle comes after the first paint, and with it the search worker and its
    # index: typed before the index is in, Zensical can keep the results of an early prefix.
    page.wait_for_load_state("networkidle")
    if engine == "zensical":
        # Zensical's header has a search button that opens its own dialog.
        page.locator(".md-search__button").click()
    else:
        page.locator(".md-search__input").click()


def search_results(page: Any, engine: str) -> list[str]:
    """The result links (page paths, no query or fragment) once the results have settled."""
    if engine == "zensical":
        links = page.locator("[role=listbox] a[role=option]")  # inside an open shadow root
    else:
        links = page.locator(".md-search-result__list a.md-search-result__link")
    page.wait_for_timeout(300)
    hrefs = [links.nth(i).get_attribute("href") or "" for i in range(links.count())]
    return [href.split("?")[0].split("#")[0] for href in hrefs]


@pytest.mark.parametrize("query", sorted(DUTCH_QUERIES))
def test_search_finds_dutch_words(page: Any, server: str, engine: str, query: str) -> None:
    page.goto(server)
    open_search(page, engine)
    page.keyboard.type(query, delay=20)
    expected = server + DUTCH_QUERIES[query]
    for _ in range(40):  # the index loads in a worker: wait up to about 12 s
        found = search_results(page, engine)
        if expected in found:
            break
    assert expected in found, f"{engine}: {query!r} gave {found}"
    assert page.foreign_requests == []


def test_search_finds_nothing_for_nonsense(page: Any, server: str, engine: str) -> None:
    page.goto(server)
    open_search(page, engine)
    page.keyboard.type("qxzwvyj", delay=20)
    page.wait_for_timeout(1500)
    assert search_results(page, engine) == []


def test_the_footer_names_the_engine_that_built_the_page(site_dir: Path, engine: str) -> None:
    home = (site_dir / "index.html").read_text(encoding="utf-8")
    name = "Zensical" if engine == "zensical" else "Material for MkDocs"
    assert f">{name}</a>" in home
    other = "Material for MkDocs" if engine == "zensical" else ">Zensical<"
    assert other not in home


def test_both_builds_publish_the_same_pages_and_files(
    mkdocs_site_dir: Path, zensical_site_dir: Path
) -> None:
    """Every page and file MkDocs publishes, Zensical publishes too; only the theme's own files
    and the engine's search index and sitemap differ (README, "Engines")."""
    engine_files = {"search/search_index.json", "search.json", "sitemap.xml.gz"}

    def published(site_dir: Path) -> set[str]:
        theme = engines.theme_dir(engines.built_with(site_dir))
        paths = {p.relative_to(site_dir).as_posix() for p in site_dir.rglob("*") if p.is_file()}
        theirs = {p for p in paths if p.startswith("assets/") and (theme / p).is_file()}
        return {p for p in paths - theirs if not p.endswith(".map")}

    mkdocs = published(mkdocs_site_dir) - engine_files
    zensical = published(zensical_site_dir) - engine_files
    assert len(mkdocs) > 300
    assert mkdocs == zensical, (sorted(mkdocs - zensical), sorted(zensical - mkdocs))


class _ContentLinks(HTMLParser):
    """The href and src values inside the page content (<article>), in order."""

    def __init__(self) -> None:
        super().__init__()
        self.depth = 0
        self.urls: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.depth += tag == "article"
        if self.depth:
            self.urls += [v for k, v in attrs if k in ("href", "src") and v]

    def handle_endtag(self, tag: str) -> None:
        self.depth -= tag == "article"


def site_target(page: str, url: str) -> str:
    """Where a link on ``page`` (a directory URL like ``vormen/stage/``) leads, as a site path;
    a relative path that climbs above the site root is reported as such (it only works when the
    site is at the root of its host)."""
    parts = urlsplit(url)
    if parts.scheme or parts.netloc or not parts.path:
        return url
    if parts.path.startswith("/"):
        return f"ROOT-ABSOLUTE {url}"
    segments = [s for s in page.split("/") if s]
    *folders, name = parts.path.split("/")
    for segment in folders:
        if segment == "..":
            if not segments:
                return f"ABOVE THE ROOT {url}"
            segments.pop()
        elif segment not in ("", "."):
            segments.append(segment)
    return urlunsplit(("", "", "/".join(["", *segments, name]), parts.query, parts.fragment))


def test_every_link_leads_to_the_same_place_on_both_engines(
    mkdocs_site_dir: Path, zensical_site_dir: Path
) -> None:
    """MkDocs leaves relative links in raw HTML as written (relative to the page), Zensical
    resolves them from the source file, as Markdown links: a generated link that means two
    things shows here. Write such links in Markdown, or put the page in index.md of its folder.
    """
    problems = []
    pages = sorted(mkdocs_site_dir.rglob("index.html"))
    for html in pages:
        page = html.parent.relative_to(mkdocs_site_dir).as_posix().removeprefix(".")
        targets = {}
        for name, root in (("mkdocs", mkdocs_site_dir), ("zensical", zensical_site_dir)):
            parser = _ContentLinks()
            parser.feed((root / page / "index.html").read_text(encoding="utf-8"))
            targets[name] = [site_target(page, url) for url in parser.urls]
        if targets["mkdocs"] != targets["zensical"]:
            pairs = zip(targets["mkdocs"], targets["zensical"], strict=False)
            first = [(m, z) for m, z in pairs if m != z][:3]
            problems.append(f"/{page}: {len(targets['mkdocs'])} vs {len(targets['zensical'])} "
                            f"links, first differences (MkDocs, Zensical): {first}")
        problems += [f"/{page}: {t}" for t in targets["mkdocs"] if t.startswith(("ABOVE", "ROOT"))]
    assert len(pages) > 20
    assert problems == [], "\n".join(problems)


# -- the derived config ---------------------------------------------------------------------------


def test_the_zensical_config_is_derived_from_mkdocs_yml(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SITE_URL", "https://elders.example.net/pad/")
    config = engines.read_config(ROOT / "mkdocs.yml")
    assert config["site_url"] == "https://elders.example.net/pad/"  # !ENV resolved
    nav: list[site.NavItem] = [{"Home": "index.md"}, {"Privacy": "privacy.md"}]
    derived = engines.derive_config(
        config, nav, docs_dir="docs", site_dir="site", custom_dir="overrides"
    )
    # Our plugin is gone, every other plugin and setting is kept, the generated nav is added.
    assert engines.plugin_options(config)["criteria"] == "criteria"
    assert [p if isinstance(p, str) else next(iter(p)) for p in derived["plugins"]] == [
        p if isinstance(p, str) else next(iter(p))
        for p in config["plugins"]
        if (p if isinstance(p, str) else next(iter(p))) != engines.PLUGIN
    ]
    assert derived["nav"] == nav
    unchanged = set(config) - {"docs_dir", "theme", "plugins", "watch"}
    assert unchanged and all(derived[key] == config[key] for key in unchanged)
    assert derived["theme"] == {**config["theme"], "custom_dir": "overrides"}
    assert "watch" not in derived
    assert (derived["docs_dir"], derived["site_dir"]) == ("docs", "site")


def test_env_tag_like_mkdocs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "mkdocs.yml"
    path.write_text("a: !ENV [WPL_A, WPL_B, 'standaard']\nb: !ENV WPL_C\nc: !ENV [WPL_D]\n",
                    encoding="utf-8")
    monkeypatch.delenv("WPL_A", raising=False)
    monkeypatch.setenv("WPL_B", "true")
    monkeypatch.delenv("WPL_C", raising=False)
    monkeypatch.delenv("WPL_D", raising=False)
    assert engines.read_config(path) == {"a": True, "b": None, "c": None}
    monkeypatch.delenv("WPL_B")
    assert engines.read_config(path)["a"] == "standaard"


def test_only_the_mkdocs_only_overrides_are_left_out(tmp_path: Path) -> None:
    engines.copy_overrides(ROOT / "site_overrides", tmp_path / "overrides")
    source = {p.relative_to(ROOT / "site_overrides").as_posix()
              for p in (ROOT / "site_overrides").rglob("*") if p.is_file()}
    copied = {p.relative_to(tmp_path / "overrides").as_posix()
              for p in (tmp_path / "overrides").rglob("*") if p.is_file()}
    assert engines.MKDOCS_ONLY_OVERRIDES
    assert copied == source - set(engines.MKDOCS_ONLY_OVERRIDES)
    for path in engines.MKDOCS_ONLY_OVERRIDES:
        # Each says why in the file itself.
        assert "MkDocs only" in (ROOT / "site_overrides" / path).read_text(encoding="utf-8")


# -- the switch and the atomic build -----------------------------------------------------------


def _site(tmp_path: Path, config: Path, out: Path, env: dict[str, str] | None = None,
          *args: str) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "generator.cli", "site", "--config", str(config),
               "--out", str(out), "--work-dir", str(tmp_path / "work"), *args]
    full_env = dict(os.environ, NO_MKDOCS_2_WARNING="1", **(env or {}))
    full_env.pop("SITE_URL", None)
    return subprocess.run(command, capture_output=True, text=True, env=full_env, cwd=tmp_path,
                          check=False)


def test_engine_switch_and_atomic_zensical_build(tmp_path: Path) -> None:
    out = tmp_path / "site"
    out.mkdir()
    (out / "index.html").write_text("oud", encoding="utf-8")

    # A template Zensical cannot render: the build fails, the old site stays.
    overrides = tmp_path / "overrides"
    shutil.copytree(ROOT / "site_overrides", overrides)
    (overrides / "main.html").write_text('{% extends "bestaat-niet.html" %}', encoding="utf-8")
    config = write_config(tmp_path)
    text = config.read_text(encoding="utf-8")
    broken = tmp_path / "broken.yml"
    broken.write_text(text.replace(f"custom_dir: {ROOT / 'site_overrides'}",
                                   f"custom_dir: {overrides}"), encoding="utf-8")
    result = _site(tmp_path, broken, out, {"ENGINE": "zensical"})
    assert result.returncode == 2, result.stdout + result.stderr
    assert "niet gewijzigd" in result.stderr
    assert (out / "index.html").read_text(encoding="utf-8") == "oud"
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".site")] == []

    # An unknown engine is refused before anything is built.
    result = _site(tmp_path, config, out, {"ENGINE": "hugo"})
    assert result.returncode == 2 and "onbekende engine 'hugo'" in result.stderr
    assert (out / "index.html").read_text(encoding="utf-8") == "oud"

    # ENGINE=zensical is the one switch: the Zensical build replaces the old site.
    result = _site(tmp_path, config, out, {"ENGINE": "zensical"})
    assert result.returncode == 0, result.stdout + result.stderr
    assert engines.built_with(out) == "zensical"
    assert (out / "vormen" / "stage" / "checklist" / "index.html").is_file()

    # Broken criteria: refused with the loader's message, the Zensical site stays.
    criteria = tmp_path / "criteria"
    shutil.copytree(CRITERIA, criteria)
    (criteria / "vormen.yml").write_text("vormen: 3\n", encoding="utf-8")
    bad_data = tmp_path / "bad-data.yml"
    bad_data.write_text(text.replace(f"criteria: {CRITERIA}", f"criteria: {criteria}"),
                        encoding="utf-8")
    result = _site(tmp_path, bad_data, out, None, "--engine", "zensical")
    assert result.returncode == 1, result.stdout + result.stderr
    assert "vormen.yml:1: vormen: moet een lijst zijn" in result.stderr
    assert engines.built_with(out) == "zensical"


def test_the_default_engine_is_mkdocs() -> None:
    assert engines.DEFAULT_ENGINE == "mkdocs"
    env = {k: v for k, v in os.environ.items() if k != "ENGINE"}
    command = [sys.executable, "-m", "generator.cli", "site", "--help"]
    help_text = subprocess.run(command, capture_output=True, text=True, env=env,
                               check=True).stdout
    assert "standaard de omgevingsvariabele ENGINE, anders mkdocs" in " ".join(help_text.split())


def test_generated_config_is_valid_for_zensical(zensical_site_dir: Path) -> None:
    """The Zensical build is strict and used the derived config: the nav lists every form."""
    config = yaml.safe_load(
        (zensical_site_dir.parent / "zensical" / "mkdocs.yml").read_text(encoding="utf-8")
    )
    assert config["strict"] is True
    assert engines.PLUGIN not in str(config["plugins"])
    home = (zensical_site_dir / "index.html").read_text(encoding="utf-8")
    for form in loader.load(CRITERIA).forms:
        assert f'href="vormen/{form.slug}/"' in home, form.slug
