"""Documents: which PDFs a build makes, and the complete HTML of each (views -> HTML).

Field names are built from the criterion ID and are a contract (CONTRACTS.md, /open-data/):
see ``generator.pdf`` for the list.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from generator import qr, text
from generator.model import Form, Leidraad, Role
from generator.pdf import fields
from generator.pdf.fields import STATUSES
from generator.render import render
from generator.site import SiteBuild, checklist_path
from generator.tailor import ALL_FORMS, View, tailor, view_slug

#: Level (1, 2, 3) and tailored importance -> its shape, as on the site (``generator.render``).
SHAPES = {"1": "\u25cf", "2": "\u25d0", "3": "\u25cb", "heel-belangrijk": "\u25cf",
          "belangrijk": "\u25cb"}
#: From this many criteria on, every phase starts on a new page.
LONG_FROM = 30
DOWNLOADS = "downloads"


@dataclass(frozen=True)
class CoverField:
    name: str
    label: str
    wide: bool = False


COVER_FIELDS = (
    CoverField("voorblad_lerende", "Lerende"),
    CoverField("voorblad_instelling", "Onderwijs- of vormingsinstelling"),
    CoverField("voorblad_begeleider", "Begeleider"),
    CoverField("voorblad_bedrijf", "Bedrijf"),
    CoverField("voorblad_mentor", "Mentor"),
    CoverField("voorblad_periode", "Periode"),
    CoverField("voorblad_datum", "Datum"),
)


@dataclass(frozen=True)
class Party:
    name: str
    label: str
    note: str


SIGNATURES = (
    Party("handtekening_lerende", "Lerende", "leerling, cursist of student"),
    Party("handtekening_begeleider", "Begeleider", "namens de instelling"),
    Party("handtekening_mentor", "Mentor", "namens het bedrijf"),
)

MONTHS = (
    "januari", "februari", "maart", "april", "mei", "juni",
    "juli", "augustus", "september", "oktober", "november", "december",
)


def date_nl(iso: str) -> str:
    """``2026-11-29`` -> ``29 november 2026``."""
    year, month, day = (int(part) for part in iso.split("-"))
    return f"{day} {MONTHS[month - 1]} {year}"


def file_name(form: Form | None, role: Role | None = None) -> str:
    """Stable file name: ``checklist-stage.pdf``, ``checklist-stage-mentor.pdf``, ..."""
    return f"checklist-{view_slug(form, role)}.pdf"


@dataclass(frozen=True)
class Document:
    """One PDF to make: its file name, title, complete HTML and the Info keys that mark it as
    ours (``generator.pdf.fields.info``)."""

    name: str
    title: str
    form: Form | None
    role: Role | None
    criteria: tuple[str, ...]
    html: str
    info: tuple[tuple[str, str], ...] = ()
    #: Criterion ID -> tooltip of its status field (``Criterium 3: <text>``).
    labels: tuple[tuple[str, str], ...] = ()

    @property
    def site_path(self) -> str:
        return f"{DOWNLOADS}/{self.name}"


def checklist_url(build: SiteBuild, form: Form | None, role: Role | None = None) -> str:
    """Public URL of the online checklist that a PDF's QR code and footer point to; a role's
    PDF opens the checklist filtered to that role (the filter reads ``?rol=``)."""
    path = checklist_path(form.slug if form else None)
    return build.absolute_url(path) + (f"?rol={role.slug}" if role else "")


def document(build: SiteBuild, view: View, **overrides: Any) -> Document:
    """The HTML of the checklist for one view (a form and/or role).

    ``overrides`` replace template values (``name`` the file name): an own instrument
    (``generator.instrument``) sets its heading, introduction, link and ``instrument``, and
    ``instrument_info``, its file as the Info key ``/WplInstrument``."""
    leidraad = build.leidraad
    guideline = leidraad.guideline
    form, role = view.form, view.role
    url = checklist_url(build, form, role)
    heading = f"Checklist {form.naam.lower()}" if form else "Checklist voor alle vormen"
    subheading = ""
    if role is not None:
        subheading = f"Rol: {role.naam}"
    if form is None:
        intro = (
            "Deze checklist bevat alle criteria van de leidraad, voor elke vorm van "
            "werkplekleren. Voor je eigen vorm (en rol) is er een checklist op maat."
        )
        tailored_for = ""
    else:
        who = f" en de rol {role.kort}" if role else ""
        intro = (
            f"Deze checklist bevat de criteria van de leidraad die gelden voor "
            f"{form.naam.lower()}{who}, met hun belang voor deze vorm"
            f"{' en rol' if role else ''}."
        )
        tailored_for = f"{form.naam.lower()}{who}"
    title = f"{heading}{f' – {role.naam}' if role else ''} – {guideline.titel}"
    numbers = {item.id: index for index, item in enumerate(view.items, start=1)}
    context: dict[str, Any] = dict(
        title=title,
        # Author/Subject name the publisher of this edition, never the guideline's authors: the
        # levels, roles and tips in the file are ours, not the government's or its partners'.
        author=guideline.uitgever.naam,
        description=(
            f"Invulbare checklist bij de {guideline.titel}, {guideline.editie}. Niveaus, rollen "
            f"en tips zijn toevoegingen van de redactie (uitgever: {guideline.uitgever.naam})."
        ),
        keywords=["werkplekleren", "checklist", *([form.naam.lower()] if form else []),
                  *([role.kort] if role else [])],
        guideline=guideline,
        date_nl=date_nl(guideline.datum),
        heading=heading,
        subheading=subheading,
        intro=intro,
        tailored=form is not None,
        tailored_for=tailored_for,
        view=view,
        form=form,
        numbers=numbers,
        roles={r.slug: r for r in leidraad.roles},
        legend={e.niveau: e for e in guideline.legende},
        statuses=STATUSES,
        choices_line=fields.choices_line(),
        shapes=SHAPES,
        long_from=LONG_FROM,
        cover_fields=COVER_FIELDS,
        signatures=SIGNATURES,
        url=url,
        qr=qr.svg_data_uri(url),
        publisher=guideline.uitgever,
        verantwoording_url=build.absolute_url("verantwoording/"),
        site_url_label=build.site_url or "de site van de leidraad",
        instrument=None,
    )
    name = str(overrides.pop("name", file_name(form, role)))
    instrument_info = str(overrides.pop("instrument_info", ""))
    context.update(overrides)
    html = render("pdf/checklist.html", **context)
    return Document(
        name=name,
        title=str(context["title"]),
        form=form,
        role=role,
        criteria=tuple(numbers),
        html=html,
        labels=tuple(
            (item.id, f"Criterium {numbers[item.id]}: {text.plain(item.criterion.tekst)}")
            for item in view.items
        ),
        info=tuple(
            fields.info(
                guideline.versie, form.slug if form else ALL_FORMS, role.slug if role else "",
                instrument_info,
            ).items()
        ),
    )


def views(leidraad: Leidraad) -> Iterator[View]:
    """Every view that gets a PDF, in the order of the downloads page."""
    yield tailor(leidraad)
    for form in leidraad.forms:
        yield tailor(leidraad, form.slug)
        for role in leidraad.roles:
            yield tailor(leidraad, form.slug, role.slug)


def documents(build: SiteBuild) -> list[Document]:
    return [document(build, view) for view in views(build.leidraad)]
