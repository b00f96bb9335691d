"""Open data: criteria.json against its schema, criteria.csv as a spreadsheet sees it, the page."""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml

from generator import exports, loader
from generator.model import Leidraad
from generator.site import SiteBuild
from generator.tailor import importance

SITE_URL = "https://werkplekleren.example.org/"
FORMULA = ("=", "+", "-", "@")


def read_csv(data: bytes) -> list[list[str]]:
    assert data.startswith(b"\xef\xbb\xbf"), "CSV must start with a UTF-8 BOM (for Excel)"
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))


@pytest.fixture(scope="module")
def built(leidraad: Leidraad) -> SiteBuild:
    build = SiteBuild(leidraad, SITE_URL)
    exports.contribute(build)
    return build


def test_json_validates_against_its_schema(built: SiteBuild, leidraad: Leidraad) -> None:
    document = json.loads(built.files[exports.JSON_PATH])  # type: ignore[arg-type]
    schema = json.loads(built.files[exports.SCHEMA_PATH])  # type: ignore[arg-type]
    jsonschema.Draft202012Validator.check_schema(schema)
    validator = jsonschema.Draft202012Validator(
        schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
    )
    errors = [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(document)]
    assert errors == []
    assert document["$schema"] == SITE_URL + "downloads/criteria.schema.json"
    assert schema["$id"] == document["$schema"]
    assert document["versie"] == leidraad.guideline.versie
    assert document["datum"] == leidraad.guideline.datum


def test_schema_rejects_what_it_should(built: SiteBuild) -> None:
    """The schema is not a rubber stamp: wrong values and unknown fields fail."""
    schema = json.loads(built.files[exports.SCHEMA_PATH])  # type: ignore[arg-type]
    validator = jsonschema.Draft202012Validator(schema)
    good = json.loads(built.files[exports.JSON_PATH])  # type: ignore[arg-type]
    bad_cases: list[tuple[str, Any]] = [
        ("niveau", 4),
        ("belang", {"stage": "misschien"}),
        ("rollen", []),
        ("id", "Niet URL-veilig"),
        ("onbekend_veld", "x"),
    ]
    for key, value in bad_cases:
        document = json.loads(json.dumps(good))
        document["criteria"][0][key] = value
        assert not validator.is_valid(document), key
    document = json.loads(json.dumps(good))
    del document["versie"]
    assert not validator.is_valid(document)


def test_json_holds_every_criterion_with_its_tailoring(
    built: SiteBuild, leidraad: Leidraad
) -> None:
    document = json.loads(built.files[exports.JSON_PATH])  # type: ignore[arg-type]
    located = list(leidraad.criteria())
    assert len(document["criteria"]) == len(located) == 57
    forms = [f.slug for f in leidraad.forms]
    assert [f["slug"] for f in document["vormen"]] == forms
    for record, loc in zip(document["criteria"], located, strict=True):
        c = loc.criterion
        assert record["id"] == c.id
        assert record["fase"]["id"] == loc.phase.id
        assert record["domein"]["id"] == loc.domain.id
        assert record["vraag"]["id"] == loc.question.id
        assert record["niveau"] == c.niveau
        assert record["rollen"] == list(c.rollen)
        assert record["tekst_markdown"] == c.tekst
        assert record["url"] == f"{SITE_URL}leidraad/{loc.phase.id}/#{c.id}"
        for form in forms:
            expected = (
                "niet-van-toepassing" if form in c.niet_van_toepassing else importance(c, form)
            )
            assert record["belang"][form] == expected, (c.id, form)
        assert sorted(record["tips"]) == sorted(c.tips)
        assert sorted(record["niet_van_toepassing"]) == sorted(c.niet_van_toepassing)
        for value in [record["tekst"], record["niveau_reden"], *record["tips"].values()]:
            assert "**" not in value and "](" not in value, (c.id, value)
    # The data has level-2 criteria that differ per form, so the columns are not all alike.
    assert any(len(set(r["belang"].values())) > 1 for r in document["criteria"])
    assert sum(len(r["tips"]) for r in document["criteria"]) > 0


def test_plain_text_drops_markup() -> None:
    assert exports.plain_text("Zie *de* [site](https://x.example/a) en **dit**.") == (
        "Zie de site (https://x.example/a) en dit."
    )


def test_csv_is_a_proper_spreadsheet_table(built: SiteBuild, leidraad: Leidraad) -> None:
    data = built.files[exports.CSV_PATH]
    assert isinstance(data, bytes)
    assert b"\r\n" in data and data.endswith(b"\r\n")
    rows = read_csv(data)
    header, body = rows[0], rows[1:]
    assert header == exports.csv_columns(leidraad)
    assert len(body) == 57
    assert all(len(row) == len(header) for row in body)
    forms = [f.slug for f in leidraad.forms]
    for form in forms:
        assert f"belang_{form}" in header and f"tip_{form}" in header
        assert f"niet_van_toepassing_{form}" in header
    document = json.loads(built.files[exports.JSON_PATH])  # type: ignore[arg-type]
    for row, record in zip(body, document["criteria"], strict=True):
        cells = dict(zip(header, row, strict=True))
        assert cells["id"] == record["id"]
        assert cells["tekst"] == exports.neutralise(record["tekst"])
        assert cells["niveau"] == str(record["niveau"])
        assert cells["rollen"].split("; ") == record["rollen"]
        assert cells["versie"] == leidraad.guideline.versie
        for form in forms:
            assert cells[f"belang_{form}"] == record["belang"][form]
            assert cells[f"tip_{form}"] == exports.neutralise(record["tips"].get(form, ""))
    assert "é" in data.decode("utf-8-sig") or "ë" in data.decode("utf-8-sig")


