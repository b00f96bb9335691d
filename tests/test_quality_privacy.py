"""Privacy (issue 6): no page makes the browser contact any host but the site's own.

Here: the built HTML, CSS and JS reference no file on another host as a script, stylesheet,
font, image or frame. Links in ``<a href>`` to other sites are navigation, not requests, and are
allowed. That every page loaded in Chromium (JS on, until the network is idle) makes no request
to another host is checked in the sweep of every page at both widths on both engines,
``test_nginx_browser.py::test_every_page_through_nginx_under_the_policy``, together with axe and
the policy: one load per page for all three.
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urlsplit

from generator import engines
from tests.conftest import ROOT
from tests.test_quality_links import public_base
from tests.test_quality_pages import content_pages, css_urls, site_pages

#: The public address is ours too (canonical links, QR targets); any other host is foreign.
OWN_HOSTS = {urlsplit(public_base()).hostname or ""}

#: URLs of other hosts in Material's own scripts that it only fetches in a situation this site
#: never creates, or never fetches at all. Each entry says why;
#: ``test_material_latent_requests_stay_latent`` checks that the situations do not occur, and a
#: new URL of this kind after a Material update fails it.
MATERIAL_LATENT = {
    "https://unpkg.com/mermaid@11/dist/mermaid.min.js": "only for pages with Mermaid diagrams",
    "https://unpkg.com/resize-observer-polyfill": (
        "only in browsers without ResizeObserver (all current browsers have it since 2020)"
    ),
    "https://api.github.com/": "only with repo_url set (repository facts in the header)",
    "https://${e}/api/v4/projects/": "GitLab, only with repo_url set",
    "https://github.com/umdjs/umd/blob/master/returnExports.js": "a source comment in Lunr",
}
#: The same for Zensical's scripts (its bundle has Material's and a few of its own).
ZENSICAL_LATENT = {
    **MATERIAL_LATENT,
    "https://unpkg.com/mermaid@12/dist/mermaid.min.js": "only for pages with Mermaid diagrams",
    "https://unpkg.com/glightbox@3/dist/": "only with the glightbox (image zoom) extension",
    "https://unpkg.com/pyodide@": "only for runnable Python code blocks (markdown-exec)",
    "https://cdn.jsdelivr.net/pyodide/": "only for runnable Python code blocks (markdown-exec)",
    "https://unpkg.com/ace-builds@": "only for runnable Python code blocks (its editor)",
    "https://api.github.com/users/": "only with repo_url set (repository facts in the header)",
    "https://api.github.com/repos/": "only with repo_url set (repository facts in the header)",
}
THEME_LATENT = {"mkdocs": MATERIAL_LATENT, "zensical": ZENSICAL_LATENT}
#: Markup in a page that would make the theme's script fetch one of the URLs above.
LATENT_TRIGGERS = ('class="mermaid"', "glightbox", "data-md-exec", "pyodide")
#: Candidates among the URLs in Material's scripts: CDNs, APIs and asset files.
CANDIDATE = re.compile(r"unpkg|jsdelivr|cdnjs|googleapis|gstatic|/api/|//api\.", re.IGNORECASE)
#: A URL to a file of the kind a page loads (script, style, font, image, frame).
ASSET_URL = re.compile(
    r"""https?://[^\s"'`)<>]+?\.(?:js|mjs|css|woff2?|ttf|otf|eot|png|jpe?g|gif|svg|webp|avif|ico)"""
    r"""(?=[\s"'`)?#<>]|$)""",
    re.IGNORECASE,
)
URL_IN_CODE = re.compile(r"""https?://[^\s"'`)<>\\]+""")


def is_foreign(url: str) -> bool:
    parts = urlsplit(url.strip())
    if parts.scheme in ("", "data", "blob", "mailto", "tel", "javascript"):
        return parts.netloc != ""  # protocol-relative //host/... is a request too
    return (parts.hostname or "") not in OWN_HOSTS


def test_html_references_no_foreign_assets(site_dir: Path) -> None:
    problems = []
    for page in site_pages(site_dir):
        for ref in page.refs:
            if not ref.is_navigation and is_foreign(ref.url):
                problems.append(f"{page.path}: <{ref.tag} {ref.attr}> {ref.url}")
        problems += [f"{page.path}: style url({u})" for u in page.css_urls if is_foreign(u)]
        # Inline scripts and styles: any asset URL of another host.
        for block in re.findall(r"<(?:script|style)\b[^>]*>(.*?)</(?:script|style)>", page.text,
                                re.DOTALL):
            problems += [f"{page.path}: inline {u}" for u in ASSET_URL.findall(block)
                         if is_foreign(u)]
    assert not problems, "\n".join(problems)


def test_css_references_no_foreign_files(site_dir: Path) -> None:
    problems = [
        f"{css.relative_to(site_dir)}: {url}"
        for css in site_dir.rglob("*.css")
        for url in css_urls(css.read_text(encoding="utf-8"))
        if is_foreign(url)
    ]
    assert not problems, "\n".join(problems)


def test_our_javascript_references_no_other_host(site_dir: Path) -> None:
    """Our own scripts contain no URL of another host at all (the theme's are checked below)."""
    theme = engines.theme_dir(engines.built_with(site_dir))
    ours = [
        js for js in site_dir.rglob("*.js")
        if not (theme / js.relative_to(site_dir)).is_file()
    ]
    assert any(js.name == "rolfilter.js" for js in ours)
    problems = [
        f"{js.relative_to(site_dir)}: {url}"
        for js in ours
        for url in URL_IN_CODE.findall(js.read_text(encoding="utf-8"))
        if is_foreign(url) and not url.startswith("http://www.w3.org/")  # XML namespaces
    ]
    assert not problems, "\n".join(problems)


def test_material_latent_requests_stay_latent(site_dir: Path) -> None:
    engine = engines.built_with(site_dir)
    theme = engines.theme_dir(engine)
    bundles = [
        js for js in site_dir.rglob("*.js") if (theme / js.relative_to(site_dir)).is_file()
    ]
    assert bundles
    found = {
        url
        for js in bundles
        for url in URL_IN_CODE.findall(js.read_text(encoding="utf-8"))
        if is_foreign(url) and (CANDIDATE.search(url) or ASSET_URL.fullmatch(url))
    }
    latent = THEME_LATENT[engine]
    unknown = {u for u in found if not any(u.startswith(known) for known in latent)}
    assert not unknown, f"The theme fetches new third-party URLs (check when, then list): {unknown}"
    # The situations that would trigger the known ones do not occur.
    for page in content_pages(site_dir):
        for trigger in LATENT_TRIGGERS:
            assert trigger not in page.text, (page.path, trigger)
    assert "repo_url" not in engines.read_config(ROOT / "mkdocs.yml")


def test_foreign_check_itself() -> None:
    assert is_foreign("https://fonts.googleapis.com/css2?family=Roboto")
    assert is_foreign("//cdn.example.com/x.js")
    assert not is_foreign("../assets/x.js")
    assert not is_foreign("https://werkplekleren.example.org/vormen/stage/")
    assert not is_foreign("data:image/svg+xml,<svg/>")
    assert ASSET_URL.findall('a="https://cdn.example.com/lib.min.js";') == [
        "https://cdn.example.com/lib.min.js"
    ]
