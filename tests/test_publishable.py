"""Publishable (issue 10): the guideline's words verbatim and apart from ours, our edition never
called a version of the guideline, our additions labelled where they are read, the publisher
named, and no English reaching a visitor.

Everything here reads the session's real build (``site_dir``): the HTML MkDocs wrote, the open
data files and the PDFs (text through pdftotext, metadata through pypdf).
"""

from __future__ import annotations

import html
import json
import re
import subprocess
from functools import cache
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pypdf
import pytest

from generator import exports, site
from generator.model import Leidraad
from tests.test_loader import SEED, _squash
from tests.test_quality_pages import content_pages

# --- the seed, parsed ---------------------------------------------------------------------------


def unhyphenate(text: str) -> str:
    """The seed with its line breaks undone the way the data undid them: a word split over two
    lines with a hyphen is joined ("werkplek-|leren"), except before "en"/"of" where the hyphen
    belongs to the text ("onderwijs-|of vormingsinstelling"); a line that ends after a slash
    joins without a space ("klas/instelling/|bedrijf"). Then all white space is one space."""
    text = re.sub(r"(\w)-[ \t]*\n\s*(?!(?:en|of)\b)(?=\w)", r"\1", text)
    text = re.sub(r"/[ \t]*\n\s*", "/", text)
    return re.sub(r"\s+", " ", text)


@cache
def seed_flat() -> str:
    return unhyphenate(SEED.read_text(encoding="utf-8"))


@cache
def seed_questions() -> list[str]:
    """Every question block of the seed, in order: from after "R " up to the next "R "."""
    flat = seed_flat()
    marks = list(re.finditer(r"(?:^| )R (?=[A-Z])", flat))
    ends = [m.start() for m in marks[1:]] + [len(flat)]
    return [flat[m.end():end].strip() for m, end in zip(marks, ends, strict=True)]


def test_seed_parser_finds_the_guidelines_structure() -> None:
    """The parser is only as good as what it finds: 18 questions, no letter lost."""
    blocks = seed_questions()
    assert len(blocks) == 18
    assert _squash(seed_flat()) == _squash(SEED.read_text(encoding="utf-8"))
    assert blocks[0].startswith("Wat bied je aan? Voorzie tijd en ruimte.")
    assert "werkplekleren" in blocks[0] and "werkplek- leren" not in blocks[0]
    assert "klas/instelling/bedrijf." in blocks[3]
    assert "onderwijs- of vormingsinstelling" in blocks[4]


def test_criteria_json_texts_equal_the_seed_character_for_character(
    site_dir: Path, leidraad: Leidraad
) -> None:
    """Each question's criteria, joined, are exactly what follows the question in the seed; what
    comes after them is only layout (page numbers, phase and domain headings, a phase's
    introduction), so no criterion lost or gained a word, a mark or its full stop."""
    document = json.loads((site_dir / exports.JSON_PATH).read_text(encoding="utf-8"))
    records = document["criteria"]
    assert len(records) == 57
    by_question: dict[str, list[dict[str, Any]]] = {}
    for record in records:
        by_question.setdefault(record["vraag"]["id"], []).append(record)
    assert len(by_question) == 18
    layout = [unhyphenate(p.inleiding) for p in leidraad.phases]
    layout += [p.titel for p in leidraad.phases] + [d.titel for p in leidraad.phases
                                                    for d in p.domeinen]
    for (question_id, found), block in zip(by_question.items(), seed_questions(), strict=True):
        question = found[0]["vraag"]["tekst"]
        assert block.startswith(question + " "), (question_id, block[:80])
        body = block[len(question):].strip()
        for record in found:
            text = record["tekst"]
            assert body.startswith(text), (
                f"{record['id']}: criteria.json has\n  {text!r}\nthe seed has\n"
                f"  {body[: len(text) + 20]!r}"
            )
            body = body[len(text):].strip()
        for piece in layout:
            body = re.sub(re.escape(piece), " ", body, flags=re.IGNORECASE)
        assert re.sub(r"\d+|\s+", "", body) == "", (question_id, body[:120])
    # The editorial note is its own field, not part of the text.
    noted = [r for r in records if r["noot"]]
    assert noted and all(r["noot"] not in r["tekst"] for r in noted)
    assert all(r["tekst"] == exports.plain_text(r["tekst_markdown"]) for r in records)


