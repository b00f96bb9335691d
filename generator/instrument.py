"""Own instruments ("Maak je eigen instrument", issue 13): the file format, its JSON Schema, the
view an instrument gives of the guideline, its link, and its PDF.

An instrument is a school's or RTC's own checklist built from the guideline: the criteria of a
form (and role) it keeps, in the guideline's order, plus its own criteria under a question of
the guideline or under an own question in a domain, with a title, an organisation and a short
introduction. The guideline's criteria are referred to by ID only (their text stays verbatim and
comes from the edition that shows them); own texts are the instrument's and are always shown as
plain, escaped text, marked "eigen criterium".

The same format is read in the browser (``assets/javascripts/lib/instrument.js``) with the same
limits (``LIMITS``); a test checks both against each other and against the published schema.

The link: ``#i=1.<data>`` after the online checklist's address of the instrument's form.
``<data>`` is base64url (no padding) of raw DEFLATE (RFC 1951; the browser's
``CompressionStream("deflate-raw")``) of a compact JSON (``link_payload``).
"""

from __future__ import annotations

import base64
import json
import re
import shutil
import unicodedata
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, ValidationError

from generator.model import SLUG_PATTERN, Criterion, Domain, Leidraad, Phase, Question
from generator.site import ActionLink, SiteBuild, checklist_path
from generator.tailor import (
    ALL_FORMS,
    DomainView,
    Importance,
    Item,
    PhaseView,
    QuestionView,
    View,
    importance,
    importance_wording,
    tailor,
)

FORMAT = "werkplekleren-instrument"
SCHEMA_PATH = "downloads/instrument.schema.json"
#: Caps on untrusted input, the same in lib/instrument.js (a test compares them).
LIMITS = {
    "eigen_criteria": 200,
    "eigen_vragen": 50,
    "criteria": 300,
    "tekst": 1000,
    "vraag": 200,
    "titel": 120,
    "organisatie": 120,
    "inleiding": 1000,
    # A file or the decompressed data of a link: never more than this many bytes.
    "bytes": 1_000_000,
}
#: Links up to this length get a QR code (about 70 x 70 modules: a phone reads it easily from a
#: screen or from paper); the same number is in lib/instrument.js.
QR_MAX = 400
LINK_VERSION = "1"
_NON_ALNUM = re.compile(r"[^a-z0-9]+")

_OWN_ID = r"^eigen-[1-9][0-9]{0,3}$"
_OWN_QUESTION_ID = r"^eigen-vraag-[1-9][0-9]{0,3}$"
#: One line of text: no control characters at all.
_LINE = r"^[^\x00-\x1f\x7f]*$"
#: Several lines: line feeds allowed, no other control characters.
_LINES = r"^[^\x00-\x09\x0b-\x1f\x7f]*$"

Slug = Annotated[str, StringConstraints(pattern=SLUG_PATTERN, min_length=2, max_length=60)]


def _text(max_length: int, min_length: int = 0, lines: bool = False) -> Any:
    return Annotated[
        str,
        StringConstraints(
            strip_whitespace=True,
            min_length=min_length,
            max_length=max_length,
            pattern=_LINES if lines else _LINE,
        ),
    ]


class _Base(BaseModel):
    # Unknown keys are ignored (as in the checklist's export format): a later version may add
    # optional keys without breaking readers.
    model_config = ConfigDict(extra="ignore", frozen=True, str_strip_whitespace=True)


class OwnQuestion(_Base):
    """A question of the instrument's own, in a domain of the guideline."""

    id: Annotated[str, StringConstraints(pattern=_OWN_QUESTION_ID)]
    domein: Slug
    tekst: _text(LIMITS["vraag"], 1)  # type: ignore[valid-type]


class OwnCriterion(_Base):
    """A criterion of the instrument's own: never the guideline's words."""

    id: Annotated[str, StringConstraints(pattern=_OWN_ID)]
    #: A question of the guideline, or one of the instrument's own questions.
    vraag: Slug
    tekst: _text(LIMITS["tekst"], 1, lines=True)  # type: ignore[valid-type]
    belang: Importance = "belangrijk"


