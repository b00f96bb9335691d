"""Checklist actions that had no test (issue 11), in Debian's Chromium: the share link with a
role, the copy button, comparing one file with the current list, deleting the last list, CSV rows
for answers to criteria no longer on the page, and the progress text with a role chosen.

Statuses and notes go in and out only through tests/checklist_ui.py.
"""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path
from typing import Any

from generator.model import Leidraad
from generator.tailor import tailor
from tests.checklist_ui import get_status, set_note, set_status, share_link
from tests.test_checklist import (
    FORM,
    KEY,
    URL,
    active_list,
    clean,
    dialog,
    item_ids,
    open_checklist,
    stored,
)

ROLE = "mentor"


def role_ids(leidraad: Leidraad, role: str) -> list[str]:
    return [i.id for i in tailor(leidraad, FORM).items if role in i.criterion.rollen]


def test_share_link_keeps_the_role(page: Any, server: str, leidraad: Leidraad) -> None:
    mine = role_ids(leidraad, ROLE)
    open_checklist(page, server, URL + f"?rol={ROLE}")
    statuses = {mine[0]: "deels", mine[-1]: "nvt"}
    for cid, status in statuses.items():
        set_status(page, cid, status)
    link = share_link(page)
    assert re.fullmatch(
        re.escape(f"{server}{URL}?rol={ROLE}") + r"#cl=1\.[0-9a-z]+\.[0-9a-o]+", link
    ), link
    # Without a role the link has none.
    page.check("input[name=rol][value='']")
    assert "?rol=" not in share_link(page)
    # The receiver opens the role link: filtered to the role, with the statuses.
    page.evaluate("localStorage.clear()")
    page.goto("about:blank")
    open_checklist(page, server, link[len(server):])
    assert page.is_checked(f"input[name=rol][value={ROLE}]")
    shown = page.eval_on_selector_all(
        "li.wpl-cl-item:not(.wpl-filtered-out)", "els => els.map(e => e.id)"
    )
    assert shown == mine
    assert {cid: get_status(page, cid) for cid in mine if get_status(page, cid)} == statuses
    assert page.url == f"{server}{URL}?rol={ROLE}"  # the share data leaves the address bar
    clean(page)


def test_copy_button_copies_the_link_or_says_it_could_not(page: Any, server: str) -> None:
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=server[:-1])
    open_checklist(page, server)
    set_status(page, item_ids(page)[0], "in-orde")
    link = share_link(page)
    page.click("button[data-act=copy]")
    page.wait_for_function(
        "document.querySelector('.wpl-cl-msg').textContent.includes('gekopieerd')"
    )
    assert page.inner_text(".wpl-cl-msg") == "De deellink is gekopieerd."
    assert page.evaluate("navigator.clipboard.readText()") == link
    # A browser that refuses: the visitor is told to copy the selected link.
    page.evaluate(
        "() => { navigator.clipboard.writeText = () => Promise.reject(new Error('nee')); }"
    )
    page.click("button[data-act=copy]")
    page.wait_for_function(
        "document.querySelector('.wpl-cl-msg').textContent.includes('lukte niet')"
    )
    assert "selecteer de link en kopieer hem zelf" in page.inner_text(".wpl-cl-msg")
    clean(page)


def test_compare_one_file_with_the_current_list(page: Any, server: str, tmp_path: Path) -> None:
    open_checklist(page, server)
    ids = item_ids(page)
    set_status(page, ids[0], "in-orde")
    set_status(page, ids[1], "deels")
    set_note(page, ids[1], "Bespreken")
    before = stored(page)
    data = {"formaat": "werkplekleren-checklist", "schema": 1, "leidraad": "2026.1",
            "vorm": FORM, "naam": "Mentor", "bewaard": "2026-11-29T10:00:00Z",
            "criteria": {ids[0]: {"status": "in-orde"}, ids[2]: {"status": "nog-niet",
                                                                "notitie": "Nog plannen"}}}
    path = tmp_path / "mentor.json"
    path.write_text(json.dumps(data), "utf-8")
    page.set_input_files(".wpl-cl-cmp-files", [str(path)])
    page.wait_for_selector("table.wpl-cl-cmp")
    assert page.inner_text("table.wpl-cl-cmp caption") == (
        f"Op 2 van {len(ids)} criteria verschillen de statussen."
    )
    rows = page.eval_on_selector_all(
        "table.wpl-cl-cmp tr", "rs => rs.map(r => [...r.cells].map(c => c.innerText.trim()))"
    )
    assert rows[0][1:] == ["Deze checklist (Checklist 1)", "Mentor (mentor.json)"]
    assert [r[1:] for r in rows[1:]] == [
        ["deels\nBespreken", "nog niet bekeken"],
        ["nog niet bekeken", "nog niet\nNog plannen"],
    ]
    links = page.eval_on_selector_all("table.wpl-cl-cmp th a", "as => as.map(a => a.hash)")
    assert links == [f"#{ids[1]}", f"#{ids[2]}"]
    assert stored(page) == before  # comparing changes nothing
    clean(page)


