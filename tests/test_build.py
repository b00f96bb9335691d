"""A real, strict MkDocs build: every criterion and question on the site, in Dutch, filterable."""

from __future__ import annotations

import html
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import Any

from generator import stylesheets, text
from generator.model import Leidraad
from generator.text import inline_html
from tests.conftest import CRITERIA, ROOT, write_config


def _read(site_dir: Path, path: str) -> str:
    return (site_dir / path / "index.html").read_text(encoding="utf-8")


def test_every_criterion_and_question_is_on_its_phase_page(
    site_dir: Path, leidraad: Leidraad
) -> None:
    historical = {link.url for link in leidraad.guideline.oorspronkelijke_links}
    for phase in leidraad.phases:
        page = _read(site_dir, f"leidraad/{phase.id}")
        for domain in phase.domeinen:
            assert f'id="{domain.id}"' in page
            for question in domain.vragen:
                heading = re.search(rf'<h3 id="{question.id}">(.*?)</h3>', page)
                assert heading, question.id
                assert html.unescape(heading.group(1)) == question.tekst
                for criterion in question.criteria:
                    assert f'id="{criterion.id}"' in page
                    rendered = inline_html(criterion.tekst, historical)
                    assert str(rendered) in page, criterion.id


#: The theme's bundle, by its file name.
BUNDLE = r"bundle\.[0-9a-f]+\.min\.js"


def test_the_theme_bundle_is_loaded_after_the_first_paint(site_dir: Path) -> None:
    """Every page names the theme's bundle once, in the inert tag that the loader of main.html
    turns into a script after the first frame, and never in a script tag of its own (the
    browser test in test_nginx_browser.py checks the order in Chromium)."""
    checked = 0
    for path in site_dir.rglob("*.html"):
        text = path.read_text(encoding="utf-8")
        if 'http-equiv="refresh"' in text:
            continue
        checked += 1
        tags = re.findall(r"<script\b[^>]*>", text)
        bundle = [tag for tag in tags if re.search(BUNDLE, tag)]
        assert len(bundle) == 1, f"{path}: {bundle}"
        inert = r'<script type="text/plain" data-wpl-later data-src="[./]*assets/javascripts/'
        assert re.fullmatch(rf'{inert}{BUNDLE}">', bundle[0]), f"{path}: {bundle[0]}"
        assert "requestAnimationFrame(function(){setTimeout(function(){" in text, path
    assert checked >= 14


def test_our_stylesheets_are_served_without_comments(site_dir: Path) -> None:
    """Each stylesheet of site_overrides is served as stylesheets.compact makes it: its rules,
    not its comments (generator/stylesheets.py), by either engine."""
    sources = sorted((ROOT / "site_overrides").rglob("*.css"))
    assert len(sources) >= 4
    for source in sources:
        served = site_dir / source.relative_to(ROOT / "site_overrides")
        text = served.read_text(encoding="utf-8")
        assert "/*" not in text, served
        assert text == stylesheets.compact(source.read_text(encoding="utf-8")), served
        assert text.count("{") == text.count("}") > 3, served


def test_compacting_a_stylesheet_keeps_its_rules() -> None:
    css = (
        "/* A comment on its own line,\n   and a second one. */\n"
        ".a { color: red; } /* after a rule */\n"
        "\n"
        '.b::before { content: "/* not a comment */"; }\n'
        ".c::after { content: '\\'/* still a string */'; }\n"
        "a/**/b { margin: 0; }\n"
        "  /* indented */\n"
        ".d { padding: 0 }\n"
    )
    assert stylesheets.compact(css) == (
        ".a { color: red; }\n"
        '.b::before { content: "/* not a comment */"; }\n'
        ".c::after { content: '\\'/* still a string */'; }\n"
        "a b { margin: 0; }\n"
        ".d { padding: 0 }\n"
    )
    assert stylesheets.compact("/* only */\n") == ""
    assert stylesheets.compact(".e {}\n/* unclosed") == ".e {}\n/* unclosed\n"


