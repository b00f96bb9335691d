"""Facts about the forms are sourced and dated, and what is not verified says so wherever it
appears: form pages, the home page, checklists, PDFs and the open data.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import subprocess
from pathlib import Path

from markupsafe import escape

from generator import text
from generator.model import Claim, Leidraad, Source
from generator.pdf import date_nl
from generator.render import environment

UNVERIFIED = "(niet geverifieerd)"


def _claims(leidraad: Leidraad) -> list[tuple[str, Claim]]:
    out: list[tuple[str, Claim]] = []
    for form in leidraad.forms:
        out += [(f"{form.slug}: beschrijving", c) for c in form.beschrijving]
        out += [(f"{form.slug}: vereiste", c) for c in form.vereisten]
    for loc in leidraad.criteria():
        out += [(f"{loc.criterion.id}: tip {f}", t) for f, t in loc.criterion.tips.items()]
    return out


def _about_the_guideline(source: Source, leidraad: Leidraad) -> bool:
    """A claim about what the guideline itself says cites the guideline (shown on this site)."""
    return source.titel.startswith(leidraad.guideline.titel)


def test_every_fact_has_a_source_with_url_and_date(leidraad: Leidraad) -> None:
    claims = _claims(leidraad)
    assert len(claims) >= 40
    edition = dt.date.fromisoformat(leidraad.guideline.datum)
    for where, claim in claims:
        assert any(
            s.checked or _about_the_guideline(s, leidraad) for s in claim.bronnen
        ), where
        if claim.geverifieerd:
            assert any(s.checked for s in claim.bronnen), where
        for source in claim.bronnen:
            if source.url:
                assert source.gecontroleerd, (where, source.titel)
            if source.gecontroleerd:
                assert dt.date.fromisoformat(source.gecontroleerd) <= edition, where
    for section in leidraad.guideline.inleiding:
        if section.noot:
            assert section.bronnen and all(s.checked for s in section.bronnen)


def test_what_the_brief_marks_unverified_is_never_stated_as_verified(
    leidraad: Leidraad,
) -> None:
    for where, claim in _claims(leidraad):
        said = claim.tekst.lower()
        if re.search(r"(5|vijf) jaar (geldig|erkend)", said):
            assert not claim.geverifieerd, where  # no official source gives the term
        assert "samen met de trajectbegeleider en de mentor" not in said, where


def test_the_forms_facts_are_current(leidraad: Leidraad) -> None:
    dual = leidraad.form("duaal-leren")
    facts = " ".join(c.tekst for c in [*dual.beschrijving, *dual.vereisten])
    assert "stageovereenkomst alternerende opleiding (SAO)" in facts
    assert "overeenkomst alternerende opleiding (OAO)" in facts
    assert "Vlaams Partnerschap Duaal Leren" in facts and "sectorale partnerschap" in facts
    assert "23 jaar" in facts  # the exception to the mentor's minimum age
    alternating = leidraad.form("alternerend-leren")
    recognition = [c for c in alternating.vereisten if "erkend" in c.tekst]
    assert recognition and all(c.geverifieerd for c in recognition)
    historical = leidraad.form("leren-en-werken")
    description = " ".join(c.tekst for c in historical.beschrijving)
    for past in ("was het stelsel", "volgde de jongere", "waren werkplekleren"):
        assert past in description
    assert "duaal leren" in description and "aanloopfase" in description
    assert "niet helemaal eens" in description  # the sources disagree on the pace


def _form_page(site_dir: Path, slug: str) -> str:
    return (site_dir / "vormen" / slug / "index.html").read_text(encoding="utf-8")


def _source_html(source: Source) -> str:
    assert source.url and source.gecontroleerd
    return (
        f'<a href="{escape(source.url)}">{escape(source.titel)}</a> '
        f"(gecontroleerd op {date_nl(source.gecontroleerd)})"
    )


def test_form_pages_link_every_source_with_its_date_and_mark_the_unverified(
    site_dir: Path, leidraad: Leidraad
) -> None:
    historical = {link.url for link in leidraad.guideline.oorspronkelijke_links}
    for form in leidraad.forms:
        page = _form_page(site_dir, form.slug)
        for claim in [*form.beschrijving, *form.vereisten]:
            rendered = str(text.inline_html(claim.tekst, historical))
            at = page.index(rendered)
            after = page[at + len(rendered) : at + len(rendered) + 60]
            assert after.startswith(f' <em class="wpl-unverified">{UNVERIFIED}</em>') == (
                not claim.geverifieerd
            ), (form.slug, claim.tekst[:40])
            for source in claim.bronnen:
                if source.url:
                    assert _source_html(source) in page, (form.slug, source.titel)
        # A description is verified only when all its claims are; the page says so.
        notice = "wpl-note--unverified" in page
        assert notice == (not form.beschrijving_geverifieerd) == any(
            not c.geverifieerd for c in form.beschrijving
        ), form.slug
        lead = page.split('<p class="wpl-lead">', 1)[1].split("</p>", 1)[0]
        assert (UNVERIFIED in lead) == (not form.beschrijving_geverifieerd), form.slug
        cards = (site_dir / "index.html").read_text("utf-8").split('class="wpl-cards"', 1)[1]
        card = cards.split(f'href="vormen/{form.slug}/"', 1)[1].split("</li>", 1)[0]
        assert (UNVERIFIED in card) == (not form.beschrijving_geverifieerd), form.slug


def _tip_html(page: str, cid: str) -> str:
    start = page.index(f'id="{cid}"')
    item = page[start : page.index("</li>", start)]
    tips = re.findall(r'<p class="wpl-hint">.*?</p>', item, flags=re.S)
    assert len(tips) == 1, (cid, item[:200])
    return tips[0]


def test_tips_are_marked_and_sourced_on_pages_in_pdfs_and_in_the_open_data(
    site_dir: Path, leidraad: Leidraad
) -> None:
    data = json.loads((site_dir / "downloads" / "criteria.json").read_text(encoding="utf-8"))
    records = {r["id"]: r for r in data["criteria"]}
    pdfs: dict[str, str] = {}
    seen = {True: 0, False: 0}
    for loc in leidraad.criteria():
        c = loc.criterion
        for slug, tip in c.tips.items():
            seen[tip.geverifieerd] += 1
            for page in (
                _form_page(site_dir, slug),
                (site_dir / "vormen" / slug / "checklist" / "index.html").read_text("utf-8"),
            ):
                shown = _tip_html(page, c.id)
                assert (UNVERIFIED in shown) == (not tip.geverifieerd), (c.id, slug)
                for source in tip.bronnen:
                    assert _source_html(source) in shown, (c.id, slug, source.titel)
            assert records[c.id]["tips"][slug].endswith(UNVERIFIED) == (not tip.geverifieerd)
            if slug not in pdfs:
                pdf = site_dir / "downloads" / f"checklist-{slug}.pdf"
                out = subprocess.run(
                    ["pdftotext", "-enc", "UTF-8", str(pdf), "-"],
                    capture_output=True, text=True, check=True,
                ).stdout
                pdfs[slug] = "".join(out.split())
            printed = "".join((text.plain(tip.tekst) + " " + UNVERIFIED).split())
            assert (printed in pdfs[slug]) == (not tip.geverifieerd), (c.id, slug)
            assert "".join(text.plain(tip.tekst).split()) in pdfs[slug], (c.id, slug)
    assert seen[True] > 0 and seen[False] > 0


def test_the_sources_partial_escapes_and_dates() -> None:
    """The macro every page uses: a link, the Dutch date, and text kept as text."""
    source = Source(
        titel="A <b> & co", url="https://example.org/?a=1&b=2", gecontroleerd="2026-11-29"
    )
    template = environment().from_string(
        '{% from "partials/bronnen.md" import sources %}{{ sources(items) }}'
    )
    out = template.render(items=[source, Source(titel="Brochure")])
    assert '<a href="https://example.org/?a=1&amp;b=2">A &lt;b&gt; &amp; co</a>' in out
    assert "(gecontroleerd op 29 november 2026)" in out
    assert out.startswith('<small class="wpl-sources">Bronnen: ')
    assert "Brochure (niet online nagegaan)" in out
