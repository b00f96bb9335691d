"""Small checklist PDFs shaped like the site's (see CONTRACTS.md, "PDF form fields"), and ways to
fill them with independent tools, for the tests of reading a filled-in PDF back.

``blank_pdf`` builds a one-page PDF with pypdf: per criterion one radio group ``<id>_status``
(widgets with the appearance states ``/in-orde``, ``/deels``, ``/nog-niet``, ``/nvt`` and
``/Off``) and a text field ``<id>_notitie``; the cover fields; and the Info keys ``/WplFormaat``,
``/WplSchema``, ``/WplEditie``, ``/WplVorm`` and ``/WplRol``. The fill functions use pypdf and
pdftk-java (Debian), and qpdf rewrites a file with object streams.
"""

from __future__ import annotations

import subprocess
from collections.abc import Mapping
from pathlib import Path

from pypdf import PdfReader, PdfWriter
from pypdf.generic import (
    ArrayObject,
    DictionaryObject,
    FloatObject,
    NameObject,
    NumberObject,
    StreamObject,
    TextStringObject,
)

STATUSES = ("in-orde", "deels", "nog-niet", "nvt")
COVER = ("voorblad_lerende", "voorblad_instelling", "voorblad_begeleider", "voorblad_bedrijf",
         "voorblad_mentor", "voorblad_periode", "voorblad_datum")
RADIO = (1 << 15) | (1 << 14)  # Radio, NoToggleToOff


def info(edition: str = "2026.1", form: str = "stage", role: str = "") -> dict[str, str]:
    return {"/WplFormaat": "werkplekleren-checklist-pdf", "/WplSchema": "1",
            "/WplEditie": edition, "/WplVorm": form, "/WplRol": role}


def _rect(x: float, y: float, w: float, h: float) -> ArrayObject:
    return ArrayObject([FloatObject(x), FloatObject(y), FloatObject(x + w), FloatObject(y + h)])


def _appearance(writer: PdfWriter, on: bool) -> object:
    stream = StreamObject()
    stream.set_data(b"0 g 2 2 6 6 re f" if on else b"")
    stream.update({NameObject("/Type"): NameObject("/XObject"),
                   NameObject("/Subtype"): NameObject("/Form"),
                   NameObject("/BBox"): _rect(0, 0, 10, 10)})
    return writer._add_object(stream)


def blank_pdf(path: Path, ids: list[str], meta: Mapping[str, str] | None = None) -> Path:
    """An empty checklist PDF for the criteria ``ids``; ``meta`` replaces the Info keys."""
    writer = PdfWriter()
    page = writer.add_blank_page(595, 842)
    page_ref = page.indirect_reference
    font = writer._add_object(DictionaryObject({
        NameObject("/Type"): NameObject("/Font"), NameObject("/Subtype"): NameObject("/Type1"),
        NameObject("/BaseFont"): NameObject("/Helvetica")}))
    fields, annots = ArrayObject(), ArrayObject()

    def widget(extra: dict[str, object], rect: ArrayObject) -> DictionaryObject:
        base = {NameObject("/Type"): NameObject("/Annot"),
                NameObject("/Subtype"): NameObject("/Widget"),
                NameObject("/Rect"): rect, NameObject("/P"): page_ref,
                NameObject("/F"): NumberObject(4)}
        return DictionaryObject({**base, **extra})

    def text_field(name: str, y: float) -> None:
        field = widget({NameObject("/FT"): NameObject("/Tx"),
                        NameObject("/T"): TextStringObject(name),
                        NameObject("/DA"): TextStringObject("/Helv 9 Tf 0 g")},
                       _rect(200, y, 300, 12))
        ref = writer._add_object(field)
        fields.append(ref)
        annots.append(ref)

    y = 800.0
    for name in COVER:
        text_field(name, y)
        y -= 14
    for cid in ids:
        parent = DictionaryObject({
            NameObject("/FT"): NameObject("/Btn"), NameObject("/Ff"): NumberObject(RADIO),
            NameObject("/T"): TextStringObject(f"{cid}_status"),
            NameObject("/V"): NameObject("/Off"), NameObject("/Kids"): ArrayObject()})
        parent_ref = writer._add_object(parent)
        for n, value in enumerate(STATUSES):
            states = DictionaryObject({NameObject(f"/{value}"): _appearance(writer, True),
                                       NameObject("/Off"): _appearance(writer, False)})
            kid = widget({NameObject("/Parent"): parent_ref,
                          NameObject("/AS"): NameObject("/Off"),
                          NameObject("/AP"): DictionaryObject({NameObject("/N"): states})},
                         _rect(40 + 60 * n, y, 10, 10))
            kid_ref = writer._add_object(kid)
            parent["/Kids"].append(kid_ref)
            annots.append(kid_ref)
        fields.append(parent_ref)
        text_field(f"{cid}_notitie", y - 12)
        y -= 26
    page[NameObject("/Annots")] = annots
    writer._root_object[NameObject("/AcroForm")] = DictionaryObject({
        NameObject("/Fields"): fields,
        NameObject("/DA"): TextStringObject("/Helv 0 Tf 0 g"),
        NameObject("/DR"): DictionaryObject({
            NameObject("/Font"): DictionaryObject({NameObject("/Helv"): font})})})
    writer.add_metadata(dict(meta) if meta is not None else info())
    with path.open("wb") as out:
        writer.write(out)
    return path


