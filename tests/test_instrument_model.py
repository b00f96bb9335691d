"""Own instruments (issue 13) without a browser: the file format and its limits, the published
schema, the view an instrument gives, the link and the PDF of `werkplekleren instrument`."""

from __future__ import annotations

import base64
import json
import posixpath
import re
import subprocess
import sys
import zlib
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from pypdf import PdfReader

from generator import instrument, weight
from generator.model import Leidraad
from generator.tailor import importance, tailor
from tests.conftest import ROOT

JS = ROOT / "site_overrides" / "assets" / "javascripts" / "lib" / "instrument.js"
FORM = "duaal-leren"


def make(guide: Leidraad, **changes: Any) -> dict[str, Any]:
    ids = [i.id for i in tailor(guide, FORM).items]
    data: dict[str, Any] = {
        "formaat": "werkplekleren-instrument",
        "schema": 1,
        "id": "test1234",
        "leidraad": guide.guideline.versie,
        "vorm": FORM,
        "titel": "Ons instrument",
        "organisatie": "Sint-Jozef",
        "inleiding": "Een korte uitleg.\nOp twee regels.",
        "criteria": ids[1:],
        "eigen_vragen": [{"id": "eigen-vraag-2", "domein": "middelen", "tekst": "Eigen vraag?"}],
        "eigen_criteria": [
            {
                "id": "eigen-1",
                "vraag": "wat-bied-je-aan",
                "tekst": "Eigen <b>tekst</b> [x](https://e.example)",
                "belang": "heel-belangrijk",
            },
            {"id": "eigen-3", "vraag": "eigen-vraag-2", "tekst": "Onder een eigen vraag"},
        ],
        "teller": 3,
    }
    data.update(changes)
    return data


def test_limits_are_the_same_in_python_and_javascript() -> None:
    text = JS.read_text(encoding="utf-8")
    block = re.search(r"LIMITS = \{(.*?)\};", text, re.S)
    assert block
    js = {k: int(v) for k, v in re.findall(r"(\w+): (\d+)", block.group(1))}
    assert js == instrument.LIMITS
    assert f"QR_MAX = {instrument.QR_MAX};" in text


def test_a_valid_file_is_read(leidraad: Leidraad) -> None:
    inst = instrument.parse(json.dumps(make(leidraad)))
    assert inst.titel == "Ons instrument" and inst.eigen_criteria[0].belang == "heel-belangrijk"
    assert inst.eigen_criteria[1].belang == "belangrijk"  # the default


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"formaat": "iets anders"}, "geen instrumentbestand"),
        ({"schema": 2}, "onbekende versie"),
        ({"id": "A B"}, "veld id"),
        ({"titel": ""}, "veld titel"),
        ({"titel": "x" * 121}, "veld titel"),
        (
            {
                "eigen_criteria": [
                    {"id": "eigen-1", "vraag": "wat-bied-je-aan", "tekst": "x" * 1001}
                ]
            },
            "eigen_criteria",
        ),
        (
            {
                "eigen_criteria": [
                    {"id": f"eigen-{n}", "vraag": "wat-bied-je-aan", "tekst": "x"}
                    for n in range(1, 202)
                ]
            },
            "eigen_criteria",
        ),
        (
            {"eigen_criteria": [{"id": "eigen-1", "vraag": "eigen-vraag-9", "tekst": "x"}]},
            "onbekende eigen vraag",
        ),
        ({"criteria": ["a-b", "a-b"]}, "twee keer"),
        ({"titel": "tab\there"}, "veld titel"),
    ],
)
def test_a_bad_file_is_refused_in_dutch(
    leidraad: Leidraad, change: dict[str, Any], message: str
) -> None:
    with pytest.raises(instrument.InstrumentError, match=message):
        instrument.parse(json.dumps(make(leidraad, **change)))


def test_not_json_and_too_large_are_refused() -> None:
    with pytest.raises(instrument.InstrumentError, match="geen geldig JSON"):
        instrument.parse(b"{nope")
    with pytest.raises(instrument.InstrumentError, match="te groot"):
        instrument.parse(b" " * (instrument.LIMITS["bytes"] + 1))


def test_published_schema_accepts_a_file_and_refuses_a_bad_one(
    leidraad: Leidraad, tmp_path: Path
) -> None:
    schema = json.loads(instrument.schema_json())
    jsonschema.Draft202012Validator.check_schema(schema)
    jsonschema.validate(make(leidraad), schema)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(
            make(leidraad, eigen_criteria=[{"id": "x", "vraag": "y", "tekst": "z"}]), schema
        )