def test_pages_are_dutch_and_have_no_third_party_assets(site_dir: Path) -> None:
    pages = list(site_dir.rglob("*.html"))
    assert len(pages) >= 14
    for path in pages:
        text = path.read_text(encoding="utf-8")
        if 'http-equiv="refresh"' in text:
            continue
        assert '<html lang="nl"' in text, path
        assert "fonts.googleapis" not in text and "fonts.gstatic" not in text, path
        for tag in re.findall(r"<(?:script|link|img|source|iframe)\b[^>]*>", text):
            if 'rel="canonical"' in tag:
                continue  # names the page's address; the browser fetches nothing
            assert not re.search(r'(?:src|href)="(?:https?:)?//', tag), f"{path}: {tag}"


def test_form_pages_exist_for_all_seven_forms(site_dir: Path, leidraad: Leidraad) -> None:
    for form in leidraad.forms:
        page = _read(site_dir, f"vormen/{form.slug}")
        assert "<h1" in page and html.escape(form.naam) in page
        assert "De leidraad voor" in page
    overview = _read(site_dir, "vormen")
    assert all(f'href="{f.slug}/"' in overview for f in leidraad.forms)


def test_home_legend_and_verantwoording(site_dir: Path, leidraad: Leidraad) -> None:
    home = _read(site_dir, "")
    assert 'id="legende"' in home and 'id="kies-je-vorm"' in home
    assert home.count('class="wpl-icon wpl-icon--') >= 3
    account = _read(site_dir, "verantwoording")
    assert "redactionele keuze" in account
    for link in leidraad.guideline.oorspronkelijke_links:
        assert link.url in account
    for loc in leidraad.criteria():
        assert f"#{loc.criterion.id}" in account


def test_search_is_dutch(site_dir: Path) -> None:
    config = (site_dir / "search" / "search_index.json").read_text(encoding="utf-8")
    assert '"lang":["nl"]' in config.replace(" ", "")


def test_search_finds_every_criterion_once_per_page_that_explains_it(
    site_dir: Path, leidraad: Leidraad
) -> None:
    """The checklists stay out of the search index (eight copies of every criterion, and the
    index is parsed on every page); each criterion is still found, on its phase and form pages."""
    docs = json.loads((site_dir / "search" / "search_index.json").read_text("utf-8"))["docs"]
    pages = {doc["location"].split("#")[0] for doc in docs}
    assert not [page for page in pages if page.endswith("checklist/")], pages
    assert "leidraad/aan-de-slag/" in pages and "vormen/stage/" in pages
    words = " ".join(html.unescape(re.sub(r"<[^>]+>", "", doc["text"])) for doc in docs)
    words = re.sub(r"\s+", " ", words)
    missing = [
        loc.criterion.id for loc in leidraad.criteria()
        if re.sub(r"\s+", " ", text.plain(loc.criterion.tekst)) not in words
    ]
    assert missing == []


def test_role_filter_without_javascript_shows_everything(page_nojs: Any, server: str) -> None:
    page_nojs.goto(server + "leidraad/aan-de-slag/?rol=mentor")
    assert page_nojs.locator("li.wpl-criterion:visible").count() == 28
    assert page_nojs.locator("form.wpl-rolfilter").is_hidden()


def test_role_filter_with_javascript_and_by_link(page: Any, server: str) -> None:
    page.goto(server + "leidraad/aan-de-slag/?rol=mentor")
    visible = page.locator("li.wpl-criterion:visible")
    mentor = page.locator('li.wpl-criterion[data-roles~="mentor"]')
    assert 0 < visible.count() == mentor.count() < 28
    assert page.locator("input[name=rol][value=mentor]").is_checked()
    page.get_by_label("iedereen").check()
    assert page.locator("li.wpl-criterion:visible").count() == 28
    assert "rol=" not in page.url
    page.get_by_label("lerende").check()
    assert "rol=lerende" in page.url
    assert page.js_errors == [] and page.foreign_requests == []


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _get(url: str) -> str:
    # mkdocs serve holds requests while it rebuilds; a rebuild may render PDFs.
    with urllib.request.urlopen(url, timeout=240) as response:
        return str(response.read().decode("utf-8"))


