"""What a build produces, independent of MkDocs: generated pages, files and the navigation.

A build runs a fixed list of steps; each adds pages (Markdown, by docs path) or files (bytes or
a path on disk, by site path) to a ``SiteBuild``. The MkDocs plugin and the CLI both call
``generate``; neither knows what the steps do.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from markupsafe import escape

from generator.model import Leidraad

DEFAULT_CACHE_DIR = Path(".cache/werkplekleren")
#: The address in mkdocs.yml until the team knows the real one (QR codes and PDFs print it).
PLACEHOLDER_HOST = "example.org"


def theme_extra(leidraad: Leidraad) -> dict[str, Any]:
    """What the theme's own templates show on every page (the footer: edition and publisher),
    handed to them as ``config.extra.werkplekleren``: theme templates see the config, not the
    build."""
    guideline = leidraad.guideline
    publisher = guideline.uitgever
    contact = publisher.contact or ""
    return {
        "editie": guideline.editie,
        "uitgever": {
            "naam": publisher.naam,
            "contact": contact,
            "contact_href": contact if contact.startswith(("http://", "https://")) or not contact
            else f"mailto:{contact}",
            "licentie": publisher.licentie,
            "licentie_url": publisher.licentie_url,
            "voorlopig": publisher.voorlopig,
        },
    }


def pending(leidraad: Leidraad, site_url: str | None) -> list[str]:
    """What must still be settled before publishing; every build prints these lines.

    Not errors (a preview or a test build is fine without them), and not MkDocs warnings (strict
    mode would refuse every build until they are settled).
    """
    out = []
    if PLACEHOLDER_HOST in (site_url or ""):
        out.append(
            f"site_url is still the placeholder {site_url}: set SITE_URL (or site_url in "
            "mkdocs.yml) to the public address before publishing; QR codes and PDFs print it."
        )
    publisher = leidraad.guideline.uitgever
    if publisher.voorlopig:
        out.append(
            f"de uitgever is nog voorlopig ({publisher.naam!r}, voorlopig: true in "
            "criteria/leidraad.yml): vul de echte uitgever en een contact in voor je publiceert; "
            "elke pagina en elke pdf drukt de uitgever af."
        )
    return out


def absolute_url(site_url: str, path: str) -> str:
    """Public URL of a site path under ``site_url`` (ending in "/"); root-relative without one."""
    return f"{site_url}{path}" if site_url else f"/{path}"


def form_path(form: str) -> str:
    """Published site path of a form's page (a promise: never change it)."""
    return f"vormen/{form}/"


def checklist_path(form: str | None) -> str:
    """Published site path of a form's online checklist, or of the all-forms checklist."""
    return f"{form_path(form)}checklist/" if form else "checklist/"


@dataclass(frozen=True)
class ActionLink:
    """A link shown at the top of a form page (checklist, PDF, ...)."""

    label: str
    #: Relative to the form page, e.g. ``checklist.md`` or ``../../downloads/checklist-stage.pdf``.
    href: str
    note: str = ""
    download: bool = False


@dataclass
class SiteBuild:
    leidraad: Leidraad
    #: Absolute base URL of the published site (``site_url``), always ending in "/"; may be "".
    site_url: str = ""
    cache_dir: Path = DEFAULT_CACHE_DIR
    #: Generated Markdown pages by docs path, e.g. ``vormen/stage/index.md``.
    pages: dict[str, str] = field(default_factory=dict)
    #: Generated files by site path, e.g. ``downloads/criteria.json``: bytes or a file on disk.
    files: dict[str, bytes | Path] = field(default_factory=dict)
    #: Links that steps offer on each form page, by form slug.
    form_links: dict[str, list[ActionLink]] = field(default_factory=dict)
    #: A live preview (``mkdocs serve``): slow outputs may be reused from an earlier build
    #: instead of rendered again (PDFs), so that an edit shows within seconds.
    preview: bool = False

    def absolute_url(self, path: str) -> str:
        """Public URL of a site path (``vormen/stage/``); relative when no site_url is set."""
        return absolute_url(self.site_url, path)

    def add_form_link(self, form: str, link: ActionLink) -> None:
        self.form_links.setdefault(form, []).append(link)


Step = Callable[[SiteBuild], None]


def steps() -> list[Step]:
    """The build steps, in order. Form pages come last: they link what the others made."""
    from generator import checklist, exports, instrument, links, pages, pdf

    return [
        pages.contribute_core,
        checklist.contribute,
        instrument.contribute,
        exports.contribute,
        pdf.contribute,
        links.contribute,
        pages.contribute_forms,
    ]


def normalise_url(site_url: str | None) -> str:
    """``site_url`` as the build uses it: stripped, ending in "/" (or empty)."""
    base = (site_url or "").strip()
    if base and not base.endswith("/"):
        base += "/"
    return base


def generate(
    leidraad: Leidraad,
    site_url: str | None = None,
    cache_dir: Path | None = None,
    preview: bool = False,
) -> SiteBuild:
    base = normalise_url(site_url)
    build = SiteBuild(leidraad, base, cache_dir or DEFAULT_CACHE_DIR, preview=preview)
    for step in steps():
        step(build)
    return build


def write(build: SiteBuild, docs_dir: Path) -> None:
    """Write the generated pages and files into ``docs_dir``, as MkDocs would see them."""
    for path, markdown in build.pages.items():
        target = docs_dir / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(markdown, encoding="utf-8")
    for path, data in build.files.items():
        target = docs_dir / path
        target.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(data, Path):
            shutil.copyfile(data, target)
        else:
            target.write_bytes(data)


NavItem = str | dict[str, Any]


def nav(build: SiteBuild, docs_dir: Path) -> list[NavItem]:
    """The site navigation, built from the data: only pages that exist are listed."""

    def exists(path: str) -> bool:
        return path in build.pages or (docs_dir / path).is_file()

    def page(title: str, path: str) -> list[NavItem]:
        return [{title: path}] if exists(path) else []

    leidraad = build.leidraad
    phases: list[NavItem] = ["leidraad/index.md"]
    # Material renders nav titles as HTML: data must be escaped here like everywhere else.
    phases += [{str(escape(p.titel)): f"leidraad/{p.id}.md"} for p in leidraad.phases]
    forms: list[NavItem] = ["vormen/index.md"]
    for form in leidraad.forms:
        children: list[NavItem] = [f"vormen/{form.slug}/index.md"]
        children += page("Checklist", f"vormen/{form.slug}/checklist.md")
        name = str(escape(form.naam))
        forms.append({name: children} if len(children) > 1 else {name: children[0]})
    about: list[NavItem] = []
    for title, path in [
        ("Verantwoording", "verantwoording.md"),
        ("Open data", "open-data.md"),
        ("Toegankelijkheid", "toegankelijkheid.md"),
        ("Privacy", "privacy.md"),
    ]:
        about += page(title, path)
    items: list[NavItem] = [{"Startpagina": "index.md"}, {"Leidraad": phases}, {"Vormen": forms}]
    items += page("Checklist", "checklist.md")
    items += page("Eigen instrument", "instrument/index.md")
    items += page("Overzicht", "overzicht/index.md")
    items += page("Downloads", "downloads.md")
    items += page("Bruggenbouwers", "bruggenbouwers/index.md")
    if about:
        items.append({"Over deze site": about})
    return items
