"""The PDF checklists of the real site, read back as data (pypdf, poppler): files and names,
criteria per form and role, form fields, metadata, fonts, header/footer, QR code, links.

The PDFs come from the session's strict MkDocs build (``site_dir``), which takes them from the
content-hash cache when nothing changed, so this module renders nothing itself.
"""

from __future__ import annotations

import html
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
from generator.tailor import View, importance_wording, tailor

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
        names = set(_reader(downloads / name).get_fields() or {})
        ids = [item.id for item in view.items]
        assert ids, name
        per_criterion = {n for n in names if n.endswith(("_status", "_notitie"))}
        assert per_criterion == {f"{i}_{kind}" for i in ids for kind in ("status", "notitie")}
        for field in pdf.COVER_FIELDS:
            assert field.name in names, (name, field.name)
        for party in pdf.SIGNATURES:
            assert {f"{party.name}_naam", f"{party.name}_datum"} <= names, name


def test_field_names_are_unique_labelled_and_tied_to_ids(
    downloads: Path, leidraad: Leidraad
) -> None:
    all_ids = {loc.criterion.id for loc in leidraad.criteria()}
    pattern = re.compile(r"^(?P<id>[a-z0-9-]+)_(?P<kind>status|notitie)$")
    other = {f.name for f in pdf.COVER_FIELDS}
    other |= {f"{p.name}_{k}" for p in pdf.SIGNATURES for k in ("naam", "datum")}
    for path in sorted(downloads.glob("checklist-*.pdf")):
        reader = _reader(path)
        acroform: Any = reader.trailer["/Root"]["/AcroForm"]
        # Every widget has its own appearance: no reader is asked to draw fields itself.
        assert "/NeedAppearances" not in acroform, path.name
        names = []
        for reference in acroform["/Fields"]:
            field = reference.get_object()
            name = str(field["/T"])
            names.append(name)
            assert "." not in name and "/Parent" not in field, name
            assert str(field.get("/TU", "")).strip(), f"{path.name}: {name} has no tooltip"
            match = pattern.match(name)
            assert name in other or (match and match["id"] in all_ids), name
            if match and match["kind"] == "status":
                assert field["/FT"] == "/Btn" and field["/Ff"] == (1 << 14) | (1 << 15), name
                assert field["/V"] == "/Off" and "/Opt" not in field, name
                kids = [kid.get_object() for kid in field["/Kids"]]
                assert len(kids) == 4, name
                for kid, value in zip(kids, STATUS_VALUES, strict=True):
                    # Widgets, not fields: no name or type of their own.
                    assert not {"/T", "/FT", "/TU"} & set(kid), name
                    assert kid["/AS"] == "/Off", name
                    assert set(kid["/AP"]["/N"]) == {"/Off", f"/{value}"}, name
                    assert kid["/AP"]["/N"].raw_get(f"/{value}").idnum, "indirect stream"
            else:
                assert field["/FT"] == "/Tx" and "/AP" in field, name
                assert str(field["/DA"]).startswith("/Helv "), name
        assert len(names) == len(set(names)), [n for n, c in Counter(names).items() if c > 1]
        # Every widget is on its page, and every field is found by a reader.
        assert len(_widgets(path)) == sum(
            4 if n.endswith("_status") else 1 for n in names
        ), path.name
        assert set(reader.get_fields() or {}) == set(names), path.name


def test_every_criterion_text_and_hint_is_printed(downloads: Path, leidraad: Leidraad) -> None:
    def squeeze(value: str) -> str:  # lines may break after a slash or a hyphen
        return "".join(value.split())

    views = _views(leidraad)
    for name in ["checklist-alle-vormen.pdf", *(pdf.file_name(f) for f in leidraad.forms),
                 "checklist-stage-mentor.pdf"]:
        printed = squeeze(_text(downloads / name))
        for item in views[name].items:
            # The text as the guideline has it; an editorial note follows it, apart.
            noot = item.criterion.noot
            after = squeeze(f"Noot van de redactie: {text.plain(noot)}") if noot else ""
            assert squeeze(text.plain(item.criterion.tekst)) + after in printed, (name, item.id)
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


def _elements(node: Any, out: list[Any]) -> list[Any]:
    """Structure elements of the tag tree in document order."""
    node = node.get_object() if hasattr(node, "get_object") else node
    if isinstance(node, list):
        for kid in node:
            _elements(kid, out)
    elif isinstance(node, dict):
        if "/S" in node:
            out.append(node)
        if "/K" in node:
            _elements(node["/K"], out)
    return out


