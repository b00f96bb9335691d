"""Form fields: one radio group per criterion, and the Info keys that mark a PDF as ours.

The field names and Info keys are a contract (CONTRACTS.md; documented on /open-data/):

* ``<id>_status``: one radio group per criterion, export values ``in-orde``, ``deels``,
  ``nog-niet``, ``nvt`` (``/V /Off``: not answered); ticking one unticks the others;
* ``<id>_notitie``: the note (a text field, made by WeasyPrint from a ``<textarea>``);
* Info ``/WplFormaat``, ``/WplSchema``, ``/WplEditie``, ``/WplVorm``, ``/WplRol``, and for an own
  instrument's PDF ``/WplInstrument`` (the instrument file as ASCII JSON).

Why the status fields are made here and not by WeasyPrint: WeasyPrint 70 writes radio buttons
with a ``/T`` and ``/FT`` on every widget (readers see child fields ``x_status.x_status``), and
each ``<input>`` costs it about 2 ms and 300 bytes (a box, a drawn border, an appearance stream
per widget): 228 of them were a third of the render time of a full checklist. So the HTML has
no status inputs at all: the line with the four choices is plain text (``choices_line``) in a
``<p id="<id>--status">``, with an em-space gap before each label. ``finish`` runs as
WeasyPrint's ``finisher`` (public API: it gets the laid-out ``Document`` and the ``pydyf``
objects before they are written) and, for each such line (``Page.anchors``: where it landed),
adds what ISO 32000-1 12.7.4.2.4 describes:

* a field ``<id>_status`` with the Radio and NoToggleToOff flags, ``/V /Off`` and a tooltip
  naming the criterion; its four widgets as ``/Kids`` (no ``/T``, ``/FT`` or ``/TU``),
  each over its gap, with appearance states ``/Off`` (a ring) and ``/<export value>`` (ring and
  dot): two shared appearance streams (indirect objects) for the whole document;
* a ``/Form`` structure element per widget (tagged PDF) with the choice as ``/Alt``, in the
  criterion's structure element just before the note field's, so the reading and tab order is
  text, choices, note.

The gaps' offsets inside the line are measured once per process (``measure``) by laying out the
same line with WeasyPrint, so they always match the stylesheet and fonts.

This module's source is part of the PDF cache key (``generator.pdf.rendering``): changing it
re-renders every PDF.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

#: The value of ``/WplFormaat``: a PDF without it is not one of ours.
FORMAT = "werkplekleren-checklist-pdf"
#: The value of ``/WplSchema``; raise it when field names or their meaning change.
SCHEMA = "1"
#: Info keys, in the order they are written.
INFO_KEYS = ("WplFormaat", "WplSchema", "WplEditie", "WplVorm", "WplRol", "WplInstrument")
STATUS_SUFFIX = "_status"
NOTE_SUFFIX = "_notitie"
#: Suffix of the HTML id of a criterion's line of choices (``--`` never occurs in an ID).
CHOICES_ANCHOR = "--status"


@dataclass(frozen=True)
class Status:
    value: str
    label: str


STATUSES = (
    Status("in-orde", "In orde"),
    Status("deels", "Deels"),
    Status("nog-niet", "Nog niet"),
    Status("nvt", "N.v.t."),
)

#: Room for a status circle before each label (two em spaces: never collapsed, never drawn).
GAP = "\u2003\u2003"
#: Between one label and the next gap.
SEPARATOR = "\u2003"
#: Diameter of a status circle, CSS px (4.2 mm).
CIRCLE = 4.2 * 96 / 25.4
#: Colours of the status circles (as the stylesheet: text colour ring, brand colour dot).
RING = (0.106, 0.122, 0.141)
DOT = (0.071, 0.216, 0.4)
#: Ring width in points.
RING_WIDTH = 0.9
#: Bezier handle length for a quarter circle.
KAPPA = 0.5523
#: PDF points per CSS px.
PT = 0.75


def choices_line() -> str:
    """The text of a criterion's line of choices: ``  in orde  deels  nog niet  n.v.t.``."""
    return SEPARATOR.join(f"{GAP}{status.label.lower()}" for status in STATUSES)


