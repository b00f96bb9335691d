"""Every page of the built site, parsed once, for the quality gates (issue 6); and the two
hand-written pages /toegankelijkheid/ and /privacy/.

The quality tests never list pages by hand: they take every HTML file MkDocs wrote, so pages
that other steps add later (checklists, downloads, bridge-builders, open data) are covered too.
Redirect stubs (meta refresh pages for aliases) are told apart so that the browser tests can skip
them; the HTML validator and the link check still cover them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from html.parser import HTMLParser
from pathlib import Path

import pytest

#: Attributes that hold a URL, by tag ("*" = any tag).
URL_ATTRS: dict[str, tuple[str, ...]] = {
    "a": ("href",),
    "area": ("href",),
    "link": ("href",),
    "script": ("src",),
    "img": ("src", "srcset"),
    "source": ("src", "srcset"),
    "video": ("src", "poster"),
    "audio": ("src",),
    "track": ("src",),
    "iframe": ("src",),
    "embed": ("src",),
    "object": ("data",),
    "input": ("src",),
    "form": ("action",),
    "image": ("href", "xlink:href"),
    "use": ("href", "xlink:href"),
    "blockquote": ("cite",),
    "q": ("cite",),
}
CSS_URL = re.compile(r"""url\(\s*(['"]?)([^'")]+)\1\s*\)|@import\s+(['"])([^'"]+)\3""")


@dataclass(frozen=True)
class Ref:
    """One URL in a page: the tag and attribute it sits in, and the link relation if any."""

    tag: str
    attr: str
    url: str
    rel: str = ""

    @property
    def is_navigation(self) -> bool:
        """A link the visitor may follow, not something the browser fetches by itself."""
        if self.tag in ("a", "area", "blockquote", "q"):
            return True
        return self.tag == "link" and not set(self.rel.split()) & FETCHED_LINK_RELS


#: ``<link rel>`` values that make the browser fetch the target when the page loads.
FETCHED_LINK_RELS = {
    "stylesheet", "icon", "apple-touch-icon", "mask-icon", "manifest", "preload",
    "modulepreload", "prefetch", "preconnect", "dns-prefetch", "prerender",
}


@dataclass
class HtmlPage:
    #: Path of the file inside the site, e.g. ``vormen/stage/index.html``.
    path: str
    text: str
    ids: set[str] = field(default_factory=set)
    refs: list[Ref] = field(default_factory=list)
    #: Target of a ``<meta http-equiv="refresh">``, for redirect stubs.
    redirect: str | None = None
    #: ``url(...)`` and ``@import`` targets in ``<style>`` elements and ``style`` attributes.
    css_urls: list[str] = field(default_factory=list)

    @property
    def url(self) -> str:
        """The page's address below the site root: ``vormen/stage/``, ``404.html``."""
        return self.path.removesuffix("index.html")


class _Parser(HTMLParser):
    def __init__(self, page: HtmlPage) -> None:
        super().__init__(convert_charrefs=True)
        self.page = page
        self.in_style = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k: v or "" for k, v in attrs}
        for key in ("id",) + (("name",) if tag == "a" else ()):
            if values.get(key):
                self.page.ids.add(values[key])
        for attr in URL_ATTRS.get(tag, ()):
            if attr not in values:
                continue
            raw = values[attr].strip()
            urls = [c.strip().split()[0] for c in raw.split(",") if c.strip()] if (
                attr == "srcset"
            ) else [raw]
            for url in urls:
                self.page.refs.append(Ref(tag, attr, url, values.get("rel", "").lower()))
        if tag == "meta" and values.get("http-equiv", "").lower() == "refresh":
            match = re.search(r"url\s*=\s*(.+)", values.get("content", ""), re.IGNORECASE)
            self.page.redirect = match.group(1).strip().strip("'\"") if match else ""
        if "style" in values:
            self.page.css_urls += css_urls(values["style"])
        self.in_style = tag == "style"

    def handle_endtag(self, tag: str) -> None:
        if tag == "style":
            self.in_style = False

    def handle_data(self, data: str) -> None:
        if self.in_style:
            self.page.css_urls += css_urls(data)


def css_urls(css: str) -> list[str]:
    return [m.group(2) or m.group(4) for m in CSS_URL.finditer(css)]


@cache
def _parse(path: Path, rel: str) -> HtmlPage:
    page = HtmlPage(rel, path.read_text(encoding="utf-8"))
    parser = _Parser(page)
    parser.feed(page.text)
    parser.close()
    return page


def site_pages(site_dir: Path) -> list[HtmlPage]:
    """Every HTML file in the build, sorted by path, parsed."""
    files = sorted(site_dir.rglob("*.html"))
    return [_parse(f, f.relative_to(site_dir).as_posix()) for f in files]


def content_pages(site_dir: Path) -> list[HtmlPage]:
    """Every page a visitor sees: all HTML files except meta-refresh redirect stubs."""
    return [p for p in site_pages(site_dir) if p.redirect is None]


# --- tests: the page list itself ---------------------------------------------------------------


def test_page_list_covers_the_whole_build(site_dir: Path) -> None:
    pages = {p.path: p for p in site_pages(site_dir)}
    for path in (
        "index.html",
        "404.html",
        "leidraad/voor-je-begint/index.html",
        "vormen/stage/index.html",
        "toegankelijkheid/index.html",
        "privacy/index.html",
    ):
        assert path in pages, f"{path} missing from the build"
        assert pages[path].redirect is None
    assert len(pages) == sum(1 for _ in site_dir.rglob("*.html"))
    # The home page's criterion legend anchor and its links were parsed.
    assert "legende" in pages["index.html"].ids
    assert any(r.url.startswith("vormen/") for r in pages["index.html"].refs)


def test_redirect_stubs_are_recognised(tmp_path: Path) -> None:
    (tmp_path / "oud").mkdir()
    (tmp_path / "oud" / "index.html").write_text(
        '<!doctype html><html lang="nl"><head><meta charset="utf-8"><title>x</title>'
        '<meta http-equiv="refresh" content="0; url=../nieuw/"></head><body>'
        '<a href="../nieuw/">nieuw</a></body></html>',
        encoding="utf-8",
    )
    (tmp_path / "index.html").write_text(
        '<!doctype html><html lang="nl"><head><title>x</title><style>b{background:url("a.png")}'
        '</style></head><body><img srcset="a.png 1x, b.png 2x" alt=""></body></html>',
        encoding="utf-8",
    )
    pages = {p.path: p for p in site_pages(tmp_path)}
    assert pages["oud/index.html"].redirect == "../nieuw/"
    assert [p.path for p in content_pages(tmp_path)] == ["index.html"]
    assert pages["index.html"].css_urls == ["a.png"]
    assert [r.url for r in pages["index.html"].refs] == ["a.png", "b.png"]


# --- tests: /toegankelijkheid/ and /privacy/ ---------------------------------------------------


def _main_text(site_dir: Path, path: str) -> str:
    html = (site_dir / path).read_text(encoding="utf-8")
    article = html.split('<article class="md-content__inner md-typeset">', 1)[1]
    article = article.split("</article>", 1)[0]
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", article))


def test_accessibility_statement(site_dir: Path) -> None:
    text = _main_text(site_dir, "toegankelijkheid/index.html")
    for phrase in (
        "Toegankelijkheidsverklaring",
        # Status of compliance, honestly partial, and against which standard.
        "gedeeltelijk in overeenstemming",
        "WCAG) 2.1, niveau AA",
        # Known limitations, with the reason for the PDFs.
        "niet aan PDF/UA",
        "melding 2726",
        # How it was assessed and when.
        "zelfbeoordeling",
        "axe-core",
        "Nu HTML Checker",
        "Opgesteld op",
        # Feedback route (placeholder to fill in, clearly marked) and enforcement.
        "Feedback en contact",
        "in te vullen door de redactie",
        "Vlaamse Ombudsdienst",
        # Legal basis.
        "Bestuursdecreet van 7 december 2018, artikel II.16",
        "(EU) 2016/2102",
    ):
        assert phrase in text, f"accessibility statement lacks {phrase!r}"


def test_privacy_page(site_dir: Path) -> None:
    text = _main_text(site_dir, "privacy/index.html")
    for phrase in (
        "blijft in je eigen browser",
        "localStorage",
        "per vorm",
        "onder de naam die je koos",
        "Geen cookies",
        "Geen statistieken of bezoekersanalyse",
        "Niets van andere websites",
        "Je gegevens wissen",
        "instellingen van je browser",
        "Bestanden die je zelf bewaart",
    ):
        assert phrase in text, f"privacy page lacks {phrase!r}"


@pytest.mark.parametrize("path", ["index.html", "vormen/stage/index.html"])
def test_about_pages_are_in_the_navigation(site_dir: Path, path: str) -> None:
    html = (site_dir / path).read_text(encoding="utf-8")
    nav = html[html.index('<nav class="md-nav md-nav--primary"') :]
    section = nav[nav.index("Over deze site") :]
    assert re.search(r'href="[./]*toegankelijkheid/"', section)
    assert re.search(r'href="[./]*privacy/"', section)
