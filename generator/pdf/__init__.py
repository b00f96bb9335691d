"""PDF checklists per form and per role: Jinja -> HTML -> WeasyPrint, in parallel, cached.

What a build writes (site paths, stable names; see ``compose``):

* ``downloads/checklist-alle-vormen.pdf``: every criterion, untailored;
* ``downloads/checklist-<vorm>.pdf``: one form, tailored (``generator.tailor``);
* ``downloads/checklist-<vorm>-<rol>.pdf``: one form, only what that role acts on.

Every PDF is fillable (real AcroForm fields) and tagged (``pdf_tags``). Field names are stable
and machine readable, built from the criterion ID (a contract, see CONTRACTS.md; documented for
users on /open-data/):

* ``<id>_status``: one radio group per criterion, export values ``in-orde``, ``deels``,
  ``nog-niet``, ``nvt`` (``/Off``: not answered);
* ``<id>_notitie``: the note under the criterion;
* ``voorblad_<veld>``: the cover fields (``COVER_FIELDS``);
* ``handtekening_<partij>_naam`` / ``_datum``: the signature block (``SIGNATURES``);
* document Info ``/WplFormaat``, ``/WplSchema``, ``/WplEditie``, ``/WplVorm``, ``/WplRol`` (and
  ``/WplInstrument`` in an own instrument's PDF).

No dots in names: a dot separates the levels of a PDF field name (ISO 32000-1, 12.7.3.2), and
``_`` never occurs in a criterion ID (a slug), so ``<id>_`` cannot clash.

One concern per module:

* ``compose``: which documents a build makes and their HTML (views -> HTML);
* ``rendering``: WeasyPrint in a worker pool, the content-hash cache, atomic writes;
* ``fields``: the post-processing of WeasyPrint's output (radio groups, text fields, Info);
* ``readback``: a filled-in PDF back to the JSON export (``werkplekleren lees-pdf``);
* ``downloads``: the build step (links on the form pages, the downloads page).

Everything other modules and tests use is importable from ``generator.pdf`` itself.
"""

from __future__ import annotations

from typing import Any

from generator.pdf import downloads as _downloads
from generator.pdf import fields, readback
from generator.pdf.compose import (
    COVER_FIELDS,
    DOWNLOADS,
    LONG_FROM,
    MONTHS,
    SIGNATURES,
    CoverField,
    Document,
    Party,
    checklist_url,
    date_nl,
    document,
    documents,
    file_name,
    views,
)
from generator.pdf.downloads import contribute, downloads_page, human_size
from generator.pdf.fields import STATUSES, Status
from generator.pdf.rendering import (
    CACHE_FORMAT,
    CSS_PATH,
    FONTS_DIR,
    LATEST,
    OPTIONS,
    PDF_TEMPLATES,
    PRUNE_AFTER,
    SYSTEM_FONTS,
    Report,
    _prune,
    cache_key,
    cpu_count,
    render_documents,
    stylesheet,
    write_atomic,
)

__all__ = [
    "CACHE_FORMAT",
    "COVER_FIELDS",
    "CSS_PATH",
    "DOWNLOADS",
    "FONTS_DIR",
    "LATEST",
    "LONG_FROM",
    "MONTHS",
    "OPTIONS",
    "PDF_TEMPLATES",
    "PRUNE_AFTER",
    "SIGNATURES",
    "STATUSES",
    "SYSTEM_FONTS",
    "CoverField",
    "Document",
    "Party",
    "Report",
    "Status",
    "_prune",
    "cache_key",
    "checklist_url",
    "contribute",
    "cpu_count",
    "date_nl",
    "document",
    "documents",
    "downloads_page",
    "fields",
    "file_name",
    "human_size",
    "readback",
    "render_documents",
    "stylesheet",
    "views",
    "write_atomic",
]


def __getattr__(name: str) -> Any:
    # ``last_report`` changes with every build; read it where the build step sets it.
    if name == "last_report":
        return _downloads.last_report
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