def info(edition: str, form: str, role: str, instrument: str = "") -> dict[str, str]:
    """The Info entries of one PDF (plain ASCII, as CONTRACTS.md asks). ``instrument``: an own
    instrument's file as JSON (``generator.instrument.info_json``), so that the filled-in PDF
    reads back as a list of that instrument, own criteria included."""
    values = {
        "WplFormaat": FORMAT,
        "WplSchema": SCHEMA,
        "WplEditie": edition,
        "WplVorm": form,
        "WplRol": role,
    }
    if instrument:
        values["WplInstrument"] = instrument
    for key, value in values.items():
        if not value.isascii():
            raise ValueError(f"Info key {key} must be ASCII, got {value!r}")
    return values


# --- Where the circles go ----------------------------------------------------------------------


@dataclass(frozen=True)
class Geometry:
    """A line of choices, relative to the top left of its ``<p>`` (CSS px)."""

    #: Centre x of each status circle, in ``STATUSES`` order.
    centres: tuple[float, ...]
    #: Height of the line (the ``<p>``'s border box): circles sit on its middle.
    height: float


def probe_html() -> str:
    """One criterion's line of choices in the same context as in a checklist (so the same CSS
    applies), with each gap and label in a span whose position WeasyPrint reports."""
    spans = SEPARATOR.join(
        f'<span id="g{index}">{GAP}</span><span id="l{index}">{status.label.lower()}</span>'
        for index, status in enumerate(STATUSES)
    )
    return (
        '<!DOCTYPE html><html lang="nl"><head><meta charset="utf-8"><title>-</title></head>'
        '<body class="long"><ol class="criteria"><li class="criterion criterion--1">'
        f'<p class="choices" id="line">{spans}</p><div id="after" style="margin: 0"></div>'
        "</li></ol></body></html>"
    )


def measure(stylesheet: Any, font_config: Any, base_url: str) -> Geometry:
    """Lay out ``probe_html`` with the checklist stylesheet and read where everything went."""
    from weasyprint import HTML

    document = HTML(string=probe_html(), base_url=base_url).render(
        stylesheets=[stylesheet], font_config=font_config
    )
    anchors = document.pages[0].anchors
    left, top = _point(anchors["line"])
    centres = []
    for index in range(len(STATUSES)):
        start, end = _point(anchors[f"g{index}"])[0], _point(anchors[f"l{index}"])[0]
        if not start < end:
            raise RuntimeError("status gap not found in the probe layout")
        centres.append((start + end) / 2 - left)
    height = _point(anchors["after"])[1] - top
    if not CIRCLE / 2 < height < 4 * CIRCLE:
        raise RuntimeError(f"unexpected height {height:.1f}px of a line of choices")
    return Geometry(tuple(centres), height)


def _point(anchor: tuple[float, ...]) -> tuple[float, float]:
    """Top left of an anchor: WeasyPrint 70 gives ``(x1, y1, x2, y2)``, its docs ``(x, y)``."""
    return anchor[0], anchor[1]


# --- Appearance --------------------------------------------------------------------------------


def _circle(stream: Any, cx: float, cy: float, r: float) -> None:
    k = r * KAPPA
    stream.move_to(cx + r, cy)
    stream.curve_to(cx + r, cy + k, cx + k, cy + r, cx, cy + r)
    stream.curve_to(cx - k, cy + r, cx - r, cy + k, cx - r, cy)
    stream.curve_to(cx - r, cy - k, cx - k, cy - r, cx, cy - r)
    stream.curve_to(cx + k, cy - r, cx + r, cy - k, cx + r, cy)
    stream.close()


