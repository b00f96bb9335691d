"""``werkplekleren lees-pdf``: filled-in checklist PDFs back as the JSON export (issue 12, 3).

Real PDFs (the session's site build, and one rendered from an older edition of a fixture data
set), filled by two independent tools, read by the real command in a subprocess.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from generator import loader, pdf
from generator.model import Leidraad
from generator.site import SiteBuild
from generator.tailor import tailor
from tests.conftest import FIXTURES, ROOT
from tests.test_pdf_fields import fill_with_pdftk, fill_with_pypdf

ROLE_PDF = "checklist-stage-mentor.pdf"
EXPORT_KEYS = {"formaat", "schema", "leidraad", "vorm", "naam", "bewaard", "criteria", "bron"}


def lees_pdf(
    *args: str | Path, criteria: Path = ROOT / "criteria"
) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, PYTHONPATH=str(ROOT), NO_MKDOCS_2_WARNING="1")
    return subprocess.run(
        [sys.executable, "-m", "generator.cli", "lees-pdf", "--criteria", str(criteria),
         *map(str, args)],
        capture_output=True, text=True, env=env, cwd=ROOT, check=False,
    )


@pytest.fixture(scope="module")
def role_pdf(site_dir: Path) -> Path:
    return site_dir / "downloads" / ROLE_PDF


@pytest.fixture(scope="module")
def ids(leidraad: Leidraad) -> list[str]:
    return [item.id for item in tailor(leidraad, "stage", "mentor").items]


def assert_export_shape(data: dict[str, Any]) -> None:
    """What the checklist page's import accepts (checklist.js ``checkList``), in short."""
    assert EXPORT_KEYS <= set(data) <= EXPORT_KEYS | {"rol"}
    assert data["formaat"] == "werkplekleren-checklist" and data["schema"] == 1
    assert data["bron"] == "pdf"
    assert 0 < len(data["naam"]) <= 100
    assert data["bewaard"].endswith("Z")
    for cid, entry in data["criteria"].items():
        assert cid and set(entry) <= {"status", "notitie"} and entry, cid
        assert entry.get("status", "in-orde") in {"in-orde", "deels", "nog-niet", "nvt"}


def test_pdfs_filled_by_two_tools_become_two_exports(
    role_pdf: Path, tmp_path: Path, ids: list[str], leidraad: Leidraad
) -> None:
    by_pypdf, by_pdftk = tmp_path / "mentor-pypdf.pdf", tmp_path / "mentor-pdftk.pdf"
    fill_with_pypdf(role_pdf, by_pypdf, {
        f"{ids[0]}_status": "/deels", f"{ids[1]}_status": "/nvt",
        f"{ids[0]}_notitie": "Rondleiding op maandag – afgesproken",
        "voorblad_lerende": "Ëlise Dupont", "voorblad_bedrijf": "Bakkerij Peeters",
        "voorblad_periode": "najaar 2026",
    })
    fill_with_pdftk(role_pdf, by_pdftk, {
        f"{ids[2]}_status": "/in-orde", f"{ids[3]}_notitie": "Nog te bespreken",
    })
    out = tmp_path / "json"
    result = lees_pdf(by_pypdf, by_pdftk, "--out", out)
    assert result.returncode == 0, result.stderr
    assert sorted(p.name for p in out.iterdir()) == ["mentor-pdftk.json", "mentor-pypdf.json"]
    first = json.loads((out / "mentor-pypdf.json").read_text(encoding="utf-8"))
    second = json.loads((out / "mentor-pdftk.json").read_text(encoding="utf-8"))
    for data in (first, second):
        assert_export_shape(data)
        assert data["leidraad"] == leidraad.guideline.versie
        assert data["vorm"] == "stage" and data["rol"] == "mentor"
    assert first["naam"] == "Ëlise Dupont – Bakkerij Peeters – najaar 2026"
    assert first["criteria"] == {
        ids[0]: {"status": "deels", "notitie": "Rondleiding op maandag – afgesproken"},
        ids[1]: {"status": "nvt"},
    }
    assert second["naam"] == "Pdf mentor-pdftk.pdf"
    assert second["criteria"] == {
        ids[2]: {"status": "in-orde"}, ids[3]: {"notitie": "Nog te bespreken"},
    }
    assert "mentor-pypdf.pdf" in result.stdout and "2 criteria ingevuld" in result.stdout


