"""Read a filled-in checklist PDF back as the JSON export of the online checklist.

``werkplekleren lees-pdf`` (``generator.cli``) writes what ``read`` returns: the export format of
CONTRACTS.md (schema 1, the same as the checklist page's "Exporteer (JSON)"), with ``"bron":
"pdf"`` and, for a role's PDF, ``"rol"``:

* ``criteria``: per criterion ID the ``status`` (from the radio group ``<id>_status``) and the
  ``notitie`` (from ``<id>_notitie``), only what was filled in; IDs are taken as they are in the
  PDF, also those that a later digital edition no longer has (the checklist's import keeps
  them the same way);
* ``leidraad``, ``vorm``, ``rol``: from the Info keys ``/WplEditie``, ``/WplVorm``, ``/WplRol``;
* ``instrument``: for an own instrument's PDF, the instrument file from the Info key
  ``/WplInstrument``, checked as an instrument file is (``generator.instrument.parse``), so the
  list opens on that instrument's page, own criteria included;
* ``naam``: the non-empty cover fields ``voorblad_lerende``, ``voorblad_bedrijf`` and
  ``voorblad_periode`` joined with " – ", else ``Pdf <file name>``;
* ``bewaard``: when the file was last changed (UTC, as the browser writes it).

A PDF without ``/WplFormaat (werkplekleren-checklist-pdf)`` is not one of ours: ``NotOurs``, with
a Dutch message for people. So is a damaged file, an encrypted one, or one from a newer schema.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from generator.pdf.fields import FORMAT, NOTE_SUFFIX, SCHEMA, STATUS_SUFFIX, STATUSES

#: The JSON export (CONTRACTS.md).
EXPORT_FORMAT = "werkplekleren-checklist"
EXPORT_SCHEMA = 1
#: Cover fields that make up the list's name, in this order (CONTRACTS.md).
NAME_FIELDS = ("voorblad_lerende", "voorblad_bedrijf", "voorblad_periode")
NAME_SEPARATOR = " – "
#: Limits of the checklist's import (``checklist.js``): a longer name or note would be refused.
MAX_NAME = 100
MAX_NOTE = 5000
ID = r"[a-z0-9]+(?:-[a-z0-9]+)*"
FIELD = re.compile(rf"^(?P<id>{ID})(?P<kind>{STATUS_SUFFIX}|{NOTE_SUFFIX})$")
VALUES = frozenset(status.value for status in STATUSES)
#: Largest file we read (a checklist PDF is about 100 kB).
MAX_SIZE = 50_000_000


class NotOurs(Exception):
    """The file is not a checklist PDF of ours (or cannot be read); the message is Dutch."""


def _text(value: Any) -> str:
    return "" if value is None else str(value)


def _status(field: Mapping[str, Any]) -> str:
    """The chosen export value of a radio group ("" when none). The field's ``/V`` says it;
    a tool that only set the widgets' states is read from those, if exactly one is on."""
    value = _text(field.get("/V")).lstrip("/")
    if value and value != "Off":
        return value
    states = [
        _text(kid.get_object().get("/AS")).lstrip("/") for kid in field.get("/Kids") or []
    ]
    on = [state for state in states if state and state != "Off"]
    return on[0] if len(on) == 1 else ""