class Instrument(_Base):
    """An instrument file (``werkplekleren-instrument``, schema 1)."""

    formaat: Literal["werkplekleren-instrument"]
    schema_: Literal[1] = Field(alias="schema")
    #: Stable identity: the saved checklists of an instrument are kept under it.
    id: Annotated[str, StringConstraints(pattern=r"^[a-z0-9]{4,32}$")]
    #: The digital edition of the guideline it was made on.
    leidraad: Annotated[str, StringConstraints(pattern=r"^\d{4}\.\d{1,4}$")]
    vorm: Slug
    rol: Slug | None = None
    titel: _text(LIMITS["titel"], 1)  # type: ignore[valid-type]
    organisatie: _text(LIMITS["organisatie"]) = ""  # type: ignore[valid-type]
    inleiding: _text(LIMITS["inleiding"], lines=True) = ""  # type: ignore[valid-type]
    #: The guideline's criteria it keeps, by ID, in the guideline's order.
    criteria: list[Slug] = Field(default_factory=list, max_length=LIMITS["criteria"])
    eigen_vragen: list[OwnQuestion] = Field(default_factory=list, max_length=LIMITS["eigen_vragen"])
    eigen_criteria: list[OwnCriterion] = Field(
        default_factory=list, max_length=LIMITS["eigen_criteria"]
    )
    #: The highest own number ever given out: a removed own criterion's ID is never reused.
    teller: Annotated[int, Field(ge=0, le=9999)] = 0

    model_config = ConfigDict(extra="ignore", frozen=True, populate_by_name=True)

    def problems(self) -> list[str]:
        """What the types cannot say: unique IDs, and own criteria under known own questions."""
        out = []
        if len(set(self.criteria)) != len(self.criteria):
            out.append("een criterium van de leidraad staat er twee keer in")
        own = [c.id for c in self.eigen_criteria]
        if len(set(own)) != len(own):
            out.append("twee eigen criteria hebben dezelfde code")
        questions = [q.id for q in self.eigen_vragen]
        if len(set(questions)) != len(questions):
            out.append("twee eigen vragen hebben dezelfde code")
        for c in self.eigen_criteria:
            if c.vraag.startswith("eigen-vraag-") and c.vraag not in questions:
                out.append(f"eigen criterium {c.id} hoort bij een onbekende eigen vraag")
        return out


class InstrumentError(ValueError):
    """A file that is not a valid instrument; the message is Dutch, for the user."""


def parse(data: bytes | str, name: str = "het bestand") -> Instrument:
    """Read and check an instrument file; raises ``InstrumentError`` with a Dutch message."""
    raw = data.encode("utf-8") if isinstance(data, str) else data
    if len(raw) > LIMITS["bytes"]:
        raise InstrumentError(f"{name} is te groot voor een instrument (meer dan 1 MB).")
    try:
        obj = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as exc:
        raise InstrumentError(f"{name} is geen geldig JSON-bestand.") from exc
    if not isinstance(obj, dict) or obj.get("formaat") != FORMAT:
        raise InstrumentError(f"{name} is geen instrumentbestand van werkplekleren.")
    if obj.get("schema") != 1:
        raise InstrumentError(f"{name} gebruikt een onbekende versie van het formaat.")
    try:
        instrument = Instrument.model_validate(obj)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise InstrumentError(f"{name} is geen geldig instrument: veld {where}.") from exc
    problems = instrument.problems()
    if problems:
        raise InstrumentError(f"{name} is geen geldig instrument: {problems[0]}.")
    return instrument


def load(path: Path) -> Instrument:
    return parse(path.read_bytes(), f"Het bestand {path.name}")


def schema() -> dict[str, Any]:
    """The published JSON Schema of an instrument file (draft 2020-12)."""
    body = Instrument.model_json_schema(by_alias=True)
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_PATH.rsplit("/", 1)[-1],
        "title": "Instrument werkplekleren (eigen checklist op basis van de leidraad)",
        **body,
    }


def schema_json() -> bytes:
    return (json.dumps(schema(), ensure_ascii=False, indent=2, sort_keys=True) + "\n").encode()


# --- The view of an instrument: what the PDF (and the tests) show -------------------------

OWN_REASON = "Eigen criterium van het instrument, niet uit de leidraad."


@dataclass(frozen=True)
class InstrumentView:
    view: View
    #: Guideline criteria the instrument keeps that this edition no longer has.
    vanished: tuple[str, ...]


def _own_criterion(own: OwnCriterion, roles: list[str]) -> Item:
    criterion = Criterion(
        id=own.id,
        tekst=own.tekst,
        niveau=1 if own.belang == "heel-belangrijk" else 3,
        niveau_reden=OWN_REASON,
        rollen=roles,
    )
    wording = "heel belangrijk" if own.belang == "heel-belangrijk" else "belangrijk"
    return Item(criterion, own.belang, None, wording, own=True)


