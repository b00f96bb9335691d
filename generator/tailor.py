"""Criteria tailored to a form of workplace learning and/or a role.

The rule, stated once here and explained on the site (/verantwoording/):

* level 1 shows as "heel belangrijk", level 3 as "belangrijk";
* level 2 shows as "heel belangrijk" where the form (or the role) is listed in the criterion's
  ``heel_belangrijk_voor``, else as "belangrijk";
* a criterion marked not applicable to the form is left out of that form's checklist and named,
  with its reason, on the form page;
* with a role, only the criteria that role acts on are kept.

Pages, PDFs, exports and the checklist script all take their importance from ``importance``,
and every page and PDF says it in the words of ``importance_wording``: for a level-2 criterion
that is which forms and which roles it is "heel belangrijk" for, and "belangrijk" for the rest,
so a reader never sees two importances without being told which applies to whom.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from generator.model import (
    Criterion,
    Domain,
    Form,
    Leidraad,
    Located,
    Phase,
    Question,
    Role,
    Tip,
)

Importance = Literal["heel-belangrijk", "belangrijk"]

#: Stands for "every form" where a form slug is expected (storage keys, file names).
ALL_FORMS = "alle-vormen"

#: Shown after every fact we could not confirm with a source, wherever it appears.
UNVERIFIED = "(niet geverifieerd)"

IMPORTANCE_LABELS: dict[Importance, str] = {
    "heel-belangrijk": "Heel belangrijk",
    "belangrijk": "Belangrijk",
}


def importance(
    criterion: Criterion, form: str | None = None, role: str | None = None
) -> Importance:
    """Importance of a criterion for a form and/or role (see the module docstring)."""
    if criterion.niveau == 1:
        return "heel-belangrijk"
    if criterion.niveau == 3:
        return "belangrijk"
    targets = criterion.heel_belangrijk_voor
    if targets is not None and (
        (form is not None and form in targets.vormen)
        or (role is not None and role in targets.rollen)
    ):
        return "heel-belangrijk"
    return "belangrijk"


def _roles(names: list[str]) -> str:
    """``a``, ``a en b``, ``a, b en c``."""
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " en " + names[-1]


def importance_wording(leidraad: Leidraad, criterion: Criterion, form: str | None = None) -> str:
    """The importance of a criterion in words, for a form (slug) or for every form (None).

    Levels 1 and 3 read "heel belangrijk" and "belangrijk". Level 2 names who it is very
    important for: ``heel belangrijk bij duaal leren``, ``belangrijk bij stage``, ``bij stage
    heel belangrijk voor lerende, belangrijk voor instelling``, or (every form) the whole rule:
    ``heel belangrijk bij stage, duaal leren; bij de andere vormen belangrijk``. The words agree
    with ``importance`` for every form and role by construction.
    """
    if criterion.niveau != 2:
        return IMPORTANCE_LABELS[importance(criterion)].lower()
    targets = criterion.heel_belangrijk_voor
    forms = list(targets.vormen) if targets else []
    very = [r for r in criterion.rollen if targets and r in targets.rollen]
    rest = [r for r in criterion.rollen if r not in very]

    def names(slugs: list[str]) -> str:
        return _roles([leidraad.role(r).kort for r in slugs])

    by_role = (
        f"heel belangrijk voor {names(very)}, belangrijk voor {names(rest)}" if very else ""
    )
    if form is not None:
        name = leidraad.form(form).naam.lower()
        if form in forms:
            return f"heel belangrijk bij {name}"
        return f"bij {name} {by_role}" if by_role else f"belangrijk bij {name}"
    if not forms:
        return by_role or "belangrijk"
    listed = ", ".join(f.naam.lower() for f in leidraad.forms if f.slug in forms)
    others = f"bij de andere vormen {by_role}" if by_role else "bij de andere vormen belangrijk"
    return f"heel belangrijk bij {listed}; {others}"


def applies(criterion: Criterion, form: str | None = None, role: str | None = None) -> bool:
    """Whether a criterion belongs in the checklist for this form and role."""
    if form is not None and form in criterion.niet_van_toepassing:
        return False
    return role is None or role in criterion.rollen


def view_slug(form: Form | None, role: Role | None = None) -> str:
    """File-name part: ``stage``, ``stage-mentor``, ``alle-vormen``, ``alle-vormen-mentor``."""
    return "-".join([form.slug if form else ALL_FORMS, *([role.slug] if role else [])])


@dataclass(frozen=True)
class Item:
    """One criterion as it shows in a tailored view."""

    criterion: Criterion
    importance: Importance
    hint: Tip | None
    #: ``importance_wording`` for the view's form: the same words on pages and in PDFs.
    wording: str

    @property
    def id(self) -> str:
        return self.criterion.id


@dataclass(frozen=True)
class QuestionView:
    question: Question
    items: tuple[Item, ...]


@dataclass(frozen=True)
class DomainView:
    domain: Domain
    questions: tuple[QuestionView, ...]

    @property
    def items(self) -> tuple[Item, ...]:
        return tuple(item for q in self.questions for item in q.items)


@dataclass(frozen=True)
class PhaseView:
    phase: Phase
    domains: tuple[DomainView, ...]

    @property
    def items(self) -> tuple[Item, ...]:
        return tuple(item for d in self.domains for item in d.items)


@dataclass(frozen=True)
class NotApplicable:
    located: Located
    reason: str


@dataclass(frozen=True)
class View:
    """The guideline as one form and/or role sees it. Empty questions and domains are dropped."""

    form: Form | None
    role: Role | None
    phases: tuple[PhaseView, ...]
    not_applicable: tuple[NotApplicable, ...]

    @property
    def items(self) -> tuple[Item, ...]:
        return tuple(item for p in self.phases for item in p.items)

    @property
    def slug(self) -> str:
        return view_slug(self.form, self.role)


def tailor(leidraad: Leidraad, form: str | None = None, role: str | None = None) -> View:
    """Build the view of the guideline for ``form`` (slug or alias) and ``role`` (both optional)."""
    form_obj = leidraad.form(form) if form is not None else None
    role_obj = leidraad.role(role) if role is not None else None
    form_slug = form_obj.slug if form_obj else None
    phases = []
    skipped = []
    for phase in leidraad.phases:
        domains = []
        for domain in phase.domeinen:
            questions = []
            for question in domain.vragen:
                items = []
                for criterion in question.criteria:
                    if form_slug is not None and form_slug in criterion.niet_van_toepassing:
                        if role is None or role in criterion.rollen:
                            skipped.append(
                                NotApplicable(
                                    Located(phase, domain, question, criterion),
                                    criterion.niet_van_toepassing[form_slug],
                                )
                            )
                        continue
                    if not applies(criterion, form_slug, role):
                        continue
                    hint = criterion.tips.get(form_slug) if form_slug else None
                    items.append(
                        Item(
                            criterion,
                            importance(criterion, form_slug, role),
                            hint,
                            importance_wording(leidraad, criterion, form_slug),
                        )
                    )
                if items:
                    questions.append(QuestionView(question, tuple(items)))
            if questions:
                domains.append(DomainView(domain, tuple(questions)))
        if domains:
            phases.append(PhaseView(phase, tuple(domains)))
    return View(form_obj, role_obj, tuple(phases), tuple(skipped))
