"""The one place browser tests set and read a criterion's status and note (CONTRACTS.md,
"Browser-test hook"): when the checklist's controls change, only this module changes.

Today's controls, per criterion ``li[id=<criterion id>]``: a check box (``#cb-<id>``, on = "in
orde") mirrored by a status select (``select[data-f=status]``: "", in-orde, deels, nog-niet,
nvt), and a note (``textarea[data-f=notitie]``) in a part that opens with "Notitie en actie".
"""

from __future__ import annotations

from typing import Any

STATUSES = ("in-orde", "deels", "nog-niet", "nvt")


def _item(cid: str) -> str:
    return f"li[id='{cid}']"


def set_status(page: Any, cid: str, status: str) -> None:
    """Give criterion ``cid`` a status (one of ``STATUSES``), or none with ``""``."""
    assert status in (*STATUSES, ""), status
    page.select_option(f"{_item(cid)} select[data-f=status]", status)


def get_status(page: Any, cid: str) -> str:
    """The status criterion ``cid`` shows: one of ``STATUSES``, or ``""`` for none."""
    value = page.input_value(f"{_item(cid)} select[data-f=status]")
    ticked = page.is_checked(f"#cb-{cid}")
    assert ticked == (value == "in-orde"), f"{cid}: the tick and the status disagree"
    return str(value)


def set_note(page: Any, cid: str, text: str) -> None:
    """Type ``text`` as the note of criterion ``cid`` (opening its note part when closed)."""
    note = page.locator(f"{_item(cid)} textarea[data-f=notitie]")
    if not note.is_visible():
        page.click(f"{_item(cid)} .wpl-cl-more")
    note.fill(text)
