"""The status of a criterion in the PDF is one radio group (issue 12, point 2): filled in by two
independent tools (pypdf, pdftk-java), read back with pypdf and pdftk, exactly one value set;
``qpdf --check`` clean before and after; tags survive; the circles sit where the labels are.

The PDFs come from the session's strict MkDocs build (``site_dir``).
"""

from __future__ import annotations

import io
import re
import subprocess
from pathlib import Path
from typing import Any

import pypdf
import pytest

from generator import pdf
from generator.model import Leidraad
from generator.pdf import fields
from generator.tailor import tailor

STATUS_VALUES = [status.value for status in pdf.STATUSES]
ROLE_PDF = "checklist-stage-mentor.pdf"


@pytest.fixture(scope="module")
def role_pdf(site_dir: Path) -> Path:
    return site_dir / "downloads" / ROLE_PDF


def qpdf_check(path: Path) -> None:
    result = subprocess.run(["qpdf", "--check", str(path)], capture_output=True, text=True)
    # Exit 0: no errors, no warnings (3 would be warnings only).
    assert result.returncode == 0, result.stdout + result.stderr
    assert "No syntax or stream encoding errors found" in result.stdout


def fill_with_pypdf(source: Path, target: Path, values: dict[str, str]) -> None:
    writer = pypdf.PdfWriter(clone_from=pypdf.PdfReader(source))
    for page in writer.pages:
        writer.update_page_form_field_values(page, values, auto_regenerate=False)
    with target.open("wb") as out:
        writer.write(out)


def _fdf_string(value: str) -> str:
    encoded = "\ufeff".encode("utf-16-be") + value.encode("utf-16-be")
    return "<" + encoded.hex() + ">"


def fill_with_pdftk(source: Path, target: Path, values: dict[str, str]) -> None:
    """pdftk-java (Debian), an independent implementation: ``fill_form`` with an FDF file."""
    entries = []
    for name, value in values.items():
        if value.startswith("/"):
            entries.append(f"<< /T ({name}) /V {value} >>")
        else:
            entries.append(f"<< /T ({name}) /V {_fdf_string(value)} >>")
    fdf = (
        "%FDF-1.2\n1 0 obj\n<< /FDF << /Fields [ " + " ".join(entries) + " ] >> >>\nendobj\n"
        "trailer\n<< /Root 1 0 R >>\n%%EOF\n"
    )
    form = target.with_suffix(".fdf")
    form.write_text(fdf, encoding="ascii")
    subprocess.run(
        ["pdftk", str(source), "fill_form", str(form), "output", str(target)],
        check=True, capture_output=True,
    )


def statuses_by_pypdf(path: Path) -> dict[str, list[str]]:
    """Per status field: the values that are on, from the field and from its widgets (pypdf 7
    writes the field's value as a string ``/nvt``, pdftk as a name: both read as ``/nvt``)."""
    out: dict[str, list[str]] = {}
    for name, field in (pypdf.PdfReader(path).get_fields() or {}).items():
        if not name.endswith("_status"):
            continue
        value = str(field.get("/V", "/Off"))
        on = [str(kid.get_object()["/AS"]) for kid in field["/Kids"]]
        on = [state for state in on if state != "/Off"]
        out[name] = ([value] if value != "/Off" else []) + [f"widget {s}" for s in on]
    return out


def statuses_by_pdftk(path: Path) -> dict[str, str]:
    dump = subprocess.run(
        ["pdftk", str(path), "dump_data_fields_utf8"], capture_output=True, text=True, check=True
    ).stdout
    out: dict[str, str] = {}
    for block in dump.split("---"):
        name = re.search(r"^FieldName: (.*)$", block, re.M)
        if name and name[1].endswith("_status"):
            value = re.search(r"^FieldValue: (.*)$", block, re.M)
            # pypdf 7 writes the group's /V as a string "/nvt" (not a name): pdftk shows it so.
            out[name[1]] = value[1].lstrip("/") if value else ""
            options = set(re.findall(r"^FieldStateOption: (.*)$", block, re.M))
            assert options == {"Off", *STATUS_VALUES}, (name[1], options)
    return out


