"""How browser tests use a criterion's controls on a checklist page: the one place that knows them.

The hooks are a contract (CONTRACTS.md): each criterion's element carries ``data-criterion="<id>"``
and its status radios the values ``in-orde``, ``deels``, ``nog-niet`` and ``nvt``. Tests set and
read statuses only through these functions, so the control can change in one place.
"""

from __future__ import annotations

from typing import Any

STATUSES = ("in-orde", "deels", "nog-niet", "nvt")


def criterion(page: Any, cid: str) -> Any:
    return page.locator(f"[data-criterion='{cid}']")


def set_status(page: Any, cid: str, status: str) -> None:
    """Choose a status like a user does; ``""`` clears it back to "nog niet bekeken"."""
    item = criterion(page, cid)
    if status:
        assert status in STATUSES, status
        item.locator(f"input[type=radio][value='{status}']").check()
    else:
        item.locator(".wpl-cl-clear").click()


def get_status(page: Any, cid: str) -> str:
    """The status the page shows: one of STATUSES, or ``""`` (nog niet bekeken)."""
    return str(page.evaluate(
        "cid => document.querySelector(`[data-criterion='${cid}'] input[type=radio]:checked`)"
        "?.value ?? ''",
        cid,
    ))


def open_notes(page: Any, cid: str) -> None:
    """Open the criterion's note and action fields (when they are not open yet)."""
    more = criterion(page, cid).locator(".wpl-cl-more")
    if more.get_attribute("aria-expanded") != "true":
        more.click()


def set_note(page: Any, cid: str, text: str) -> None:
    open_notes(page, cid)
    criterion(page, cid).locator("textarea[data-f=notitie]").fill(text)


def get_note(page: Any, cid: str) -> str:
    note = criterion(page, cid).locator("textarea[data-f=notitie]")
    return str(note.input_value()) if note.count() else ""


def set_action(page: Any, cid: str, field: str, value: str) -> None:
    """Fill an action field: ``wat``, ``wie`` or ``wanneer`` (YYYY-MM-DD)."""
    open_notes(page, cid)
    criterion(page, cid).locator(f"input[data-f={field}]").fill(value)


def get_field(page: Any, cid: str, field: str) -> str:
    control = criterion(page, cid).locator(f"[data-f={field}]")
    return str(control.input_value()) if control.count() else ""


def share_link(page: Any) -> str:
    """Click "Deel" and return the link once it is there: the share-link codec loads on first
    use, so the field fills a moment after the click."""
    page.evaluate(
        "() => { const e = document.querySelector('.wpl-cl-link'); if (e) e.value = ''; }"
    )
    page.click("button[data-act=share]")
    page.wait_for_function(
        "() => { const e = document.querySelector('.wpl-cl-link'); return !!(e && e.value); }"
    )
    value: str = page.input_value(".wpl-cl-link")
    return value
