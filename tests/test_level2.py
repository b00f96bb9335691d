"""Level 2 is shown one way everywhere.

For every level-2 criterion and every form, the real build's form page, checklist page, role
filter data, PDFs and criteria.json say the same thing: for which forms and roles the criterion is
"heel belangrijk", and "belangrijk" for the rest. The expected words are derived here from
criteria.json alone (not from generator.tailor), so a page, a PDF or the export that drifts from
the others fails.
"""

from __future__ import annotations

import html
import json
import re
import subprocess
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from generator.model import Leidraad


@pytest.fixture(scope="module")
def document(site_dir: Path) -> dict[str, Any]:
    data = json.loads((site_dir / "downloads" / "criteria.json").read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


def _join(names: list[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " en " + names[-1]


def expected_words(
    record: dict[str, Any], form: str, names: dict[str, str], kort: dict[str, str]
) -> str:
    """What every page and PDF must say for this criterion and form, from criteria.json."""
    targets = record["heel_belangrijk_voor"]
    name = names[form].lower()
    if form in targets["vormen"]:
        return f"heel belangrijk bij {name}"
    very = [r for r in record["rollen"] if r in targets["rollen"]]
    rest = [r for r in record["rollen"] if r not in very]
    if very:
        return (
            f"bij {name} heel belangrijk voor {_join([kort[r] for r in very])}, "
            f"belangrijk voor {_join([kort[r] for r in rest])}"
        )
    return f"belangrijk bij {name}"


def _item(page: str, cid: str) -> str:
    """The <li> of one criterion in a page."""
    start = page.index(f'id="{cid}"')
    start = page.rindex("<li", 0, start)
    return page[start : page.index("</li>", start)]


def _level_note(item: str) -> str:
    notes = re.findall(r'<span class="wpl-level-note">· (.*?)</span>', item)
    assert len(notes) == 1, item
    return html.unescape(notes[0])


def _attr(item: str, name: str) -> str | None:
    match = re.search(rf'\s{re.escape(name)}="([^"]*)"', item.split(">", 1)[0])
    return match.group(1) if match else None


@cache
def _pdf_text(path: Path) -> str:
    out = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    # The PDF prints the importance's shape (a filled, half or empty circle) after the "·" as a
    # glyph of the text; the words compared here come after it.
    return re.sub("[\u25cf\u25d0\u25cb]", "", "".join(out.split()))


def _squeeze(text: str) -> str:
    return "".join(text.split())


def _cases(document: dict[str, Any]) -> list[tuple[dict[str, Any], str]]:
    level_two = [r for r in document["criteria"] if r["niveau"] == 2]
    assert len(level_two) >= 5
    return [(r, f["slug"]) for r in level_two for f in document["vormen"]]


def test_criteria_json_follows_its_own_targets(document: dict[str, Any]) -> None:
    for record, form in _cases(document):
        if record["belang"][form] == "niet-van-toepassing":
            continue
        very = form in record["heel_belangrijk_voor"]["vormen"]
        assert record["belang"][form] == ("heel-belangrijk" if very else "belangrijk")


def test_form_pages_checklists_and_role_data_agree_with_the_json(
    site_dir: Path, document: dict[str, Any], leidraad: Leidraad
) -> None:
    names = {f["slug"]: f["naam"] for f in document["vormen"]}
    kort = {r.slug: r.kort for r in leidraad.roles}
    checked = 0
    for record, form in _cases(document):
        belang = record["belang"][form]
        if belang == "niet-van-toepassing":
            continue
        words = expected_words(record, form, names, kort)
        assert words.startswith("heel belangrijk bij") == (belang == "heel-belangrijk")
        targets = record["heel_belangrijk_voor"]
        form_page = (site_dir / "vormen" / form / "index.html").read_text(encoding="utf-8")
        item = _item(form_page, record["id"])
        assert _attr(item, "data-belang") == belang, (record["id"], form)
        assert _level_note(item) == words, (record["id"], form)
        # The role filter switches the icon for exactly the roles the JSON names.
        promoted = [r for r in record["rollen"] if r in targets["rollen"]]
        if belang == "belangrijk" and promoted:
            assert _attr(item, "data-heel-belangrijk-rollen") == " ".join(targets["rollen"])
        else:
            assert _attr(item, "data-heel-belangrijk-rollen") is None
        checklist = (site_dir / "vormen" / form / "checklist" / "index.html").read_text("utf-8")
        entry = _item(checklist, record["id"])
        # The checklist shares the form page's one role filter: the same attributes.
        assert _attr(entry, "data-belang") == belang, (record["id"], form, "checklist")
        assert _level_note(entry) == words, (record["id"], form, "checklist")
        if belang == "belangrijk" and promoted:
            assert _attr(entry, "data-heel-belangrijk-rollen") == " ".join(targets["rollen"])
        else:
            assert _attr(entry, "data-heel-belangrijk-rollen") is None
        checked += 1
    assert checked >= 40


def test_pdfs_agree_with_the_json(
    site_dir: Path, document: dict[str, Any], leidraad: Leidraad
) -> None:
    names = {f["slug"]: f["naam"] for f in document["vormen"]}
    kort = {r.slug: r.kort for r in leidraad.roles}
    texts = {r["id"]: r["tekst"] for r in document["criteria"]}
    order = [r["id"] for r in document["criteria"]]
    for record, form in _cases(document):
        if record["belang"][form] == "niet-van-toepassing":
            continue
        words = _squeeze("· " + expected_words(record, form, names, kort))
        files = [f"checklist-{form}.pdf", *(f"checklist-{form}-{r}.pdf" for r in record["rollen"])]
        for name in files:
            text = _pdf_text(site_dir / "downloads" / name)
            start = text.index(_squeeze(texts[record["id"]]))
            later = [
                text.find(_squeeze(texts[cid]), start + 1)
                for cid in order[order.index(record["id"]) + 1 :]
            ]
            end = min([i for i in later if i > start] or [len(text)])
            assert words in text[start:end], (record["id"], name)


def test_all_forms_views_state_the_whole_rule(site_dir: Path, document: dict[str, Any]) -> None:
    """Without a form (phase pages, /checklist/, the all-forms PDF) the whole rule is shown."""
    all_pdf = _pdf_text(site_dir / "downloads" / "checklist-alle-vormen.pdf")
    for record in (r for r in document["criteria"] if r["niveau"] == 2):
        listed = [f["naam"].lower() for f in document["vormen"]
                  if f["slug"] in record["heel_belangrijk_voor"]["vormen"]]
        phase = (site_dir / "leidraad" / record["fase"]["id"] / "index.html").read_text("utf-8")
        checklist = (site_dir / "checklist" / "index.html").read_text("utf-8")
        for page in (phase, checklist):
            note = _level_note(_item(page, record["id"]))
            if listed:
                assert note.startswith(f"heel belangrijk bij {', '.join(listed)}; "), note
                assert "bij de andere vormen" in note
            assert _squeeze("· " + note) in all_pdf


def test_no_page_says_belangrijk_voor_deze_vorm_beside_another_importance(site_dir: Path) -> None:
    for path in site_dir.rglob("*.html"):
        text = path.read_text(encoding="utf-8")
        assert "voor deze vorm</span>" not in text, path
        assert "wpl-role-alt\">· heel belangrijk voor" not in text, path


def test_verantwoording_shows_the_levels_right(site_dir: Path, leidraad: Leidraad) -> None:
    """Level 3 is "belangrijk" (never "heel belangrijk voor alle"), level 2 states its rule."""
    page = (site_dir / "verantwoording" / "index.html").read_text(encoding="utf-8")
    table = page.split('id="per-criterium"', 1)[1]
    rows = re.findall(r"<tr>(.*?)</tr>", table, flags=re.S)
    by_id = {}
    for row in rows:
        link = re.search(r'href="[^"]*#([a-z0-9-]+)"', row)
        if link:
            cells = re.findall(r"<td[^>]*>(.*?)</td>", row, flags=re.S)
            by_id[link.group(1)] = [html.unescape(re.sub(r"<[^>]+>", "", c)).strip() for c in cells]
    located = list(leidraad.criteria())
    assert len(by_id) == len(located)
    wordings = {loc.criterion.id: loc for loc in located}
    for cid, (_, level, belang, _) in by_id.items():
        c = wordings[cid].criterion
        assert level == str(c.niveau)
        if c.niveau == 1:
            assert belang == "heel belangrijk voor iedereen, bij elke vorm"
        elif c.niveau == 3:
            assert belang == "belangrijk voor iedereen, bij elke vorm", cid
            assert "heel" not in belang and "alle" not in belang.split()
        else:
            targets = c.heel_belangrijk_voor
            assert targets is not None
            names = [f.naam.lower() for f in leidraad.forms if f.slug in targets.vormen]
            if names:
                assert belang.startswith(f"heel belangrijk bij {', '.join(names)}; "), belang
            if targets.rollen:
                very = _join([leidraad.role(r).kort for r in c.rollen if r in targets.rollen])
                assert f"heel belangrijk voor {very}, belangrijk voor" in belang, belang
    # The rules that decide level 2, each with the criteria that follow it.
    for rule in leidraad.guideline.niveau_2_regels:
        assert html.escape(rule.tekst, quote=False) in page, rule.id