def test_view_keeps_order_places_own_criteria_and_names_vanished(leidraad: Leidraad) -> None:
    data = make(leidraad, leidraad="2025.1")
    data["criteria"] = [*data["criteria"], "bestaat-niet-meer"]
    data["eigen_criteria"].append({"id": "eigen-4", "vraag": "weg-vraag", "tekst": "Zonder plaats"})
    iv = instrument.view(leidraad, instrument.parse(json.dumps(data)))
    ids = [i.id for i in iv.view.items]
    guideline = [i for i in ids if not i.startswith("eigen-")]
    assert guideline == [i.id for i in tailor(leidraad, FORM).items][1:]
    # eigen-1 right after the guideline criteria of its question; eigen-3 in its own question
    # at the end of its domain; eigen-4 (unknown question) in the last part.
    question = leidraad.criterion(guideline[0]).question
    last_of_question = max(ids.index(c.id) for c in question.criteria if c.id in ids)
    assert ids.index("eigen-1") == last_of_question + 1
    assert ids[-1] == "eigen-4"
    assert iv.view.phases[-1].phase.titel == "Eigen aanvullingen"
    assert iv.vanished == ("bestaat-niet-meer",)
    own = {i.id: i for i in iv.view.items if i.own}
    assert (
        own["eigen-1"].importance == "heel-belangrijk" and own["eigen-3"].importance == "belangrijk"
    )
    first = next(i for i in iv.view.items if not i.own)
    assert first.importance == importance(first.criterion, FORM)


def _payload(code: str) -> dict[str, Any]:
    version, data = code.split(".", 1)
    assert version == "1"
    raw = base64.urlsafe_b64decode(data + "=" * (-len(data) % 4))
    return dict(json.loads(zlib.decompress(raw, -15)))


def test_link_writes_the_difference_for_this_edition_and_the_full_list_otherwise(
    leidraad: Leidraad,
) -> None:
    inst = instrument.parse(json.dumps(make(leidraad)))
    payload = _payload(instrument.link_code(inst, leidraad))
    left_out, added, digest = payload["s"]
    assert left_out == [tailor(leidraad, FORM).items[0].id] and added == []
    assert digest == instrument.fnv_hash(list(inst.criteria))
    assert payload["e"][0][0] == "1" and payload["e"][0][3] == 1
    old = instrument.parse(json.dumps(make(leidraad, leidraad="2025.1")))
    assert _payload(instrument.link_code(old, leidraad))["c"] == list(old.criteria)


def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "generator.cli", *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
        env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT), "NO_MKDOCS_2_WARNING": "1"},
    )


def test_cli_renders_a_fillable_pdf_with_the_site_templates(
    leidraad: Leidraad, tmp_path: Path
) -> None:
    data = make(leidraad, leidraad="2025.1")
    data["criteria"] = [*data["criteria"], "bestaat-niet-meer"]
    src = tmp_path / "instrument.json"
    src.write_text(json.dumps(data), encoding="utf-8")
    out = tmp_path / "x.pdf"
    result = run_cli(
        "instrument",
        str(src),
        "--out",
        str(out),
        "--cache-dir",
        str(tmp_path / "cache"),
        "--site-url",
        "https://wpl.example/",
    )
    assert result.returncode == 0, result.stderr
    assert "bestaat-niet-meer" in result.stderr
    reader = PdfReader(out)
    fields = reader.get_fields() or {}
    names = set(fields)
    kept = data["criteria"][0]
    # The same fields as the site's PDFs (CONTRACTS.md): one radio group per criterion with the
    # four export values, and a note, for own criteria too; what was left out has no field.
    for cid in (kept, "eigen-1", "eigen-3"):
        assert f"{cid}_notitie" in names and fields[f"{cid}_notitie"].get("/FT") == "/Tx"
        group = fields[f"{cid}_status"]
        assert group.get("/FT") == "/Btn" and int(group.get("/Ff", 0)) & (1 << 15), cid
        assert set(group.get("/_States_", [])) == {"/in-orde", "/deels", "/nog-niet", "/nvt"}
    left_out = tailor(leidraad, FORM).items[0].id
    assert not any(n.startswith(f"{left_out}_") for n in names)
    # Marked as one of ours, so lees-pdf and /overzicht/ read it back.
    assert reader.metadata["/WplFormaat"] == "werkplekleren-checklist-pdf"
    assert reader.metadata["/WplVorm"] == FORM
    assert {"voorblad_lerende", "voorblad_bedrijf"} <= names
    text = " ".join(page.extract_text() for page in reader.pages)
    flat = " ".join(text.split())
    assert "Ons instrument" in flat and "Sint-Jozef" in flat and "Een korte uitleg." in flat
    assert "Eigen <b>tekst</b> [x](https://e.example)" in flat  # plain text, never markup
    assert flat.lower().count("eigen criterium") >= 3
    assert "Niet meer in de leidraad" in flat and "bestaat-niet-meer" in flat
    assert "Besproken en ondertekend" in flat
    root = reader.trailer["/Root"]
    assert "/StructTreeRoot" in root and root["/Lang"] == "nl"  # tagged, Dutch
    assert reader.metadata is not None and reader.metadata.title.startswith("Ons instrument")


