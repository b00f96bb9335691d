"""Broken and hostile input in the checklist (issue 7, point 5), in the real browser.

Corrupt storage, a state from an older guideline version, bad import files and HTML in notes:
each gets a clear message in Dutch, nothing already saved is lost, and notes render as text.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from tests.checklist_ui import get_field, get_note, get_status, set_status
from tests.test_checklist import (
    FORM,
    KEY,
    URL,
    active_list,
    clean,
    item_ids,
    open_checklist,
    wait_dialog_closed,
    watch_dialog_close,
)

FORMAT = "werkplekleren-checklist"


def export_file(criteria: dict[str, Any], **extra: Any) -> bytes:
    data = {"formaat": FORMAT, "schema": 1, "leidraad": "2026.1", "vorm": FORM,
            "naam": "Van de mentor", "bewaard": "2026-11-29T10:00:00Z", "criteria": criteria}
    data.update(extra)
    return json.dumps(data).encode()


def raw_storage(page: Any) -> dict[str, str]:
    return dict(page.evaluate("Object.fromEntries(Object.entries(localStorage))"))


def no_pollution(page: Any) -> None:
    assert page.evaluate("({}).status === undefined && Object.prototype.naam === undefined")


def test_corrupt_storage_is_kept_aside_and_offered(page: Any, server: str, tmp_path: Path) -> None:
    open_checklist(page, server)
    page.evaluate("k => localStorage.setItem(k, '{\"schema\": 1, \"lijsten\": [kapot')", KEY)
    page.reload()
    page.wait_for_selector(".wpl-cl-tools:not([hidden])")
    message = page.inner_text(".wpl-cl-err")
    assert "We konden je bewaarde checklist niet lezen" in message
    aside = {k: v for k, v in raw_storage(page).items() if k.startswith(KEY + ":apart:")}
    assert list(aside.values()) == ['{"schema": 1, "lijsten": [kapot']
    with page.expect_download() as info:
        page.click(".wpl-cl-err button:text('Download de oude gegevens')")
    info.value.save_as(tmp_path / "oud.txt")
    assert (tmp_path / "oud.txt").read_text("utf-8") == '{"schema": 1, "lijsten": [kapot'
    # The page still works, and the set-aside copy survives new saves.
    set_status(page, item_ids(page)[0], "in-orde")
    after = raw_storage(page)
    assert json.loads(after[KEY])["schema"] == 1
    assert {k: v for k, v in after.items() if k.startswith(KEY + ":apart:")} == aside
    clean(page)


def test_valid_json_with_a_wrong_shape_is_kept_aside_too(page: Any, server: str) -> None:
    open_checklist(page, server)
    bad = json.dumps({"schema": 1, "lijsten": "kapot"})
    page.evaluate("([k, v]) => localStorage.setItem(k, v)", [KEY, bad])
    page.reload()
    page.wait_for_selector(".wpl-cl-tools:not([hidden])")
    assert "niet lezen" in page.inner_text(".wpl-cl-err")
    assert bad in raw_storage(page).values()
    clean(page)


def test_one_bad_value_in_storage_costs_only_that_value(page: Any, server: str) -> None:
    """A typo in a date (a five-digit year) once hid every saved list: now only that value goes,
    the original is kept aside once (not at every visit), and the rest stays."""
    open_checklist(page, server)
    first, second = item_ids(page)[:2]
    saved = {
        "formaat": FORMAT, "schema": 1, "leidraad": "2026.1", "vorm": FORM, "actief": "a",
        "lijsten": [
            {"id": "a", "naam": "Lies", "bewaard": "2026-11-01T08:00:00Z",
             "criteria": {first: {"status": "deels", "actie": {"wat": "bellen",
                                                               "wanneer": "20266-01-05"}},
                          second: {"status": "kapot", "notitie": "blijft"}}},
            {"id": "b", "naam": "Tom", "bewaard": "2026-11-01T08:00:00Z",
             "criteria": {first: {"status": "in-orde"}}},
        ],
    }
    raw = json.dumps(saved)
    page.evaluate("([k, v]) => localStorage.setItem(k, v)", [KEY, raw])
    page.reload()
    page.wait_for_selector(".wpl-cl-tools:not([hidden])")
    assert "niet lezen" in page.inner_text(".wpl-cl-msg")
    assert get_status(page, first) == "deels"
    assert get_note(page, second) == "blijft"
    assert page.locator(".wpl-cl-list option").all_inner_texts() == ["Lies", "Tom"]
    stored = raw_storage(page)
    assert [v for k, v in stored.items() if ":apart:" in k] == [raw]
    now = json.loads(stored[KEY])
    assert now["lijsten"][0]["criteria"][first] == {"status": "deels", "actie": {"wat": "bellen"}}
    page.reload()
    page.wait_for_selector(".wpl-cl-tools:not([hidden])")
    assert len([k for k in raw_storage(page) if ":apart:" in k]) == 1
    clean(page)


def test_a_state_from_a_newer_site_is_left_untouched(page: Any, server: str) -> None:
    open_checklist(page, server)
    newer = json.dumps({"formaat": FORMAT, "schema": 2, "lijsten": {"nieuw": True}})
    page.evaluate("([k, v]) => localStorage.setItem(k, v)", [KEY, newer])
    page.reload()
    page.wait_for_selector(".wpl-cl-tools:not([hidden])")
    assert "nieuwere versie" in page.inner_text(".wpl-cl-err")
    set_status(page, item_ids(page)[0], "in-orde")
    ours = {k: v for k, v in raw_storage(page).items() if k.startswith("wpl-")}
    assert ours == {KEY: newer}
    clean(page)


def test_undo_after_a_reset_does_not_eat_later_answers(page: Any, server: str) -> None:
    open_checklist(page, server)
    first, second = item_ids(page)[:2]
    set_status(page, first, "in-orde")
    page.get_by_role("button", name="Wis alle antwoorden").click()
    # The page resets in the dialog's close event: the next answer must come after it.
    watch_dialog_close(page)
    page.locator("dialog[open]").get_by_role("button", name="Wis alles").click()
    wait_dialog_closed(page)
    set_status(page, second, "in-orde")
    page.get_by_role("button", name="Ongedaan maken").click()
    assert "kan niet meer" in page.inner_text(".wpl-cl-err")
    assert get_status(page, second) == "in-orde"
    assert get_status(page, first) == ""
    clean(page)


def test_state_from_an_older_guideline_version(page: Any, server: str) -> None:
    open_checklist(page, server)
    known = item_ids(page)[0]
    old = {
        "formaat": FORMAT, "schema": 1, "leidraad": "2010.1", "vorm": FORM, "actief": "a",
        "lijsten": [{"id": "a", "naam": "Oude lijst", "bewaard": "2011-05-01T08:00:00Z",
                     "criteria": {known: {"status": "in-orde"},
                                  "vervallen-criterium": {"status": "deels",
                                                          "notitie": "<b>vet</b> oud",
                                                          "actie": {"wat": "nakijken"}}}}],
    }
    page.evaluate("([k, v]) => localStorage.setItem(k, v)", [KEY, json.dumps(old)])
    page.reload()
    page.wait_for_selector(".wpl-cl-tools:not([hidden])")
    message = page.inner_text(".wpl-cl-msg")
    assert "digitale editie 2010.1" in message and "digitale editie 2026." in message
    assert "1 antwoorden horen bij criteria die niet meer" in message
    assert get_status(page, known) == "in-orde"
    gone = page.locator(".wpl-cl-gone")
    assert gone.is_visible()
    assert "vervallen-criterium" in gone.inner_text()
    assert "<b>vet</b> oud" in gone.inner_text()  # as text, not as markup
    assert gone.locator("b").count() == 0
    # A new save keeps what no longer exists, untouched.
    set_status(page, item_ids(page)[1], "in-orde")
    saved = active_list(page)
    assert saved["criteria"]["vervallen-criterium"] == old["lijsten"][0]["criteria"][
        "vervallen-criterium"
    ]
    assert json.loads(raw_storage(page)[KEY])["leidraad"] != "2010.1"
    clean(page)


TEN_MB = b'{"formaat": "werkplekleren-checklist", "pad": "' + b"x" * (10 * 1024 * 1024) + b'"}'
BAD_FILES = {
    "not-json": (b"Dit is geen JSON, maar een brief.", "geen geldig JSON-bestand"),
    "empty": (b"", "geen geldig JSON-bestand"),
    "array": (b"[1, 2, 3]", "geen export van een checklist"),
    "other-format": (b'{"naam": "iets anders"}', "geen export van een checklist"),
    "wrong-schema": (export_file({}, schema=99), "onbekende versie van het formaat"),
    "other-form": (export_file({}, vorm="duaal-leren"), "hoort bij een andere checklist"),
    "bad-status": (export_file({"tijd-en-ruimte": {"status": "klaar"}}), "onbekende status"),
    "bad-id": (export_file({"Tijd en ruimte": {"status": "deels"}}), "geen geldige code"),
    "bad-date": (export_file({"tijd-en-ruimte": {"actie": {"wanneer": "morgen"}}}), "datum"),
    "note-not-text": (export_file({"tijd-en-ruimte": {"notitie": {"a": 1}}}), "geen tekst"),
    "ten-megabytes": (TEN_MB, "te groot (10,0 MB)"),
    "proto": (
        b'{"formaat": "werkplekleren-checklist", "schema": 1, "vorm": "stage", "criteria": '
        b'{"__proto__": {"status": "in-orde"}}}',
        "verboden sleutel (__proto__)",
    ),
    "proto-nested": (
        b'{"formaat": "werkplekleren-checklist", "schema": 1, "vorm": "stage", "criteria": {},'
        b' "__proto__": {"naam": "vervuild"}}',
        "verboden sleutel (__proto__)",
    ),
    "constructor": (
        export_file({"constructor": {"status": "in-orde"}}),
        "verboden sleutel (constructor)",
    ),
    "prototype": (
        export_file({"tijd-en-ruimte": {"actie": {"prototype": {"x": 1}}}}),
        "verboden sleutel (prototype)",
    ),
}


def test_a_bad_import_file_changes_nothing(page: Any, server: str, tmp_path: Path) -> None:
    """Every bad file in turn on one page (each after the bad files before it): each is refused
    with its reason, and the saved checklist, the lists and the answers stay as they were."""
    open_checklist(page, server)
    set_status(page, item_ids(page)[0], "in-orde")
    before = raw_storage(page)
    problems = []
    for case, (content, expected) in sorted(BAD_FILES.items()):
        # A real file, which Chromium reads from disk (10 MB as a buffer through the driver
        # took 8 s).
        path = tmp_path / f"{case}.json"
        path.write_bytes(content)
        shown = page.query_selector(".wpl-cl-err p")  # the message before this import, if any
        page.set_input_files(".wpl-cl-import", files=[str(path)])
        # Each message is a new paragraph (two cases in a row may give the same text).
        page.wait_for_function(
            "old => { const p = document.querySelector('.wpl-cl-err p'); return p && p !== old; }",
            arg=shown,
        )
        message = page.inner_text(".wpl-cl-err")
        if expected not in message or not message.endswith("Er is niets gewijzigd."):
            problems.append(f"{case}: {message!r} (expected {expected!r})")
        assert raw_storage(page) == before, case
        assert page.locator("#wpl-cl-list option").count() == 1, case
        assert get_status(page, item_ids(page)[0]) == "in-orde", case
        no_pollution(page)
        # The same file picked again is read again (the input was cleared).
        assert page.input_value(".wpl-cl-import") == "", case
    assert not problems, "\n".join(problems)
    clean(page)


HOSTILE = '<img src="x" onerror="window.__xss=1"><script>window.__xss=2</script>'


def test_html_in_notes_renders_as_text_everywhere(page: Any, server: str) -> None:
    open_checklist(page, server)
    ids = item_ids(page)
    content = export_file({
        ids[0]: {"status": "nog-niet", "notitie": HOSTILE,
                 "actie": {"wat": HOSTILE, "wie": "<b>ik</b>", "wanneer": "2027-02-01"}},
        "bestaat-niet-meer": {"notitie": HOSTILE},
    }, naam=HOSTILE)
    page.set_input_files(
        ".wpl-cl-import",
        files=[{"name": "mentor.json", "mimeType": "application/json", "buffer": content}],
    )
    page.wait_for_function("document.querySelectorAll('#wpl-cl-list option').length === 2")
    assert get_note(page, ids[0]) == HOSTILE
    assert get_field(page, ids[0], "wat") == HOSTILE
    assert HOSTILE in page.inner_text(".wpl-cl-sum")
    assert HOSTILE in page.inner_text(".wpl-cl-gone")
    assert HOSTILE in page.inner_text(".wpl-cl-msg")
    other = content.replace(b'"nog-niet"', b'"in-orde"')
    page.set_input_files(
        ".wpl-cl-cmp-files",
        files=[{"name": "a.json", "mimeType": "application/json", "buffer": content},
               {"name": "b.json", "mimeType": "application/json", "buffer": other}],
    )
    page.wait_for_selector("table.wpl-cl-cmp")
    assert HOSTILE in page.inner_text("table.wpl-cl-cmp")
    page.reload()
    page.wait_for_selector(".wpl-cl-tools:not([hidden])")
    assert get_note(page, ids[0]) == HOSTILE
    assert page.locator("img[src='x'], article b").count() == 0
    assert page.evaluate("window.__xss") is None
    clean(page)


def test_a_broken_share_link_changes_nothing(page: Any, server: str) -> None:
    open_checklist(page, server)
    set_status(page, item_ids(page)[0], "in-orde")
    before = raw_storage(page)
    for code in ("1.abc.123", "kapot", "1." + "z" * 5 + "." + "o" * 200):
        page.goto("about:blank")
        open_checklist(page, server, URL + "#cl=" + code)
        assert page.inner_text(".wpl-cl-err").startswith("Deze deellink")
        assert "Er is niets gewijzigd." in page.inner_text(".wpl-cl-err")
        assert raw_storage(page) == before
    clean(page)


def test_storage_blocked_still_works_and_says_so(page: Any, server: str) -> None:
    # Blocked storage (as with "block all cookies"): the getter itself throws. Material's own
    # inline helpers (__md_get) then throw too; those errors are not ours, so check the stacks.
    stacks: list[str] = []
    page.on("pageerror", lambda exc: stacks.append(exc.stack or ""))
    page.add_init_script(
        "Object.defineProperty(window, 'localStorage', {get() {"
        " throw new DOMException('blocked', 'SecurityError'); }});"
    )
    open_checklist(page, server)
    assert "laat niet toe" in page.inner_text(".wpl-cl-err")
    first = item_ids(page)[0]
    set_status(page, first, "in-orde")
    assert get_status(page, first) == "in-orde"
    assert "1 van" in page.inner_text("#wpl-cl-total")
    assert not [st for st in stacks if "/assets/javascripts/" in st]
    assert page.foreign_requests == []


def test_a_full_storage_gives_a_message(page: Any, server: str) -> None:
    page.add_init_script(
        "Storage.prototype.setItem = function (k) {"
        " if (k.startsWith('wpl-checklist:')) throw new DOMException('full', 'QuotaExceededError');"
        " };"
    )
    open_checklist(page, server)
    set_status(page, item_ids(page)[0], "in-orde")
    assert "konden je antwoorden niet bewaren" in page.inner_text(".wpl-cl-err")
    assert "Exporteer" in page.inner_text(".wpl-cl-err")
    clean(page)


def test_two_tabs_do_not_overwrite_each_other(page: Any, server: str) -> None:
    open_checklist(page, server)
    other = page.context.new_page()
    open_checklist(other, server)
    a, b = item_ids(page)[:2]
    set_status(page, a, "in-orde")
    other.wait_for_function(f"document.querySelector(\"[data-criterion='{a}'] input:checked\")")
    assert get_status(other, a) == "in-orde"
    assert "ander venster" in other.inner_text(".wpl-cl-msg")
    set_status(other, b, "deels")
    page.wait_for_function(
        f"document.querySelector(\"[data-criterion='{b}'] input:checked\")?.value === 'deels'"
    )
    assert active_list(page)["criteria"] == {a: {"status": "in-orde"}, b: {"status": "deels"}}
    clean(page)


def test_a_state_saved_by_the_earlier_checklist_shows_unchanged(page: Any, server: str) -> None:
    """The saved-state format is a promise: what the checklist of before the radio buttons saved
    (schema 1, two lists, the second active) shows as it was, and stays as it was."""
    open_checklist(page, server)
    a, b, c = item_ids(page)[:3]
    saved = (
        '{"formaat":"werkplekleren-checklist","schema":1,"leidraad":"2026.1","vorm":"stage",'
        '"actief":"l2","lijsten":[{"id":"l1","naam":"School","bewaard":"2026-10-01T08:00:00.000Z",'
        f'"criteria":{{"{a}":{{"status":"nvt"}}}}}},'
        '{"id":"l2","naam":"Mentor Jan","bewaard":"2026-10-02T09:30:00.000Z","criteria":{'
        f'"{a}":{{"status":"in-orde"}},"{b}":{{"status":"deels","notitie":"Zie verslag"}},'
        f'"{c}":{{"actie":{{"wat":"Bellen","wie":"mentor","wanneer":"2026-12-01"}}}}}}}}]}}'
    )
    leidraad = page.eval_on_selector("[data-module=checklist]", "e => e.dataset.leidraad")
    saved = saved.replace('"2026.1"', json.dumps(leidraad))
    page.evaluate("([k, v]) => localStorage.setItem(k, v)", [KEY, saved])
    page.reload()
    page.wait_for_selector(".wpl-cl-tools:not([hidden])")
    assert page.inner_text(".wpl-cl-msg") == "" and page.inner_text(".wpl-cl-err") == ""
    assert page.locator("#wpl-cl-list option").all_inner_texts() == ["School", "Mentor Jan"]
    assert [get_status(page, x) for x in (a, b, c)] == ["in-orde", "deels", ""]
    assert get_note(page, b) == "Zie verslag"
    assert [get_field(page, c, f) for f in ("wat", "wie", "wanneer")] == [
        "Bellen", "mentor", "2026-12-01"
    ]
    assert raw_storage(page)[KEY] == saved  # reading it changed nothing
    page.select_option("#wpl-cl-list", label="School")
    assert get_status(page, a) == "nvt"
    now = json.loads(raw_storage(page)[KEY])
    old = json.loads(saved)
    assert now == {**old, "actief": "l1"}
    clean(page)


def test_a_browser_without_what_the_checklist_needs_keeps_the_plain_list(
    page: Any, server: str
) -> None:
    """base.js sets nothing up where the browser lacks what the component needs (here: <dialog>):
    no half-working tools, just the list with its radio buttons, which still work and print."""
    page.add_init_script("delete window.HTMLDialogElement")
    page.goto(server + URL)
    page.wait_for_load_state("load")
    page.wait_for_timeout(500)
    assert page.locator("[data-module=checklist][data-ready]").count() == 0
    assert page.locator(".wpl-cl-tools").is_hidden()
    assert page.locator(".wpl-cl-btns button:visible").count() == 0
    # No room is kept for controls that will not come (the class-setter checks the same).
    assert page.evaluate("document.documentElement.classList.contains('wpl-js')") is False
    assert page.locator(".wpl-cl-tools").bounding_box() is None
    first = item_ids(page)[0]
    set_status(page, first, "deels")
    assert get_status(page, first) == "deels"
    assert raw_storage(page) == {}
    clean(page)