def form_of(leidraad: Leidraad, instrument: Instrument) -> str | None:
    """The form slug of the instrument, or None for every form (or a form this edition lacks)."""
    if instrument.vorm == ALL_FORMS:
        return None
    try:
        return leidraad.form(instrument.vorm).slug
    except KeyError:
        return None


def role_of(leidraad: Leidraad, instrument: Instrument) -> str | None:
    if instrument.rol is None:
        return None
    return instrument.rol if any(r.slug == instrument.rol for r in leidraad.roles) else None


def view(leidraad: Leidraad, instrument: Instrument) -> InstrumentView:
    """The guideline as the instrument shows it: the kept criteria in the guideline's order, with
    their importance and tip for the instrument's form (and role); own criteria after them under
    their question; own questions at the end of their domain. Own criteria whose place this
    edition lacks end up in a last part "Eigen aanvullingen"."""
    form = form_of(leidraad, instrument)
    role = role_of(leidraad, instrument)
    roles = [r.slug for r in leidraad.roles]
    kept = set(instrument.criteria)
    own_by_question: dict[str, list[Item]] = {}
    for own in instrument.eigen_criteria:
        own_by_question.setdefault(own.vraag, []).append(_own_criterion(own, roles))
    own_questions = {q.id: q for q in instrument.eigen_vragen}
    placed: set[str] = set()
    phases = []
    for phase in leidraad.phases:
        domains = []
        for domain in phase.domeinen:
            questions = []
            for question in domain.vragen:
                items = [
                    Item(
                        c,
                        importance(c, form, role),
                        c.tips.get(form) if form else None,
                        importance_wording(leidraad, c, form),
                    )
                    for c in question.criteria
                    if c.id in kept
                ]
                items += own_by_question.get(question.id, [])
                placed.add(question.id)
                if items:
                    questions.append(QuestionView(question, tuple(items)))
            for own_q in instrument.eigen_vragen:
                if own_q.domein == domain.id and own_by_question.get(own_q.id):
                    placed.add(own_q.id)
                    questions.append(_own_question(own_q, own_by_question[own_q.id]))
            if questions:
                domains.append(DomainView(domain, tuple(questions)))
        if domains:
            phases.append(PhaseView(phase, tuple(domains)))
    rest = [(key, items) for key, items in own_by_question.items() if key not in placed and items]
    if rest:
        questions = []
        for key, items in rest:
            found = own_questions.get(key)
            text = found.tekst if found else "Eigen criteria bij een vraag die niet meer bestaat"
            questions.append(
                QuestionView(
                    Question(id=f"{key}-los", tekst=text, criteria=[i.criterion for i in items]),
                    tuple(items),
                )
            )
        domain = Domain(
            id="eigen-aanvullingen-domein",
            titel="Zonder plaats in deze digitale editie",
            vragen=[q.question for q in questions],
        )
        phase = Phase(
            id="eigen-aanvullingen",
            titel="Eigen aanvullingen",
            volgorde=9,
            inleiding="Eigen criteria bij een vraag of domein dat deze digitale editie niet heeft.",
            domeinen=[domain],
        )
        phases.append(PhaseView(phase, (DomainView(domain, tuple(questions)),)))
    known = {loc.criterion.id for loc in leidraad.criteria()}
    vanished = tuple(cid for cid in instrument.criteria if cid not in known)
    form_obj = leidraad.form(form) if form else None
    role_obj = leidraad.role(role) if role else None
    return InstrumentView(View(form_obj, role_obj, tuple(phases), ()), vanished)


def _own_question(own_q: OwnQuestion, items: list[Item]) -> QuestionView:
    question = Question(id=own_q.id, tekst=own_q.tekst, criteria=[i.criterion for i in items])
    return QuestionView(question, tuple(items))


# --- The link ------------------------------------------------------------------------------


def fnv_hash(ids: list[str]) -> str:
    """FNV-1a of the IDs joined by ",", in base 36: the same as ``hash`` in lib/codec.js."""
    h = 0x811C9DC5
    for ch in ",".join(ids):
        h = ((h ^ ord(ch)) * 16777619) & 0xFFFFFFFF
    return _base36(h)


def _base36(n: int) -> str:
    digits = "0123456789abcdefghijklmnopqrstuvwxyz"
    out = ""
    while True:
        n, r = divmod(n, 36)
        out = digits[r] + out
        if not n:
            return out


