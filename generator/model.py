"""Typed schema of the guideline data. No I/O here.

The YAML keys are Dutch (the editors are Dutch-speaking and the vocabulary is the guideline's own),
so the field names below are Dutch too; everything else in the code is English.

Cross-reference rules (unique IDs, known forms and roles, level-2 targets) live in
``Leidraad.check_references`` so that they can report every problem with its path, not just the
first one.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

#: URL-safe, readable identifier: lower-case words joined by single hyphens. Used as HTML anchor,
#: localStorage key, PDF field name and CSV key, so no dots, spaces or upper case.
SLUG_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
Slug = Annotated[str, StringConstraints(pattern=SLUG_PATTERN, min_length=2, max_length=60)]
#: A text that must say something. Long enough for every text in the guideline, short enough to
#: catch a pasted document.
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=2000)]
ShortText = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
Url = Annotated[str, StringConstraints(pattern=r"^https?://[^\s<>\"]+$", max_length=500)]
IsoDate = Annotated[str, StringConstraints(pattern=r"^\d{4}-\d{2}-\d{2}$")]
Level = Literal[1, 2, 3]

ROLE_SLUGS = ("instelling", "begeleider", "bedrijf", "mentor", "lerende")


class Strict(BaseModel):
    """Base for every model: unknown keys are errors (typos must not pass silently)."""

    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


class Link(Strict):
    titel: ShortText
    url: Url
    #: The guideline's own links date from around 2010 and may be dead: shown as history.
    historisch: bool = False


class Source(Strict):
    """Where a fact was read. Shown on the site as a link, with the date it was checked."""

    titel: ShortText
    url: Url | None = None
    #: ISO date on which someone read the page at ``url`` and found the claim there. Only with
    #: ``url``; a source without it counts as a pointer, not as verification.
    gecontroleerd: IsoDate | None = None

    @property
    def checked(self) -> bool:
        return self.url is not None and self.gecontroleerd is not None


class Claim(Strict):
    """A factual statement we add (not from the guideline), with its sources.

    ``geverifieerd: true`` needs at least one checked source (``url`` and ``gecontroleerd``);
    the loader enforces it. Anything else is shown with "(niet geverifieerd)".
    """

    tekst: Text
    bronnen: list[Source] = Field(default_factory=list)
    geverifieerd: bool = False


class Requirement(Claim):
    """A formal requirement of a form (agreement, recognition, mentor conditions, ...)."""


class Tip(Claim):
    """A practical hint for one form ("toelichting per vorm"); editorial, and as sourced as a
    requirement when it states a fact about the form."""


class Form(Strict):
    """A form of workplace learning named in the guideline."""

    slug: Slug
    naam: ShortText
    aliassen: list[Slug] = Field(default_factory=list)
    #: One line; states no fact that ``beschrijving`` does not state.
    korte_beschrijving: Text
    #: The description, claim by claim (shown as one paragraph), each with its sources.
    beschrijving: list[Claim] = Field(min_length=1)
    vereisten: list[Requirement] = Field(default_factory=list)
    #: Background reading about the form as a whole (shown under "Meer lezen").
    bronnen: list[Source] = Field(default_factory=list)

    @property
    def beschrijving_geverifieerd(self) -> bool:
        """Verified only when every claim of the description is: never more than its parts."""
        return all(claim.geverifieerd for claim in self.beschrijving)

    @property
    def beschrijving_bronnen(self) -> list[Source]:
        """The sources of the description's claims, each once, in order."""
        out: list[Source] = []
        for claim in self.beschrijving:
            out.extend(source for source in claim.bronnen if source not in out)
        return out


class Role(Strict):
    slug: Slug
    naam: ShortText
    #: Short label used in lists ("Wie: ...").
    kort: ShortText
    beschrijving: Text


class LegendEntry(Strict):
    niveau: Level
    #: The legend text, verbatim from the guideline.
    tekst: Text
    #: Short label used next to the icon ("Heel belangrijk").
    label: ShortText


class Section(Strict):
    titel: ShortText
    #: Verbatim from the guideline.
    tekst: Text
    #: Editorial note shown after the verbatim text (dead links, where to go today).
    noot: Text | None = None
    #: Sources of the note.
    bronnen: list[Source] = Field(default_factory=list)


class Level2Rule(Strict):
    """An editorial rule that makes a level-2 criterion very important for some forms."""

    id: Slug
    #: Short name, used in lists ("lerende alleen op een externe werkplek").
    naam: ShortText
    #: The property the forms share, as one sentence.
    tekst: Text
    vormen: list[Slug] = Field(min_length=1)
    #: Why forms that might seem to fit are not listed.
    uitleg: Text | None = None


class SourceError(Strict):
    """A slip in the guideline's own text, kept verbatim and listed once with [sic]."""

    #: Exactly as it stands in the guideline.
    tekst: ShortText
    #: What was meant.
    bedoeld: ShortText
    #: Where it stands, for the reader ("de legende, niveau 1 en 3").
    waar: ShortText


