"""The bridge-builders' link page, its QR codes (decoded, PNG and SVG) and the alias redirects."""

from __future__ import annotations

import base64
import html
import io
import json
import re
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import PIL.Image
import pytest
import zxingcpp
from conftest import mkdocs_build

from generator import links
from generator.model import Leidraad

SITE_URL = "https://werkplekleren.example.org/"
OTHER_URL = "https://rtc.example.be/werkplekleren/"


class Elements(HTMLParser):
    """All start tags of a page with their attributes."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, {k: v or "" for k, v in attrs}))


def elements(path: Path) -> list[tuple[str, dict[str, str]]]:
    parser = Elements()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser.tags


def decode(image: PIL.Image.Image) -> list[str]:
    return [r.text for r in zxingcpp.read_barcodes(image)]


def test_targets_cover_every_form_and_role(leidraad: Leidraad) -> None:
    targets = links.targets(leidraad)
    assert len(targets) == len(leidraad.forms) * (1 + len(leidraad.roles)) * 3 == 126
    assert len({t.name for t in targets}) == len(targets)
    paths = {t.path for t in targets}
    for form in leidraad.forms:
        assert f"vormen/{form.slug}/" in paths
        assert f"vormen/{form.slug}/checklist/" in paths
        assert f"downloads/checklist-{form.slug}.pdf" in paths
        for role in leidraad.roles:
            assert f"vormen/{form.slug}/?rol={role.slug}" in paths
            assert f"vormen/{form.slug}/checklist/?rol={role.slug}" in paths
            assert f"downloads/checklist-{form.slug}-{role.slug}.pdf" in paths


def test_link_page_offers_every_link_qr_and_snippet(site_dir: Path, leidraad: Leidraad) -> None:
    page = site_dir / "bruggenbouwers" / "index.html"
    text = page.read_text(encoding="utf-8")
    tags = elements(page)
    images = {a["src"]: a for tag, a in tags if tag == "img" and a.get("src", "").startswith("qr/")}
    inputs = {a["id"]: a for tag, a in tags if tag == "input" and "data-wpl-copy" in a}
    labels = {a["for"] for tag, a in tags if tag == "label" and "for" in a}
    anchors = {a["href"] for tag, a in tags if tag == "a" and "href" in a}
    assert 'lang="nl"' in text
    assert text.count('class="segno"') == 0, "QR codes must be files, not inlined SVG"
    for target in links.targets(leidraad):
        url = SITE_URL + target.path
        svg = f"qr/{target.name}.svg"
        image = images[svg]
        assert image["loading"] == "lazy"
        assert url in image["alt"]
        assert image["width"] == image["height"]
        assert (site_dir / "bruggenbouwers" / svg).is_file()
        assert (site_dir / "bruggenbouwers" / "qr" / f"{target.name}.png").is_file()
        assert svg in anchors and f"qr/{target.name}.png" in anchors
        snippet_html = inputs[f"html-{target.name}"]
        assert snippet_html["value"] == f'<a href="{url}">{html.escape(target.label)}</a>'
        assert "readonly" in snippet_html
        snippet_md = inputs[f"md-{target.name}"]
        assert snippet_md["value"] == f"[{target.label}]({url})"
        assert {f"html-{target.name}", f"md-{target.name}"} <= labels
        assert html.escape(url, quote=False) in text
        # A link the visitor can follow locally, to a page or file that exists in the build.
        href = f"../{target.path}"
        assert href in anchors, href
        local = site_dir / target.path.split("?")[0]
        assert local.is_file() or (local / "index.html").is_file(), target.path
    # Grouped per form, with the role links folded away.
    for form in leidraad.forms:
        assert f'<h2 id="{form.slug}">' in text
        assert f'<details class="wpl-roles" id="{form.slug}-per-rol">' in text
    assert text.count("<details") == len(leidraad.forms)
    assert "RTC" in text and "QR-code" in text


def test_every_png_qr_code_scans_to_its_url(site_dir: Path, leidraad: Leidraad) -> None:
    qr_dir = site_dir / "bruggenbouwers" / "qr"
    checked = 0
    for target in links.targets(leidraad):
        with PIL.Image.open(qr_dir / f"{target.name}.png") as image:
            assert decode(image) == [SITE_URL + target.path], target.name
        checked += 1
    assert checked == 126


def test_every_svg_qr_code_scans_to_its_url(
    site_dir: Path, leidraad: Leidraad, browser: Any
) -> None:
    """Rasterise each SVG in Chromium as a browser shows it, then decode the pixels."""
    qr_dir = site_dir / "bruggenbouwers" / "qr"
    context = browser.new_context(device_scale_factor=2)
    tab = context.new_page()
    tab.route("**/*", lambda route: route.abort())  # data: URLs only, nothing from the network
    try:
        for target in links.targets(leidraad):
            data = base64.b64encode((qr_dir / f"{target.name}.svg").read_bytes()).decode()
            tab.set_content(
                '<body style="margin:0;background:#fff">'
                f'<img id="qr" src="data:image/svg+xml;base64,{data}" style="background:#fff">'
            )
            tab.wait_for_function("document.getElementById('qr').complete")
            shot = tab.locator("#qr").screenshot()
            with PIL.Image.open(io.BytesIO(shot)) as image:
                assert decode(image) == [SITE_URL + target.path], target.name
    finally:
        context.close()


def test_alias_redirect_pages(site_dir: Path, leidraad: Leidraad) -> None:
    count = 0
    for form in leidraad.forms:
        for alias in form.aliassen:
            for old, new in [
                (f"vormen/{alias}/", f"vormen/{form.slug}/"),
                (f"vormen/{alias}/checklist/", f"vormen/{form.slug}/checklist/"),
            ]:
                page = site_dir / old / "index.html"
                text = page.read_text(encoding="utf-8")
                tags = elements(page)
                assert '<html lang="nl">' in text
                assert re.search(r"<title>[^<]+</title>", text)
                canonical = [
                    a["href"] for t, a in tags if t == "link" and a.get("rel") == "canonical"
                ]
                assert canonical == [SITE_URL + new]
                refresh = [a["content"] for t, a in tags if a.get("http-equiv") == "refresh"]
                assert len(refresh) == 1
                delay, target = refresh[0].split("; url=")
                assert delay == "0"
                resolved = (page.parent / target / "index.html").resolve()
                assert resolved == (site_dir / new / "index.html").resolve()
                assert resolved.is_file()
                visible = [a["href"] for t, a in tags if t == "a"]
                assert visible == [target]
                # Nothing loads from anywhere: no src, no other host than the canonical one.
                assert "src=" not in text
                assert re.findall(r"https?://", text.replace(SITE_URL, "")) == []
                count += 1
    assert count == 2 * sum(len(f.aliassen) for f in leidraad.forms) >= 2


def test_alias_redirects_in_the_browser(page: Any, page_nojs: Any, server: str) -> None:
    """With JavaScript the role and anchor survive; without it the meta refresh still works."""
    page.goto(server + "vormen/ipl/?rol=mentor#criteria")
    page.wait_for_url(server + "vormen/individuele-praktijklessen/?rol=mentor#criteria")
    page.goto(server + "vormen/ipl/checklist/")
    page.wait_for_url(server + "vormen/individuele-praktijklessen/checklist/")
    assert page.foreign_requests == []
    assert page.js_errors == []
    page_nojs.goto(server + "vormen/stages/")
    page_nojs.wait_for_url(server + "vormen/stage/")
    assert page_nojs.title().startswith("Stage")


def test_role_links_open_filtered(page: Any, server: str) -> None:
    """A published ?rol= link shows the guideline and the checklist for that role."""
    page.goto(server + "vormen/stage/?rol=mentor")
    page.wait_for_selector("input[name=rol][value=mentor]:checked", state="attached")
    page.goto(server + "vormen/stage/checklist/?rol=lerende")
    page.wait_for_selector("input[value=lerende]:checked", state="attached")
    assert page.foreign_requests == []


def test_copy_button_works_with_the_keyboard(page: Any, server: str) -> None:
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=server[:-1])
    page.goto(server + "bruggenbouwers/")
    field = page.locator("#html-stage-checklist")
    button = page.locator("#html-stage-checklist + button")
    assert button.get_attribute("type") == "button"
    assert button.inner_text() == "Kopieer"
    assert "HTML-link" in (button.get_attribute("aria-label") or "")
    field.focus()
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Kopieer"
    page.keyboard.press("Enter")
    page.wait_for_function("document.getElementById('wpl-copy-status').textContent !== ''")
    assert page.locator("#wpl-copy-status").inner_text() == "Gekopieerd."
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied == field.input_value()
    assert copied.startswith('<a href="https://werkplekleren.example.org/vormen/stage/checklist/"')
    assert page.locator("input[data-wpl-copy] + button").count() == 252
    assert page.foreign_requests == [] and page.js_errors == []


def test_link_page_without_javascript_has_no_dead_buttons(page_nojs: Any, server: str) -> None:
    page_nojs.goto(server + "bruggenbouwers/")
    assert page_nojs.locator("button.wpl-copy").count() == 0
    assert page_nojs.locator("#md-stage-pagina").input_value().startswith("[Stage")


def test_form_pages_link_to_their_share_section(site_dir: Path, leidraad: Leidraad) -> None:
    for form in leidraad.forms:
        text = (site_dir / "vormen" / form.slug / "index.html").read_text(encoding="utf-8")
        assert f'href="../../bruggenbouwers/#{form.slug}"' in text


def test_markdown_snippet_escapes_its_label() -> None:
    assert links.markdown_snippet("https://x.example/a", "Les [1] *x*") == (
        r"[Les \[1\] \*x\*](https://x.example/a)"
    )
    assert links.html_snippet("https://x.example/?a=1&b=2", "<b>") == (
        '<a href="https://x.example/?a=1&amp;b=2">&lt;b&gt;</a>'
    )


@pytest.fixture(scope="module")
def other_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The whole site built with another site_url (as when the site moves to a new host)."""
    dest = tmp_path_factory.mktemp("other-url")
    result = mkdocs_build(dest, site_url=OTHER_URL)
    assert result.returncode == 0, result.stderr
    return dest / "site"