def base_ids(leidraad: Leidraad, form: str | None, role: str | None) -> list[str]:
    """The criteria an instrument starts with for a form and role (in the guideline's order)."""
    return [item.id for item in tailor(leidraad, form, role).items]


def link_payload(instrument: Instrument, leidraad: Leidraad) -> dict[str, Any]:
    """The compact form of an instrument carried in a link.

    The kept guideline criteria are written as a difference with the form's (and role's)
    criteria of this edition (``s``: left out, added, hash of the full list) when the instrument
    is of this edition; otherwise as the full list (``c``), so nothing is lost.
    """
    out: dict[str, Any] = {"id": instrument.id, "l": instrument.leidraad, "f": instrument.vorm}
    if instrument.rol:
        out["r"] = instrument.rol
    out["t"] = instrument.titel
    if instrument.organisatie:
        out["o"] = instrument.organisatie
    if instrument.inleiding:
        out["n"] = instrument.inleiding
    form = form_of(leidraad, instrument)
    role = role_of(leidraad, instrument)
    full = list(instrument.criteria)
    if instrument.leidraad == leidraad.guideline.versie and (form or instrument.vorm == ALL_FORMS):
        base = base_ids(leidraad, form, role)
        everything = [loc.criterion.id for loc in leidraad.criteria()]
        if set(full) <= set(everything) and [c for c in everything if c in set(full)] == full:
            left_out = [c for c in base if c not in set(full)]
            added = [c for c in full if c not in set(base)]
            out["s"] = [left_out, added, fnv_hash(full)]
    if "s" not in out:
        out["c"] = full
    if instrument.eigen_vragen:
        out["q"] = [
            [q.id.removeprefix("eigen-vraag-"), q.domein, q.tekst] for q in instrument.eigen_vragen
        ]
    if instrument.eigen_criteria:
        out["e"] = [
            [
                c.id.removeprefix("eigen-"),
                c.vraag,
                c.tekst,
                1 if c.belang == "heel-belangrijk" else 0,
            ]
            for c in instrument.eigen_criteria
        ]
    if instrument.teller:
        out["k"] = instrument.teller
    return out


def link_code(instrument: Instrument, leidraad: Leidraad) -> str:
    """What follows ``#i=`` in an instrument's link."""
    data = json.dumps(
        link_payload(instrument, leidraad), ensure_ascii=False, separators=(",", ":")
    ).encode("utf-8")
    packer = zlib.compressobj(9, zlib.DEFLATED, -15)
    packed = packer.compress(data) + packer.flush()
    return f"{LINK_VERSION}." + base64.urlsafe_b64encode(packed).decode("ascii").rstrip("=")


def link(build: SiteBuild, instrument: Instrument) -> str:
    """The full link that opens the instrument as a checklist."""
    form = form_of(build.leidraad, instrument)
    path = checklist_path(form)
    query = f"?rol={instrument.rol}" if role_of(build.leidraad, instrument) else ""
    return build.absolute_url(path) + query + "#i=" + link_code(instrument, build.leidraad)


# --- The PDF -------------------------------------------------------------------------------


def file_slug(text: str) -> str:
    """``Ons instrument – stage`` -> ``ons-instrument-stage`` (ASCII, for file names)."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    slug = "-".join(part for part in _NON_ALNUM.split(ascii_text.lower()) if part)
    return slug[:60].strip("-") or "instrument"


def file_object(instrument: Instrument) -> dict[str, Any]:
    """The instrument as its file's JSON object: what an export of its list carries as
    ``instrument`` (the same keys as ``check`` in lib/instrument.js returns)."""
    data: dict[str, Any] = instrument.model_dump(mode="json", by_alias=True, exclude_none=True)
    return data


def info_json(instrument: Instrument) -> str:
    """The instrument file as compact ASCII JSON, for the PDF's Info key ``/WplInstrument``."""
    return json.dumps(file_object(instrument), ensure_ascii=True, separators=(",", ":"))


