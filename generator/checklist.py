"""The checklist / self-evaluation: one page per form and one for all forms.

The page is a complete list with one group of four labelled radio buttons per criterion (in orde,
deels, nog niet, n.v.t.), rendered here, so it works and prints without JavaScript. The ES
modules in ``assets/javascripts/`` add saving, notes, actions, progress, export and sharing; they
need no tailoring logic of their own: a criterion carries its importance for the form and the
roles it is very important for (``tailor.importance``), as on the form pages, and the one role
filter (``rolfilter.js``) applies them.
"""

from __future__ import annotations

import gzip
from pathlib import Path
from typing import Any

from generator.pages import common
from generator.render import render
from generator.site import ActionLink, SiteBuild
from generator.tailor import ALL_FORMS, View, tailor

ASSETS = Path(__file__).resolve().parent.parent / "site_overrides" / "assets"
SCRIPTS = ASSETS / "javascripts"
#: The checklist component's entry module (it imports the others).
SCRIPT = SCRIPTS / "checklist" / "checklist.js"
STYLESHEET = ASSETS / "stylesheets" / "checklist.css"
#: Loaded only when a PDF is imported (a dynamic import()), so not part of the page budget.
PDF_READER = SCRIPTS / "lib" / "pdf-reader.js"

#: The statuses of a criterion: value (in saved states, exports and the PDF) and label.
STATUSES = (("in-orde", "in orde"), ("deels", "deels"), ("nog-niet", "nog niet"), ("nvt", "n.v.t."))


def page_data(view: View, version: str) -> dict[str, Any]:
    """What the script reads from the page root: the form, the guideline version and the IDs.

    Data attributes, not ``<script type="application/json">``: Material's instant navigation (off,
    see main.html, but the pages stay ready for it) re-creates inline scripts in the content
    without their ``type`` and would run the JSON.
    """
    return {
        "vorm": view.form.slug if view.form else ALL_FORMS,
        "leidraad": version,
        "ids": [item.id for item in view.items],
    }


def contribute(build: SiteBuild) -> None:
    """Add the checklist pages and a link to them on every form page."""
    leidraad = build.leidraad
    ctx = common(leidraad)
    version = leidraad.guideline.versie
    # Each view: its source path, and the way to the site root from its URL (for the script)
    # and from its source file (for Markdown links, which both engines resolve alike).
    views: list[tuple[str, View, str, str]] = [("checklist.md", tailor(leidraad), "../", "")]
    for form in leidraad.forms:
        views.append(
            (f"vormen/{form.slug}/checklist.md", tailor(leidraad, form.slug), "../../../", "../../")
        )
        build.add_form_link(
            form.slug,
            ActionLink(
                "Open de checklist",
                "checklist/",
                "Vul in, bewaar in je browser, exporteer of deel.",
            ),
        )
    for path, view, base, source_base in views:
        build.pages[path] = render(
            "pages/checklist.md",
            **ctx,
            view=view,
            form=view.form,
            base=base,
            source_base=source_base,
            status_labels=STATUSES,
            data=page_data(view, version),
        )


def gzip_size(*paths: Path) -> int:
    """Size in bytes of the files concatenated and gzipped at level 9 (as a server would)."""
    return len(gzip.compress(b"".join(p.read_bytes() for p in paths), compresslevel=9, mtime=0))


def bench_report() -> list[str]:
    """Lines for ``make bench``: the checklist's own files, gzipped. The page budget (all our
    code a checklist page loads) is measured on the built page by ``generator.weight``."""
    lazy = " - loaded only when a PDF is imported"
    return [
        f"checklist: {p.relative_to(ASSETS).as_posix()} {gzip_size(p)} B gzipped "
        f"({p.stat().st_size} B raw){lazy if p == PDF_READER else ''}"
        for p in [*sorted(SCRIPTS.rglob("*.js")), STYLESHEET]
    ]
