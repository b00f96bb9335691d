"""The PDF checklists of the real site, read back as data (pypdf, poppler): files and names,
criteria per form and role, form fields, metadata, fonts, header/footer, QR code, links.

The PDFs come from the session's strict MkDocs build (``site_dir``), which takes them from the
content-hash cache when nothing changed, so this module renders nothing itself.
"""

from __future__ import annotations

import html
import io
import re
import subprocess
from collections import Counter
from functools import cache
from pathlib import Path
from typing import Any

import pypdf
import pytest

from generator import pdf, text
from generator.model import Leidraad
from generator.tailor import IMPORTANCE_LABELS, View, tailor

SITE_URL = "https://werkplekleren.example.org/"
STATUS_VALUES = [status.value for status in pdf.STATUSES]


def _views(leidraad: Leidraad) -> dict[str, View]:
    return {pdf.file_name(v.form, v.role): v for v in pdf.views(leidraad)}


@cache
def _reader(path: Path) -> pypdf.PdfReader:
    return pypdf.PdfReader(path)


def _widgets(path: Path) -> list[dict[str, Any]]:
    """Every form widget of a PDF, page by page (duplicates would show here, not in get_fields)."""
    out = []
    for page in _reader(path).pages:
        for annot in page.get("/Annots") or []:
            obj = annot.get_object()
            if obj.get("/Subtype") == "/Widget":
                out.append(obj)
    return out


def _text(path: Path, *pages: int) -> str:
    command = ["pdftotext", "-enc", "UTF-8"]
    if pages:
        command += ["-f", str(pages[0]), "-l", str(pages[-1])]
    result = subprocess.run([*command, str(path), "-"], capture_output=True, text=True, check=True)
    return result.stdout


def _words(value: str) -> str:
    return " ".join(value.split())


@pytest.fixture(scope="session")
def downloads(site_dir: Path) -> Path:
    return site_dir / "downloads"


def test_every_pdf_is_there_with_its_stable_name(downloads: Path, leidraad: Leidraad) -> None:
    expected = {"checklist-alle-vormen.pdf"}
    for form in leidraad.forms:
        expected.add(f"checklist-{form.slug}.pdf")
        expected |= {f"checklist-{form.slug}-{role.slug}.pdf" for role in leidraad.roles}
    assert len(expected) == 1 + 7 + 7 * 5
    found = {p.name for p in downloads.glob("checklist-*.pdf")}
    assert found == expected
    for name in expected:
        assert (downloads / name).read_bytes().startswith(b"%PDF-1.7"), name


def test_fields_cover_exactly_the_criteria_of_the_form_and_role(
    downloads: Path, leidraad: Leidraad
) -> None:
    for name, view in _views(leidraad).items():
        names = [str(w["/T"]) for w in _widgets(downloads / name)]
        ids = {item.id for item in view.items}
        assert ids, name
        per_criterion = Counter(n.rsplit("_", 1)[0] for n in names if n.endswith(
            tuple(f"_{s}" for s in [*STATUS_VALUES, "notitie"])
        ))
        assert set(per_criterion) == ids, name
        assert all(count == 5 for count in per_criterion.values()), name
        for field in pdf.COVER_FIELDS:
            assert field.name in names, (name, field.name)
        for party in pdf.SIGNATURES:
            assert {f"{party.name}_naam", f"{party.name}_datum"} <= set(names), name