class Guideline(Strict):
    titel: ShortText
    #: Version of this digital edition; stored with every saved checklist and printed on PDFs.
    versie: Annotated[str, StringConstraints(pattern=r"^\d{4}\.\d+$")]
    #: Date of this edition (ISO). PDFs take their dates from here, never from the clock.
    datum: Annotated[str, StringConstraints(pattern=r"^\d{4}-\d{2}-\d{2}$")]
    bron: Text
    inleiding: list[Section] = Field(min_length=1)
    legende: list[LegendEntry] = Field(min_length=3, max_length=3)
    oorspronkelijke_links: list[Link] = Field(default_factory=list)
    #: The rules that decide for which forms a level-2 criterion is very important.
    niveau_2_regels: list[Level2Rule] = Field(default_factory=list)
    #: Errors in the guideline's text that we keep verbatim ([sic]).
    bronfouten: list[SourceError] = Field(default_factory=list)


class Targets(Strict):
    """For a level-2 criterion: the forms and/or roles for which it is very important.

    ``vormen`` is exactly the union of the forms of ``regels`` (the loader checks it), so a
    rule that holds for two forms lists both. ``rollen`` are roles that act on the criterion,
    never all of them.
    """

    regels: list[Slug] = Field(default_factory=list)
    vormen: list[Slug] = Field(default_factory=list)
    rollen: list[Slug] = Field(default_factory=list)


class Criterion(Strict):
    id: Slug
    #: Verbatim from the guideline; limited Markdown (links, emphasis) is allowed.
    tekst: Text
    niveau: Level
    #: Editorial reasoning for the level (the guideline's icons are lost).
    niveau_reden: Text
    rollen: list[Slug] = Field(min_length=1)
    heel_belangrijk_voor: Targets | None = None
    #: Forms this criterion does not apply to, with the reason shown on the form page.
    niet_van_toepassing: dict[Slug, Text] = Field(default_factory=dict)
    #: Hints per form ("toelichting per vorm"), keyed by form slug.
    tips: dict[Slug, Tip] = Field(default_factory=dict)
    links: list[Link] = Field(default_factory=list)


class Question(Strict):
    id: Slug
    tekst: ShortText
    criteria: list[Criterion] = Field(min_length=1)


class Domain(Strict):
    id: Slug
    titel: ShortText
    vragen: list[Question] = Field(min_length=1)


class Phase(Strict):
    id: Slug
    titel: ShortText
    #: Position of the phase in the guideline (1, 2, 3).
    volgorde: Annotated[int, Field(ge=1, le=9)]
    inleiding: Text
    domeinen: list[Domain] = Field(min_length=1)


class FormsFile(Strict):
    vormen: list[Form] = Field(min_length=1)


class RolesFile(Strict):
    rollen: list[Role] = Field(min_length=1)


class PhaseFile(Strict):
    fase: Phase


#: A path into the data, as (file, key, index, key, ...); used to find the line of a problem.
DataPath = tuple[str | int, ...]


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the data, tied to a place in a file."""

    file: str
    path: tuple[str | int, ...]
    message: str
    line: int | None = None

    @property
    def field(self) -> str:
        return ".".join(str(p) for p in self.path) or "(document)"

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        return f"{where}: {self.field}: {self.message}"


@dataclass(frozen=True)
class Located:
    """A criterion with its place in the guideline."""

    phase: Phase
    domain: Domain
    question: Question
    criterion: Criterion


@dataclass(frozen=True)
class Leidraad:
    """The whole guideline, validated. Built only by ``loader.load``."""

    guideline: Guideline
    forms: tuple[Form, ...]
    roles: tuple[Role, ...]
    phases: tuple[Phase, ...]

    def criteria(self) -> Iterator[Located]:
        for phase in self.phases:
            for domain in phase.domeinen:
                for question in domain.vragen:
                    for criterion in question.criteria:
                        yield Located(phase, domain, question, criterion)

    def questions(self) -> Iterator[tuple[Phase, Domain, Question]]:
        for phase in self.phases:
            for domain in phase.domeinen:
                for question in domain.vragen:
                    yield phase, domain, question

    def form(self, slug: str) -> Form:
        for form in self.forms:
            if slug == form.slug or slug in form.aliassen:
                return form
        raise KeyError(slug)

    def rule(self, rule_id: str) -> Level2Rule:
        for rule in self.guideline.niveau_2_regels:
            if rule.id == rule_id:
                return rule
        raise KeyError(rule_id)

    def role(self, slug: str) -> Role:
        for role in self.roles:
            if role.slug == slug:
                return role
        raise KeyError(slug)

    def criterion(self, criterion_id: str) -> Located:
        for located in self.criteria():
            if located.criterion.id == criterion_id:
                return located
        raise KeyError(criterion_id)