def test_deleting_the_last_list_leaves_an_empty_one(page: Any, server: str) -> None:
    open_checklist(page, server)
    first = item_ids(page)[0]
    set_status(page, first, "deels")
    old_id = stored(page)["actief"]
    page.click("button[data-act=delete]")
    dialog(page)
    assert get_status(page, first) == ""
    state = stored(page)
    assert [(x["naam"], x["criteria"]) for x in state["lijsten"]] == [("Checklist 1", {})]
    assert state["actief"] == state["lijsten"][0]["id"] != old_id
    assert page.inner_text(".wpl-cl-msg") == (
        "‘Checklist 1’ is verwijderd. Je werkt nu in ‘Checklist 1’."
    )
    names = page.eval_on_selector_all("#wpl-cl-list option", "os => os.map(o => o.textContent)")
    assert names == ["Checklist 1"]
    # The empty list works as any other.
    set_status(page, first, "nvt")
    assert active_list(page)["criteria"] == {first: {"status": "nvt"}}
    clean(page)


def test_csv_keeps_answers_to_criteria_no_longer_on_the_page(
    page: Any, server: str, tmp_path: Path
) -> None:
    open_checklist(page, server)
    ids = item_ids(page)
    state = {
        "formaat": "werkplekleren-checklist", "schema": 1, "leidraad": "2025.1", "vorm": FORM,
        "actief": "a",
        "lijsten": [{"id": "a", "naam": "Oud", "bewaard": "2026-11-29T10:00:00Z", "criteria": {
            ids[0]: {"status": "in-orde"},
            "geschrapt-criterium": {"status": "deels", "notitie": "=uit de oude versie",
                                    "actie": {"wat": "navragen", "wie": "@mentor",
                                              "wanneer": "2027-02-01"}},
        }}],
    }
    page.evaluate("([k, v]) => localStorage.setItem(k, v)", [KEY, json.dumps(state)])
    page.reload()
    page.wait_for_selector(".wpl-cl-tools:not([hidden])")
    assert "1 antwoorden horen bij criteria die niet meer in deze checklist staan" in (
        page.inner_text(".wpl-cl-msg")
    )
    assert "geschrapt-criterium" in page.inner_text(".wpl-cl-gone-list")
    with page.expect_download() as info:
        page.click("button[data-act=csv]")
    path = tmp_path / "export.csv"
    info.value.save_as(path)
    text = path.read_bytes().decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=";"))
    assert [r[0] for r in rows[1:]] == [*ids, "geschrapt-criterium"]
    assert rows[-1] == [
        "geschrapt-criterium", "", "", "", "(niet meer in deze checklist)", "", "deels",
        "'=uit de oude versie", "navragen", "'@mentor", "2027-02-01",
    ]
    assert rows[1][6] == "in orde"
    # Still kept after the export: nothing was dropped.
    assert "geschrapt-criterium" in active_list(page)["criteria"]
    clean(page)


def test_progress_text_counts_only_the_chosen_role(
    page: Any, server: str, leidraad: Leidraad
) -> None:
    view = tailor(leidraad, FORM)
    mine = role_ids(leidraad, ROLE)
    other = next(i.id for i in view.items if i.id not in mine)
    open_checklist(page, server)
    set_status(page, other, "in-orde")  # then hidden by the role: must not count
    page.check(f"input[name=rol][value={ROLE}]")
    total = page.locator("#wpl-cl-total")
    assert total.inner_text() == (
        f"Voortgang voor {ROLE}: 0 van {len(mine)} in orde, 0 deels, 0 nog niet (0%)."
    )
    set_status(page, mine[0], "in-orde")
    set_status(page, mine[1], "nvt")
    counted = len(mine) - 1
    assert total.inner_text() == (
        f"Voortgang voor {ROLE}: 1 van {counted} in orde, 0 deels, 0 nog niet; "
        f"1 n.v.t. niet meegeteld ({round(100 / counted)}%)."
    )
    assert page.eval_on_selector(".wpl-cl-meter", "m => m.value") == 1 / counted
    # Every role in turn, and back to everyone: the counts follow what is shown.
    for role in leidraad.roles:
        page.check(f"input[name=rol][value={role.slug}]")
        ids = role_ids(leidraad, role.slug)
        done = sum(1 for i in ids if i in (mine[0], other))
        skipped = 1 if mine[1] in ids else 0
        assert total.inner_text().startswith(
            f"Voortgang voor {role.slug}: {done} van {len(ids) - skipped} in orde"
        ), role.slug
    page.check("input[name=rol][value='']")
    assert total.inner_text().startswith(f"Voortgang: 2 van {len(view.items) - 1} in orde")
    clean(page)
