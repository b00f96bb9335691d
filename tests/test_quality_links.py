"""Links (issue 6): every internal link and anchor in the built site resolves.

Every URL in every HTML file (links, scripts, styles, images, redirect targets) that points into
the site, by a relative path, a root path or the public site_url, must name a file of the
build; a fragment must name an element id on the target page (criterion anchors included).
Links into PDFs, JSON and CSV files must name an existing file. External links are not fetched:
they are written to a report (``external-links.txt`` next to the build) and printed.
"""

from __future__ import annotations

import posixpath
from collections import defaultdict
from pathlib import Path
from urllib.parse import unquote, urlsplit

import yaml

from tests.conftest import ROOT
from tests.test_quality_pages import site_pages

#: Schemes that are not requests to any host.
NON_WEB_SCHEMES = {"mailto", "tel", "data", "blob", "javascript"}


def public_base() -> str:
    """The site_url the test build uses (the default of mkdocs.yml's !ENV SITE_URL)."""

    class Loader(yaml.SafeLoader):
        pass

    Loader.add_constructor("!ENV", lambda loader, node: loader.construct_sequence(node)[-1])
    config = yaml.load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"), Loader=Loader)
    base = str(config["site_url"])
    return base if base.endswith("/") else base + "/"


def resolve(site_dir: Path, page: str, url: str, base: str) -> tuple[str | None, str]:
    """The site file a URL in ``page`` points to (None: external) and its fragment.

    The file is returned even when it does not exist, so that the caller can report it.
    """
    if url.startswith(base):
        url = "/" + url[len(base) :]
    parts = urlsplit(url)
    if parts.scheme or parts.netloc:
        return None, ""
    path = unquote(parts.path)
    if not path:
        target = page
    elif path.startswith("/"):
        target = posixpath.normpath(path.lstrip("/") or ".")
    else:
        target = posixpath.normpath(posixpath.join(posixpath.dirname(page), path))
    if target in (".", "") or path.endswith("/") or (site_dir / target).is_dir():
        target = posixpath.join("" if target == "." else target, "index.html")
    return target, unquote(parts.fragment)


def check_links(site_dir: Path, base: str) -> tuple[list[str], dict[str, set[str]], int]:
    """Broken internal links, external links by URL (with the pages that use them), and the
    number of internal links checked."""
    pages = {p.path: p for p in site_pages(site_dir)}
    broken: list[str] = []
    external: dict[str, set[str]] = defaultdict(set)
    checked = 0
    for page in pages.values():
        urls = [(r.tag, r.url) for r in page.refs] + [("style", u) for u in page.css_urls]
        if page.redirect:
            urls.append(("meta refresh", page.redirect))
        for tag, url in urls:
            if not url or urlsplit(url).scheme in NON_WEB_SCHEMES:
                continue
            target, fragment = resolve(site_dir, page.path, url, base)
            if target is None:
                external[url].add(page.url or "/")
                continue
            checked += 1
            where = f"{page.path}: <{tag}> {url}"
            if not (site_dir / target).is_file():
                broken.append(f"{where} -> {target} does not exist")
            elif fragment and target.endswith(".html"):
                ids = pages[target].ids if target in pages else set()
                if fragment not in ids:
                    broken.append(f"{where} -> no id {fragment!r} on {target}")
    return broken, external, checked


def test_internal_links_and_anchors_resolve(site_dir: Path) -> None:
    broken, external, checked = check_links(site_dir, public_base())
    report = site_dir.parent / "external-links.txt"
    report.write_text(
        "".join(f"{url}\t{', '.join(sorted(on))}\n" for url, on in sorted(external.items())),
        encoding="utf-8",
    )
    print(f"links: {checked} internal links checked, {len(broken)} broken; "
          f"{len(external)} external URLs listed in {report}")
    for url in sorted(external):
        print(f"  external: {url}")
    assert checked > 100
    assert not broken, f"{len(broken)} broken internal link(s):\n" + "\n".join(broken[:60])


def test_criterion_anchors_are_checked(site_dir: Path) -> None:
    """The form pages link criteria by id; those anchors exist on the phase pages."""
    pages = {p.path: p for p in site_pages(site_dir)}
    phase = pages["leidraad/voor-je-begint/index.html"]
    anchors = [r.url for r in phase.refs if r.tag == "a" and r.url.startswith("#")]
    assert len(anchors) >= 10
    assert all(a[1:] in phase.ids for a in anchors)


def test_link_check_finds_broken_links(tmp_path: Path) -> None:
    base = "https://voorbeeld.example/"
    (tmp_path / "a").mkdir()
    (tmp_path / "downloads").mkdir()
    (tmp_path / "downloads" / "x.pdf").write_bytes(b"%PDF-1.7")
    (tmp_path / "index.html").write_text(
        '<html><body><p id="top-id">x</p>'
        '<a href="a/#er">ok</a> <a href="a/#weg">missing anchor</a> <a href="b/">missing</a>'
        '<a href="downloads/x.pdf#page=2">pdf</a> <a href="downloads/y.json">missing file</a>'
        f'<a href="{base}a/#er">absolute own</a> <a href="https://elders.example/z">ext</a>'
        '<a href="mailto:a@b.c">mail</a> <a href="#top-id">self</a></body></html>',
        encoding="utf-8",
    )
    (tmp_path / "a" / "index.html").write_text(
        '<html><head><meta http-equiv="refresh" content="0; url=../c/"></head>'
        '<body><h2 id="er">er</h2><img src="/img.png" alt=""></body></html>',
        encoding="utf-8",
    )
    broken, external, checked = check_links(tmp_path, base)
    assert sorted(b.split(": ", 1)[1] for b in broken) == [
        "<a> a/#weg -> no id 'weg' on a/index.html",
        "<a> b/ -> b/index.html does not exist",
        "<a> downloads/y.json -> downloads/y.json does not exist",
        "<img> /img.png -> img.png does not exist",
        "<meta refresh> ../c/ -> c/index.html does not exist",
    ]
    assert set(external) == {"https://elders.example/z"}
    assert checked == 9