def test_a_pdf_resaved_with_object_streams_reads_the_same(
    role_pdf: Path, tmp_path: Path, ids: list[str]
) -> None:
    filled, packed = tmp_path / "filled.pdf", tmp_path / "packed.pdf"
    fill_with_pypdf(role_pdf, filled, {f"{ids[0]}_status": "/nog-niet", "voorblad_lerende": "Jo"})
    subprocess.run(["qpdf", "--object-streams=generate", str(filled), str(packed)], check=True)
    assert b"/ObjStm" in packed.read_bytes()
    result = lees_pdf(filled, packed, "--out", tmp_path / "out")
    assert result.returncode == 0, result.stderr
    a, b = (json.loads((tmp_path / "out" / f"{n}.json").read_text()) for n in ("filled", "packed"))
    assert a["criteria"] == b["criteria"] == {ids[0]: {"status": "nog-niet"}}
    assert a["naam"] == b["naam"] == "Jo"


def test_a_pdf_of_an_older_edition_keeps_every_answer(tmp_path: Path) -> None:
    """An edition where one criterion had another ID (today's has it no longer) and another
    did not exist yet: the answers come over by ID, the unknown one too (as the checklist's
    import keeps it), and the command says so."""
    today = FIXTURES / "mini"
    older = tmp_path / "criteria-2025"
    shutil.copytree(today, older)
    meta = older / "leidraad.yml"
    text = meta.read_text(encoding="utf-8")
    meta.write_text(text.replace('versie: "2026.1"', 'versie: "2025.1"'), encoding="utf-8")
    phase = older / "fasen" / "1-voor-je-begint.yml"
    data = yaml.safe_load(phase.read_text(encoding="utf-8"))
    criteria = data["fase"]["domeinen"][0]["vragen"][0]["criteria"]
    renamed = criteria[1]["id"]  # today's ID, which this edition did not have yet
    criteria[1]["id"] = "oude-toestemming"  # this edition's ID, which today's no longer has
    phase.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")

    build = SiteBuild(loader.load(older), "https://werkplekleren.example.org/")
    (doc,) = [d for d in pdf.documents(build) if d.name == "checklist-stage.pdf"]
    report = pdf.render_documents([doc], tmp_path / "cache", workers=1)
    blank = report.paths[doc.name]
    filled = tmp_path / "stage-2025.pdf"
    fill_with_pdftk(blank, filled, {
        "oude-toestemming_status": "/deels", f"{criteria[0]['id']}_status": "/in-orde",
    })
    result = lees_pdf(filled, "--out", tmp_path / "out", criteria=today)
    assert result.returncode == 0, result.stderr
    export = json.loads((tmp_path / "out" / "stage-2025.json").read_text(encoding="utf-8"))
    assert_export_shape(export)
    assert export["leidraad"] == "2025.1" and "rol" not in export
    assert export["criteria"] == {
        criteria[0]["id"]: {"status": "in-orde"}, "oude-toestemming": {"status": "deels"},
    }
    assert renamed not in export["criteria"]
    assert "oude-toestemming" in result.stdout
    assert "niet in de huidige digitale editie" in result.stdout


def _foreign_pdf(path: Path) -> Path:
    from weasyprint import HTML

    page = '<html lang="nl"><title>Factuur</title><p>Geen checklist.</p></html>'
    HTML(string=page).write_pdf(path)
    return path


