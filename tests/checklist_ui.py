"""The one place tests set and read a criterion's status, note and action on a checklist page
(CONTRACTS.md, browser-test hook), so that the control can change in one place.

Until i12page's radio groups land this drives the status select of the current checklist.
"""

from __future__ import annotations

from typing import Any


def _item(cid: str) -> str:
    return f'[data-criterion="{cid}"], li.wpl-cl-item[id="{cid}"]'


def set_status(page: Any, cid: str, status: str) -> None:
    item = page.locator(_item(cid)).first
    radios = item.locator(f'input[type=radio][value="{status}"]')
    if status and radios.count():
        radios.first.check()
    else:
        item.locator("select[data-f=status]").select_option(status)


def get_status(page: Any, cid: str) -> str:
    item = page.locator(_item(cid)).first
    checked = item.locator("input[type=radio]:checked")
    if checked.count():
        return str(checked.first.get_attribute("value") or "")
    return str(item.locator("select[data-f=status]").input_value())


def set_note(page: Any, cid: str, text: str) -> None:
    item = page.locator(_item(cid)).first
    more = item.locator(".wpl-cl-more")
    if more.count() and more.first.get_attribute("aria-expanded") != "true":
        more.first.click()
    item.locator("[data-f=notitie]").fill(text)
