"""Page weight: what a browser fetches to show a page of the built site, and how much of it is ours.

Measured on the built files, without a browser: the page's HTML, the scripts, stylesheets and
icons it references, local ``url()`` targets in those stylesheets, the modules that ES module
scripts import statically (``import ... from "./x.js"``; a dynamic ``import()`` loads only on
demand and is not counted), the theme's bundle that the page loads after its first paint, and
what that bundle fetches right after loading (the search worker with its index and Lunr language
files, and the sitemap if instant navigation is on).
A browser test checks that this list matches what Chromium really requests.

Sizes are reported raw and gzipped (level 6, what common web servers use). "Ours" is every script
or stylesheet that is not a file of the Material theme: the budget of issue 6 is that these stay
under 20 KB gzipped together on a checklist page.
"""

from __future__ import annotations

import gzip
import json
import os
import re
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path, PurePosixPath
from urllib.parse import unquote, urlsplit

#: Our own JavaScript + CSS on a checklist page, gzipped, in bytes (20 KB, SI kilobytes: strict).
OWN_BUDGET = 20_000
#: The page ``make bench`` reports on, and the fallback when it is not built (yet).
BENCH_PAGES = ("vormen/stage/checklist/index.html", "vormen/stage/index.html")
ROOT = Path(__file__).resolve().parent.parent

#: ``<link rel>`` values whose target the browser fetches while loading the page.
_FETCHED_RELS = {"stylesheet", "icon", "apple-touch-icon", "mask-icon", "manifest", "preload",
                 "modulepreload"}
_CSS_URL = re.compile(r"""url\(\s*(['"]?)([^'")]+)\1\s*\)|@import\s+(['"])([^'"]+)\3""")
#: Static imports in an ES module: ``import x from "./a.js"``, ``export {y} from "./b.js"`` and
#: ``import "./c.js"``; not ``import("./d.js")``, which loads only when the code runs it.
_JS_IMPORT = re.compile(r"""(?:\bfrom|^\s*import)\s*(["'])([^"'\n]+)\1""", re.MULTILINE)


def material_dir() -> Path:
    """The Material theme's own files (``assets/...`` inside the installed package)."""
    import material

    return Path(material.__file__).resolve().parent / "templates"


@dataclass(frozen=True)
class Resource:
    #: Path inside the site, e.g. ``assets/javascripts/checklist/checklist.js``.
    path: str
    size: int
    gzipped: int
    #: Ours (not a file of the Material theme)?
    own: bool

    @property
    def kind(self) -> str:
        return PurePosixPath(self.path).suffix.lstrip(".") or "?"


@dataclass(frozen=True)
class PageWeight:
    page: str
    resources: tuple[Resource, ...]

    @property
    def own_code(self) -> tuple[Resource, ...]:
        """Our own scripts and stylesheets (the HTML itself is not counted)."""
        return tuple(r for r in self.resources if r.own and r.kind in ("js", "css"))

    @property
    def own_gzipped(self) -> int:
        return sum(r.gzipped for r in self.own_code)

    @property
    def total_size(self) -> int:
        return sum(r.size for r in self.resources)

    @property
    def total_gzipped(self) -> int:
        return sum(r.gzipped for r in self.resources)


class _Refs(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.urls: list[str] = []
        self.modules: list[str] = []
        self.config: str = ""
        self._in_config = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k: v or "" for k, v in attrs}
        # A script the page loads after its first paint (main.html) has its URL in data-src.
        src = values.get("data-src") if "data-wpl-later" in values else values.get("src")
        if tag == "script" and src:
            self.urls.append(src)
            if values.get("type") == "module":
                self.modules.append(src)
        elif tag == "link" and set(values.get("rel", "").lower().split()) & _FETCHED_RELS:
            self.urls.append(values.get("href", ""))
        elif tag in ("img", "source", "video", "audio", "iframe", "embed") and values.get("src"):
            self.urls.append(values["src"])
        self._in_config = tag == "script" and values.get("id") == "__config"

    def handle_endtag(self, tag: str) -> None:
        self._in_config = False

    def handle_data(self, data: str) -> None:
        if self._in_config:
            self.config += data


def _local(site_dir: Path, base: str, url: str) -> str | None:
    """Site path of a local URL relative to the site path ``base``; None for other hosts."""
    parts = urlsplit(url)
    if parts.scheme or parts.netloc or not parts.path:
        return None
    joined = PurePosixPath(base).parent / unquote(parts.path)
    if parts.path.startswith("/"):
        joined = PurePosixPath(unquote(parts.path).lstrip("/"))
    resolved = os.path.normpath(joined.as_posix())
    if (site_dir / resolved).is_dir():
        resolved = f"{resolved}/index.html"
    return resolved.removeprefix("./")


