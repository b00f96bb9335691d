"""The browsable guideline: home, phases, forms and the editorial account, as Markdown."""

from __future__ import annotations

from collections import Counter
from typing import Any

from generator.model import Claim, Criterion, Leidraad
from generator.render import render
from generator.site import SiteBuild
from generator.tailor import importance_wording, tailor


def common(leidraad: Leidraad) -> dict[str, Any]:
    """Context every page template gets."""
    return {
        "guideline": leidraad.guideline,
        "forms": leidraad.forms,
        "phases": leidraad.phases,
        "roles": {r.slug: r for r in leidraad.roles},
        "roles_list": leidraad.roles,
        "legend": {e.niveau: e for e in leidraad.guideline.legende},
        #: Importance in words for every form (phase pages, /verantwoording/).
        "wordings": {
            loc.criterion.id: importance_wording(leidraad, loc.criterion)
            for loc in leidraad.criteria()
        },
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
        level_two=[loc for loc in located if loc.criterion.niveau == 2],
        rule_users={
            rule.id: [
                loc for loc in located
                if loc.criterion.heel_belangrijk_voor
                and rule.id in loc.criterion.heel_belangrijk_voor.regels
            ]
            for rule in leidraad.guideline.niveau_2_regels
        },
        unverified=unverified_claims(leidraad),
        claim_counts=claim_counts(leidraad),
    )


def unverified_claims(leidraad: Leidraad) -> list[tuple[str, str, Claim]]:
    """Every fact we add that no checked source confirms: (where, link, claim)."""
    out: list[tuple[str, str, Claim]] = []
    for form in leidraad.forms:
        page = f"vormen/{form.slug}/index.md"
        for claim in [*form.beschrijving, *form.vereisten]:
            if not claim.geverifieerd:
                out.append((form.naam, page, claim))
    for loc in leidraad.criteria():
        c: Criterion = loc.criterion
        for form in leidraad.forms:
            tip = c.tips.get(form.slug)
            if tip is not None and not tip.geverifieerd:
                where = f"Tip voor {form.naam.lower()}"
                out.append((where, f"vormen/{form.slug}/index.md#{c.id}", tip))
    return out


def claim_counts(leidraad: Leidraad) -> tuple[int, int]:
    """(verified, all) facts we add: description claims, requirements and tips."""
    claims: list[Claim] = []
    for form in leidraad.forms:
        claims += [*form.beschrijving, *form.vereisten]
    for loc in leidraad.criteria():
        claims += list(loc.criterion.tips.values())
    return sum(1 for c in claims if c.geverifieerd), len(claims)


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