def test_field_names_are_unique_labelled_and_tied_to_ids(
    downloads: Path, leidraad: Leidraad
) -> None:
    all_ids = {loc.criterion.id for loc in leidraad.criteria()}
    pattern = re.compile(r"^(?P<id>[a-z0-9-]+)_(?P<kind>in-orde|deels|nog-niet|nvt|notitie)$")
    other = {f.name for f in pdf.COVER_FIELDS}
    other |= {f"{p.name}_{k}" for p in pdf.SIGNATURES for k in ("naam", "datum")}
    for path in sorted(downloads.glob("checklist-*.pdf")):
        widgets = _widgets(path)
        names = [str(w["/T"]) for w in widgets]
        assert len(names) == len(set(names)), [n for n, c in Counter(names).items() if c > 1]
        for widget in widgets:
            name = str(widget["/T"])
            assert "." not in name and "/Parent" not in widget, name
            assert str(widget.get("/TU", "")).strip(), f"{path.name}: {name} has no tooltip"
            match = pattern.match(name)
            assert name in other or (match and match["id"] in all_ids), name
            kind = match["kind"] if match else ""
            assert widget["/FT"] == ("/Btn" if kind in STATUS_VALUES else "/Tx"), name
        # Every field is also listed in the AcroForm, so readers find it.
        assert set(_reader(path).get_fields() or {}) == set(names), path.name


def test_every_criterion_text_and_hint_is_printed(downloads: Path, leidraad: Leidraad) -> None:
    def squeeze(value: str) -> str:  # lines may break after a slash or a hyphen
        return "".join(value.split())

    views = _views(leidraad)
    for name in ["checklist-alle-vormen.pdf", *(pdf.file_name(f) for f in leidraad.forms),
                 "checklist-stage-mentor.pdf"]:
        # The guideline's dead link is printed as text with a note after it.
        note = squeeze(f" ({text.HISTORICAL_NOTE})")
        printed = squeeze(_text(downloads / name)).replace(note, "")
        for item in views[name].items:
            assert squeeze(text.plain(item.criterion.tekst)) in printed, (name, item.id)
            if item.hint:
                printed_hint = squeeze(text.plain(item.hint.tekst))
                if not item.hint.geverifieerd:
                    printed_hint += squeeze(" (niet geverifieerd)")
                assert printed_hint in printed, (name, item.id, "hint")


def _structure(node: Any, out: list[str]) -> list[str]:
    """Structure types of the tag tree in document order."""
    node = node.get_object() if hasattr(node, "get_object") else node
    if isinstance(node, list):
        for kid in node:
            _structure(kid, out)
    elif isinstance(node, dict):
        if "/S" in node:
            out.append(str(node["/S"]))
        if "/K" in node:
            _structure(node["/K"], out)
    return out


def test_tags_and_reading_order_follow_the_content(downloads: Path, leidraad: Leidraad) -> None:
    name = "checklist-stage-mentor.pdf"
    view = _views(leidraad)[name]
    catalog: Any = _reader(downloads / name).trailer["/Root"]
    kinds = _structure(catalog["/StructTreeRoot"], [])
    assert kinds.count("/H1") == 1
    assert {"/H2", "/H3", "/H4", "/Table", "/TH", "/TD", "/Form", "/Figure"} <= set(kinds)
    assert kinds.count("/Form") == len(_widgets(downloads / name))
    # The extracted text (reading order) has the criteria in the order of the guideline.
    note = "".join(f" ({text.HISTORICAL_NOTE})".split())
    printed = "".join(_text(downloads / name).split()).replace(note, "")
    positions = [printed.find("".join(text.plain(i.criterion.tekst).split())) for i in view.items]
    assert -1 not in positions and positions == sorted(positions)


#: The icon shapes (generator/render.py): filled = heel belangrijk, half = heel belangrijk for
#: some (level 2 in the untailored list), open ring = belangrijk.
SHAPE_OF_IMPORTANCE = {"heel-belangrijk": "filled", "belangrijk": "ring"}
SHAPE_OF_LEVEL = {1: "filled", 2: "half", 3: "ring"}
DPI = 100