def test_serve_rebuilds_when_a_yaml_file_changes(tmp_path: Path) -> None:
    criteria = tmp_path / "criteria"
    shutil.copytree(CRITERIA, criteria)
    config = write_config(tmp_path, criteria)
    port = _free_port()
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    command = [sys.executable, "-m", "mkdocs", "serve", "--livereload", "-f", str(config)]
    command += ["-a", f"127.0.0.1:{port}"]
    process = subprocess.Popen(command, cwd=tmp_path, env=env, stdout=subprocess.DEVNULL,
                               stderr=subprocess.PIPE, text=True)
    url = f"http://127.0.0.1:{port}/leidraad/voor-je-begint/"
    try:
        deadline = time.monotonic() + 400
        page = ""
        while time.monotonic() < deadline:
            try:
                page = _get(url)
                break
            except OSError:
                time.sleep(0.5)
        assert "Voorzie tijd en ruimte." in page
        phase = criteria / "fasen" / "1-voor-je-begint.yml"
        phase.write_text(
            phase.read_text(encoding="utf-8").replace(
                "Voorzie tijd en ruimte.", "Voorzie tijd, ruimte en koffie."
            ),
            encoding="utf-8",
        )
        while time.monotonic() < deadline:
            try:
                if "Voorzie tijd, ruimte en koffie." in _get(url):
                    break
            except OSError:
                pass
            time.sleep(0.5)
        else:
            raise AssertionError("mkdocs serve did not rebuild after the YAML edit")
    finally:
        process.terminate()
        _, stderr = process.communicate(timeout=30)
    assert "Traceback" not in stderr


def test_design_pins_are_respected() -> None:
    pyproject = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    assert '"mkdocs>=1.6.1,<2"' in pyproject
    assert '"mkdocs-material>=9.7.6,<10"' in pyproject


def test_the_guidelines_old_link_is_kept_and_marked_as_history(site_dir: Path) -> None:
    page = _read(site_dir, "leidraad/voor-je-begint")
    url = "http://www.stageforum.be/page/478.aspx"
    link = f'<a class="wpl-historical" href="{url}" rel="nofollow">{url}</a>'
    # The text keeps the source's full stop; the warning is a separate note after it.
    assert f"{link}.</p>" in page or f"{link}.</label>" in page
    note = page.split(f"{link}.", 1)[1]
    assert re.match(
        r'</p>\s*<p class="wpl-criterion__note"><strong>Noot van de redactie:</strong> '
        r"Deze link komt uit de leidraad .*? werkt wellicht niet meer\.</p>", note
    ), note[:200]
    assert page.count(f'href="{url}"') == 1


def test_role_filter_shows_the_importance_for_that_role(page: Any, server: str) -> None:
    """studie-en-loopbaanadvies is level 2, very important for the begeleider, not for the form
    stage; the words say both, for whom each holds."""
    page.goto(server + "vormen/stage/")
    item = page.locator("li#studie-en-loopbaanadvies")
    assert item.get_attribute("data-heel-belangrijk-rollen") == "begeleider"
    assert item.get_by_role("img", name="Belangrijk", exact=True).is_visible()
    assert item.get_by_role("img", name="Heel belangrijk", exact=True).is_hidden()
    page.get_by_label("begeleider").check()
    assert item.get_by_role("img", name="Heel belangrijk", exact=True).is_visible()
    assert item.get_by_role("img", name="Belangrijk", exact=True).is_hidden()
    assert (
        "bij stage heel belangrijk voor begeleider, belangrijk voor instelling"
        in item.inner_text()
    )
    page.get_by_label("iedereen").check()
    assert item.get_by_role("img", name="Belangrijk", exact=True).is_visible()
    assert page.js_errors == []


def test_every_page_links_the_statements_in_its_footer(site_dir: Path) -> None:
    for path in ("", "leidraad/achteraf", "vormen/stage/checklist"):
        footer = _read(site_dir, path).split('<footer class="md-footer">')[1]
        # From the page's own depth to the root ("./" or nothing on the home page: Zensical
        # writes the one, MkDocs the other).
        up = re.escape("../" * path.count("/") + "../") if path else r"(\./)?"
        for target in ("toegankelijkheid/", "privacy/"):
            assert re.search(rf'href="{up}{target}"', footer), (path, target)


def test_home_keeps_the_navigation(site_dir: Path) -> None:
    """On a desktop the sidebar is the only way to Downloads, the all-forms checklist, ..."""
    home = _read(site_dir, "")
    assert re.search(r'data-md-type="navigation"\s*>', home)
    assert 'href="downloads/"' in home and 'href="checklist/"' in home