class _Text(HTMLParser):
    """Text of the elements with a given class, one string per element."""

    def __init__(self, css_class: str) -> None:
        super().__init__(convert_charrefs=True)
        self.css_class = css_class
        self.depth = 0
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self.depth:
            self.depth += 1
        elif self.css_class in (dict(attrs).get("class") or "").split():
            self.depth = 1
            self.found.append("")

    def handle_endtag(self, tag: str) -> None:
        if self.depth:
            self.depth -= 1

    def handle_data(self, data: str) -> None:
        if self.depth:
            self.found[-1] += data


def texts_of(path: Path, css_class: str) -> list[str]:
    parser = _Text(css_class)
    parser.feed(path.read_text(encoding="utf-8"))
    return [" ".join(t.split()) for t in parser.found]


def test_every_page_shows_criterion_texts_verbatim_and_notes_apart(
    site_dir: Path, leidraad: Leidraad
) -> None:
    """On the phase pages, the form pages and every checklist, a criterion's text element holds
    exactly the guideline's text; the note comes after it, in its own element."""
    records = {r["id"]: r for r in exports.records(leidraad)}
    plain = {r["tekst"] for r in records.values()}
    pages = [site_dir / "leidraad" / p.id / "index.html" for p in leidraad.phases]
    pages += [site_dir / "checklist" / "index.html"]
    for form in leidraad.forms:
        pages += [site_dir / "vormen" / form.slug / "index.html",
                  site_dir / "vormen" / form.slug / "checklist" / "index.html"]
    noted = [r for r in records.values() if r["noot"]]
    assert noted, "the data has a note (the guideline's dead Stageforum link)"
    checked = 0
    for page in pages:
        shown = texts_of(page, "wpl-criterion__text")
        assert shown, page
        assert set(shown) <= plain, (page, set(shown) - plain)
        notes = texts_of(page, "wpl-criterion__note")
        for record in noted:
            if f'id="{record["id"]}"' in page.read_text(encoding="utf-8"):
                assert f"Noot van de redactie: {record['noot']}" in notes, (page, record["id"])
                checked += 1
    assert checked >= 3


# --- our edition, never a version of the guideline -----------------------------------------------

VERSION_OF_GUIDELINE = re.compile(r"versie \d{4}\.\d", re.IGNORECASE)


def pdf_text(path: Path) -> str:
    result = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True, text=True, check=True
    )
    return result.stdout


def test_no_version_of_the_guideline_anywhere(site_dir: Path, leidraad: Leidraad) -> None:
    """The guideline has no versions; ours is the "digitale editie". Site, data and PDFs."""
    assert VERSION_OF_GUIDELINE.search("Leidraad, Versie 2026.1") and not (
        VERSION_OF_GUIDELINE.search("digitale editie 2026.1")
    )
    files = [p for ext in ("html", "json", "csv") for p in site_dir.rglob(f"*.{ext}")]
    assert len(files) > 30
    for path in files:
        text = html.unescape(path.read_text(encoding="utf-8-sig"))
        match = VERSION_OF_GUIDELINE.search(" ".join(text.split()))
        assert match is None, f"{path.relative_to(site_dir)}: {match and match.group(0)!r}"
    pdfs = sorted((site_dir / "downloads").glob("*.pdf"))
    assert len(pdfs) == 43
    edition = leidraad.guideline.editie
    for path in pdfs:
        text = " ".join(pdf_text(path).split())
        match = VERSION_OF_GUIDELINE.search(text)
        assert match is None, f"{path.name}: {match and match.group(0)!r}"
        assert edition.lower() in text.lower(), path.name
        meta = pypdf.PdfReader(path).metadata
        assert meta is not None
        for key in ("/Subject", "/Creator", "/Title", "/Keywords"):
            assert not VERSION_OF_GUIDELINE.search(str(meta.get(key, ""))), (path.name, key)
        assert edition in str(meta["/Subject"]) and edition in str(meta["/Creator"]), path.name


