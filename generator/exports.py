"""Open data: every criterion as ``criteria.json`` (with its JSON Schema) and ``criteria.csv``.

Both files hold the same records, built once by ``records``. Texts are plain (``text.plain``: no
Markdown syntax); the JSON also keeps the original limited Markdown. Output is deterministic: the
same data gives the same bytes (no clock, fixed key and column order).

CSV choices, stated on /open-data/ too:

* UTF-8 *with* a byte order mark: Excel only reads a CSV as UTF-8 when it starts with a BOM (without
  it, "é" becomes "Ã©"); Python (``utf-8-sig``), LibreOffice and R read it fine.
* comma as separator, every text quoted when needed, CRLF line ends (RFC 4180), one header row;
  lists inside a cell are joined with "; ".
* spreadsheet formulas cannot run (OWASP "CSV injection"): a cell gets a leading apostrophe
  (``neutralise``) when its first character after any leading white space is ``=``, ``+``,
  ``-`` or ``@``, or when that leading white space holds a tab or a carriage return. The
  checklist's CSV export in the browser (checklist.js, ``cell``) applies the same rule; both run
  the cases in tests/fixtures/formula-cases.json.
"""

from __future__ import annotations

import csv
import io
import json
import re
from typing import Any

from generator.model import Leidraad
from generator.render import render
from generator.site import SiteBuild, absolute_url, form_path
from generator.tailor import IMPORTANCE_LABELS, UNVERIFIED, importance
from generator.text import paragraphs, plain

JSON_PATH = "downloads/criteria.json"
SCHEMA_PATH = "downloads/criteria.schema.json"
CSV_PATH = "downloads/criteria.csv"
#: Version of the shape of the export files (not of the guideline); raise it on breaking changes.
FORMAT_VERSION = "1.0"
#: Licence of the editorial additions; the guideline texts themselves stay the authors' (see
#: /open-data/).
LICENCE = {
    "naam": "CC BY 4.0",
    "url": "https://creativecommons.org/licenses/by/4.0/deed.nl",
}
NOT_APPLICABLE = "niet-van-toepassing"
#: White space as JavaScript's ``\s`` has it (ECMAScript WhiteSpace and LineTerminator), spelled
#: out so that this rule and the one in checklist.js skip exactly the same characters.
JS_WHITE_SPACE = "\t\n\v\f\r \u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff"
#: A cell a spreadsheet could read as a formula (see the module docstring); checklist.js:
#: ``/^\s*[=+\-@\t\r]/``.
FORMULA = re.compile(f"^[{JS_WHITE_SPACE}]*[=+\\-@\t\r]")
LIST_SEPARATOR = "; "


def plain_text(value: str) -> str:
    """A text without markup, paragraphs separated by one blank line."""
    return "\n\n".join(plain(p) for p in paragraphs(value))


def records(leidraad: Leidraad, site_url: str = "") -> list[dict[str, Any]]:
    """One record per criterion, in guideline order (the JSON ``criteria`` array)."""
    labels = {e.niveau: e.label for e in leidraad.guideline.legende}
    out: list[dict[str, Any]] = []
    for loc in leidraad.criteria():
        c = loc.criterion
        page = f"leidraad/{loc.phase.id}/#{c.id}"
        targets = c.heel_belangrijk_voor
        out.append(
            {
                "id": c.id,
                "url": absolute_url(site_url, page),
                "fase": {"id": loc.phase.id, "titel": loc.phase.titel},
                "domein": {"id": loc.domain.id, "titel": loc.domain.titel},
                "vraag": {"id": loc.question.id, "tekst": plain_text(loc.question.tekst)},
                "tekst": plain_text(c.tekst),
                "tekst_markdown": c.tekst,
                "niveau": c.niveau,
                "niveau_label": labels[c.niveau],
                "niveau_reden": plain_text(c.niveau_reden),
                "rollen": list(c.rollen),
                "heel_belangrijk_voor": {
                    "vormen": list(targets.vormen) if targets else [],
                    "rollen": list(targets.rollen) if targets else [],
                },
                "belang": {
                    f.slug: (
                        NOT_APPLICABLE if f.slug in c.niet_van_toepassing else importance(c, f.slug)
                    )
                    for f in leidraad.forms
                },
                "tips": {
                    # Unverified tips say so here too, as on every page and in every PDF.
                    f.slug: plain_text(c.tips[f.slug].tekst)
                    + ("" if c.tips[f.slug].geverifieerd else f" {UNVERIFIED}")
                    for f in leidraad.forms
                    if f.slug in c.tips
                },
                "niet_van_toepassing": {
                    f.slug: plain_text(c.niet_van_toepassing[f.slug])
                    for f in leidraad.forms
                    if f.slug in c.niet_van_toepassing
                },
                "links": [
                    {"titel": link.titel, "url": link.url, "historisch": link.historisch}
                    for link in c.links
                ],
            }
        )
    return out


