"""Build step: render the PDFs (or take them from the cache), link them from the form pages and
write the downloads page."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from generator.pdf.compose import DOWNLOADS, Document, date_nl, documents, file_name
from generator.pdf.fields import STATUSES
from generator.pdf.rendering import Report, render_documents
from generator.render import render
from generator.site import ActionLink, SiteBuild
from generator.tailor import ALL_FORMS

#: The report of the last ``contribute`` in this process (for the benchmark and tests).
last_report: Report | None = None


def human_size(size: int) -> str:
    """Size as people read it, in Dutch notation: ``312 kB``, ``1,4 MB``."""
    if size < 1000:
        return f"{size} B"
    if size < 1_000_000:
        return f"{round(size / 1000)} kB"
    return f"{size / 1_000_000:.1f} MB".replace(".", ",")


def contribute(build: SiteBuild) -> None:
    """Render the PDFs (or take them from the cache), link them and write /downloads/."""
    global last_report
    docs = documents(build)
    report = render_documents(docs, build.cache_dir, reuse_stale=build.preview)
    last_report = report
    sizes: dict[str, int] = {}
    for doc in docs:
        path = report.paths[doc.name]
        build.files[doc.site_path] = path
        sizes[doc.name] = path.stat().st_size
    for form in build.leidraad.forms:
        name = file_name(form)
        build.add_form_link(
            form.slug,
            ActionLink(
                label=f"Checklist {form.naam.lower()} als pdf",
                href=f"../../{DOWNLOADS}/{name}",
                note=f"invulbaar, {human_size(sizes[name])}",
                download=True,
            ),
        )
        build.add_form_link(
            form.slug,
            ActionLink(
                label="Pdf per rol",
                href=f"../../{DOWNLOADS}/#{form.slug}",
                note="voor instelling, begeleider, bedrijf, mentor of lerende",
            ),
        )
    build.pages["downloads.md"] = downloads_page(build, docs, sizes, stale=len(report.stale))


def downloads_page(
    build: SiteBuild, docs: Sequence[Document], sizes: dict[str, int], stale: int = 0
) -> str:
    by_form: dict[str, list[Document]] = {}
    for doc in docs:
        by_form.setdefault(doc.form.slug if doc.form else ALL_FORMS, []).append(doc)
    others = sorted(
        (path, data) for path, data in build.files.items()
        if path.startswith(f"{DOWNLOADS}/") and not path.endswith(".pdf")
    )
    other_files = [
        (path, human_size(data.stat().st_size if isinstance(data, Path) else len(data)))
        for path, data in others
    ]
    return render(
        "pages/downloads.md",
        guideline=build.leidraad.guideline,
        datum=date_nl(build.leidraad.guideline.datum),
        forms=build.leidraad.forms,
        all_forms=by_form[ALL_FORMS][0],
        by_form=by_form,
        sizes={name: human_size(size) for name, size in sizes.items()},
        total=human_size(sum(sizes.values())),
        count=len(docs),
        statuses=STATUSES,
        other_files=other_files,
        stale=stale,
    )
