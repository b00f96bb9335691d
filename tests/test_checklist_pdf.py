"""Reading a filled-in PDF back into the online checklist (issue 12, point 3, the browser half).

The PDFs here are shaped like the site's (tests/checklist_pdf.py, after CONTRACTS.md): radio
groups ``<id>_status``, text fields ``<id>_notitie``, cover fields and the ``/Wpl...`` Info keys.
They are filled by two independent tools (pypdf and pdftk-java), re-saved with object streams by
qpdf and updated incrementally, and imported in Chromium through the page's own import button.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests import checklist_pdf as pdfs
from tests.checklist_ui import get_note, get_status
from tests.test_checklist import FORM, KEY, URL, active_list, clean, item_ids, open_checklist
from tests.test_checklist_robust import no_pollution, raw_storage

READER = "assets/javascripts/lib/pdf-reader.js"
NOTE = "Gesprek (2de week) – afspraak met Émile"


def requested(page: Any) -> list[str]:
    return list(page.evaluate("performance.getEntriesByType('resource').map(e => e.name)"))


def import_pdf(page: Any, path: Path, options: int = 2) -> None:
    page.set_input_files(".wpl-cl-import", str(path))
    page.wait_for_function(f"document.querySelectorAll('#wpl-cl-list option').length === {options}")


def filled(tmp_path: Path, ids: list[str], how: str) -> Path:
    blank = pdfs.blank_pdf(tmp_path / "blank.pdf", ids[:8])
    statuses = {ids[0]: "in-orde", ids[1]: "deels", ids[2]: "nog-niet", ids[3]: "nvt",
                ids[5]: "deels"}
    notes = {ids[1]: NOTE}
    cover = {"voorblad_lerende": "Amira (3de jaar)", "voorblad_bedrijf": "Bakkerij Peeters",
             "voorblad_periode": "najaar 2026", "voorblad_mentor": "Jan"}
    if how == "pdftk":
        return pdfs.fill_pdftk(blank, tmp_path / "pdftk.pdf", statuses, notes, cover)
    out = pdfs.fill_pypdf(blank, tmp_path / "pypdf.pdf", statuses, notes, cover)
    if how == "object-streams":
        return pdfs.object_streams(out, tmp_path / "objstm.pdf")
    if how == "incremental":
        # Opened again and changed, as a viewer saves: the later answer must win.
        return pdfs.fill_pypdf(out, tmp_path / "incremental.pdf", {ids[5]: "nvt"}, {},
                               incremental=True)
    return out


@pytest.mark.parametrize("how", ["pypdf", "pdftk", "object-streams", "incremental"])
def test_a_filled_in_pdf_becomes_a_new_list(
    page: Any, server: str, tmp_path: Path, how: str
) -> None:
    open_checklist(page, server)
    ids = item_ids(page)
    path = filled(tmp_path, ids, how)
    read = pdfs.read_back(path)
    assert read[f"{ids[1]}_status"] == "/deels"  # the tool did fill it
    assert not any(READER in url for url in requested(page))  # not loaded until needed
    import_pdf(page, path)
    expected = {ids[0]: "in-orde", ids[1]: "deels", ids[2]: "nog-niet", ids[3]: "nvt",
                ids[5]: "nvt" if how == "incremental" else "deels"}
    assert {cid: get_status(page, cid) for cid in ids if get_status(page, cid)} == expected
    assert get_note(page, ids[1]) == NOTE
    name = "Amira (3de jaar) – Bakkerij Peeters – najaar 2026"
    assert page.eval_on_selector("#wpl-cl-list", "s => s.selectedOptions[0].textContent") == name
    message = page.inner_text(".wpl-cl-msg")
    assert f"‘{name}’ is geïmporteerd als nieuwe checklist (5 statussen, 1 notitie" in message
    assert "uit de pdf" in message and "Je andere checklists zijn niet gewijzigd." in message
    saved = active_list(page)
    assert saved["bron"] == "pdf" and "rol" not in saved
    assert saved["criteria"][ids[1]] == {"status": "deels", "notitie": NOTE}
    assert any(url.endswith(READER) for url in requested(page))
    assert page.foreign_requests == []
    clean(page)


def test_the_role_and_a_file_name_when_the_cover_is_empty(
    page: Any, server: str, tmp_path: Path
) -> None:
    open_checklist(page, server)
    ids = item_ids(page)
    blank = pdfs.blank_pdf(tmp_path / "blank.pdf", ids[:3], pdfs.info(role="mentor"))
    path = pdfs.fill_pypdf(blank, tmp_path / "mentor.pdf", {ids[0]: "deels"}, {})
    import_pdf(page, path)
    assert page.eval_on_selector("#wpl-cl-list", "s => s.selectedOptions[0].textContent") == (
        "Pdf mentor.pdf"
    )
    assert "ingevuld voor de rol mentor" in page.inner_text(".wpl-cl-msg")
    assert active_list(page)["rol"] == "mentor"
    with page.expect_download() as info:
        page.click("button[data-act=json]")
    exported = json.loads(Path(info.value.path()).read_text("utf-8"))
    assert exported["rol"] == "mentor" and exported["bron"] == "pdf"
    assert exported["criteria"] == {ids[0]: {"status": "deels"}}
    clean(page)


def test_a_pdf_from_an_older_edition(page: Any, server: str, tmp_path: Path) -> None:
    """Criteria the page no longer has are kept and listed; missing ones stay unanswered."""
    open_checklist(page, server)
    ids = item_ids(page)
    blank = pdfs.blank_pdf(tmp_path / "blank.pdf", [ids[0], "vervallen-criterium"],
                           pdfs.info(edition="2025.1"))
    path = pdfs.fill_pypdf(blank, tmp_path / "oud.pdf",
                           {ids[0]: "in-orde", "vervallen-criterium": "nog-niet"},
                           {"vervallen-criterium": "Oude notitie"})
    import_pdf(page, path)
    message = page.inner_text(".wpl-cl-msg")
    assert "digitale editie 2025.1" in message
    assert "1 antwoorden horen bij criteria die niet in deze checklist staan" in message
    assert get_status(page, ids[0]) == "in-orde"
    assert "vervallen-criterium" in page.inner_text(".wpl-cl-gone")
    assert active_list(page)["criteria"]["vervallen-criterium"] == {
        "status": "nog-niet", "notitie": "Oude notitie"
    }
    clean(page)


def _not_ours(tmp_path: Path, ids: list[str]) -> bytes:
    meta = {"/Title": "Een ander formulier", "/Producer": "iets anders"}
    return pdfs.blank_pdf(tmp_path / "vreemd.pdf", ids[:2], meta).read_bytes()


def _other_form(tmp_path: Path, ids: list[str]) -> bytes:
    path = pdfs.blank_pdf(tmp_path / "duaal.pdf", ids[:2], pdfs.info(form="duaal-leren"))
    filled = pdfs.fill_pypdf(path, tmp_path / "duaal-ingevuld.pdf", {ids[0]: "deels"}, {})
    return filled.read_bytes()


def _newer(tmp_path: Path, ids: list[str]) -> bytes:
    meta = {**pdfs.info(), "/WplSchema": "2"}
    return pdfs.blank_pdf(tmp_path / "nieuw.pdf", ids[:2], meta).read_bytes()


def _truncated(tmp_path: Path, ids: list[str]) -> bytes:
    data = pdfs.fill_pypdf(pdfs.blank_pdf(tmp_path / "b.pdf", ids[:4]), tmp_path / "f.pdf",
                           {ids[0]: "deels"}, {}).read_bytes()
    return data[: len(data) // 3]


def _flattened(tmp_path: Path, ids: list[str]) -> bytes:
    """A PDF 'printed to PDF': our Info keys, but no form fields any more."""
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(595, 842)
    writer.add_metadata(pdfs.info())
    path = tmp_path / "plat.pdf"
    with path.open("wb") as out:
        writer.write(out)
    return path.read_bytes()


def _broken_object_stream(tmp_path: Path, ids: list[str]) -> bytes:
    path = pdfs.object_streams(
        pdfs.fill_pypdf(pdfs.blank_pdf(tmp_path / "b.pdf", ids[:4]), tmp_path / "f.pdf",
                        {ids[0]: "deels"}, {}),
        tmp_path / "os.pdf",
    )
    data = bytearray(path.read_bytes())
    start = data.index(b"/Type /ObjStm")
    stream = data.index(b"stream", start) + 8
    data[stream : stream + 40] = b"x" * 40  # corrupt the compressed data
    return bytes(data)


BAD_PDFS = {
    "not-ours": (_not_ours, "geen checklist-pdf van deze site"),
    "other-form": (_other_form, "hoort bij een andere checklist (duaal-leren)"),
    "newer-format": (_newer, "onbekende versie van het formaat"),
    "truncated": (_truncated, "beschadigde pdf"),
    "only-a-header": (lambda tmp, ids: b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n" + b"\x00" * 500,
                      "beschadigde pdf"),
    "flattened": (_flattened, "geen invulvelden meer"),
    "broken-object-stream": (_broken_object_stream, "beschadigde pdf"),
}


@pytest.mark.parametrize("case", sorted(BAD_PDFS))
def test_a_pdf_that_is_not_ours_or_damaged_changes_nothing(
    page: Any, server: str, tmp_path: Path, case: str
) -> None:
    make, expected = BAD_PDFS[case]
    open_checklist(page, server)
    ids = item_ids(page)
    page.check(f"[data-criterion='{ids[0]}'] input[value='in-orde']")
    before = raw_storage(page)
    page.set_input_files(".wpl-cl-import", files=[{
        "name": f"{case}.pdf", "mimeType": "application/pdf", "buffer": make(tmp_path, ids)}])
    page.wait_for_function("document.querySelector('.wpl-cl-err').textContent !== ''")
    message = page.inner_text(".wpl-cl-err")
    assert expected in message and f"‘{case}.pdf’" in message
    assert message.endswith("Er is niets gewijzigd.")
    assert raw_storage(page) == before
    assert page.locator("#wpl-cl-list option").count() == 1
    assert get_status(page, ids[0]) == "in-orde"
    assert page.input_value(".wpl-cl-import") == ""
    no_pollution(page)
    clean(page)


def test_compare_reads_pdfs_too(page: Any, server: str, tmp_path: Path) -> None:
    open_checklist(page, server)
    ids = item_ids(page)
    blank = pdfs.blank_pdf(tmp_path / "blank.pdf", ids[:3])
    school = pdfs.fill_pypdf(blank, tmp_path / "school.pdf", {ids[0]: "in-orde"}, {})
    mentor = pdfs.fill_pdftk(blank, tmp_path / "mentor.pdf", {ids[0]: "deels"}, {})
    page.set_input_files(".wpl-cl-cmp-files", [str(school), str(mentor)])
    page.wait_for_selector("table.wpl-cl-cmp")
    rows = page.eval_on_selector_all(
        "table.wpl-cl-cmp tr", "rs => rs.map(r => [...r.cells].map(c => c.innerText.trim()))"
    )
    assert rows[0][1:] == ["Pdf school.pdf (school.pdf)", "Pdf mentor.pdf (mentor.pdf)"]
    assert [r[1:] for r in rows[1:]] == [["in orde", "deels"]]
    assert raw_storage(page).get(KEY) is None  # comparing saves nothing
    clean(page)


def test_strings_of_every_kind(page: Any, server: str) -> None:
    """The reader on its own: literal strings with escapes and parentheses, hex strings,
    UTF-16BE, names with #xx, a later object winning, and junk between objects."""
    open_checklist(page, server, URL)
    pdf = (
        b"%PDF-1.4\n"
        b"1 0 obj << /Type /Catalog /AcroForm 2 0 R >> endobj\n"
        b"2 0 obj << /Fields [3 0 R 4 0 R 5 0 R 6 0 R] >> endobj\n"
        b"3 0 obj << /T (tijd-en-ruimte_status) /V /Off >> endobj\n"
        b"4 0 obj << /T <74696a642d656e2d7275 \n696d74655f6e6f7469746965> "
        b"/V (Regel 1\\nmet \\(haakjes\\) en \\\\ en \\351t\\351 en\\\n vervolg) >> endobj\n"
        b"5 0 obj << /T (voorblad_lerende) /V <FEFF00C90063006F006C0065> >> endobj\n"
        b"6 0 obj << /T (bereidheid-betrokkenen_status) /V /n#6fg-niet >> endobj\n"
        b"rommel 12 obj (niet dit) endobj\n"
        b"3 0 obj << /T (tijd-en-ruimte_status) /V /deels >> endobj\n"
        b"7 0 obj << /WplFormaat (werkplekleren-checklist-pdf) /WplSchema (1) /WplEditie (2026.1)"
        b" /WplVorm (stage) /WplRol () >> endobj\n"
        b"trailer << /Root 1 0 R /Info 7 0 R >>\n%%EOF\n"
    )
    result = page.evaluate(
        """async bytes => {
          const m = await import('../../../""" + READER + """');
          return await m.readPdf(new Uint8Array(bytes), 'los.pdf');
        }""",
        list(pdf),
    )
    assert result["criteria"] == {
        "tijd-en-ruimte": {
            "status": "deels",
            "notitie": "Regel 1\nmet (haakjes) en \\ en été en vervolg",
        },
        "bereidheid-betrokkenen": {"status": "nog-niet"},
    }
    assert result["naam"] == "École"
    assert (result["formaat"], result["schema"], result["vorm"], result["bron"]) == (
        "werkplekleren-checklist", 1, FORM, "pdf"
    )
    assert "rol" not in result
    clean(page)