def document(leidraad: Leidraad, site_url: str = "") -> dict[str, Any]:
    """The whole ``criteria.json`` document."""
    g = leidraad.guideline

    def url(path: str) -> str:
        return absolute_url(site_url, path)

    return {
        "$schema": url(SCHEMA_PATH),
        "formaat": FORMAT_VERSION,
        "titel": g.titel,
        "versie": g.versie,
        "datum": g.datum,
        "bron": plain_text(g.bron),
        "licentie": LICENCE,
        "site": url(""),
        "niveaus": [
            {"niveau": e.niveau, "label": e.label, "tekst": plain_text(e.tekst)} for e in g.legende
        ],
        "belang": [{"id": key, "label": label} for key, label in IMPORTANCE_LABELS.items()]
        + [{"id": NOT_APPLICABLE, "label": "Niet van toepassing"}],
        "fasen": [{"id": p.id, "titel": p.titel, "volgorde": p.volgorde} for p in leidraad.phases],
        "vormen": [
            {
                "slug": f.slug,
                "naam": f.naam,
                "aliassen": list(f.aliassen),
                "url": url(form_path(f.slug)),
            }
            for f in leidraad.forms
        ],
        "rollen": [{"slug": r.slug, "naam": r.naam} for r in leidraad.roles],
        "criteria": records(leidraad, site_url),
    }


def criteria_json(leidraad: Leidraad, site_url: str = "") -> bytes:
    text = json.dumps(document(leidraad, site_url), ensure_ascii=False, indent=2)
    return (text + "\n").encode("utf-8")


def schema(site_url: str = "") -> dict[str, Any]:
    """JSON Schema (draft 2020-12) of ``criteria.json``. Independent of the data: a new form or
    role does not change it."""
    slug = {"type": "string", "pattern": r"^[a-z0-9]+(?:-[a-z0-9]+)*$"}
    text = {"type": "string", "minLength": 1}
    slugs = {"type": "array", "items": {"$ref": "#/$defs/slug"}, "uniqueItems": True}
    importance_value = {"enum": [*IMPORTANCE_LABELS, NOT_APPLICABLE]}

    def obj(properties: dict[str, Any], required: list[str] | None = None) -> dict[str, Any]:
        return {
            "type": "object",
            "properties": properties,
            "required": required if required is not None else list(properties),
            "additionalProperties": False,
        }

    def by_form(value: dict[str, Any]) -> dict[str, Any]:
        return {
            "type": "object",
            "propertyNames": {"$ref": "#/$defs/slug"},
            "additionalProperties": value,
        }

    link = obj(
        {
            "titel": text,
            "url": {"type": "string", "format": "uri"},
            "historisch": {"type": "boolean"},
        }
    )
    criterion = obj(
        {
            "id": {
                "$ref": "#/$defs/slug",
                "description": "Vaste ID: anker op de site, sleutel in de CSV.",
            },
            "url": {"type": "string", "description": "Adres van het criterium in de leidraad."},
            "fase": obj({"id": {"$ref": "#/$defs/slug"}, "titel": text}),
            "domein": obj({"id": {"$ref": "#/$defs/slug"}, "titel": text}),
            "vraag": obj({"id": {"$ref": "#/$defs/slug"}, "tekst": text}),
            "tekst": {**text, "description": "De tekst van de leidraad, zonder opmaak."},
            "tekst_markdown": {**text, "description": "Dezelfde tekst met de beperkte Markdown."},
            "niveau": {"enum": [1, 2, 3]},
            "niveau_label": text,
            "niveau_reden": {**text, "description": "Waarom de redactie dit niveau koos."},
            "rollen": {**slugs, "minItems": 1},
            "heel_belangrijk_voor": obj({"vormen": slugs, "rollen": slugs}),
            "belang": {**by_form(importance_value), "description": "Belang per vorm (slug)."},
            "tips": {**by_form(text), "description": "Tip per vorm (slug)."},
            "niet_van_toepassing": {**by_form(text), "description": "Reden per vorm (slug)."},
            "links": {"type": "array", "items": link},
        }
    )
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": absolute_url(site_url, SCHEMA_PATH),
        "title": "Leidraad kwaliteitsvol werkplekleren: criteria als open data",
        "description": "Vorm van criteria.json; uitleg per veld op /open-data/.",
        "$defs": {"slug": slug},
        **obj(
            {
                "$schema": {"type": "string"},
                "formaat": {"type": "string", "pattern": r"^\d+\.\d+$"},
                "titel": text,
                "versie": {"type": "string", "pattern": r"^\d{4}\.\d+$"},
                "datum": {"type": "string", "format": "date", "pattern": r"^\d{4}-\d{2}-\d{2}$"},
                "bron": text,
                "licentie": obj({"naam": text, "url": {"type": "string", "format": "uri"}}),
                "site": {"type": "string"},
                "niveaus": {
                    "type": "array",
                    "items": obj({"niveau": {"enum": [1, 2, 3]}, "label": text, "tekst": text}),
                    "minItems": 3,
                    "maxItems": 3,
                },
                "belang": {"type": "array", "items": obj({"id": importance_value, "label": text})},
                "fasen": {
                    "type": "array",
                    "items": obj(
                        {
                            "id": {"$ref": "#/$defs/slug"},
                            "titel": text,
                            "volgorde": {"type": "integer"},
                        }
                    ),
                },
                "vormen": {
                    "type": "array",
                    "items": obj(
                        {
                            "slug": {"$ref": "#/$defs/slug"},
                            "naam": text,
                            "aliassen": slugs,
                            "url": {"type": "string"},
                        }
                    ),
                },
                "rollen": {
                    "type": "array",
                    "items": obj({"slug": {"$ref": "#/$defs/slug"}, "naam": text}),
                },
                "criteria": {"type": "array", "items": criterion, "minItems": 1},
            }
        ),
    }