def read(path: Path) -> tuple[dict[str, Any], list[str]]:
    """The export of one PDF, and warnings (Dutch) about what could not be taken over."""
    import pypdf
    from pypdf.errors import PyPdfError

    name = path.name
    try:
        size = path.stat().st_size
        if size > MAX_SIZE:
            raise NotOurs(f"‘{name}’ is te groot voor een checklist-pdf ({size // 1_000_000} MB).")
        with path.open("rb") as handle:
            head = handle.read(1024)
            handle.seek(max(0, size - 2048))
            tail = handle.read()
    except OSError as exc:
        raise NotOurs(f"We konden ‘{name}’ niet lezen ({exc.strerror or exc}).") from exc
    if b"%PDF-" not in head:
        raise NotOurs(f"‘{name}’ is geen pdf-bestand.")
    if b"%%EOF" not in tail:
        raise NotOurs(
            f"‘{name}’ is beschadigd of onvolledig (het einde van het bestand ontbreekt)."
        )
    warnings: list[str] = []
    # pypdf logs what it repairs; a damaged file gets our own message instead.
    quiet = logging.getLogger("pypdf")
    level = quiet.level
    quiet.setLevel(logging.CRITICAL + 1)
    try:
        reader = pypdf.PdfReader(path)
        if reader.is_encrypted:
            raise NotOurs(
                f"‘{name}’ is beveiligd met een wachtwoord; bewaar het zonder beveiliging."
            )
        info: Mapping[str, Any] = reader.metadata or {}
        marker = _text(info.get("/WplFormaat"))
        if marker != FORMAT:
            raise NotOurs(
                f"‘{name}’ is geen ingevulde checklist-pdf van deze site: "
                "we lezen alleen pdf's die je bij ‘Downloads’ haalde en invulde."
            )
        schema = _text(info.get("/WplSchema"))
        if schema != SCHEMA:
            raise NotOurs(
                f"‘{name}’ komt uit een nieuwere versie van de checklist-pdf "
                f"(schema {schema[:10]}); werk deze software bij."
            )
        own: dict[str, Any] | None = None
        if "/WplInstrument" in info:
            from generator import instrument as instruments

            try:
                parsed = instruments.parse(
                    _text(info.get("/WplInstrument")), f"Het eigen instrument in ‘{name}’"
                )
            except instruments.InstrumentError as exc:
                raise NotOurs(str(exc)) from exc
            own = instruments.file_object(parsed)
        fields = reader.get_fields() or {}
        if not any(FIELD.match(field) and field.endswith(STATUS_SUFFIX) for field in fields):
            # Every checklist PDF has a status per criterion: these were lost.
            raise NotOurs(
                f"In ‘{name}’ vonden we geen velden van de checklist: het bestand is beschadigd, "
                "of de velden zijn verloren gegaan (bijvoorbeeld door ‘afdrukken als pdf’)."
            )
        criteria: dict[str, dict[str, str]] = {}
        for field_name, field in fields.items():
            match = FIELD.match(field_name)
            if not match or len(match["id"]) > 60:
                continue
            criterion = match["id"]
            if match["kind"] == STATUS_SUFFIX:
                value = _status(field)
                if not value:
                    continue
                if value not in VALUES:
                    warnings.append(f"onbekende status ‘{value[:20]}’ bij {criterion} overgeslagen")
                    continue
                criteria.setdefault(criterion, {})["status"] = value
            else:
                note = _text(field.get("/V"))
                if not note.strip():
                    continue
                if len(note) > MAX_NOTE:
                    warnings.append(f"notitie bij {criterion} ingekort tot {MAX_NOTE} tekens")
                    note = note[:MAX_NOTE]
                criteria.setdefault(criterion, {})["notitie"] = note
        cover = [_text(fields[f].get("/V")).strip() if f in fields else "" for f in NAME_FIELDS]
    except NotOurs:
        raise
    except Exception as exc:  # any other failure on untrusted input: damaged, say so
        reason = exc if isinstance(exc, PyPdfError | OSError) else type(exc).__name__
        raise NotOurs(
            f"‘{name}’ is beschadigd: we konden de velden niet lezen ({reason})."
        ) from exc
    finally:
        quiet.setLevel(level)

    label = NAME_SEPARATOR.join(part for part in cover if part) or f"Pdf {name}"
    if len(label) > MAX_NAME:
        label = label[: MAX_NAME - 1] + "…"
    changed = datetime.fromtimestamp(path.stat().st_mtime, UTC)
    export: dict[str, Any] = {
        "formaat": EXPORT_FORMAT,
        "schema": EXPORT_SCHEMA,
        "leidraad": _text(info.get("/WplEditie")),
        "vorm": _text(info.get("/WplVorm")),
    }
    role = _text(info.get("/WplRol"))
    if role:
        export["rol"] = role
    export |= {
        "naam": label,
        "bewaard": changed.isoformat(timespec="milliseconds").replace("+00:00", "Z"),
        "bron": "pdf",
    }
    if own is not None:
        export["instrument"] = own
    export["criteria"] = criteria
    return export, warnings
