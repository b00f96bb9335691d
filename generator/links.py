"""Stable links for RTC bridge-builders: the link page, its QR codes and redirects for aliases.

For every form, and every form and role, three published addresses: the form page, its checklist
and its PDF. Each gets a QR code (SVG for print, PNG for office documents) that scans to the
absolute URL under ``site_url``, and a copyable HTML and Markdown link on ``/bruggenbouwers/``.

A form's aliases (``vormen.yml``: ``aliassen``) become static redirect pages (no server
configuration): ``/vormen/<alias>/`` and ``/vormen/<alias>/checklist/`` lead to the canonical page.
The same ``redirect_html`` serves when a published URL is ever removed (see published-urls.txt).
"""

from __future__ import annotations

import html
import json
import re
from dataclasses import dataclass
from typing import Literal

from generator import pdf, qr
from generator.model import Form, Leidraad, Role
from generator.render import render
from generator.site import ActionLink, SiteBuild, checklist_path, form_path

Kind = Literal["pagina", "checklist", "pdf"]
KINDS: tuple[Kind, ...] = ("pagina", "checklist", "pdf")
KIND_LABELS: dict[Kind, str] = {"pagina": "Webpagina", "checklist": "Checklist", "pdf": "Pdf"}
#: An index page: its raw HTML links (QR files, script, pages) are relative to /bruggenbouwers/,
#: which is then also the folder of the source file, so MkDocs (relative to the page) and
#: Zensical (relative to the source) resolve them alike.
PAGE = "bruggenbouwers/index.md"
QR_DIR = "bruggenbouwers/qr"
SCRIPT = "bruggenbouwers/kopieer.js"
PAGE_PATH = "bruggenbouwers/"


@dataclass(frozen=True)
class Target:
    """One published address of a form (and role) and everything the link page shows for it."""

    form: Form
    role: Role | None
    kind: Kind
    #: Site path, with the role as query: ``vormen/stage/checklist/?rol=mentor``.
    path: str
    #: File stem of its QR codes, unique: ``stage-mentor-checklist``.
    name: str
    #: Link text for the HTML and Markdown snippets.
    label: str

    @property
    def svg(self) -> str:
        return f"{QR_DIR}/{self.name}.svg"

    @property
    def png(self) -> str:
        return f"{QR_DIR}/{self.name}.png"


@dataclass(frozen=True)
class Card:
    """What the link page shows for one target."""

    target: Target
    #: Absolute URL (under site_url): what the QR code and the snippets carry.
    url: str
    #: Link to follow from /bruggenbouwers/, or None when no earlier step made the target.
    href: str | None
    #: QR files, relative to /bruggenbouwers/.
    svg: str
    png: str
    #: Pixel size of the SVG (it has no viewBox, so it is shown at its own size).
    size: int
    html: str
    markdown: str
    kind_label: str


def pdf_path(form: Form, role: Role | None = None) -> str:
    """Site path of a form's (and role's) PDF; the PDF step owns the naming."""
    return f"{pdf.DOWNLOADS}/{pdf.file_name(form, role)}"


def _label(form: Form, role: Role | None, kind: Kind) -> str:
    who = f" ({role.kort})" if role else ""
    if kind == "pagina":
        return f"{form.naam}{who}: leidraad kwaliteitsvol werkplekleren"
    if kind == "checklist":
        return f"Checklist {form.naam.lower()}{who}"
    return f"Checklist {form.naam.lower()}{who} (pdf)"


def targets(leidraad: Leidraad) -> list[Target]:
    """Every published address of every form and form+role, in page order."""
    out: list[Target] = []
    for form in leidraad.forms:
        for role in (None, *leidraad.roles):
            query = f"?rol={role.slug}" if role else ""
            paths: dict[Kind, str] = {
                "pagina": form_path(form.slug) + query,
                "checklist": checklist_path(form.slug) + query,
                "pdf": pdf_path(form, role),
            }
            stem = form.slug + (f"-{role.slug}" if role else "")
            for kind in KINDS:
                out.append(
                    Target(
                        form, role, kind, paths[kind], f"{stem}-{kind}", _label(form, role, kind)
                    )
                )
    names = [t.name for t in out]
    if len(set(names)) != len(names):
        raise ValueError(
            "QR file names collide: a form slug equals another form's slug plus a role"
        )
    return out


def html_snippet(url: str, label: str) -> str:
    return f'<a href="{html.escape(url)}">{html.escape(label)}</a>'


def markdown_snippet(url: str, label: str) -> str:
    text = re.sub(r"([\\\[\]*_`<>])", r"\\\1", label)
    return f"[{text}](<{url}>)" if re.search(r"[\s()]", url) else f"[{text}]({url})"


def redirect_html(target: str, canonical: str, title: str) -> bytes:
    """A static redirect page: works on any static host, also without JavaScript.

    ``target`` is relative (so previews on another host stay on that host); ``canonical`` is the
    absolute published URL. The script keeps ``?rol=...`` and ``#anchor`` of the old address.
    """
    t, c, name = html.escape(target), html.escape(canonical), html.escape(title)
    script = json.dumps(target).replace("<", "\\u003c")
    return (
        "<!doctype html>\n"
        '<html lang="nl">\n<head>\n<meta charset="utf-8">\n'
        f"<title>Doorverwijzing naar {name}</title>\n"
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        '<meta name="robots" content="noindex">\n'
        f'<link rel="canonical" href="{c}">\n'
        f"<script>location.replace({script} + location.search + location.hash);</script>\n"
        f'<meta http-equiv="refresh" content="0; url={t}">\n'
        "</head>\n<body>\n<main>\n"
        f"<h1>{name}</h1>\n"
        f'<p>Deze pagina heeft een nieuw adres: <a href="{t}">{c}</a>.</p>\n'
        "</main>\n</body>\n</html>\n"
    ).encode()