def schema_json(site_url: str = "") -> bytes:
    return (json.dumps(schema(site_url), ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def neutralise(cell: str) -> str:
    """Make a cell safe to open in a spreadsheet: no formula can start it."""
    return "'" + cell if FORMULA.match(cell) else cell


def csv_columns(leidraad: Leidraad) -> list[str]:
    forms = [f.slug for f in leidraad.forms]
    return [
        "id",
        "fase",
        "fase_titel",
        "domein",
        "domein_titel",
        "vraag",
        "vraag_tekst",
        "tekst",
        "niveau",
        "niveau_label",
        "niveau_reden",
        "rollen",
        "heel_belangrijk_voor_vormen",
        "heel_belangrijk_voor_rollen",
        *(f"belang_{f}" for f in forms),
        *(f"tip_{f}" for f in forms),
        *(f"niet_van_toepassing_{f}" for f in forms),
        "links",
        "url",
        "versie",
    ]


def csv_rows(leidraad: Leidraad, site_url: str = "") -> list[list[str]]:
    """Header row plus one row per criterion, already neutralised."""
    forms = [f.slug for f in leidraad.forms]
    rows = [csv_columns(leidraad)]
    for r in records(leidraad, site_url):
        row = [
            r["id"],
            r["fase"]["id"],
            r["fase"]["titel"],
            r["domein"]["id"],
            r["domein"]["titel"],
            r["vraag"]["id"],
            r["vraag"]["tekst"],
            r["tekst"],
            str(r["niveau"]),
            r["niveau_label"],
            r["niveau_reden"],
            LIST_SEPARATOR.join(r["rollen"]),
            LIST_SEPARATOR.join(r["heel_belangrijk_voor"]["vormen"]),
            LIST_SEPARATOR.join(r["heel_belangrijk_voor"]["rollen"]),
            *(r["belang"][f] for f in forms),
            *(r["tips"].get(f, "") for f in forms),
            *(r["niet_van_toepassing"].get(f, "") for f in forms),
            LIST_SEPARATOR.join(link["url"] for link in r["links"]),
            r["url"],
            leidraad.guideline.versie,
        ]
        rows.append(row)
    return [[neutralise(cell) for cell in row] for row in rows]


def criteria_csv(leidraad: Leidraad, site_url: str = "") -> bytes:
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerows(csv_rows(leidraad, site_url))
    return "\ufeff".encode() + out.getvalue().encode("utf-8")


def contribute(build: SiteBuild) -> None:
    """Add the open data files and the page that documents them."""
    leidraad = build.leidraad
    data_json = criteria_json(leidraad, build.site_url)
    data_csv = criteria_csv(leidraad, build.site_url)
    build.files[JSON_PATH] = data_json
    build.files[SCHEMA_PATH] = schema_json(build.site_url)
    build.files[CSV_PATH] = data_csv
    build.pages["open-data.md"] = render(
        "pages/open-data.md",
        guideline=leidraad.guideline,
        forms=leidraad.forms,
        roles=leidraad.roles,
        columns=csv_columns(leidraad),
        count=sum(1 for _ in leidraad.criteria()),
        licence=LICENCE,
        format_version=FORMAT_VERSION,
        json_kb=max(1, round(len(data_json) / 1024)),
        csv_kb=max(1, round(len(data_csv) / 1024)),
        legend={e.niveau: e for e in leidraad.guideline.legende},
        json_url=build.absolute_url(JSON_PATH),
        csv_url=build.absolute_url(CSV_PATH),
    )