def fetched_paths(site_dir: Path, page: str) -> list[str]:
    """Site paths the browser fetches to show ``page`` (a path like ``index.html``), in order."""
    html = (site_dir / page).read_text(encoding="utf-8")
    refs = _Refs()
    refs.feed(html)
    paths = [page]
    paths += [p for u in refs.urls if (p := _local(site_dir, page, u))]
    modules = [p for u in refs.modules if (p := _local(site_dir, page, u))]
    while modules:
        module = modules.pop(0)
        text = (site_dir / module).read_text(encoding="utf-8")
        for match in _JS_IMPORT.finditer(text):
            local = _local(site_dir, module, match.group(2))
            if local and local not in paths:
                paths.append(local)
                modules.append(local)
    for css in [p for p in paths if p.endswith(".css")]:
        text = (site_dir / css).read_text(encoding="utf-8")
        for match in _CSS_URL.finditer(text):
            local = _local(site_dir, css, match.group(2) or match.group(4))
            if local and (site_dir / local).is_file():
                paths.append(local)
    config = json.loads(refs.config) if refs.config.strip() else {}
    worker = config.get("search")
    if worker and (path := _local(site_dir, page, worker)):
        paths.append(path)
        index = site_dir / "search" / "search_index.json"
        if index.is_file():
            paths.append("search/search_index.json")
            # Material's search worker: the stemmer support when any language is not English,
            # lunr.multi when there are several, then one file per non-English language.
            all_langs = json.loads(index.read_text(encoding="utf-8"))["config"]["lang"]
            langs = [lang for lang in all_langs if lang != "en"]
            lunr = PurePosixPath(path).parent.parent / "lunr" / "min"
            if langs:
                paths.append((lunr / "lunr.stemmer.support.min.js").as_posix())
            if len(all_langs) > 1:
                paths.append((lunr / "lunr.multi.min.js").as_posix())
            paths += [(lunr / f"lunr.{lang}.min.js").as_posix() for lang in langs]
        elif (site_dir / "search.json").is_file():
            paths.append("search.json")  # Zensical's search: one index file, no language files
    if "navigation.instant" in config.get("features", []) and (site_dir / "sitemap.xml").is_file():
        paths.append("sitemap.xml")
    return list(dict.fromkeys(paths))


def page_weight(site_dir: Path, page: str, theme_dir: Path | None = None) -> PageWeight:
    """What ``page`` fetches; a file of the theme that built the site (Material's or
    Zensical's) is not ours."""
    from generator import engines

    theme = theme_dir or engines.theme_dir(engines.built_with(site_dir, page))
    resources = []
    for path in fetched_paths(site_dir, page):
        data = (site_dir / path).read_bytes()
        own = path.endswith((".js", ".css")) and not (theme / path).is_file()
        resources.append(Resource(path, len(data), len(gzip.compress(data, 6, mtime=0)), own))
    return PageWeight(page, tuple(resources))


def kb(size: int) -> str:
    return f"{size / 1000:.1f} KB"


def report(weight: PageWeight) -> list[str]:
    url = "/" + weight.page.removesuffix("index.html")
    own = ", ".join(f"{PurePosixPath(r.path).name} {kb(r.gzipped)}" for r in weight.own_code)
    verdict = "within" if weight.own_gzipped < OWN_BUDGET else "OVER"
    return [
        f"Page weight of {url} (gzip level 6):",
        f"  own JS + CSS: {kb(weight.own_gzipped)} gzipped, {verdict} the budget of "
        f"{kb(OWN_BUDGET)} ({own})",
        f"  total transfer: {kb(weight.total_gzipped)} gzipped, {kb(weight.total_size)} "
        f"uncompressed, {len(weight.resources)} requests",
    ] + [
        f"    {r.path:<60} {kb(r.gzipped):>9} {'(ours)' if r.own else ''}"
        for r in sorted(weight.resources, key=lambda r: -r.gzipped)
    ]


def build_site(dest: Path) -> None:
    """A strict MkDocs build of the whole site into ``dest``."""
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    command = [sys.executable, "-m", "mkdocs", "build", "--strict", "-q", "-d", str(dest)]
    subprocess.run(command, cwd=ROOT, env=env, check=True)


_BENCH_SITE: list[tempfile.TemporaryDirectory[str]] = []


def bench_site() -> Path:
    """A fresh strict build for ``make bench``, made once per process and shared by its reports
    (removed when the process ends)."""
    if not _BENCH_SITE:
        _BENCH_SITE.append(tempfile.TemporaryDirectory(prefix="wpl-bench-site-"))
        build_site(Path(_BENCH_SITE[0].name) / "site")
    return Path(_BENCH_SITE[0].name) / "site"


def bench_report(site_dir: Path | None = None) -> list[str]:
    """Lines for ``make bench``: the weight of the checklist page of a stage (built fresh)."""
    if site_dir is None:
        site_dir = bench_site()
    lines: list[str] = []
    for page in BENCH_PAGES:
        if (site_dir / page).is_file():
            return lines + report(page_weight(site_dir, page))
        lines.append(f"Page weight: /{page.removesuffix('index.html')} is not in the build.")
    return lines