def _criterion_numbers(path: Path) -> list[tuple[int, int, float, float, float]]:
    """(page, number, right edge, top, bottom) in points of each criterion's number: the digits
    in the left margin of the criteria tables."""
    out = subprocess.run(
        ["pdftotext", "-bbox", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    word = re.compile(
        r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(\d+)</word>'
    )
    return [
        (page, int(n), float(x1), float(y0), float(y1))
        for page, chunk in enumerate(out.split("<page ")[1:], start=1)
        for x0, y0, x1, y1, n in word.findall(chunk)
        if float(x0) > 40 and float(x1) < 72
    ]


def _icon_shape(image: Any, right: float, top: float, bottom: float) -> str:
    """The shape of the icon right of a criterion number (within 20 pt): "filled", "half"
    (left half filled) or "ring", read from the pixels of the rendered page."""
    scale = DPI / 72
    x0, y0 = int((right + 1) * scale), int((top - 3) * scale)
    x1, y1 = int((right + 20) * scale), int((bottom + 4) * scale)
    dark = [(x, y) for x in range(x0, x1) for y in range(y0, y1) if image.getpixel((x, y)) < 160]
    if not dark:
        return "none"
    xs, ys = [x for x, _ in dark], [y for _, y in dark]
    cx, cy, half = (min(xs) + max(xs)) / 2, (min(ys) + max(ys)) / 2, (max(xs) - min(xs)) / 2
    left = image.getpixel((round(cx - 0.4 * half), round(cy))) < 160
    right_ = image.getpixel((round(cx + 0.4 * half), round(cy))) < 160
    return {(True, True): "filled", (True, False): "half", (False, False): "ring"}.get(
        (left, right_), "unknown"
    )


def test_importance_label_and_icon_of_every_criterion(
    downloads: Path, leidraad: Leidraad, tmp_path: Path
) -> None:
    """Each criterion's importance, printed ("· heel belangrijk") and drawn (the icon's shape,
    from the rendered pixels), is its own: tailored for a form, the level in the full list."""
    from PIL import Image

    legend = {entry.niveau: entry.label.lower() for entry in leidraad.guideline.legende}
    views = _views(leidraad)
    names = ["checklist-alle-vormen.pdf", "checklist-stage.pdf"]
    renders = {
        name: subprocess.Popen(["pdftoppm", "-r", str(DPI), "-gray", "-png",
                                str(downloads / name), str(tmp_path / name)])
        for name in names
    }
    for name in names:
        view = views[name]
        tailored = view.form is not None
        labels = [
            IMPORTANCE_LABELS[i.importance].lower() if tailored else legend[i.criterion.niveau]
            for i in view.items
        ]
        shapes = [
            SHAPE_OF_IMPORTANCE[i.importance] if tailored else SHAPE_OF_LEVEL[i.criterion.niveau]
            for i in view.items
        ]
        assert len(set(shapes)) == (2 if tailored else 3), name  # every kind is checked
        choices = "|".join(sorted(map(re.escape, set(labels)), key=len, reverse=True))
        printed = re.findall(rf"Wie: [^·]*? · ({choices})", _words(_text(downloads / name)))
        assert printed == labels, name
        assert renders[name].wait(timeout=300) == 0, name
        pages = sorted(tmp_path.glob(f"{name}-*.png"))
        numbers = _criterion_numbers(downloads / name)
        assert [n for _, n, *_ in numbers] == list(range(1, len(view.items) + 1)), name
        images = {}
        for number, png in enumerate(pages, start=1):
            with Image.open(png) as image:
                images[number] = image.convert("L")
        drawn = [_icon_shape(images[page], *where) for page, _, *where in numbers]
        assert drawn == shapes, name


def test_title_language_dates_and_tags(downloads: Path, leidraad: Leidraad) -> None:
    guideline = leidraad.guideline
    day = guideline.datum.replace("-", "")
    for name, view in _views(leidraad).items():
        reader = _reader(downloads / name)
        catalog: Any = reader.trailer["/Root"]
        assert catalog["/Lang"] == "nl", name
        assert bool(catalog["/MarkInfo"]["/Marked"]), name
        assert "/StructTreeRoot" in catalog, name
        assert "/AcroForm" in catalog, name
        meta = reader.metadata
        assert meta is not None and meta.title, name
        assert guideline.titel in meta.title and "Checklist" in meta.title, name
        if view.form:
            assert view.form.naam.lower() in meta.title.lower(), name
        if view.role:
            assert view.role.naam in meta.title, name
        assert str(meta["/CreationDate"]).startswith(f"D:{day}"), name
        assert str(meta["/ModDate"]).startswith(f"D:{day}"), name


def test_fonts_are_embedded_and_subset(downloads: Path) -> None:
    for name in ["checklist-alle-vormen.pdf", "checklist-stage.pdf", "checklist-stage-lerende.pdf"]:
        result = subprocess.run(
            ["pdffonts", str(downloads / name)], capture_output=True, text=True, check=True
        )
        rows = result.stdout.splitlines()[2:]
        assert len(rows) >= 2, name
        for row in rows:
            # name type... emb sub uni object ID: the three yes/no columns before the object id.
            emb, sub, uni = row.split()[-5:-2]
            assert (emb, sub, uni) == ("yes", "yes", "yes"), row
            assert re.match(r"^[A-Z]{6}\+", row), row
    # The form-field font is the Latin subset, not DejaVu Sans in full (about 700 kB).
    assert (downloads / "checklist-stage-lerende.pdf").stat().st_size < 200_000


def test_header_footer_name_form_role_version_and_pages(
    downloads: Path, leidraad: Leidraad
) -> None:
    guideline = leidraad.guideline
    path = downloads / "checklist-stage-mentor.pdf"
    pages = len(_reader(path).pages)
    assert pages >= 3
    first = _words(_text(path, 1))
    assert "Checklist stage" in first and "Rol: Mentor" in first
    assert f"pagina 1 van {pages}" in first
    second = _words(_text(path, 2))
    assert "Checklist stage · Rol: Mentor" in second
    assert f"versie {guideline.versie}".lower() in second.lower()
    assert f"pagina 2 van {pages}" in second
    assert f"{SITE_URL}vormen/stage/checklist/" in second
    last = _words(_text(path, pages))
    assert f"pagina {pages} van {pages}" in last
    assert "Handtekening" in last


@pytest.mark.parametrize(
    ("name", "url"),
    [
        ("checklist-stage.pdf", f"{SITE_URL}vormen/stage/checklist/"),
        ("checklist-duaal-leren-mentor.pdf", f"{SITE_URL}vormen/duaal-leren/checklist/?rol=mentor"),
        ("checklist-alle-vormen.pdf", f"{SITE_URL}checklist/"),
    ],
)
def test_qr_code_decodes_to_the_online_checklist(
    downloads: Path, tmp_path: Path, name: str, url: str
) -> None:
    import zxingcpp
    from PIL import Image

    subprocess.run(
        ["pdftoppm", "-png", "-r", "150", "-f", "1", "-l", "1", str(downloads / name),
         str(tmp_path / "page")],
        check=True,
    )
    (png,) = tmp_path.glob("page*.png")
    with Image.open(png) as image:
        codes = zxingcpp.read_barcodes(image)
    assert [code.text for code in codes] == [url]
    assert url in _words(_text(downloads / name, 1))


def test_the_printed_urls_exist_on_the_site(site_dir: Path, leidraad: Leidraad) -> None:
    assert (site_dir / "checklist" / "index.html").is_file()
    for form in leidraad.forms:
        assert (site_dir / "vormen" / form.slug / "checklist" / "index.html").is_file(), form.slug


def test_a_filled_in_pdf_reads_back_by_criterion_id(downloads: Path, leidraad: Leidraad) -> None:
    path = downloads / "checklist-stage-mentor.pdf"
    view = _views(leidraad)["checklist-stage-mentor.pdf"]
    first, second = view.items[0].id, view.items[1].id
    writer = pypdf.PdfWriter(clone_from=_reader(path))
    values = {
        f"{first}_deels": "/on",
        f"{second}_nvt": "/on",
        f"{first}_notitie": "Afspraak: werkpost bekijken op maandag",
        "voorblad_lerende": "Ëlise Dupont",
    }
    for page in writer.pages:
        writer.update_page_form_field_values(page, values, auto_regenerate=False)
    out = io.BytesIO()
    writer.write(out)
    fields = pypdf.PdfReader(io.BytesIO(out.getvalue())).get_fields() or {}

    def status(criterion_id: str) -> list[str]:
        return [s for s in STATUS_VALUES if fields[f"{criterion_id}_{s}"].get("/V") == "/on"]

    assert status(first) == ["deels"]
    assert status(second) == ["nvt"]
    assert status(view.items[2].id) == []
    assert fields[f"{first}_notitie"]["/V"] == "Afspraak: werkpost bekijken op maandag"
    assert fields["voorblad_lerende"]["/V"] == "Ëlise Dupont"


def test_downloads_page_lists_every_pdf_with_its_size(
    site_dir: Path, downloads: Path, leidraad: Leidraad
) -> None:
    page = (site_dir / "downloads" / "index.html").read_text(encoding="utf-8")
    for path in downloads.glob("checklist-*.pdf"):
        row = re.search(rf'<tr>\s*<td><a href="{re.escape(path.name)}">.*?</tr>', page, re.S)
        assert row, path.name
        assert pdf.human_size(path.stat().st_size) in row.group(0), path.name
    for form in leidraad.forms:
        assert f'id="{form.slug}"' in page
    plain = html.unescape(re.sub(r"<[^>]+>", " ", page))
    assert "invulbaar" in plain
    assert "niet aan de norm PDF/UA" in _words(plain)
    assert "WeasyPrint issue 2726" in plain


def test_form_pages_link_their_pdf_and_the_role_pdfs(site_dir: Path, leidraad: Leidraad) -> None:
    for form in leidraad.forms:
        page = (site_dir / "vormen" / form.slug / "index.html").read_text(encoding="utf-8")
        assert f'href="../../downloads/checklist-{form.slug}.pdf" download' in page
        assert f'href="../../downloads/#{form.slug}"' in page
        assert re.search(r"invulbaar, \d+ kB", page), form.slug


def test_human_size_and_dutch_date() -> None:
    assert pdf.human_size(999) == "999 B"
    assert pdf.human_size(312_400) == "312 kB"
    assert pdf.human_size(1_440_000) == "1,4 MB"
    assert pdf.date_nl("2026-11-29") == "29 november 2026"
    assert pdf.date_nl("2027-01-05") == "5 januari 2027"


def test_a_criterion_not_applicable_to_the_form_is_named_without_fields(tmp_path: Path) -> None:
    import shutil

    import yaml

    from generator import loader
    from generator.site import SiteBuild
    from tests.conftest import CRITERIA

    criteria = tmp_path / "criteria"
    shutil.copytree(CRITERIA, criteria)
    phase_file = sorted((criteria / "fasen").glob("*.yml"))[0]
    data = yaml.safe_load(phase_file.read_text(encoding="utf-8"))
    first = data["fase"]["domeinen"][0]["vragen"][0]["criteria"][0]
    first["niet_van_toepassing"] = {"stage": "Bij een stage regelt de school dit al."}
    phase_file.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    build = SiteBuild(loader.load(criteria), SITE_URL)
    view = tailor(build.leidraad, "stage")
    page = pdf.document(build, view).html
    assert first["id"] not in {item.id for item in view.items}
    assert f'name="{first["id"]}_' not in page
    assert 'id="niet-van-toepassing"' in page
    assert "Bij een stage regelt de school dit al." in page
    other = pdf.document(build, tailor(build.leidraad, "duaal-leren")).html
    assert f'name="{first["id"]}_in-orde"' in other and 'id="niet-van-toepassing"' not in other