def test_the_open_data_name_the_digital_edition(site_dir: Path, leidraad: Leidraad) -> None:
    guideline = leidraad.guideline
    document = json.loads((site_dir / exports.JSON_PATH).read_text(encoding="utf-8"))
    assert document["editie"] == f"digitale editie {guideline.versie}" == guideline.editie
    assert document["versie"] == guideline.versie
    schema = json.loads((site_dir / exports.SCHEMA_PATH).read_text(encoding="utf-8"))
    assert "digitale editie" in schema["properties"]["versie"]["description"]
    rows = (site_dir / exports.CSV_PATH).read_text(encoding="utf-8-sig").splitlines()
    assert rows[0].split(",")[-3:] == ["versie", "editie", "noot"]
    assert all(f",{guideline.versie},{guideline.editie}," in row for row in rows[1:])


# --- the publisher and the editorial labels ------------------------------------------------------


def test_every_page_footer_names_the_edition_and_publisher(
    site_dir: Path, leidraad: Leidraad
) -> None:
    publisher = leidraad.guideline.uitgever
    pages = content_pages(site_dir)
    assert len(pages) >= 20
    for page in pages:
        footer = page.text.split('<footer class="md-footer">', 1)[1]
        text = " ".join(html.unescape(re.sub(r"<[^>]+>", " ", footer)).split())
        assert f"{leidraad.guideline.editie}. Uitgever: {publisher.naam}" in text, page.path
        assert f'href="{publisher.licentie_url}"' in footer, page.path


def test_pdfs_name_the_publisher_and_label_our_additions(
    site_dir: Path, leidraad: Leidraad
) -> None:
    """Cover: one sentence on what is editorial, the absolute /verantwoording/ URL and the
    publisher. Metadata: Author is the publisher, never the government or its partners."""
    guideline = leidraad.guideline
    url = "https://werkplekleren.example.org/verantwoording/"
    for path in sorted((site_dir / "downloads").glob("*.pdf")):
        cover = " ".join(pdf_text_page(path, 1).split())
        assert "toevoegingen van de redactie, niet van de leidraad" in cover, path.name
        assert url in cover, path.name
        assert f"Uitgever van deze digitale editie: {guideline.uitgever.naam}" in cover, path.name
        meta = pypdf.PdfReader(path).metadata
        assert meta is not None
        assert meta["/Author"] == guideline.uitgever.naam, path.name
        for key in ("/Author", "/Subject"):
            value = str(meta[key]).lower()
            for authority in ("vlaamse overheid", "sociale partners", "onderwijspartners",
                              "departement"):
                assert authority not in value, (path.name, key, value)
        text = pdf_text(path)
        if "Tip" in text:
            assert "Tip voor" not in text, path.name
    stage = " ".join(pdf_text(site_dir / "downloads" / "checklist-stage.pdf").split())
    assert "Tip van de redactie voor stage:" in stage
    assert "Noot van de redactie: Deze link komt uit de leidraad" in stage


def pdf_text_page(path: Path, page: int) -> str:
    result = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", "-f", str(page), "-l", str(page), str(path), "-"],
        capture_output=True, text=True, check=True,
    )
    return result.stdout


def test_form_and_checklist_pages_carry_the_same_editorial_notice(
    site_dir: Path, leidraad: Leidraad
) -> None:
    pages = [site_dir / "checklist" / "index.html"]
    for form in leidraad.forms:
        pages += [site_dir / "vormen" / form.slug / "index.html",
                  site_dir / "vormen" / form.slug / "checklist" / "index.html"]
    notices = set()
    for page in pages:
        text = page.read_text(encoding="utf-8")
        [notice] = re.findall(r'<p class="wpl-editorial-notice">(.*?)</p>', text, re.S)
        link = re.search(r'href="([^"]+)">verantwoording</a>', notice)
        assert link, page
        target = (page.parent / link.group(1)).resolve()
        assert target == (site_dir / "verantwoording").resolve(), (page, link.group(1))
        notices.add(re.sub(r'href="[^"]+"', "", notice))
        # Near the legend: after the icons are explained, before the first criterion.
        assert text.index("heel belangrijk of") < text.index("wpl-editorial-notice") < (
            text.index('class="wpl-criteria"')
        ), page
        if "wpl-hint" in text:
            assert "Tip voor " not in text and "Tip van de redactie voor " in text, page
    assert len(notices) == 1, notices