def article_links(html: str) -> set[str]:
    """The link targets in a page's content (not the navigation), as written."""
    article = html.split("<article", 1)[1].split("</article>", 1)[0]
    return set(re.findall(r'<a [^>]*href="([^"]*)"', article))


def resolve(page_url: str, href: str) -> str:
    """A relative link of the page at ``page_url`` (``vormen/stage/checklist/``) from the root."""
    return posixpath.normpath(posixpath.join("/" + page_url, href.replace("&amp;", "&")))


def test_both_pages_are_linked_from_home_checklists_and_bruggenbouwers(
    site_dir: Path, leidraad: Leidraad
) -> None:
    def links(page_url: str) -> set[str]:
        html = (site_dir / page_url / "index.html").read_text(encoding="utf-8")
        return {resolve(page_url, href) for href in article_links(html)}

    for page_url in ("", "checklist/", "bruggenbouwers/"):
        found = links(page_url)
        assert {"/instrument", "/overzicht"} <= found, (page_url, sorted(found))
    for form in leidraad.forms:
        found = links(f"vormen/{form.slug}/checklist/")
        assert {f"/instrument/?vorm={form.slug}", "/overzicht"} <= found, form.slug
        # An RTC links a school straight to the editor for its form.
        assert f"/instrument/?vorm={form.slug}" in links("bruggenbouwers/")
    assert "/instrument/?vorm=duaal-leren" in links("bruggenbouwers/")
    # The instrument file's schema is published where /open-data/ says, byte for byte.
    assert "/downloads/instrument.schema.json" in links("open-data/")
    published = site_dir / "downloads" / "instrument.schema.json"
    assert published.read_bytes() == instrument.schema_json()


def test_each_page_loads_only_the_modules_it_needs_and_they_share_code(site_dir: Path) -> None:
    """One code base for three pages: shared modules (state, transfer, summary) are loaded by
    the pages that use them; page code, the instrument code, the codec, the PDF reader,
    comparing and the QR module stay out of a page until it needs them (``import()``)."""

    def modules(page: str) -> set[str]:
        prefix = "assets/javascripts/"
        return {
            p.removeprefix(prefix)
            for p in weight.fetched_paths(site_dir, page)
            if p.startswith(prefix) and p.endswith(".js")
        }

    checklist = modules("vormen/stage/checklist/index.html")
    editor = modules("instrument/index.html")
    overview = modules("overzicht/index.html")
    assert {"checklist/checklist.js", "lib/state.js", "lib/transfer.js"} <= checklist
    assert {"instrument/editor.js", "lib/instrument.js", "lib/state.js"} <= editor
    assert {"overzicht/overzicht.js", "lib/state.js", "lib/transfer.js"} <= overview
    assert "checklist/summary.js" in checklist & overview  # the same charts
    lazy = {
        "lib/codec.js",
        "lib/pdf-reader.js",
        "checklist/compare.js",
        "instrument/apply.js",
        "vendor/lean-qr-nano.js",
    }
    assert not lazy & (checklist | editor | overview)
    assert not {m for m in checklist if m.startswith(("instrument/", "overzicht/"))}
    assert not {m for m in editor if m.startswith(("checklist/", "overzicht/"))}
    assert not {m for m in overview if m.startswith("instrument/")}
    assert "checklist/checklist.js" not in overview and "lib/instrument.js" not in checklist


def test_cli_refuses_a_bad_file_in_dutch(tmp_path: Path) -> None:
    src = tmp_path / "kapot.json"
    src.write_text('{"formaat": "werkplekleren-instrument", "schema": 1}', encoding="utf-8")
    result = run_cli("instrument", str(src), "--out", str(tmp_path / "x.pdf"))
    assert result.returncode == 1
    assert "kapot.json is geen geldig instrument" in result.stderr
    assert not (tmp_path / "x.pdf").exists()
