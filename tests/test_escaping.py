"""Escaping: an editor's HTML, Markdown or Jinja in the criteria shows as text everywhere.

A copy of the real criteria gets hostile texts, hints and names; a real strict MkDocs build of
it must contain no injected element, no javascript: link, no evaluated template, and must show
the texts as text, while the limited Markdown allowed in texts (see generator/text.py) still
works.
"""

from __future__ import annotations

import csv
import html
import io
import json
import shutil
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import CRITERIA, mkdocs_build, serve_directory

#: What an attacker (or a careless paste) puts in a text. Every payload would set
#: ``window.wplXss`` or create an element with a ``wpl-xss`` marker if it were not escaped.
SCRIPT = "<script>window.wplXss=1</script>"
IMG = '<img src=x onerror="window.wplXss=2">'
TAG = '<b class="wpl-xss">vet?</b>'
JINJA = "{{ 7*7 }} {% if true %}jinja{% endif %}"
ENTITY = "tijd &amp; ruimte & 'quotes' \"dubbel\" &lt;geen tag&gt;"
ATTR = '{ onclick="window.wplXss=3" }'
MARKDOWN_OK = "**vet** en *schuin* en [een link](https://example.org/pad?a=1&b=2) en https://example.org/kaal"
JS_LINK = "[kwaad](javascript:window.wplXss=4)"

CRITERION_TEXT = f"Voorzie {SCRIPT} tijd {IMG} {TAG} {JINJA} {ENTITY}. {MARKDOWN_OK}. {JS_LINK}"
HINT = f"Tip {SCRIPT} {IMG} {JINJA} {JS_LINK} <!-- commentaar --> {ENTITY}"
SHORT = f"Naam {TAG} {IMG} & {JINJA} {ATTR}"
REASON = f"Reden {SCRIPT} ![beeld](https://example.org/x.png) <a href='javascript:x()'>a</a>"

#: The plain text (as a reader sees it) that must appear on the pages.
VISIBLE = ["<script>window.wplXss=1</script>", '<img src=x onerror="window.wplXss=2">', "{{ 7*7 }}"]


def hostile_criteria(dest: Path) -> dict[str, Any]:
    """A copy of the real criteria with hostile strings in the places editors write text."""
    shutil.copytree(CRITERIA, dest)
    phase_file = sorted((dest / "fasen").glob("*.yml"))[0]
    phase = yaml.safe_load(phase_file.read_text(encoding="utf-8"))
    fase = phase["fase"]
    fase["titel"] = f"Fase {TAG} {ATTR}"
    fase["inleiding"] = HINT
    domain = fase["domeinen"][0]
    domain["titel"] = SHORT
    question = domain["vragen"][0]
    question["tekst"] = f"Vraag {SCRIPT} {JINJA}?"
    criterion = question["criteria"][0]
    criterion["tekst"] = CRITERION_TEXT
    criterion["niveau_reden"] = REASON
    criterion["tips"] = {
        "stage": {"tekst": HINT, "bronnen": [{"titel": SHORT, "url": "https://example.org/tip"}]}
    }
    criterion["links"] = [{"titel": SHORT, "url": "https://example.org/?q='x'&y=1"}]
    phase_file.write_text(yaml.safe_dump(phase, allow_unicode=True, sort_keys=False), "utf-8")

    forms_file = dest / "vormen.yml"
    forms = yaml.safe_load(forms_file.read_text(encoding="utf-8"))
    stage = next(f for f in forms["vormen"] if f["slug"] == "stage")
    stage["naam"] = SHORT
    stage["korte_beschrijving"] = HINT
    stage["beschrijving"] = [{"tekst": CRITERION_TEXT}]
    stage["vereisten"][0]["tekst"] = HINT
    stage["vereisten"][0]["bronnen"] = [
        {"titel": SHORT, "url": "https://example.org/bron", "gecontroleerd": "2026-11-29"}
    ]
    forms_file.write_text(yaml.safe_dump(forms, allow_unicode=True, sort_keys=False), "utf-8")

    guideline_file = dest / "leidraad.yml"
    guideline = yaml.safe_load(guideline_file.read_text(encoding="utf-8"))
    guideline["inleiding"][-1]["noot"] = HINT
    guideline["inleiding"][-1]["bronnen"] = [{"titel": SHORT, "url": "https://example.org/noot"}]
    guideline["niveau_2_regels"][0]["naam"] = SHORT
    guideline["niveau_2_regels"][0]["uitleg"] = REASON
    guideline["bronfouten"][0]["waar"] = SHORT
    guideline_file.write_text(
        yaml.safe_dump(guideline, allow_unicode=True, sort_keys=False), "utf-8"
    )

    roles_file = dest / "rollen.yml"
    roles = yaml.safe_load(roles_file.read_text(encoding="utf-8"))
    mentor = next(r for r in roles["rollen"] if r["slug"] == "mentor")
    mentor["naam"] = SHORT
    mentor["kort"] = f"mentor {TAG}"
    mentor["beschrijving"] = HINT
    roles_file.write_text(yaml.safe_dump(roles, allow_unicode=True, sort_keys=False), "utf-8")
    return {"criterion": criterion["id"], "phase": fase["id"], "question": question["id"]}