def test_the_build_says_while_the_publisher_is_provisional(leidraad: Leidraad) -> None:
    messages = site.pending(leidraad, "https://werkplekleren.example.org/")
    assert any("site_url" in m for m in messages)
    assert any("uitgever is nog voorlopig" in m for m in messages)
    final = leidraad.guideline.uitgever.model_copy(
        update={"voorlopig": False, "naam": "Uitgever", "contact": "info@example.be"}
    )
    settled = Leidraad(
        leidraad.guideline.model_copy(update={"uitgever": final}),
        leidraad.forms, leidraad.roles, leidraad.phases,
    )
    assert site.pending(settled, "https://werkplekleren.vlaanderen.be/") == []


# --- Dutch only ----------------------------------------------------------------------------------

#: English words and phrases a theme or a careless sentence lets through. Matched as whole words,
#: case-insensitive, in visible text and in aria-label, title, alt and placeholder attributes,
#: outside anything marked lang="en" and outside code (identifiers) and URLs.
ENGLISH = (
    "home", "header", "footer", "not found", "search", "skip to content", "back to top",
    "table of contents", "previous", "next", "close", "cancel", "submit", "save", "delete",
    "rename", "copy", "copied", "share", "loading", "error", "warning", "analytics", "issue",
    "made with", "powered by", "edit", "settings", "language", "select", "choose file",
    "no file chosen", "accessibility", "guidelines", "read more", "toggle", "permalink",
    "repository", "license", "version", "the", "and", "with", "your", "you", "this", "page",
    "click", "here",
)
ENGLISH_RE = re.compile(r"\b(" + "|".join(re.escape(w) for w in ENGLISH) + r")\b", re.IGNORECASE)
ATTRIBUTES = ("aria-label", "title", "alt", "placeholder")
URL_RE = re.compile(r"(?:https?://|www\.)\S+")


class _Visible(HTMLParser):
    """What a visitor reads or hears: text and accessible-name attributes."""

    SKIP = frozenset({"script", "style", "code", "pre"})
    VOID = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta",
                      "source", "track", "wbr"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, bool]] = []
        self.out: list[str] = []

    def _hidden(self) -> bool:
        return any(skip for _, skip in self.stack)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k: v or "" for k, v in attrs}
        skip = tag in self.SKIP or values.get("lang", "nl").lower().startswith("en")
        if not self._hidden() and not skip:
            self.out += [values[a] for a in ATTRIBUTES if values.get(a)]
            if tag == "input" and values.get("type") in ("button", "submit", "reset"):
                self.out.append(values.get("value", ""))
        if tag not in self.VOID:
            self.stack.append((tag, skip))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in self.VOID:
            self.stack.pop()

    def handle_endtag(self, tag: str) -> None:
        for index in range(len(self.stack) - 1, -1, -1):
            if self.stack[index][0] == tag:
                del self.stack[index:]
                break

    def handle_data(self, data: str) -> None:
        if not self._hidden():
            self.out.append(data)


def english_in(markup: str) -> list[str]:
    parser = _Visible()
    parser.feed(markup)
    text = URL_RE.sub(" ", " ".join(parser.out))
    return sorted({m.group(0) for m in ENGLISH_RE.finditer(text)})


def test_the_english_check_can_fail() -> None:
    assert english_in('<nav aria-label="Header"><a href="/">Home</a></nav>') == ["Header", "Home"]
    assert english_in("<h1>404 - Not found</h1>") == ["Not found"]
    assert english_in('<img alt="Back to top" src="x.png">') == ["Back to top"]
    assert english_in('<p>Gemaakt met <a lang="en" href="x">Material for MkDocs</a></p>') == []
    assert english_in("<p>Zie <code>page</code> op http://x.be/page/1.aspx</p>") == []


@pytest.mark.parametrize("path", ["index.html", "404.html", "vormen/stage/checklist/index.html"])
def test_known_english_is_gone(site_dir: Path, path: str) -> None:
    markup = (site_dir / path).read_text(encoding="utf-8")
    assert 'aria-label="Header"' not in markup and 'aria-label="Footer"' not in markup
    assert "Not found" not in markup


def test_no_english_reaches_a_visitor(site_dir: Path) -> None:
    pages = content_pages(site_dir)
    assert len(pages) >= 20
    found = {page.path: english_in(page.text) for page in pages}
    assert {path: words for path, words in found.items() if words} == {}
    home = (site_dir / "index.html").read_text(encoding="utf-8")
    assert re.search(r">\s*Startpagina\s*<", home)
