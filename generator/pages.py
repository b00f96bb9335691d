"""The browsable guideline: home, phases, forms and the editorial account, as Markdown."""

from __future__ import annotations

from collections import Counter
from typing import Any

from generator.model import Criterion, Leidraad
from generator.render import render
from generator.site import SiteBuild
from generator.tailor import tailor


def common(leidraad: Leidraad) -> dict[str, Any]:
    """Context every page template gets."""
    return {
        "guideline": leidraad.guideline,
        "forms": leidraad.forms,
        "phases": leidraad.phases,
        "roles": {r.slug: r for r in leidraad.roles},
        "roles_list": leidraad.roles,
        "legend": {e.niveau: e for e in leidraad.guideline.legende},
    }


def contribute_core(build: SiteBuild) -> None:
    leidraad = build.leidraad
    ctx = common(leidraad)
    located = list(leidraad.criteria())
    questions = list(leidraad.questions())
    build.pages["index.md"] = render("pages/home.md", **ctx)
    build.pages["leidraad/index.md"] = render(
        "pages/leidraad.md",
        **ctx,
        total_questions=len(questions),
        total_criteria=len(located),
    )
    for phase in leidraad.phases:
        build.pages[f"leidraad/{phase.id}.md"] = render(
            "pages/fase.md",
            **ctx,
            phase=phase,
            questions=[q for p, _, q in questions if p.id == phase.id],
            count=sum(1 for loc in located if loc.phase.id == phase.id),
        )
    build.pages["vormen/index.md"] = render("pages/vormen.md", **ctx)
    build.pages["verantwoording.md"] = render(
        "pages/verantwoording.md",
        **ctx,
        located=located,
        domain_count=sum(len(p.domeinen) for p in leidraad.phases),
        question_count=len(questions),
        criteria_count=len(located),
        level_counts=sorted(Counter(loc.criterion.niveau for loc in located).items()),
        unverified_forms=[f for f in leidraad.forms if not f.beschrijving_geverifieerd],
        target_names={
            loc.criterion.id: target_names(leidraad, loc.criterion) for loc in located
        },
    )


def target_names(leidraad: Leidraad, criterion: Criterion) -> str:
    """Readable list of the forms and roles a level-2 criterion is very important for."""
    targets = criterion.heel_belangrijk_voor
    if targets is None:
        return "alle"
    names = [leidraad.form(f).naam.lower() for f in targets.vormen]
    names += [leidraad.role(r).kort for r in targets.rollen]
    return ", ".join(names)


def contribute_forms(build: SiteBuild) -> None:
    leidraad = build.leidraad
    ctx = common(leidraad)
    for form in leidraad.forms:
        build.pages[f"vormen/{form.slug}/index.md"] = render(
            "pages/vorm.md",
            **ctx,
            form=form,
            view=tailor(leidraad, form.slug),
            links=build.form_links.get(form.slug, []),
        )