@pytest.mark.parametrize("tool", ["pypdf", "pdftk"])
def test_one_status_per_criterion_whichever_tool_fills_it(
    role_pdf: Path, tmp_path: Path, leidraad: Leidraad, tool: str
) -> None:
    view = tailor(leidraad, "stage", "mentor")
    first, second, third = (item.id for item in view.items[:3])
    fill = fill_with_pypdf if tool == "pypdf" else fill_with_pdftk
    once = tmp_path / "once.pdf"
    fill(role_pdf, once, {
        f"{first}_status": "/deels",
        f"{second}_status": "/in-orde",
        f"{first}_notitie": "Afspraak: werkpost bekijken op maandag, één keer",
    })
    # Ticking another value of the same criterion unticks the first: one value, ever.
    twice = tmp_path / "twice.pdf"
    fill(once, twice, {f"{first}_status": "/nvt"})
    for path in (once, twice):
        qpdf_check(path)
    expected = {f"{first}_status": ["/nvt", "widget /nvt"],
                f"{second}_status": ["/in-orde", "widget /in-orde"]}
    read = statuses_by_pypdf(twice)
    assert {name: on for name, on in read.items() if on} == expected
    assert read[f"{third}_status"] == []
    by_pdftk = statuses_by_pdftk(twice)
    assert by_pdftk[f"{first}_status"] == "nvt" and by_pdftk[f"{second}_status"] == "in-orde"
    assert by_pdftk[f"{third}_status"] in ("", "Off")
    note = pypdf.PdfReader(twice).get_fields()[f"{first}_notitie"]["/V"]
    assert note == "Afspraak: werkpost bekijken op maandag, één keer"
    # The tags survive filling in.
    catalog: Any = pypdf.PdfReader(twice).trailer["/Root"]
    assert "/StructTreeRoot" in catalog and bool(catalog["/MarkInfo"]["/Marked"])


def test_the_site_pdfs_pass_qpdf_check_and_carry_the_info_keys(
    site_dir: Path, leidraad: Leidraad
) -> None:
    downloads = site_dir / "downloads"
    names = sorted(p.name for p in downloads.glob("checklist-*.pdf"))
    assert len(names) == 43
    for name in ["checklist-alle-vormen.pdf", "checklist-stage.pdf", ROLE_PDF]:
        qpdf_check(downloads / name)
    for view in pdf.views(leidraad):
        name = pdf.file_name(view.form, view.role)
        info: Any = pypdf.PdfReader(downloads / name).metadata
        assert info["/WplFormaat"] == "werkplekleren-checklist-pdf", name
        assert info["/WplSchema"] == "1", name
        assert info["/WplEditie"] == leidraad.guideline.versie, name
        assert info["/WplVorm"] == (view.form.slug if view.form else "alle-vormen"), name
        assert info["/WplRol"] == (view.role.slug if view.role else ""), name