@dataclass
class Page:
    """What html.parser saw in one page: elements with their attributes, and visible text."""

    elements: list[tuple[str, dict[str, str]]] = field(default_factory=list)
    text: list[str] = field(default_factory=list)
    scripts: list[str] = field(default_factory=list)


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.page = Page()
        self._in: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.page.elements.append((tag, {k: v or "" for k, v in attrs}))
        if tag in {"script", "style", "title"}:
            self._in.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if self._in and self._in[-1] == tag:
            self._in.pop()

    def handle_data(self, data: str) -> None:
        if self._in and self._in[-1] == "script":
            self.page.scripts.append(data)
        elif not self._in or self._in[-1] == "title":
            self.page.text.append(data)


def parse(path: Path) -> Page:
    collector = _Collector()
    collector.feed(path.read_text(encoding="utf-8"))
    collector.close()
    return collector.page


def visible(page: Page) -> str:
    return " ".join(" ".join(page.text).split())


@dataclass(frozen=True)
class HostileSite:
    site: Path
    ids: dict[str, Any]
    build: subprocess.CompletedProcess[str]


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> HostileSite:
    """The hostile criteria built with a real strict `mkdocs build` (PDFs included).

    MkDocs writes the whole site before strict mode turns warnings into a failure, so the
    pages can be inspected even when the build fails; whether it passes is its own test.
    """
    tmp = tmp_path_factory.mktemp("hostile")
    ids = hostile_criteria(tmp / "criteria")
    result = mkdocs_build(tmp, criteria=tmp / "criteria")
    assert (tmp / "site" / "index.html").is_file(), result.stderr
    return HostileSite(tmp / "site", ids, result)


def test_the_hostile_criteria_pass_the_check_and_the_strict_build(hostile: HostileSite) -> None:
    """Hostile text is valid data: it must be shown, not refused, and not break the build."""
    assert hostile.build.returncode == 0, hostile.build.stderr


def html_pages(site: Path) -> list[Path]:
    return sorted(site.rglob("*.html"))


def test_no_injected_element_on_any_page(hostile: HostileSite) -> None:
    pages = html_pages(hostile.site)
    assert len(pages) > 20
    for path in pages:
        page = parse(path)
        where = path.relative_to(hostile.site)
        for tag, attrs in page.elements:
            assert "wpl-xss" not in attrs.get("class", ""), (where, tag, attrs)
            assert not (tag == "img" and attrs.get("src") == "x"), (where, attrs)
            for name, value in attrs.items():
                assert not (name.startswith("on") and "wplXss" in value), (where, tag, attrs)
                if name in {"href", "src", "action", "formaction"}:
                    scheme = value.strip().lower().replace("\t", "").replace("\n", "")
                    assert not scheme.startswith("javascript:"), (where, tag, attrs)
        for script in page.scripts:
            assert "window.wplXss" not in html.unescape(script) or _is_data(script), (where, script)


def _is_data(script: str) -> bool:
    """A script element that holds data (JSON), not code, may contain the text as a string."""
    try:
        json.loads(script)
    except ValueError:
        return False
    return True


@pytest.mark.parametrize(
    "page",
    [
        "leidraad/voor-je-begint/index.html",
        "vormen/stage/index.html",
        "vormen/stage/checklist/index.html",
    ],
)
def test_hostile_text_is_shown_as_text(hostile: HostileSite, page: str) -> None:
    text = visible(parse(hostile.site / page))
    for shown in VISIBLE:
        assert shown in text, f"{page}: {shown!r} is not visible as text"
    assert "tijd &amp; ruimte & 'quotes' \"dubbel\" &lt;geen tag&gt;" in text
    # Not double-escaped: the reader sees "<b", never "&lt;b".
    assert "&lt;b class" not in text and "&amp;lt;" not in text
    # The Jinja-looking text was not evaluated.
    assert "{{ 7*7 }} {% if true %}jinja{% endif %}" in text


def test_hints_names_and_reasons_are_text(hostile: HostileSite) -> None:
    form = visible(parse(hostile.site / "vormen" / "stage" / "index.html"))
    assert f"Tip {SCRIPT}" in form  # the hint for stage
    assert f"Naam {TAG}" in form  # the form's name, as heading and in lists
    assert ATTR in form, "attr_list must not turn a name ending in { ... } into attributes"
    reasons = visible(parse(hostile.site / "verantwoording" / "index.html"))
    assert "![beeld](https://example.org/x.png)" in reasons
    assert "<a href='javascript:x()'>a</a>" in reasons


def test_page_titles_are_text_not_markup(hostile: HostileSite) -> None:
    heading = _element_text(hostile.site / "vormen" / "stage" / "index.html", "h1")
    assert heading.startswith("Naam <b class"), heading
    assert heading.endswith(ATTR), heading