def test_tags_and_reading_order_follow_the_content(downloads: Path, leidraad: Leidraad) -> None:
    name = "checklist-stage-mentor.pdf"
    view = _views(leidraad)[name]
    catalog: Any = _reader(downloads / name).trailer["/Root"]
    kinds = _structure(catalog["/StructTreeRoot"], [])
    assert kinds.count("/H1") == 1
    assert {"/H2", "/H3", "/H4", "/L", "/LI", "/Form", "/Figure"} <= set(kinds)
    assert kinds.count("/LI") >= len(view.items)
    assert kinds.count("/Form") == len(_widgets(downloads / name))
    # Every figure (the QR code) has a text alternative, every status choice its name.
    elements = _elements(catalog["/StructTreeRoot"], [])
    assert all(str(e.get("/Alt", "")).strip() for e in elements if e["/S"] == "/Figure")
    choices = [str(e.get("/Alt", "")) for e in elements if e["/S"] == "/Form" and "/Alt" in e]
    assert choices == [s.label for _ in view.items for s in pdf.STATUSES]
    # The extracted text (reading order) has the criteria in the order of the guideline.
    printed = "".join(_text(downloads / name).split())
    positions = [printed.find("".join(text.plain(i.criterion.tekst).split())) for i in view.items]
    assert -1 not in positions and positions == sorted(positions)


#: The level shapes (as on the site, generator/render.py), printed as glyphs before the words of
#: the importance: filled = heel belangrijk, half = heel belangrijk for some (level 2 in the
#: untailored list), open ring = belangrijk.
SHAPE_OF_IMPORTANCE = {"heel-belangrijk": "\u25cf", "belangrijk": "\u25cb"}
SHAPE_OF_LEVEL = {1: "\u25cf", 2: "\u25d0", 3: "\u25cb"}


def _criterion_numbers(path: Path) -> list[int]:
    """The list numbers ("7.") in the left margin of the criteria, in reading order."""
    out = subprocess.run(
        ["pdftotext", "-bbox", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    word = re.compile(r'<word xMin="([\d.]+)" yMin="[\d.]+" xMax="([\d.]+)" yMax="[\d.]+">'
                      r"(\d+)\.</word>")
    return [int(n) for x0, x1, n in word.findall(out) if float(x0) > 40 and float(x1) < 82]


def test_importance_label_and_shape_of_every_criterion(downloads: Path, leidraad: Leidraad) -> None:
    """Each criterion's importance, printed ("· ● heel belangrijk", and for level 2 for whom:
    "· ◐ bij stage heel belangrijk voor begeleider, belangrijk voor instelling") with its shape
    (a glyph of the text, so the printed shape is the extracted one), is its own: tailored for a
    form, the level (and for level 2 its whole rule) in the full list. The numbers run on."""
    views = _views(leidraad)
    for name in ["checklist-alle-vormen.pdf", "checklist-stage.pdf"]:
        view = views[name]
        tailored = view.form is not None
        form = view.form.slug if view.form else None
        labels = [importance_wording(leidraad, i.criterion, form) for i in view.items]
        shapes = [
            SHAPE_OF_IMPORTANCE[i.importance] if tailored else SHAPE_OF_LEVEL[i.criterion.niveau]
            for i in view.items
        ]
        assert len(set(shapes)) == (2 if tailored else 3), name  # every kind is checked
        choices = "|".join(sorted(map(re.escape, set(labels)), key=len, reverse=True))
        printed = re.findall(
            rf"Wie: [^·]*? · ([\u25cf\u25d0\u25cb]) ({choices})", _words(_text(downloads / name))
        )
        assert [label for _, label in printed] == labels, name
        assert [shape for shape, _ in printed] == shapes, name
        assert _criterion_numbers(downloads / name) == list(range(1, len(view.items) + 1)), name


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
        # The fields are drawn in Helvetica by the reader: the font WeasyPrint embeds in full
        # for them (templates/pdf/fonts/README.md) is dropped.
        assert "Formulier" not in result.stdout, name


def test_full_form_pdfs_weigh_at_most_120_kb(downloads: Path, leidraad: Leidraad) -> None:
    """Issue 12: a full-form PDF weighed 224-229 kB; the target is at most 120 kB."""
    for view in pdf.views(leidraad):
        if view.role is None:
            name = pdf.file_name(view.form)
            assert (downloads / name).stat().st_size <= 120_000, name


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
    assert f"Digitale editie {guideline.versie}" in second
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
    assert "melding 2726 bij WeasyPrint" in plain


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
    assert f'id="{first["id"]}--status"' in other and 'id="niet-van-toepassing"' not in other


def test_open_data_documents_every_pdf_field_and_info_key(site_dir: Path) -> None:
    page = html.unescape((site_dir / "open-data" / "index.html").read_text(encoding="utf-8"))
    assert 'id="pdf-velden"' in page
    names = ["<id>_status", "<id>_notitie", *STATUS_VALUES, *(f.name for f in pdf.COVER_FIELDS)]
    names += [f"{p.name}_{kind}" for p in pdf.SIGNATURES for kind in ("naam", "datum")]
    names += [*pdf.fields.INFO_KEYS, pdf.fields.FORMAT, "werkplekleren lees-pdf"]
    for name in names:
        assert name in page, name
