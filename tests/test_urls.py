"""Published URLs are a promise: every address in published-urls.txt keeps resolving.

A listed address resolves when the built site has a page there (``index.html``), the file itself,
or a static redirect page whose target resolves. A ``?rol=`` address also needs the page to offer
that role. The reverse holds too: what the build publishes is listed, so nothing becomes a
promise by accident.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from generator import links
from generator.model import Leidraad

ROOT = Path(__file__).resolve().parent.parent
LIST = ROOT / "published-urls.txt"
REFRESH = re.compile(r'<meta http-equiv="refresh" content="0; url=([^"]+)"')


def published() -> list[str]:
    lines = LIST.read_text(encoding="utf-8").splitlines()
    return [line.strip() for line in lines if line.strip() and not line.startswith("#")]


class RoleInputs(HTMLParser):
    """Values of the role choices on a page (radio buttons named ``rol`` or ``...-rol``)."""

    def __init__(self) -> None:
        super().__init__()
        self.values: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "input" and (a.get("name") or "").split("-")[-1] == "rol":
            self.values.add(a.get("value") or "")


def resolve(site_dir: Path, path: str, hops: int = 0) -> Path | str:
    """The file a site path ends at, following redirect pages; a string says what is wrong."""
    if hops > 5:
        return f"{path}: redirect loop"
    target = site_dir / path.lstrip("/")
    if not path.endswith("/"):
        return target if target.is_file() else f"{path}: no such file"
    page = target / "index.html"
    if not page.is_file():
        return f"{path}: no page (index.html)"
    match = REFRESH.search(page.read_text(encoding="utf-8"))
    if match is None:
        return page
    new = (page.parent / match.group(1)).resolve()
    try:
        relative = new.relative_to(site_dir.resolve())
    except ValueError:
        return f"{path}: redirects outside the site"
    return resolve(site_dir, f"/{relative.as_posix()}/", hops + 1)


def built_addresses(site_dir: Path) -> set[str]:
    """What a build publishes: every page and every download (QR image files excepted)."""
    out = {
        "/" + p.parent.relative_to(site_dir).as_posix() + "/" for p in site_dir.rglob("index.html")
    }
    out = {"/" if p == "/./" else p for p in out}
    downloads = site_dir / "downloads"
    out |= {
        "/" + p.relative_to(site_dir).as_posix()
        for p in downloads.rglob("*")
        if p.is_file() and p.name != "index.html"
    }
    return out


def test_list_is_well_formed() -> None:
    urls = published()
    assert len(urls) == len(set(urls)), "duplicate lines"
    for url in urls:
        assert url.startswith("/") and " " not in url, url
        assert "//" not in url and "#" not in url, url
    head = LIST.read_text(encoding="utf-8")[:2000]
    assert "redirect" in head and "Never remove" in head


def test_every_published_url_resolves(site_dir: Path) -> None:
    problems = []
    for url in published():
        parts = urlsplit(url)
        found = resolve(site_dir, parts.path)
        if isinstance(found, str):
            problems.append(found)
            continue
        for role in parse_qs(parts.query).get("rol", []):
            parser = RoleInputs()
            parser.feed(found.read_text(encoding="utf-8"))
            if role not in parser.values:
                problems.append(f"{url}: the page offers no role {role!r}")
    assert problems == [], "Published URLs that no longer resolve (add a redirect):\n" + "\n".join(
        problems
    )


def test_everything_the_build_publishes_is_listed(site_dir: Path) -> None:
    listed = {urlsplit(u).path for u in published()}
    missing = sorted(built_addresses(site_dir) - listed)
    assert missing == [], (
        "The build publishes addresses that are not in published-urls.txt. Add them (they become "
        "a promise) or stop publishing them:\n" + "\n".join(missing)
    )


def test_every_bridge_builder_link_is_listed(leidraad: Leidraad) -> None:
    listed = set(published())
    missing = [f"/{t.path}" for t in links.targets(leidraad) if f"/{t.path}" not in listed]
    assert missing == []
    for form in leidraad.forms:
        for alias in form.aliassen:
            assert f"/vormen/{alias}/" in listed and f"/vormen/{alias}/checklist/" in listed
    for data in ["criteria.json", "criteria.csv", "criteria.schema.json"]:
        assert f"/downloads/{data}" in listed


def test_a_removed_page_must_redirect(tmp_path: Path) -> None:
    """The check itself: a missing page fails, a redirect page to an existing page passes."""
    site = tmp_path / "site"
    (site / "nieuw").mkdir(parents=True)
    (site / "nieuw" / "index.html").write_text("<p>nieuw</p>", encoding="utf-8")
    assert isinstance(resolve(site, "/oud/"), str)
    (site / "oud").mkdir()
    (site / "oud" / "index.html").write_bytes(
        links.redirect_html("../nieuw/", "https://x.example/nieuw/", "Nieuw")
    )
    assert resolve(site, "/oud/") == (site / "nieuw" / "index.html").resolve()
    (site / "lus").mkdir()
    (site / "lus" / "index.html").write_bytes(links.redirect_html("../lus/", "x", "Lus"))
    assert resolve(site, "/lus/") == "/lus/: redirect loop"


@pytest.mark.parametrize("path", ["/vormen/ipl/", "/vormen/stages/checklist/"])
def test_alias_is_a_redirect_not_a_copy(site_dir: Path, path: str) -> None:
    text = (site_dir / path.strip("/") / "index.html").read_text(encoding="utf-8")
    assert REFRESH.search(text)