def _svg_size(svg: bytes) -> int:
    match = re.search(rb'width="(\d+)"', svg)
    if match is None:
        raise ValueError("segno SVG without a width")
    return int(match.group(1))


def _exists(build: SiteBuild, target: Target) -> bool:
    """Whether an earlier step made the target, so the page can link to it."""
    if target.kind == "pagina":
        return True  # form pages are the last step and always built
    if target.kind == "checklist":
        base = checklist_path(target.form.slug)
        return f"{base[:-1]}.md" in build.pages or f"{base}index.md" in build.pages
    return target.path in build.files


def contribute_redirects(build: SiteBuild) -> None:
    for form in build.leidraad.forms:
        for alias in form.aliassen:
            for old, new, title in [
                (form_path(alias), form_path(form.slug), form.naam),
                (
                    checklist_path(alias),
                    checklist_path(form.slug),
                    f"Checklist {form.naam.lower()}",
                ),
            ]:
                depth = old.count("/")
                key = f"{old}index.html"
                if (
                    key in build.files
                    or f"{old}index.md" in build.pages
                    or f"{old[:-1]}.md" in build.pages
                ):
                    raise ValueError(
                        f"alias {alias!r} of {form.slug!r} clashes with a page at /{old}"
                    )
                build.files[key] = redirect_html(
                    "../" * depth + new, build.absolute_url(new), title
                )


def contribute(build: SiteBuild) -> None:
    """Add /bruggenbouwers/, its QR codes and script, and the alias redirect pages."""
    leidraad = build.leidraad
    cards: list[Card] = []
    for target in targets(leidraad):
        url = build.absolute_url(target.path)
        svg = qr.svg_bytes(url, title=f"QR-code: {url}")
        build.files[target.svg] = svg
        build.files[target.png] = qr.png_bytes(url)
        cards.append(
            Card(
                target=target,
                url=url,
                href=f"../{target.path}" if _exists(build, target) else None,
                svg=target.svg.removeprefix(PAGE_PATH),
                png=target.png.removeprefix(PAGE_PATH),
                size=_svg_size(svg),
                html=html_snippet(url, target.label),
                markdown=markdown_snippet(url, target.label),
                kind_label=KIND_LABELS[target.kind],
            )
        )
    groups = []
    for form in leidraad.forms:
        mine = [c for c in cards if c.target.form.slug == form.slug]
        groups.append(
            {
                "form": form,
                "general": [c for c in mine if c.target.role is None],
                "roles": [
                    (role, [c for c in mine if c.target.role == role]) for role in leidraad.roles
                ],
            }
        )
    build.files[SCRIPT] = COPY_SCRIPT.encode()
    build.pages[PAGE] = render(
        "pages/bruggenbouwers.md",
        groups=groups,
        roles=leidraad.roles,
        forms=leidraad.forms,
        guideline=leidraad.guideline,
        site_url=build.absolute_url(""),
        aliases=[
            (alias, form, build.absolute_url(form_path(alias)))
            for form in leidraad.forms
            for alias in form.aliassen
        ],
    )
    contribute_redirects(build)
    for form in leidraad.forms:
        build.add_form_link(
            form.slug,
            ActionLink(
                "Link en QR-code om te delen",
                f"../../{PAGE_PATH}#{form.slug}",
                note="voor mails, flyers en websites",
            ),
        )


#: Progressive enhancement: without JavaScript the snippets are selectable read-only fields; with
#: it, each gets a real button. Set-up is idempotent: Material's instant navigation (off, see
#: main.html) would re-run this script.
COPY_SCRIPT = """\
(function () {
  "use strict";
  function copy(input, status) {
    function done(ok) {
      status.textContent = ok
        ? "Gekopieerd."
        : "Kopiëren lukte niet: selecteer de tekst en kopieer hem zelf.";
    }
    input.focus();
    input.select();
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(input.value).then(function () { done(true); }, function () {
        var ok = false;
        try { ok = document.execCommand("copy"); } catch (e) { ok = false; }
        done(ok);
      });
    } else {
      var ok = false;
      try { ok = document.execCommand("copy"); } catch (e) { ok = false; }
      done(ok);
    }
  }
  function init() {
    var status = document.getElementById("wpl-copy-status");
    if (!status) return;
    document.querySelectorAll("input[data-wpl-copy]").forEach(function (input) {
      if (input.dataset.ready) return;
      input.dataset.ready = "1";
      var button = document.createElement("button");
      button.type = "button";
      button.className = "md-button wpl-copy";
      button.textContent = "Kopieer";
      button.setAttribute("aria-label", "Kopieer " + (input.getAttribute("aria-label") || "link"));
      button.addEventListener("click", function () { copy(input, status); });
      input.insertAdjacentElement("afterend", button);
    });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
"""