def _appearance(side: float, checked: bool) -> Any:
    """A status circle as a form XObject: a ring, plus a dot when checked. The page draws
    nothing for a status: what is seen and printed is this appearance."""
    import pydyf

    size = round(side, 3)
    stream = pydyf.Stream(
        extra={"Type": "/XObject", "Subtype": "/Form", "BBox": pydyf.Array((0, 0, size, size))},
        compress=True,
    )
    centre = round(side / 2, 3)
    radius = round(side / 2 - RING_WIDTH / 2, 3)
    stream.set_line_width(RING_WIDTH)
    stream.set_color_rgb(*RING, stroke=True)
    _circle(stream, centre, centre, radius)
    stream.stroke()
    if checked:
        stream.set_color_rgb(*DOT)
        _circle(stream, centre, centre, round(radius * 0.55, 3))
        stream.fill()
    return stream


# --- Post-processing ---------------------------------------------------------------------------


def _number(reference: Any) -> int:
    """Object number of a pydyf reference (``b"12 0 R"``)."""
    raw = reference if isinstance(reference, bytes) else str(reference).encode()
    return int(raw.split()[0])


class _Tags:
    """The parts of WeasyPrint's structure tree that new widgets hook into."""

    def __init__(self, pdf: Any) -> None:
        objects = pdf.objects
        root = objects[_number(pdf.catalog["StructTreeRoot"])]
        parent_tree = root["ParentTree"]
        self.nums: Any = objects[_number(parent_tree)]["Nums"]
        keys = [key for key in self.nums[::2] if isinstance(key, int)]
        self.next_key = max(keys, default=-1) + 1
        self.by_key = dict(zip(self.nums[::2], self.nums[1::2], strict=True))

    def element_of(self, annotation: Any) -> Any:
        """The structure element (reference) an annotation belongs to."""
        return self.by_key[annotation["StructParent"]]

    def add(self, element_reference: Any) -> int:
        key = self.next_key
        self.next_key += 1
        self.nums.extend((key, element_reference))
        self.by_key[key] = element_reference
        return key


