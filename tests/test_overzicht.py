"""/overzicht/ (issue 13, part B): many checklists at once, in Debian's Chromium.

Exports are made here in the documented format (README, "The checklist in the browser"); an
instrument export carries the instrument. The timing of 200 files is a benchmark
(`make bench`, scripts/bench_overzicht.py), not a test.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

from generator.model import Leidraad
from generator.tailor import importance, tailor
from tests import axe
from tests.test_quality_vnu import load_allowlist, run_vnu

URL = "overzicht/"


def export(naam: str, vorm: str, criteria: dict[str, Any], **extra: Any) -> dict[str, Any]:
    return {
        "formaat": "werkplekleren-checklist",
        "schema": 1,
        "leidraad": "2026.1",
        "vorm": vorm,
        "naam": naam,
        "bewaard": "2026-11-29T10:00:00Z",
        **extra,
        "criteria": criteria,
    }


def files(tmp_path: Path, leidraad: Leidraad) -> dict[str, Path]:
    stage = [i.id for i in tailor(leidraad, "stage").items]
    duaal = [i.id for i in tailor(leidraad, "duaal-leren").items]
    inst = {
        "formaat": "werkplekleren-instrument",
        "schema": 1,
        "id": "ovinst1",
        "leidraad": "2026.1",
        "vorm": "duaal-leren",
        "titel": "Instrument <i>X</i>",
        "criteria": duaal[:5],
        "eigen_criteria": [
            {
                "id": "eigen-1",
                "vraag": leidraad.criterion(duaal[0]).question.id,
                "tekst": "Eigen <b>criterium</b>",
                "belang": "heel-belangrijk",
            }
        ],
    }
    out = {
        "mentor.json": export(
            '=HYPERLINK("x")',
            "stage",
            {
                stage[0]: {
                    "status": "nog-niet",
                    "actie": {"wat": "Afspraak maken", "wie": "mentor", "wanneer": "2026-12-01"},
                },
                stage[1]: {"status": "in-orde"},
                stage[2]: {"status": "deels"},
            },
            rol="mentor",
        ),
        "school.json": export(
            "Werkplek Janssens",
            "duaal-leren",
            {
                "bestaat-niet-meer": {"status": "deels"},
                duaal[0]: {"status": "nog-niet"},
                duaal[1]: {"status": "nvt"},
                duaal[2]: {
                    "status": "deels",
                    "actie": {"wat": "Bellen", "wie": "school", "wanneer": "2026-12-15"},
                },
            },
        ),
        "instrument.json": export(
            "Lerende Ann",
            "duaal-leren",
            {duaal[0]: {"status": "nog-niet"}, "eigen-1": {"status": "nog-niet"}},
            instrument=inst,
        ),
    }
    paths = {}
    for name, data in out.items():
        paths[name] = tmp_path / name
        paths[name].write_text(json.dumps(data), encoding="utf-8")
    return paths


def bad_files(tmp_path: Path, site_dir: Path) -> list[Path]:
    (tmp_path / "kapot.json").write_text("{nope", encoding="utf-8")
    (tmp_path / "ander.json").write_text(json.dumps({"formaat": "iets"}), encoding="utf-8")
    (tmp_path / "slecht-instrument.json").write_text(
        json.dumps(
            export(
                "x", "stage", {}, instrument={"formaat": "werkplekleren-instrument", "schema": 1}
            )
        ),
        encoding="utf-8",
    )
    pdf = tmp_path / "vreemd.pdf"
    pdf.write_bytes(
        b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"
    )
    return [
        tmp_path / "kapot.json",
        tmp_path / "ander.json",
        tmp_path / "slecht-instrument.json",
        pdf,
    ]


def open_overview(page: Any, server: str, paths: list[Path]) -> None:
    page.goto(server + URL)
    page.wait_for_selector(".wpl-overview:not([hidden])")
    page.set_input_files(".wpl-ov-files", [str(p) for p in paths])
    page.wait_for_function("document.querySelector('.wpl-overview').dataset.lists !== '0'")


def cell_texts(page: Any) -> list[list[str]]:
    return list(
        page.eval_on_selector_all(
            ".wpl-ov-table tbody tr",
            "rows => rows.map(r => [...r.children].map(c => c.textContent.trim()))",
        )
    )


def test_loads_good_files_and_names_each_bad_one(
    page: Any, server: str, site_dir: Path, tmp_path: Path, leidraad: Leidraad
) -> None:
    good = files(tmp_path, leidraad)
    open_overview(page, server, [*good.values(), *bad_files(tmp_path, site_dir)])
    assert page.get_attribute(".wpl-overview", "data-lists") == "3"
    errors = page.locator(".wpl-ov-err li").all_text_contents()
    assert len(errors) == 4
    for name in ("kapot.json", "ander.json", "slecht-instrument.json", "vreemd.pdf"):
        assert sum(name in e for e in errors) == 1, (name, errors)
    assert "niet gelezen" in page.text_content(".wpl-ov-err")
    notice = page.text_content(".wpl-overview .wpl-cl-notice")
    assert "Alles blijft in je browser" in notice and "niets verstuurd" in notice
    assert page.js_errors == [] and page.foreign_requests == []


def test_matrix_counts_sorting_summary_actions_filters_csv_print(
    page: Any, server: str, tmp_path: Path, leidraad: Leidraad
) -> None:
    good = files(tmp_path, leidraad)
    open_overview(page, server, list(good.values()))
    heads = page.eval_on_selector_all(
        ".wpl-ov-table thead th", "els => els.map(e => e.textContent)"
    )
    assert heads[:6] == ["Criterium", "in orde", "deels", "nog niet", "n.v.t.", "niet beantwoord"]
    assert heads[6:] == ['=HYPERLINK("x")', "Werkplek Janssens", "Lerende Ann"]
    rows = cell_texts(page)
    stage = [i.id for i in tailor(leidraad, "stage").items]
    duaal = [i.id for i in tailor(leidraad, "duaal-leren").items]
    first = next(
        r for r in rows if r[0].startswith(leidraad.criterion(duaal[0]).criterion.tekst[:30])
    )
    # duaal[0] == stage[0]: nog niet in all three lists (text in each cell, not colour alone).
    assert stage[0] == duaal[0]
    assert first[1:6] == ["0", "0", "3", "0", "0"] and first[6:] == ["nog niet"] * 3
    own = next(r for r in rows if r[0].startswith("Eigen <b>criterium</b>"))
    assert "eigen criterium" in own[0] and own[6:] == [
        "niet in deze lijst",
        "niet in deze lijst",
        "nog niet",
    ]
    assert page.locator(".wpl-ov-table b").count() == 0
    # A criterion the instrument left out is "not in this list" there, "not answered" elsewhere.
    later = next(
        r for r in rows if r[0].startswith(leidraad.criterion(duaal[10]).criterion.tekst[:30])
    )
    assert later[6:] == ["niet beantwoord", "niet beantwoord", "niet in deze lijst"]

    # An answer to a criterion this edition does not have is shown as such, not dropped.
    gone = next(r for r in rows if r[0].startswith("Criterium ‘bestaat-niet-meer’"))
    assert "niet in deze digitale editie" in gone[0] and gone[7] == "deels"
    # Most urgent first: heel belangrijk and nog niet.
    page.select_option(".wpl-ov-sort", "dringend")
    order = page.get_attribute(".wpl-ov-table", "data-order").split(" ")
    urgent = [order[0], order[1]]
    assert "i:ovinst1:eigen-1" in urgent or duaal[0] in urgent

    def very(cid: str, form: str, role: str | None = None) -> bool:
        return importance(leidraad.criterion(cid).criterion, form, role) == "heel-belangrijk"

    if very(duaal[0], "duaal-leren"):
        assert order[0] == duaal[0]

    # Domain summaries in the checklist's chart style; open actions with wie and wanneer.
    assert page.locator(".wpl-ov-sum svg.wpl-cl-chart").count() >= 2
    assert page.locator(".wpl-ov-sum svg rect.wpl-cl-c-nog-niet").count() >= 2
    actions = page.locator(".wpl-ov-acts tbody tr").all_text_contents()
    assert len(actions) == 2
    assert any("Afspraak maken" in a and "mentor" in a and "2026-12-01" in a for a in actions)
    assert any("Bellen" in a and "school" in a and "2026-12-15" in a for a in actions)

    # Filters by role, form and list.
    page.uncheck(".wpl-ov-f-rol input[value=mentor]")
    assert page.locator(".wpl-ov-table thead th.wpl-ov-list").count() == 2
    page.check(".wpl-ov-f-rol input[value=mentor]")
    page.uncheck(".wpl-ov-f-vorm input[value=duaal-leren]")
    assert page.locator(".wpl-ov-table thead th.wpl-ov-list").all_text_contents() == [
        '=HYPERLINK("x")'
    ]
    page.check(".wpl-ov-f-vorm input[value=duaal-leren]")
    page.locator(".wpl-ov-f-lijst input").nth(1).uncheck()
    assert page.locator(".wpl-ov-table thead th.wpl-ov-list").count() == 2
    assert len(page.locator(".wpl-ov-acts tbody tr").all_text_contents()) == 1

    # CSV, formula-safe with the checklist's rule.
    with page.expect_download() as dl:
        page.click("button[data-act=csv]")
    path = tmp_path / "o.csv"
    dl.value.save_as(path)
    table = list(csv.reader(io.StringIO(path.read_text("utf-8-sig")), delimiter=";"))
    assert table[0][:6] == ["code", "fase", "domein", "vraag", "criterium", "eigen criterium"]
    assert table[0][11].startswith("'=HYPERLINK") and len(table[0]) == 13
    assert (
        table[1][0]
        == page.get_attribute(".wpl-ov-table", "data-order").split(" ")[0].split(":")[-1]
    )

    # Print: the overview without the controls.
    page.emulate_media(media="print")
    assert not page.is_visible(".wpl-ov-load") and not page.is_visible(".wpl-ov-filters")
    assert page.is_visible(".wpl-ov-table")
    assert page.js_errors == [] and page.foreign_requests == []


def test_keyboard_reaches_filters_sort_and_table(
    page: Any, server: str, tmp_path: Path, leidraad: Leidraad
) -> None:
    open_overview(page, server, list(files(tmp_path, leidraad).values()))
    page.focus(".wpl-ov-f-rol input[value=mentor]")
    page.keyboard.press("Space")
    assert page.locator(".wpl-ov-table thead th.wpl-ov-list").count() == 2
    page.keyboard.press("Space")
    seen = []
    for _ in range(40):
        page.keyboard.press("Tab")
        seen.append(
            page.evaluate("document.activeElement.className || document.activeElement.tagName")
        )
    assert any("wpl-ov-sort" in s for s in seen) and any("wpl-ov-scroll" in s for s in seen)


def test_no_axe_violations_and_valid_html_with_three_files(
    browser: Any, server: str, tmp_path: Path, leidraad: Leidraad
) -> None:
    paths = list(files(tmp_path, leidraad).values())
    dumps = []
    foreign: list[str] = []

    def guard(route: Any) -> None:
        if route.request.url.startswith(server):
            route.continue_()
        else:
            foreign.append(route.request.url)
            route.abort()

    for width, height in ((1280, 900), (375, 812)):
        context = browser.new_context(locale="nl-BE", viewport={"width": width, "height": height})
        context.route("**/*", guard)
        page = context.new_page()
        try:
            open_overview(page, server, paths)
            violations = axe.violations(page)
            assert violations == [], [
                (v["id"], [n["target"] for n in v["nodes"]][:3]) for v in violations
            ]
            assert foreign == []
            dump = tmp_path / f"overzicht-{width}.html"
            dump.write_text(
                "<!DOCTYPE html>\n" + page.evaluate("document.documentElement.outerHTML"), "utf-8"
            )
            dumps.append(dump)
        finally:
            context.close()
    allow = load_allowlist()
    errors = [
        m
        for m in run_vnu(dumps)
        if m.get("type") == "error" and not any(a.matches(m) for a in allow)
    ]
    assert errors == [], [(m["message"], m.get("extract")) for m in errors[:10]]


def test_a_filled_in_pdf_loads_next_to_json_exports(
    page: Any, server: str, tmp_path: Path, leidraad: Leidraad
) -> None:
    from tests.checklist_pdf import blank_pdf, fill_pypdf, info

    stage = [i.id for i in tailor(leidraad, "stage").items]
    blank = blank_pdf(tmp_path / "leeg.pdf", stage[:6], info(form="stage", role="mentor"))
    filled = fill_pypdf(
        blank,
        tmp_path / "ingevuld.pdf",
        {stage[0]: "in-orde", stage[1]: "nvt"},
        {},
        {"voorblad_lerende": "Ann", "voorblad_bedrijf": "Bakkerij Peeters"},
    )
    # And the PDF of an own instrument: its list comes with the instrument's own criteria.
    from generator import instrument
    from tests.test_lees_pdf import own_instrument

    inst = own_instrument(leidraad)
    own_blank = blank_pdf(tmp_path / "eigen-leeg.pdf", [*inst.criteria, "eigen-1"],
                          info(form="stage") | {"/WplInstrument": instrument.info_json(inst)})
    own = fill_pypdf(own_blank, tmp_path / "eigen.pdf", {"eigen-1": "deels"}, {},
                     {"voorblad_lerende": "Noor"})
    open_overview(page, server, [filled, *files(tmp_path, leidraad).values(), own])
    assert page.get_attribute(".wpl-overview", "data-lists") == "5"
    heads = page.locator(".wpl-ov-table thead th.wpl-ov-list").all_text_contents()
    assert heads[0] == "Ann – Bakkerij Peeters"
    assert page.locator(".wpl-ov-f-rol input[value=mentor]").count() == 1
    rows = cell_texts(page)
    first = next(
        r for r in rows if r[0].startswith(leidraad.criterion(stage[0]).criterion.tekst[:30])
    )
    assert first[6] == "in orde"
    own_row = [r for r in rows if r[0].startswith(inst.eigen_criteria[0].tekst[:30])]
    assert len(own_row) == 1 and "deels" in own_row[0], rows[-3:]
    assert page.js_errors == [] and page.foreign_requests == []


def test_many_lists_are_shown_twenty_columns_at_a_time(
    page: Any, server: str, tmp_path: Path, leidraad: Leidraad
) -> None:
    """45 lists: the table shows 20 list columns at a time, with buttons for the others; the
    counts, the caption and the CSV cover all 45."""
    stage = [i.id for i in tailor(leidraad, "stage").items]
    paths = []
    for n in range(45):
        path = tmp_path / f"lijst-{n:02d}.json"
        status = "in-orde" if n < 30 else "nog-niet"
        answers = {stage[0]: {"status": status}}
        path.write_text(json.dumps(export(f"Lijst {n:02d}", "stage", answers)), encoding="utf-8")
        paths.append(path)
    open_overview(page, server, paths)
    pos = page.locator(".wpl-ov-pos")
    heads = ".wpl-ov-table thead th.wpl-ov-list"
    assert page.locator(".wpl-ov-pages").is_visible()
    assert pos.inner_text() == "Lijsten 1–20 van 45 in de tabel."
    assert page.locator(heads).count() == 20
    assert page.locator(heads).first.inner_text() == "Lijst 00"
    assert page.locator(".wpl-ov-pages [data-act=prev]").is_disabled()
    first = cell_texts(page)[0]
    assert first[1:6] == ["30", "0", "15", "0", "0"]  # in orde, deels, nog niet, n.v.t., open
    assert "de tellingen gelden voor alle 45" in page.inner_text(".wpl-ov-table caption")
    page.click(".wpl-ov-pages [data-act=next]")
    assert pos.inner_text() == "Lijsten 21–40 van 45 in de tabel."
    assert page.locator(heads).first.inner_text() == "Lijst 20"
    page.click(".wpl-ov-pages [data-act=next]")
    assert pos.inner_text() == "Lijsten 41–45 van 45 in de tabel."
    assert page.locator(heads).count() == 5
    assert page.locator(".wpl-ov-pages [data-act=next]").is_disabled()
    # The last page's button is disabled: focus goes to the other one, not to the page body.
    assert page.evaluate("document.activeElement.dataset.act") == "prev"
    assert cell_texts(page)[0][1:6] == first[1:6]
    with page.expect_download() as info:
        page.click("button[data-act=csv]")
    rows = list(csv.reader(io.StringIO(Path(info.value.path()).read_text("utf-8-sig")),
                           delimiter=";"))
    assert len(rows[0]) == 11 + 45
    # A filter keeps the page where it can; with 20 lists or fewer the buttons go.
    page.locator(".wpl-ov-f-lijst input").nth(0).uncheck()
    assert pos.inner_text() == "Lijsten 41–44 van 44 in de tabel."
    for n in range(1, 25):
        page.locator(".wpl-ov-f-lijst input").nth(n).uncheck()
    assert page.locator(".wpl-ov-pages").is_hidden()
    assert page.locator(heads).count() == 20