def fill_pypdf(src: Path, dest: Path, statuses: Mapping[str, str], notes: Mapping[str, str],
               cover: Mapping[str, str] | None = None, incremental: bool = False) -> Path:
    """Fill with pypdf, as a script would; ``incremental`` appends the changes to the file."""
    writer = PdfWriter(src, incremental=True) if incremental else PdfWriter(clone_from=src)
    values: dict[str, str] = {f"{cid}_status": f"/{s}" for cid, s in statuses.items()}
    values |= {f"{cid}_notitie": text for cid, text in notes.items()}
    values |= dict(cover or {})
    writer.update_page_form_field_values(writer.pages[0], values, auto_regenerate=False)
    with dest.open("wb") as out:
        writer.write(out)
    return dest


def _fdf_string(text: str) -> bytes:
    data = b"\xfe\xff" + text.encode("utf-16-be")
    return b"(" + data.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)") + b")"


def fill_pdftk(src: Path, dest: Path, statuses: Mapping[str, str], notes: Mapping[str, str],
               cover: Mapping[str, str] | None = None) -> Path:
    """Fill with pdftk-java (an independent implementation) through an FDF file."""
    entries = [b"<< /T (" + f"{cid}_status".encode() + b") /V /" + s.encode() + b" >>"
               for cid, s in statuses.items()]
    entries += [b"<< /T (" + f"{cid}_notitie".encode() + b") /V " + _fdf_string(t) + b" >>"
                for cid, t in notes.items()]
    entries += [b"<< /T (" + k.encode() + b") /V " + _fdf_string(v) + b" >>"
                for k, v in (cover or {}).items()]
    fdf = dest.with_suffix(".fdf")
    fdf.write_bytes(b"%FDF-1.2\n1 0 obj\n<< /FDF << /Fields [\n" + b"\n".join(entries)
                    + b"\n] >> >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n")
    subprocess.run(["pdftk", str(src), "fill_form", str(fdf), "output", str(dest)],
                   check=True, capture_output=True)
    return dest


def object_streams(src: Path, dest: Path) -> Path:
    """The same PDF re-saved by qpdf with compressed object streams."""
    subprocess.run(["qpdf", "--object-streams=generate", str(src), str(dest)],
                   check=True, capture_output=True)
    return dest


def read_back(path: Path) -> dict[str, object]:
    """What pypdf reads from the fields (to check a fill worked before the browser reads it)."""
    fields = PdfReader(path).get_fields() or {}
    return {name: f.get("/V") for name, f in fields.items()}