@pytest.mark.parametrize("kind", ["truncated", "corrupted", "foreign", "not-a-pdf", "no-marker"])
def test_a_pdf_that_is_not_ours_is_refused_and_nothing_is_written(
    role_pdf: Path, tmp_path: Path, ids: list[str], kind: str
) -> None:
    good = tmp_path / "goed.pdf"
    fill_with_pypdf(role_pdf, good, {f"{ids[0]}_status": "/deels"})
    data = good.read_bytes()
    bad = tmp_path / "slecht.pdf"
    if kind == "truncated":
        bad.write_bytes(data[: len(data) // 2])
    elif kind == "corrupted":
        # Garbage over the document catalog and the form that follows it.
        start = data.index(b"/AcroForm")
        bad.write_bytes(data[:start] + bytes(range(256)) * 16 + data[start + 4096:])
    elif kind == "foreign":
        _foreign_pdf(bad)
    elif kind == "not-a-pdf":
        bad.write_text('{"formaat": "werkplekleren-checklist"}', encoding="utf-8")
    else:  # our fields, but the Info keys were removed: not recognisably ours
        import pypdf

        writer = pypdf.PdfWriter(clone_from=pypdf.PdfReader(good))
        writer.metadata = {"/Title": "Checklist"}
        with bad.open("wb") as handle:
            writer.write(handle)
    out = tmp_path / "out"
    result = lees_pdf(bad, good, "--out", out)
    assert result.returncode == 1
    assert [p.name for p in out.iterdir()] == ["goed.json"]
    assert "slecht.pdf" in result.stderr and "niets geschreven" in result.stderr
    assert "Traceback" not in result.stderr
    alone = lees_pdf(bad, "--out", tmp_path / "alone")
    assert alone.returncode == 1 and not (tmp_path / "alone").exists()


def own_instrument(leidraad: Leidraad) -> Any:
    """An own instrument of stage: four of the guideline's criteria and an own criterion whose
    text has what a PDF string must escape (parentheses, a backslash) and non-ASCII letters."""
    from generator import instrument

    ids = [item.id for item in tailor(leidraad, "stage").items]
    return instrument.parse(json.dumps({
        "formaat": "werkplekleren-instrument", "schema": 1, "id": "pdfterug1",
        "leidraad": leidraad.guideline.versie, "vorm": "stage", "titel": "Eigen lijst (één)",
        "organisatie": "Campus Noord", "criteria": ids[:4],
        "eigen_criteria": [{"id": "eigen-1", "vraag": leidraad.criterion(ids[0]).question.id,
                            "tekst": "Eén eigen criterium (met haakjes) en een \\ backslash",
                            "belang": "heel-belangrijk"}],
        "teller": 1,
    }))


def test_an_own_instruments_pdf_reads_back_as_a_list_of_that_instrument(
    tmp_path: Path, leidraad: Leidraad, role_pdf: Path
) -> None:
    """A PDF made with ``werkplekleren instrument`` carries the instrument (``/WplInstrument``),
    so its answers to own criteria come back with the instrument they belong to."""
    from generator import instrument

    inst = own_instrument(leidraad)
    build = SiteBuild(leidraad, "https://example.org/", tmp_path / "cache")
    blank = instrument.render_pdf(build, inst, tmp_path / "instrument.pdf")
    first = inst.criteria[0]
    filled = tmp_path / "ingevuld.pdf"
    fill_with_pdftk(blank, filled, {
        "eigen-1_status": "/deels", "eigen-1_notitie": "Besproken (week 2)",
        f"{first}_status": "/in-orde", "voorblad_lerende": "Noor",
    })
    out = tmp_path / "json"
    result = lees_pdf(filled, "--out", out)
    assert result.returncode == 0, result.stderr
    data = json.loads((out / "ingevuld.json").read_text(encoding="utf-8"))
    assert set(data) == EXPORT_KEYS | {"instrument"}
    assert data["instrument"] == instrument.file_object(inst)
    assert data["instrument"]["eigen_criteria"][0]["tekst"] == inst.eigen_criteria[0].tekst
    assert data["vorm"] == "stage" and data["naam"] == "Noor"
    assert data["criteria"] == {
        "eigen-1": {"status": "deels", "notitie": "Besproken (week 2)"},
        first: {"status": "in-orde"},
    }
    # Only an instrument's PDF carries the key; the guideline's own PDFs do not.
    from pypdf import PdfReader

    assert "/WplInstrument" in (PdfReader(blank).metadata or {})
    assert "/WplInstrument" not in (PdfReader(role_pdf).metadata or {})


@pytest.mark.parametrize("value", [
    "{niet: json", '{"formaat": "iets anders"}',
    '{"formaat": "werkplekleren-instrument", "schema": 1, "id": "x"}',
])
def test_a_pdf_with_a_broken_instrument_is_refused(tmp_path: Path, value: str) -> None:
    from tests.checklist_pdf import blank_pdf, info

    bad = blank_pdf(tmp_path / "kapot.pdf", ["tijd-en-ruimte"],
                    info() | {"/WplInstrument": value})
    result = lees_pdf(bad, "--out", tmp_path / "out")
    assert result.returncode == 1
    assert "Het eigen instrument in ‘kapot.pdf’" in result.stderr, result.stderr
    assert "Traceback" not in result.stderr and not (tmp_path / "out").exists()
