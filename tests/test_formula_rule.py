"""One rule for spreadsheet formulas in both CSV exports (issue 11): the open data
(generator/exports.py) and the checklist's export in the browser (checklist.js) run the same
table of cases, tests/fixtures/formula-cases.json."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import pytest

from generator import exports
from tests.conftest import FIXTURES
from tests.test_checklist import FORM, KEY, item_ids, open_checklist

CASES: list[list[str]] = json.loads(
    (FIXTURES / "formula-cases.json").read_text(encoding="utf-8")
)["cases"]
NOTE_COLUMN = 7


@pytest.mark.parametrize(("cell", "expected"), CASES)
def test_python_export(cell: str, expected: str) -> None:
    assert exports.neutralise(cell) == expected


def test_the_table_covers_both_sides_of_the_rule() -> None:
    neutralised = [cell for cell, expected in CASES if expected != cell]
    kept = [cell for cell, expected in CASES if expected == cell]
    assert all(expected == "'" + cell for cell, expected in CASES if expected != cell)
    assert len(neutralised) >= 10 and len(kept) >= 8
    assert {cell[:1] for cell in neutralised} >= {"=", "+", "-", "@", "\t", "\r", " ", "\n"}


def test_browser_export(page: Any, server: str, tmp_path: Path) -> None:
    """Every case as the note of a saved answer, exported to CSV by checklist.js. Answers to IDs
    that are not on the page are exported too, so each case gets an ID of its own; the notes go
    in through the saved state, because a text field turns a carriage return into a newline."""
    open_checklist(page, server)
    notes = {f"formule-{n}": cell for n, (cell, _) in enumerate(CASES) if cell}
    state = {
        "formaat": "werkplekleren-checklist", "schema": 1, "leidraad": "2026.1", "vorm": FORM,
        "actief": "a",
        "lijsten": [{"id": "a", "naam": "Formules", "bewaard": "2026-11-29T10:00:00Z",
                     "criteria": {cid: {"notitie": cell} for cid, cell in notes.items()}}],
    }
    page.evaluate("([k, v]) => localStorage.setItem(k, v)", [KEY, json.dumps(state)])
    page.reload()
    page.wait_for_selector(".wpl-cl-tools:not([hidden])")
    with page.expect_download() as info:
        page.click("button[data-act=csv]")
    path = tmp_path / "export.csv"
    info.value.save_as(path)
    # Bytes, not text mode: a carriage return inside a cell must reach the CSV reader as it is.
    text = path.read_bytes().decode("utf-8-sig")
    rows = {row[0]: row for row in csv.reader(io.StringIO(text, newline=""), delimiter=";")}
    got = {cid: rows[cid][NOTE_COLUMN] for cid in notes}
    expected = {f"formule-{n}": out for n, (cell, out) in enumerate(CASES) if cell}
    assert got == expected
    # The empty case: a criterion without a note exports an empty cell.
    assert [out for cell, out in CASES if not cell] == [""]
    assert rows[item_ids(page)[0]][NOTE_COLUMN] == ""
    assert page.foreign_requests == []