def test_links_follow_site_url(other_site: Path, leidraad: Leidraad) -> None:
    text = (other_site / "bruggenbouwers" / "index.html").read_text(encoding="utf-8")
    assert SITE_URL not in text
    qr_dir = other_site / "bruggenbouwers" / "qr"
    for target in links.targets(leidraad):
        url = OTHER_URL + target.path
        assert f'value="[{target.label}]({url})"' in text.replace("&#34;", '"'), target.name
        with PIL.Image.open(qr_dir / f"{target.name}.png") as image:
            assert decode(image) == [url]
    assert (
        b"rtc.example.be/werkplekleren/vormen/stage/" in (qr_dir / "stage-pagina.svg").read_bytes()
    )
    redirect = (other_site / "vormen" / "ipl" / "index.html").read_text(encoding="utf-8")
    assert f'rel="canonical" href="{OTHER_URL}vormen/individuele-praktijklessen/"' in redirect
    data = json.loads((other_site / "downloads" / "criteria.json").read_text(encoding="utf-8"))
    assert data["$schema"] == OTHER_URL + "downloads/criteria.schema.json"
    assert data["criteria"][0]["url"].startswith(OTHER_URL)


def test_link_page_is_accessible_with_every_section_open(page: Any, server: str) -> None:
    from tests import axe

    page.goto(server + "bruggenbouwers/")
    page.evaluate("document.querySelectorAll('details').forEach(d => { d.open = true; })")
    violations = axe.violations(page)
    assert [(v["id"], len(v["nodes"])) for v in violations] == []
    assert page.foreign_requests == []


def test_copy_buttons_after_moving_between_pages(page: Any, server: str) -> None:
    """Every move is a full page load (no instant navigation): the copy script sets up once."""
    start = server + "vormen/stage/"
    page.goto(start)
    page.wait_for_function("document.documentElement.classList.contains('js')")
    page.evaluate("window.__sameDocument = true")
    page.get_by_role("link", name="Link en QR-code om te delen").click()
    page.wait_for_url(server + "bruggenbouwers/#stage")
    page.wait_for_selector("#html-stage-pagina + button.wpl-copy")
    assert page.evaluate("window.__sameDocument") is None, "not a full page load"
    assert page.locator("button.wpl-copy").count() == 252
    page.go_back()
    page.wait_for_url(start)
    page.go_forward()
    page.wait_for_function("document.querySelectorAll('button.wpl-copy').length === 252")
    page.wait_for_timeout(300)  # a second set-up would add buttons after the first
    assert page.locator("button.wpl-copy").count() == 252
    assert page.js_errors == []