def finish(
    document: Any,
    pdf: Any,
    entries: Mapping[str, str],
    geometry: Geometry | None = None,
    labels: Mapping[str, str] | None = None,
) -> None:
    """Post-process WeasyPrint's ``pydyf.PDF`` in place (see the module docstring).

    ``labels`` maps a criterion ID to its group tooltip (``Criterium 3: <text>``).
    """
    import pydyf

    for key in INFO_KEYS:
        if key in entries:
            pdf.info[key] = pydyf.String(entries[key])
    lines = [
        (index, name[: -len(CHOICES_ANCHOR)], _point(position))
        for index, page in enumerate(document.pages)
        for name, position in page.anchors.items()
        if name.endswith(CHOICES_ANCHOR)
    ]
    if not lines:
        return
    if geometry is None:
        raise ValueError("lines of choices found but no geometry measured")
    labels = labels or {}
    objects: list[Any] = pdf.objects

    def resolve(reference: Any) -> Any:
        return objects[_number(reference)]

    acroform = pdf.catalog["AcroForm"]
    fields = acroform["Fields"]
    _text_fields(pdf, [resolve(reference) for reference in fields])
    notes = {
        resolve(reference)["T"].string[: -len(NOTE_SUFFIX)]: reference
        for reference in fields
        if resolve(reference).get("T") is not None
        and resolve(reference)["T"].string.endswith(NOTE_SUFFIX)
    }
    tags = _Tags(pdf)
    pages = pdf.page_references
    side = CIRCLE * PT

    def add(obj: Any) -> Any:
        pdf.add_object(obj)
        return obj.reference

    appearance = pydyf.Dictionary({
        "Off": add(_appearance(side, False)),
        "On": add(_appearance(side, True)),
    })
    new_fields: dict[int, list[Any]] = {}
    for page_index, criterion, (left, top) in lines:
        note = notes.get(criterion)
        if note is None:
            raise RuntimeError(f"criterion {criterion}: no note field to place its status after")
        page_height = document.pages[page_index].height
        page_reference = pages[page_index]
        page = resolve(page_reference)
        # The note's structure element, and the element holding it: the widgets go just before.
        note_element = resolve(resolve(tags.element_of(resolve(note)))["P"])
        holder_reference = note_element["P"]
        holder = resolve(holder_reference)
        position = [
            index for index, kid in enumerate(holder["K"])
            if not isinstance(kid, int) and _number(kid) == note_element.number
        ]
        if len(position) != 1:
            raise RuntimeError(f"criterion {criterion}: unexpected structure tree")
        group = pydyf.Dictionary({
            "FT": "/Btn",
            "Ff": (1 << 14) + (1 << 15),  # NoToggleToOff, Radio (ISO 32000-1, table 226)
            "T": pydyf.String(f"{criterion}{STATUS_SUFFIX}"),
            "TU": pydyf.String(labels.get(criterion, criterion)),
            "V": "/Off",
            "Kids": pydyf.Array(),
        })
        group_reference = add(group)
        forms = []
        y = (top + geometry.height / 2) * PT
        for status, centre in zip(STATUSES, geometry.centres, strict=True):
            x = (left + centre) * PT
            cy = page_height * PT - y
            widget = pydyf.Dictionary({
                "Type": "/Annot",
                "Subtype": "/Widget",
                "Rect": pydyf.Array(
                    round(v, 3) for v in (x - side / 2, cy - side / 2, x + side / 2, cy + side / 2)
                ),
                "P": page_reference,
                "F": 1 << 2,  # Print
                "Parent": group_reference,
                "AS": "/Off",
                "AP": pydyf.Dictionary({"N": pydyf.Dictionary({
                    status.value: appearance["On"], "Off": appearance["Off"],
                })}),
                # How a reader that draws its own appearance should look: a ring with a dot.
                "MK": pydyf.Dictionary({"BC": pydyf.Array(RING), "CA": pydyf.String("l")}),
                "Border": pydyf.Array((0, 0, 0)),
            })
            widget_reference = add(widget)
            group["Kids"].append(widget_reference)
            page["Annots"].append(widget_reference)
            objr = add(pydyf.Dictionary({
                "Type": "/OBJR", "Obj": widget_reference, "Pg": page_reference,
            }))
            form_reference = add(pydyf.Dictionary({
                "Type": "/StructElem",
                "S": "/Form",
                # The choice's name for assistive technology; the field's /TU names the
                # criterion. (A /TU per widget would be a field attribute on a widget: tools
                # such as pdftk then report it as the group's name.)
                "Alt": pydyf.String(status.label),
                "K": pydyf.Array([objr]),
                "Pg": page_reference,
                "P": holder_reference,
            }))
            widget["StructParent"] = tags.add(form_reference)
            forms.append(form_reference)
        holder["K"][position[0]:position[0]] = forms
        new_fields.setdefault(_number(note), []).append(group_reference)

    # Each group goes right before its criterion's note in the field list (document order).
    ordered = pydyf.Array()
    for reference in fields:
        ordered.extend(new_fields.get(_number(reference), []))
        ordered.append(reference)
    acroform["Fields"] = ordered
    _drop_line_destinations(pdf)