def pdf_document(build: SiteBuild, instrument: Instrument) -> Any:
    """The instrument as a PDF ``Document``: the site's PDF template and code path
    (``generator.pdf.document``), with the instrument's title, introduction and own criteria."""
    from generator import pdf, qr

    iv = view(build.leidraad, instrument)
    guideline = build.leidraad.guideline
    own = len(instrument.eigen_criteria)
    kept = len(instrument.criteria) - len(iv.vanished)
    url = link(build, instrument)
    short = len(url) <= QR_MAX
    intro = instrument.inleiding or (
        f"Dit instrument bevat {kept} criteria van de leidraad"
        + (f" en {own} eigen {'criterium' if own == 1 else 'criteria'}" if own else "")
        + "."
    )
    return pdf.document(
        build,
        iv.view,
        name=f"instrument-{file_slug(instrument.titel)}.pdf",
        title=f"{instrument.titel} – {guideline.titel}",
        heading=instrument.titel,
        subheading=instrument.organisatie,
        description=f"Invulbaar eigen instrument op basis van de {guideline.titel}, "
        f"digitale editie {guideline.versie}.",
        intro=intro,
        url=url if short else build.absolute_url("instrument/"),
        qr=qr.svg_data_uri(url) if short else None,
        instrument={
            "organisatie": instrument.organisatie,
            "leidraad": instrument.leidraad,
            "vanished": iv.vanished,
        },
        instrument_info=info_json(instrument),
    )


def render_pdf(build: SiteBuild, instrument: Instrument, out: Path) -> Path:
    """Render the instrument's PDF with the site's renderer (cache included) into ``out``."""
    from generator import pdf

    doc = pdf_document(build, instrument)
    report = pdf.render_documents([doc], build.cache_dir, workers=1)
    out.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(report.paths[doc.name], out)
    return out


# --- The pages -----------------------------------------------------------------------------


def importance_attrs(leidraad: Leidraad, criterion: Criterion) -> dict[str, str]:
    """How a page says a criterion's importance for every form and role without restating the
    rule in JavaScript: ``data-belang`` when it is the same everywhere, else ``data-heel``, the
    views (``tailor.view_slug``: ``stage``, ``stage-mentor``, ``alle-vormen-mentor``, ...) where
    it is heel belangrijk."""
    values: dict[str, str] = {}
    for form in (None, *leidraad.forms):
        for role in (None, *leidraad.roles):
            slug = "-".join([form.slug if form else ALL_FORMS, *([role.slug] if role else [])])
            values[slug] = importance(
                criterion, form.slug if form else None, role.slug if role else None
            )
    distinct = set(values.values())
    if len(distinct) == 1:
        return {"data-belang": distinct.pop()}
    return {"data-heel": " ".join(k for k, v in values.items() if v == "heel-belangrijk")}


def catalogue(leidraad: Leidraad) -> dict[str, dict[str, str]]:
    """Data attributes per criterion ID for the pages that work with every form (the editor of
    /instrument/ and /overzicht/): roles, forms it does not apply to, importance."""
    out = {}
    for loc in leidraad.criteria():
        c = loc.criterion
        attrs = {
            "data-roles": " ".join(c.rollen),
            "data-nvt": " ".join(sorted(c.niet_van_toepassing)),
        }
        attrs.update(importance_attrs(leidraad, c))
        # The importance in words as the checklist of each form says it (tailor.importance_wording).
        words = {f.slug: importance_wording(leidraad, c, f.slug) for f in leidraad.forms}
        words[ALL_FORMS] = importance_wording(leidraad, c, None)
        if len(set(words.values())) == 1:
            attrs["data-w"] = words[ALL_FORMS]
        else:
            attrs.update({f"data-w-{slug}": text for slug, text in words.items()})
        out[c.id] = attrs
    return out


def contribute(build: SiteBuild) -> None:
    """/instrument/ (the editor), /overzicht/ (many lists at once) and the instrument schema."""
    from generator.pages import common
    from generator.render import render

    leidraad = build.leidraad
    ctx = common(leidraad)
    attrs = catalogue(leidraad)
    for form in leidraad.forms:
        build.add_form_link(
            form.slug,
            ActionLink(
                "Maak je eigen instrument",
                f"../../instrument/?vorm={form.slug}",
                "Kies criteria en voeg eigen criteria toe.",
            ),
        )
    build.files[SCHEMA_PATH] = schema_json()
    build.pages["instrument/index.md"] = render(
        "pages/instrument.md",
        **ctx,
        attrs=attrs,
        forms_by_slug={f.slug: f for f in leidraad.forms},
        limits=LIMITS,
        qr_max=QR_MAX,
        all_forms=ALL_FORMS,
        schema_path=SCHEMA_PATH,
        total=sum(1 for _ in leidraad.criteria()),
    )
    build.pages["overzicht/index.md"] = render(
        "pages/overzicht.md",
        **ctx,
        attrs=attrs,
        all_forms=ALL_FORMS,
        located=list(leidraad.criteria()),
    )