def _element_text(path: Path, wanted: str) -> str:
    """Text of the first ``wanted`` element."""

    class One(HTMLParser):
        def __init__(self) -> None:
            super().__init__(convert_charrefs=True)
            self.depth = 0
            self.parts: list[str] = []
            self.done = False

        def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            if tag == wanted and not self.done:
                self.depth += 1

        def handle_endtag(self, tag: str) -> None:
            if tag == wanted and self.depth:
                self.depth -= 1
                self.done = True

        def handle_data(self, data: str) -> None:
            if self.depth and not self.done:
                self.parts.append(data)

    one = One()
    one.feed(path.read_text(encoding="utf-8"))
    return " ".join("".join(one.parts).split())


def test_the_allowed_markdown_still_works(hostile: HostileSite) -> None:
    path = hostile.site / "leidraad" / "voor-je-begint" / "index.html"
    source = path.read_text(encoding="utf-8")
    crit = source[source.index(f'id="{hostile.ids["criterion"]}"') :]
    crit = crit[: crit.index("</li>")]
    assert "<strong>vet</strong>" in crit
    assert "<em>schuin</em>" in crit
    assert '<a href="https://example.org/pad?a=1&amp;b=2">een link</a>' in crit
    assert '<a href="https://example.org/kaal">https://example.org/kaal</a>' in crit
    # A javascript: link stays text.
    assert "[kwaad](javascript:window.wplXss=4)" in html.unescape(crit)
    assert 'href="javascript' not in crit.lower()


# --- exports, PDFs, the checklist data ---------------------------------------------------------


def test_json_export_keeps_the_text_as_data(hostile: HostileSite) -> None:
    data = json.loads((hostile.site / "downloads" / "criteria.json").read_text(encoding="utf-8"))
    dumped = json.dumps(data, ensure_ascii=False)
    assert json.dumps(CRITERION_TEXT, ensure_ascii=False)[1:-1] in dumped
    # No HTML escaping in data: a consumer gets exactly what the editor wrote.
    assert "&lt;script" not in dumped


def test_csv_export_keeps_the_text_as_data(hostile: HostileSite) -> None:
    text = (hostile.site / "downloads" / "criteria.csv").read_text(encoding="utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=_delimiter(text)))
    cells = [cell for row in rows for cell in row]
    assert any(SCRIPT in cell for cell in cells)
    assert not any("&lt;script" in cell for cell in cells)


def _delimiter(text: str) -> str:
    first = text.splitlines()[0]
    return ";" if first.count(";") > first.count(",") else ","


def test_pdf_shows_the_text_as_text(hostile: HostileSite) -> None:
    from pypdf import PdfReader

    pdf = hostile.site / "downloads" / "checklist-stage.pdf"
    reader = PdfReader(str(pdf))
    text = " ".join(" ".join(page.extract_text() or "" for page in reader.pages).split())
    assert "<script>window.wplXss=1</script>" in text
    assert "{{ 7*7 }}" in text
    # Escaped once, as the editor wrote it (ENTITY itself contains "&amp;" and "&lt;").
    assert "&lt;" not in text.replace(ENTITY, "") and "&amp;" not in text.replace(ENTITY, "")
    title = str((reader.metadata or {}).get("/Title", ""))
    assert "&lt;" not in title and "&amp;" not in title, title


# --- in a real browser: nothing runs ------------------------------------------------------------


@pytest.fixture(scope="module")
def hostile_server(hostile: HostileSite) -> Iterator[str]:
    with serve_directory(hostile.site) as url:
        yield url


def test_no_payload_runs_in_the_browser(browser: Any, hostile_server: str) -> None:
    context = browser.new_context(locale="nl-BE")
    dialogs: list[str] = []
    try:
        tab = context.new_page()
        tab.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        for path in [
            "leidraad/voor-je-begint/",
            "vormen/stage/",
            "vormen/stage/checklist/",
            "checklist/",
            "verantwoording/",
        ]:
            tab.goto(hostile_server + path)
            tab.wait_for_load_state("load")
            # Let the checklist script render (it builds parts of the page from data).
            tab.wait_for_timeout(300)
            assert tab.evaluate("window.wplXss") is None, path
            assert tab.locator(".wpl-xss").count() == 0, path
            assert tab.locator("img[src='x']").count() == 0, path
        assert dialogs == []
    finally:
        context.close()


def test_the_browser_reader_sees_the_text(browser: Any, hostile_server: str) -> None:
    context = browser.new_context(locale="nl-BE")
    try:
        tab = context.new_page()
        tab.goto(hostile_server + "vormen/stage/checklist/")
        tab.wait_for_load_state("load")
        tab.wait_for_timeout(300)
        body = " ".join(tab.inner_text("body").split())
        assert "<script>window.wplXss=1</script>" in body
        assert "{{ 7*7 }}" in body
    finally:
        context.close()