def _text_fields(pdf: Any, fields: list[Any]) -> None:
    """Text fields as every form tool can fill them: Helvetica, an appearance, no flag.

    * WeasyPrint names its embedded (CID, Identity-H) font in each field's ``/DA``: tools that
      draw what they fill in with it (pdftk and other iText-based tools) write bytes the font
      cannot show. Helvetica with WinAnsi encoding is what Acrobat uses for its own forms and
      what every tool encodes right (Latin-1: all Dutch, French, German and English text). So
      ``/DA`` becomes ``/Helv``, in an ``/DR`` of its own, and the font WeasyPrint embedded
      for the fields (in full, since anything may be typed: ``fonts/README.md``) is dropped.
    * WeasyPrint asks readers to draw all fields themselves (``/NeedAppearances true``): poppler
      (Okular, Evince) then draws no radio buttons at all, and the flag is deprecated in PDF
      2.0. Each empty text field gets an empty appearance instead (the page draws its box);
      a reader or tool that fills it in makes its own, as usual.
    """
    import pydyf

    objects: list[Any] = pdf.objects
    acroform = pdf.catalog["AcroForm"]
    helvetica = pydyf.Dictionary({
        "Type": "/Font", "Subtype": "/Type1", "BaseFont": "/Helvetica",
        "Encoding": "/WinAnsiEncoding",
    })
    pdf.add_object(helvetica)
    page_resources = objects[_number(acroform["DR"])]
    acroform["DR"] = pydyf.Dictionary({
        "Font": pydyf.Dictionary({"Helv": helvetica.reference}),
    })
    acroform["DA"] = pydyf.String("/Helv 0 Tf 0 g")
    field_fonts: set[str] = set()
    streams: dict[tuple[float, float], Any] = {}
    for field in fields:
        if field.get("FT") != "/Tx":
            continue
        da = field["DA"].string
        tokens = (da.decode("ascii") if isinstance(da, bytes) else da).split()
        size = tokens[tokens.index("Tf") - 1]
        field_fonts.add(tokens[tokens.index("Tf") - 2].lstrip("/"))
        colour = " ".join(tokens[tokens.index("rg") - 3:tokens.index("rg")])
        field["DA"] = pydyf.String(f"/Helv {size} Tf {colour} rg")
        if "AP" in field:
            continue
        x1, y1, x2, y2 = (float(value) for value in field["Rect"])
        size = (round(abs(x2 - x1), 3), round(abs(y2 - y1), 3))
        if size not in streams:
            stream = pydyf.Stream(extra={
                "Type": "/XObject", "Subtype": "/Form", "BBox": pydyf.Array((0, 0, *size)),
            })
            pdf.add_object(stream)
            streams[size] = stream.reference
        field["AP"] = pydyf.Dictionary({"N": streams[size]})
    acroform.pop("NeedAppearances", None)
    _drop_fonts(pdf, page_resources, field_fonts)


def _drop_fonts(pdf: Any, resources: Any, names: set[str]) -> None:
    """Remove fonts no page draws with (the fields' font) and every object they use."""
    import pydyf

    objects: list[Any] = pdf.objects
    fonts = objects[_number(resources["Font"])]
    content = b"\n".join(
        part if isinstance(part, bytes) else str(part).encode()
        for page in pdf.page_references
        for part in objects[_number(objects[_number(page)]["Contents"])].stream
    )
    for name in sorted(names):
        if name not in fonts or f"/{name} ".encode() in content:
            continue
        reachable: set[int] = set()
        pending = [_number(fonts.pop(name))]
        while pending:
            number = pending.pop()
            if number in reachable:
                continue
            reachable.add(number)
            obj = objects[number]
            values = list(obj.values()) if isinstance(obj, dict) else []
            if isinstance(obj, pydyf.Stream):
                values = list(obj.extra.values())
            while values:
                value = values.pop()
                if isinstance(value, dict):
                    values.extend(value.values())
                elif isinstance(value, list):
                    values.extend(value)
                elif isinstance(value, bytes) and value.endswith(b" 0 R"):
                    pending.append(_number(value))
        for number in reachable:
            placeholder = pydyf.Dictionary({})
            placeholder.number = number
            objects[number] = placeholder


def _drop_line_destinations(pdf: Any) -> None:
    """The ids of the lines of choices are only there to be found: no named destinations."""
    import pydyf

    names = pdf.catalog.get("Names")
    dests = names.get("Dests") if names is not None else None
    if dests is None:
        return
    pairs = list(zip(dests["Names"][::2], dests["Names"][1::2], strict=True))
    kept = [(name, target) for name, target in pairs
            if not name.string.endswith(CHOICES_ANCHOR)]
    dests["Names"] = pydyf.Array(item for pair in kept for item in pair)
