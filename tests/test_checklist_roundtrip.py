"""Paper to online and back, end to end (issue 12, point 7), with the site's own role PDF.

Download the mentor's PDF for stage from the downloads page, fill in five statuses and a note
with pypdf (as a mentor's PDF viewer would), import it on the stage checklist, see the answers,
export JSON and compare it with a second list: the differences appear.

This relies on the PDF contract (CONTRACTS.md): one radio group ``<id>_status`` per criterion
with the export values in-orde, deels, nog-niet and nvt, ``<id>_notitie``, and the ``/Wpl...``
Info keys. The PDFs get them from the PDF side of issue 12 (helper i12pdf).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from pypdf import PdfReader, PdfWriter

from tests.checklist_ui import get_note, get_status
from tests.test_checklist import FORM, URL, active_list, clean, open_checklist

ROLE = "mentor"
NOTE = "Besproken met de mentor op 3 maart; de werkpost is in orde."


def status_groups(path: Path) -> list[str]:
    """Criterion IDs of the PDF's radio groups, in field order (checked against the contract)."""
    fields = PdfReader(path).get_fields() or {}
    groups = [name.removesuffix("_status") for name in fields if name.endswith("_status")]
    assert groups, (
        "the site's PDF has no <id>_status radio groups (CONTRACTS.md, 'PDF form fields'): "
        "the PDF side of issue 12 has not landed in this branch"
    )
    for cid in groups:
        states = fields[f"{cid}_status"].get("/_States_", [])
        assert {"/in-orde", "/deels", "/nog-niet", "/nvt"} <= set(states), (cid, states)
        assert f"{cid}_notitie" in fields
    return groups


def test_paper_to_online_and_compare(page: Any, server: str, tmp_path: Path) -> None:
    # 1. Download the role PDF through its link on the downloads page (Chromium would show a
    #    PDF link in its viewer rather than download it, so the test fetches what it links to).
    page.goto(server + "downloads/")
    link = page.locator(f"a[href$='checklist-{FORM}-{ROLE}.pdf']").first
    response = page.request.get(link.evaluate("a => a.href"))
    assert response.ok and response.headers["content-type"] == "application/pdf"
    blank = tmp_path / f"checklist-{FORM}-{ROLE}.pdf"
    blank.write_bytes(response.body())
    meta = PdfReader(blank).metadata or {}
    assert meta.get("/WplFormaat") == "werkplekleren-checklist-pdf", (
        "the site's PDF has no /WplFormaat Info key (CONTRACTS.md): the PDF side of issue 12 "
        "has not landed in this branch"
    )
    assert meta.get("/WplRol") == ROLE and meta.get("/WplVorm") == FORM

    # 2. Fill five statuses and a note with pypdf.
    ids = status_groups(blank)
    answers = dict(zip(ids[:5], ["in-orde", "deels", "nog-niet", "nvt", "deels"], strict=True))
    writer = PdfWriter(clone_from=blank)
    values = {f"{cid}_status": f"/{status}" for cid, status in answers.items()}
    values[f"{ids[1]}_notitie"] = NOTE
    values["voorblad_lerende"] = "Lies"
    writer.update_page_form_field_values(None, values, auto_regenerate=False)
    mentor_pdf = tmp_path / "ingevuld-door-mentor.pdf"
    with mentor_pdf.open("wb") as out:
        writer.write(out)

    # 3. Import it on that form's checklist page.
    open_checklist(page, server, URL)
    page.set_input_files(".wpl-cl-import", str(mentor_pdf))
    page.wait_for_function("document.querySelectorAll('#wpl-cl-list option').length === 2")

    # 4. The statuses and the note are there.
    assert {cid: get_status(page, cid) for cid in answers} == answers
    assert get_note(page, ids[1]) == NOTE
    assert f"ingevuld voor de rol {ROLE}" in page.inner_text(".wpl-cl-msg")
    assert active_list(page)["naam"] == "Lies"

    # 5. Export JSON.
    with page.expect_download() as info:
        page.click("button[data-act=json]")
    exported_path = tmp_path / "mentor.json"
    info.value.save_as(exported_path)
    exported = json.loads(exported_path.read_text("utf-8"))
    assert exported["bron"] == "pdf" and exported["rol"] == ROLE and exported["vorm"] == FORM
    assert {cid: e.get("status") for cid, e in exported["criteria"].items()} == answers
    assert exported["criteria"][ids[1]]["notitie"] == NOTE

    # 6. Compare with a second list (the school's): the differences appear.
    same = {cid: {"status": answers[cid]} for cid in (ids[0], ids[2], ids[3])}
    school = {**exported, "naam": "School", "bron": "online",
              "criteria": {**same, ids[1]: {"status": "in-orde"}}}
    school_path = tmp_path / "school.json"
    school_path.write_text(json.dumps(school), "utf-8")
    page.set_input_files(".wpl-cl-cmp-files", [str(exported_path), str(school_path)])
    page.wait_for_selector("table.wpl-cl-cmp")
    rows = page.eval_on_selector_all(
        "table.wpl-cl-cmp tr", "rs => rs.map(r => [...r.cells].map(c => c.innerText.trim()))"
    )
    assert rows[0][1:] == ["Lies (mentor.json)", "School (school.json)"]
    links = page.eval_on_selector_all(
        "table.wpl-cl-cmp th a", "as => as.map(a => a.getAttribute('href'))"
    )
    differ = {link[1:]: row[1:] for link, row in zip(links, rows[1:], strict=True)}
    assert differ == {ids[1]: [f"deels\n{NOTE}", "in orde"], ids[4]: ["deels", "nog niet bekeken"]}
    assert page.inner_text("table.wpl-cl-cmp caption").startswith("Op 2 van")
    clean(page)