def test_exports_are_deterministic(leidraad: Leidraad) -> None:
    assert exports.criteria_json(leidraad, SITE_URL) == exports.criteria_json(leidraad, SITE_URL)
    assert exports.criteria_csv(leidraad, SITE_URL) == exports.criteria_csv(leidraad, SITE_URL)
    assert exports.schema_json(SITE_URL) == exports.schema_json(SITE_URL)


def hostile_criteria(dest: Path) -> Path:
    """A copy of criteria/ where four criteria, a tip and a reason start like formulas."""
    source = Path(__file__).resolve().parent.parent / "criteria"
    target = dest / "criteria"
    shutil.copytree(source, target)
    phase_file = sorted((target / "fasen").glob("*.yml"))[0]
    data = yaml.safe_load(phase_file.read_text(encoding="utf-8"))
    criteria = [c for d in data["fase"]["domeinen"] for q in d["vragen"] for c in q["criteria"]]
    payloads = ['=HYPERLINK("http://evil.example","klik")', "+1+2", "-3+4", "@SUM(1,2)"]
    for criterion, payload in zip(criteria, payloads, strict=False):
        criterion["tekst"] = payload
    criteria[0]["niveau_reden"] = "=cmd|' /C calc'!A0"
    criteria[1]["tips"] = {"stage": "@evil()"}
    phase_file.write_text(
        yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8"
    )
    return target


def test_csv_cannot_inject_formulas(tmp_path: Path) -> None:
    hostile = loader.load(hostile_criteria(tmp_path))
    rows = read_csv(exports.criteria_csv(hostile, SITE_URL))
    header = rows[0]
    texts = [dict(zip(header, row, strict=True))["tekst"] for row in rows[1:5]]
    assert texts == ['\'=HYPERLINK("http://evil.example","klik")', "'+1+2", "'-3+4", "'@SUM(1,2)"]
    first = dict(zip(header, rows[1], strict=True))
    assert first["niveau_reden"].startswith("'=")
    second = dict(zip(header, rows[2], strict=True))
    assert second["tip_stage"] == "'@evil()"
    for row in rows:
        for cell in row:
            assert not cell.lstrip(" ").startswith((*FORMULA, "\t", "\r")), cell
    # The JSON keeps the data as it is: it is not read by spreadsheets.
    document = json.loads(exports.criteria_json(hostile, SITE_URL))
    assert document["criteria"][1]["tekst"] == "+1+2"


def test_open_data_page_documents_the_files(built: SiteBuild, leidraad: Leidraad) -> None:
    page = built.pages["open-data.md"]
    for target in [
        "downloads/criteria.json",
        "downloads/criteria.schema.json",
        "downloads/criteria.csv",
    ]:
        assert f"]({target})" in page
    assert leidraad.guideline.versie in page and leidraad.guideline.datum in page
    assert "BOM" in page and "Licentie" in page
    documented = set(re.findall(r"`([a-z_<>]+)`", page))
    for column in exports.csv_columns(leidraad):
        generic = re.sub(r"_(" + "|".join(f.slug for f in leidraad.forms) + ")$", "_<vorm>", column)
        assert column in documented or generic in documented, column


def test_built_site_serves_the_same_bytes(site_dir: Path, leidraad: Leidraad) -> None:
    """The published files are exactly what the exporter makes (default site_url)."""
    site_url = "https://werkplekleren.example.org/"
    assert (site_dir / exports.JSON_PATH).read_bytes() == exports.criteria_json(leidraad, site_url)
    assert (site_dir / exports.CSV_PATH).read_bytes() == exports.criteria_csv(leidraad, site_url)
    assert (site_dir / exports.SCHEMA_PATH).read_bytes() == exports.schema_json(site_url)
    html = (site_dir / "open-data" / "index.html").read_text(encoding="utf-8")
    for name in ["criteria.json", "criteria.csv", "criteria.schema.json"]:
        assert f'href="../downloads/{name}"' in html


@pytest.mark.parametrize(
    "given", ["https://rtc.example.be/werkplekleren", " https://rtc.example.be/werkplekleren/ "]
)
def test_a_site_url_without_its_trailing_slash_still_gives_whole_urls(
    leidraad: Leidraad, monkeypatch: pytest.MonkeyPatch, given: str
) -> None:
    """`werkplekleren build --site-url https://host/pad` (no "/"): URLs must not run together
    ("https://host/padleidraad/..."). Only the open-data step runs, to keep this fast."""
    from generator import site

    monkeypatch.setattr(site, "steps", lambda: [exports.contribute])
    build = site.generate(leidraad, given)
    base = "https://rtc.example.be/werkplekleren/"
    assert build.site_url == base
    assert build.absolute_url("checklist/") == base + "checklist/"
    document = json.loads(build.files[exports.JSON_PATH])
    assert document["$schema"] == base + exports.SCHEMA_PATH
    assert all(record["url"].startswith(base + "leidraad/") for record in document["criteria"])