def _words(path: Path) -> list[tuple[int, float, float, float, float, str]]:
    """Every word with its page (1-based) and box (points, origin top left)."""
    html = subprocess.run(
        ["pdftotext", "-bbox", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    out = []
    for number, page in enumerate(html.split("<page ")[1:], start=1):
        for match in re.finditer(
            r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>',
            page,
        ):
            x1, y1, x2, y2 = (float(v) for v in match.groups()[:4])
            out.append((number, x1, y1, x2, y2, match[5]))
    return out


def test_each_circle_sits_just_before_its_label(role_pdf: Path) -> None:
    reader = pypdf.PdfReader(role_pdf)
    words = _words(role_pdf)
    first_words = [status.label.lower().split()[0] for status in pdf.STATUSES]
    checked = 0
    for number, page in enumerate(reader.pages, start=1):
        height = float(page.mediabox.height)
        for annot in page.get("/Annots") or []:
            widget = annot.get_object()
            parent = widget.get("/Parent")
            if parent is None or not str(parent.get_object()["/T"]).endswith("_status"):
                continue
            state = next(k for k in widget["/AP"]["/N"] if k != "/Off")[1:]
            label = first_words[STATUS_VALUES.index(state)]
            _, y1, x2, y2 = (float(v) for v in widget["/Rect"])
            top, bottom = height - y2, height - y1
            after = [
                w for w in words
                if w[0] == number and w[5] == label and 0 <= w[1] - x2 <= 6
                and abs((w[2] + w[4]) / 2 - (top + bottom) / 2) < 3
            ]
            assert len(after) == 1, (number, state, x2, top)
            checked += 1
    groups = [n for n in reader.get_fields() or {} if n.endswith("_status")]
    assert groups and checked == 4 * len(groups)


def test_the_circles_are_drawn_and_a_tick_shows(role_pdf: Path, tmp_path: Path) -> None:
    """Rendered by poppler: a ring per choice on paper, and a dot once ticked."""
    from PIL import Image

    reader = pypdf.PdfReader(role_pdf)
    page_number, widget = next(
        (index, annot.get_object())
        for index, page in enumerate(reader.pages, start=1)
        for annot in page.get("/Annots") or []
        if "/Parent" in annot.get_object()
    )
    group = str(widget["/Parent"]["/T"])
    state = next(k for k in widget["/AP"]["/N"] if k != "/Off")
    filled = tmp_path / "filled.pdf"
    fill_with_pypdf(role_pdf, filled, {group: state})

    def centre_and_ring(path: Path) -> tuple[int, int]:
        prefix = tmp_path / path.stem
        subprocess.run(["pdftoppm", "-r", "144", "-gray", "-f", str(page_number), "-l",
                        str(page_number), "-png", str(path), str(prefix)], check=True)
        (png,) = tmp_path.glob(f"{path.stem}*.png")
        scale = 144 / 72
        x1, y1, x2, y2 = (float(v) for v in widget["/Rect"])
        with Image.open(png) as loaded:
            image = loaded.convert("L")
            height = image.height
            cx, cy = (x1 + x2) / 2 * scale, height - (y1 + y2) / 2 * scale
            centre = image.getpixel((round(cx), round(cy)))
            # The ring's stroke, left side: the darkest pixel across it.
            ring = min(
                image.getpixel((x, round(cy)))
                for x in range(int(x1 * scale) - 1, int((x1 + 2) * scale) + 2)
            )
            return centre, ring

    centre, ring = centre_and_ring(role_pdf)
    assert ring < 128 and centre > 200, "an unticked choice is an empty ring"
    centre, ring = centre_and_ring(filled)
    assert ring < 128 and centre < 128, "a ticked choice has a dot"


def test_filled_pdf_resaved_with_object_streams_still_reads(role_pdf: Path, tmp_path: Path) -> None:
    filled, packed = tmp_path / "filled.pdf", tmp_path / "packed.pdf"
    name = next(n for n in pypdf.PdfReader(role_pdf).get_fields() or {} if n.endswith("_status"))
    fill_with_pdftk(role_pdf, filled, {name: "/nog-niet"})
    subprocess.run(["qpdf", "--object-streams=generate", str(filled), str(packed)], check=True)
    qpdf_check(packed)
    assert statuses_by_pypdf(packed)[name] == ["/nog-niet", "widget /nog-niet"]
    assert statuses_by_pdftk(packed)[name] == "nog-niet"


def test_text_fields_use_a_font_every_tool_can_write(role_pdf: Path, tmp_path: Path) -> None:
    """pdftk draws what it fills in with the field's font: with WeasyPrint's embedded CID font
    that came out as empty boxes; with Helvetica it is the text."""
    filled = tmp_path / "filled.pdf"
    fill_with_pdftk(role_pdf, filled, {"voorblad_lerende": "Jan Peeters-Dubois"})
    first_page = subprocess.run(
        ["pdftotext", "-f", "1", "-l", "1", str(filled), "-"],
        capture_output=True, text=True, check=True,
    ).stdout
    assert "Jan Peeters-Dubois" in first_page
    acroform: Any = pypdf.PdfReader(role_pdf).trailer["/Root"]["/AcroForm"]
    helvetica = acroform["/DR"]["/Font"]["/Helv"]
    assert helvetica["/BaseFont"] == "/Helvetica" and helvetica["/Encoding"] == "/WinAnsiEncoding"


def test_geometry_is_measured_with_the_stylesheet() -> None:
    from weasyprint import CSS
    from weasyprint.text.fonts import FontConfiguration

    font_config = FontConfiguration()
    base_url = pdf.PDF_TEMPLATES.as_uri() + "/"
    css = CSS(string=pdf.stylesheet(), base_url=base_url, font_config=font_config)
    geometry = fields.measure(css, font_config, base_url)
    assert len(geometry.centres) == 4
    assert list(geometry.centres) == sorted(geometry.centres)
    assert geometry.centres[0] > fields.CIRCLE / 2 - 1
    # The same line of text as in the template, one gap before each label.
    assert fields.choices_line().count(fields.GAP) == 4


def test_a_pdf_written_by_the_finisher_alone_is_valid(tmp_path: Path) -> None:
    """A document without any criterion (no line of choices) still gets the Info keys and
    passes qpdf: the post-processing does not assume a checklist."""
    from weasyprint import HTML

    entries = fields.info("2026.1", "stage", "")
    data = HTML(string='<html lang="nl"><title>x</title><p>x</p></html>').write_pdf(
        finisher=lambda document, out: fields.finish(document, out, entries), **pdf.OPTIONS
    )
    path = tmp_path / "plain.pdf"
    path.write_bytes(data)
    qpdf_check(path)
    info: Any = pypdf.PdfReader(io.BytesIO(data)).metadata
    assert info["/WplVorm"] == "stage" and info["/WplRol"] == ""
    with pytest.raises(ValueError, match="ASCII"):
        fields.info("2026.1", "stâge", "")