def test_an_own_instruments_pdf_imports_on_that_instrument_only(
    page: Any, server: str, tmp_path: Path, leidraad: Any
) -> None:
    """A PDF of an own instrument (``/WplInstrument``) brings its answers, own criteria
    included, into a list of that instrument; the form's own checklist refuses it, as it
    refuses a JSON export of an instrument."""
    from generator import instrument
    from tests.test_instrument import open_instrument, python_link
    from tests.test_lees_pdf import own_instrument

    inst = own_instrument(leidraad)
    assert inst.vorm == FORM
    first = inst.criteria[0]
    blank = pdfs.blank_pdf(tmp_path / "blank.pdf", [*inst.criteria, "eigen-1"],
                           pdfs.info() | {"/WplInstrument": instrument.info_json(inst)})
    path = pdfs.fill_pdftk(blank, tmp_path / "eigen.pdf", {"eigen-1": "deels", first: "nvt"},
                           {"eigen-1": NOTE}, {"voorblad_lerende": "Noor"})
    open_checklist(page, server)
    before = raw_storage(page)
    page.set_input_files(".wpl-cl-import", str(path))
    page.wait_for_function("document.querySelector('.wpl-cl-err').textContent !== ''")
    message = page.inner_text(".wpl-cl-err")
    assert "‘eigen.pdf’ hoort bij een eigen instrument" in message, message
    assert raw_storage(page) == before and get_status(page, first) == ""

    page.goto("about:blank")  # the link differs only in its fragment: load it anew
    open_instrument(page, python_link(leidraad, server, inst))
    assert page.text_content("article h1") == inst.titel
    assert page.locator("[data-criterion='eigen-1']").count() == 1
    assert get_status(page, "eigen-1") == ""
    import_pdf(page, path)
    assert get_status(page, "eigen-1") == "deels" and get_note(page, "eigen-1") == NOTE
    assert get_status(page, first) == "nvt"
    assert page.eval_on_selector("#wpl-cl-list", "s => s.selectedOptions[0].textContent") == "Noor"
    stored = json.loads(raw_storage(page)[f"wpl-checklist:/:{FORM}:instrument:{inst.id}"])
    lists = {entry["naam"]: entry for entry in stored["lijsten"]}
    assert lists["Noor"]["criteria"]["eigen-1"] == {"status": "deels", "notitie": NOTE}
    with page.expect_download() as info:
        page.click("button[data-act=json]")
    exported = json.loads(Path(info.value.path()).read_text("utf-8"))
    assert exported["instrument"] == instrument.file_object(inst)
    assert exported["criteria"] == {"eigen-1": {"status": "deels", "notitie": NOTE},
                                    first: {"status": "nvt"}}
    no_pollution(page)
    clean(page)
