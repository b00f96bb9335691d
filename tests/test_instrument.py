"""Own instruments in the browser (issue 13, part A): the editor on /instrument/, the instrument
opened as a checklist (the same checklist code), its link, QR code, file, print view, untrusted
input, two instruments side by side and an instrument of an older edition."""

from __future__ import annotations

import base64
import csv
import io
import json
import zlib
from pathlib import Path
from typing import Any

import jsonschema
import zxingcpp
from PIL import Image

from generator import instrument
from generator.model import Leidraad
from generator.tailor import importance, tailor
from tests import axe
from tests.checklist_ui import get_status, set_status, share_link

FORM = "duaal-leren"
#: Ten own criteria of 120 characters each, as a school would write them (varied Dutch text).
OWN_TEXTS = [
    (
        "De mentor bespreekt elke vrijdag kort met de lerende wat goed ging en wat beter "
        "kan, en noteert dat in het logboek van de week."
    ),
    (
        "De school bezorgt het bedrijf vóór de start een overzicht van de competenties "
        "die de lerende in dit schooljaar moet verwerven."
    ),
    (
        "Er is een vaste contactpersoon op school die binnen twee werkdagen antwoordt op "
        "vragen van het bedrijf over de opleiding en planning."
    ),
    (
        "De lerende krijgt een rondleiding en een veiligheidsinstructie op de eerste dag,"
        " met een ondertekende checklist voor het dossier."
    ),
    (
        "Bij ziekte verwittigt de lerende het bedrijf vóór negen uur en de school "
        "dezelfde dag; de afspraken staan in het onthaalboekje."
    ),
    (
        "Het bedrijf zorgt voor persoonlijke beschermingsmiddelen op maat, en vervangt ze"
        " zonder kosten voor de lerende als ze versleten zijn."
    ),
    (
        "Halverwege de periode is er een evaluatiegesprek met de drie partijen, waarin "
        "ook de doelen voor de tweede helft worden bijgesteld."
    ),
    (
        "De leerkracht bezoekt de werkplek minstens één keer per maand en maakt een kort "
        "verslag dat de lerende en de mentor kunnen inkijken."
    ),
    (
        "Nieuwe collega's van de lerende krijgen uitleg over het werkplekleren, zodat "
        "iedereen weet wie wat mag vragen en wie bijstuurt."
    ),
    (
        "Aan het einde van het schooljaar vullen de lerende en de mentor samen een "
        "tevredenheidsbevraging in, die de school anoniem verwerkt."
    ),
]


def open_editor(page: Any, server: str, query: str = f"?vorm={FORM}") -> None:
    page.goto(server + "instrument/" + query)
    page.wait_for_selector(".wpl-instrument:not([hidden])")
    current_link(page)


def current_link(page: Any) -> str:
    page.wait_for_selector(".wpl-in-link:not([data-busy])", state="attached")
    page.wait_for_function("document.querySelector('.wpl-in-link').value.includes('#i=')")
    return str(page.input_value(".wpl-in-link"))


def python_link(leidraad: Leidraad, server: str, inst: instrument.Instrument) -> str:
    """The instrument's link as Python makes it (``instrument.link``), on the test server."""
    build = type("B", (), {"leidraad": leidraad, "absolute_url": lambda self, p: server + p})()
    return instrument.link(build, inst)  # type: ignore[arg-type]


def open_instrument(page: Any, url: str) -> None:
    page.goto(url)
    page.wait_for_selector(".wpl-cl-tools:not([hidden])")


def checked(page: Any) -> list[str]:
    return list(
        page.eval_on_selector_all(
            "li.wpl-in-item[data-id]:not([hidden]) input:checked", "els => els.map(e => e.value)"
        )
    )


def add_own(page: Any, question: str, text: str, very: bool = False) -> str:
    page.click(f'section.wpl-in-q[data-vraag="{question}"] button[data-act=add-crit]')
    row = page.locator(f'section.wpl-in-q[data-vraag="{question}"] li.wpl-in-own').last
    row.locator("textarea").fill(text)
    if very:
        row.locator("select").select_option("heel-belangrijk")
    return str(row.get_attribute("data-own"))


def storage(page: Any) -> dict[str, str]:
    return dict(
        page.evaluate(
            "() => Object.fromEntries(Object.keys(localStorage)"
            ".map(k => [k, localStorage.getItem(k)]))"
        )
    )


def code_for(payload: dict[str, Any]) -> str:
    """A link code from any payload (also hostile ones the site would never make)."""
    data = json.dumps(payload, ensure_ascii=False).encode("utf-8")
    packer = zlib.compressobj(9, zlib.DEFLATED, -15)
    packed = packer.compress(data) + packer.flush()
    return "1." + base64.urlsafe_b64encode(packed).decode("ascii").rstrip("=")


def payload_of(code: str) -> dict[str, Any]:
    data = code.split(".", 1)[1]
    return dict(
        json.loads(zlib.decompress(base64.urlsafe_b64decode(data + "=" * (-len(data) % 4)), -15))
    )


def test_editor_preselects_the_form_and_role_from_the_address(
    page: Any, server: str, leidraad: Leidraad
) -> None:
    open_editor(page, server)
    assert page.input_value(".wpl-in-vorm") == FORM
    assert checked(page) == [i.id for i in tailor(leidraad, FORM).items]
    # Importance and tips as on the form's checklist.
    view = tailor(leidraad, FORM)
    for item in view.items:
        shown = page.get_attribute(f'li.wpl-in-item[data-id="{item.id}"]', "data-imp")
        assert shown == item.importance, item.id
        tip = page.locator(f'li.wpl-in-item[data-id="{item.id}"] .wpl-in-tip:not([hidden])')
        assert tip.count() == (1 if item.hint else 0), item.id
    open_editor(page, server, "?vorm=stage&rol=mentor")
    assert page.input_value(".wpl-in-rol") == "mentor"
    assert checked(page) == [i.id for i in tailor(leidraad, "stage", "mentor").items]
    for item in tailor(leidraad, "stage").items:
        shown = page.get_attribute(f'li.wpl-in-item[data-id="{item.id}"]', "data-imp")
        assert shown == importance(item.criterion, "stage", "mentor"), item.id
    assert page.js_errors == [] and page.foreign_requests == []


def build_instrument(page: Any, server: str, leidraad: Leidraad) -> dict[str, Any]:
    """Make an instrument in the editor: title, organisation, intro, one criterion left out,
    an own criterion under a question and an own question with a very important criterion."""
    open_editor(page, server)
    view = tailor(leidraad, FORM)
    first = view.phases[0].domains[0].questions[0]
    dropped = first.items[0].id
    page.uncheck(f"#in-{dropped}")
    page.fill(".wpl-in-titel", "Ons <b>instrument</b>")
    page.fill(".wpl-in-org", "Sint-Jozef & Co")
    page.fill(".wpl-in-intro", "Eerste regel.\nTweede regel <img src=x>.")
    own1 = add_own(page, first.question.id, "Eigen <img src=x onerror=alert(1)> criterium")
    domain = view.phases[0].domains[0].domain.id
    page.click(
        f'section.wpl-in-domain[data-domein="{domain}"] > .wpl-in-add button[data-act=add-q]'
    )
    page.locator(".wpl-in-ownq input").last.fill("Onze eigen vraag?")
    page.locator(".wpl-in-ownq button[data-act=add-crit]").last.click()
    row = page.locator(".wpl-in-ownq li.wpl-in-own").last
    row.locator("textarea").fill("Heel belangrijk eigen criterium")
    row.locator("select").select_option("heel-belangrijk")
    own2 = str(row.get_attribute("data-own"))
    return {
        "url": current_link(page),
        "dropped": dropped,
        "own": [own1, own2],
        "question": first.question.id,
        "domain": domain,
    }


def test_an_instrument_opens_as_a_checklist_with_every_feature(
    page: Any, server: str, leidraad: Leidraad, tmp_path: Path
) -> None:
    made = build_instrument(page, server, leidraad)
    own1, own2 = made["own"]
    assert (own1, own2) == ("eigen-1", "eigen-3")  # the own question took number 2
    open_instrument(page, made["url"])
    assert page.text_content("article h1") == "Ons <b>instrument</b>"
    intro = page.text_content(".wpl-own-intro")
    assert "Sint-Jozef & Co" in intro and "Tweede regel <img src=x>." in intro
    assert page.locator("article img[src=x], .wpl-own img").count() == 0  # text, never HTML
    ids = page.eval_on_selector("[data-module=checklist]", "e => e.dataset.ids.split(' ')")
    expected = [i.id for i in tailor(leidraad, FORM).items if i.id != made["dropped"]]
    assert [i for i in ids if not i.startswith("eigen-")] == expected
    assert page.locator(f'li[id="{made["dropped"]}"]').count() == 0
    q = page.locator(f'h4[id="{made["question"]}"]').locator("xpath=..")
    assert q.locator("li.wpl-cl-item").last.get_attribute("id") == own1
    own_q = page.locator("section.wpl-own-q")
    assert "Onze eigen vraag?" in own_q.locator("h4").text_content()
    assert own_q.locator("xpath=..").get_attribute("data-domein") == made["domain"]
    for own in (own1, own2):
        assert "eigen criterium" in page.text_content(f'li[id="{own}"] .wpl-criterion__text')
    assert page.get_attribute(f'li[id="{own2}"]', "data-belang") == "heel-belangrijk"

    # Saving: statuses on guideline and own criteria, under this instrument's own key.
    guideline = expected[0]
    set_status(page, guideline, "deels")
    set_status(page, own1, "nog-niet")
    inst_id = payload_of(made["url"].split("#i=")[1])["id"]
    keys = [k for k in storage(page) if k.startswith("wpl-checklist:")]
    assert keys == [f"wpl-checklist:/:{FORM}:instrument:{inst_id}"]
    page.reload()
    page.wait_for_selector(".wpl-own-intro")
    page.wait_for_selector(".wpl-cl-tools:not([hidden])")
    assert get_status(page, own1) == "nog-niet" and get_status(page, guideline) == "deels"

    # Summary counts the own criteria too; the role filter keeps them (they are for everyone).
    assert "nog niet: 1" in page.text_content(".wpl-cl-sum")
    page.check("input[name=rol][value=mentor]")
    assert page.is_visible(f'li[id="{own1}"]')
    page.check("input[name=rol][value='']")

    # Export carries the instrument; import it back as a second named list.
    with page.expect_download() as dl:
        page.click("button[data-act=json]")
    exported = tmp_path / "export.json"
    dl.value.save_as(exported)
    data = json.loads(exported.read_text("utf-8"))
    assert data["instrument"]["id"] == inst_id and data["criteria"][own1]["status"] == "nog-niet"
    # The CSV export names own criteria as such too.
    with page.expect_download() as dl:
        page.click("button[data-act=csv]")
    rows = list(csv.reader(io.StringIO(dl.value.path().read_text("utf-8-sig")), delimiter=";"))
    assert rows[0][4] == "criterium" and rows[0][6] == "status"
    own_rows = {r[0]: r for r in rows if r[0] in (own1, own2)}
    assert len(own_rows) == 2 and all("eigen criterium" in r[4] for r in own_rows.values())
    assert own_rows[own1][6] == "nog niet"
    page.set_input_files(".wpl-cl-import", str(exported))
    page.wait_for_function("document.querySelectorAll('.wpl-cl-list option').length === 2")
    assert "geïmporteerd" in page.text_content(".wpl-cl-msg")
    # Compare: the exported file against this list.
    page.set_input_files(".wpl-cl-cmp-files", str(exported))
    page.wait_for_selector(".wpl-cl-cmp-out p, .wpl-cl-cmp-out table")

    # Share link keeps the instrument and adds the statuses.
    share = share_link(page)  # waits: the codec module loads on first use
    assert "#i=" in share and "&cl=" in share
    other = page.context.browser.new_context(locale="nl-BE").new_page()
    try:
        open_instrument(other, share)
        other.wait_for_selector(".wpl-own-intro")
        assert get_status(other, own1) == "nog-niet" and get_status(other, guideline) == "deels"
        assert "#i=" in other.url and "cl=" not in other.url
    finally:
        other.context.close()

    # Print view laid out like the PDFs: header, legend with four boxes, notes, signatures.
    page.emulate_media(media="print")
    assert page.is_visible(".wpl-print-head") and page.is_visible(".wpl-print-legend")
    assert page.is_visible(".wpl-print-signs") and not page.is_visible(".wpl-cl-tools .wpl-cl-bar")
    boxes = page.locator(f'li[id="{own1}"] .wpl-print-boxes .wpl-pb')
    assert boxes.count() == 4 and page.is_visible(f'li[id="{own1}"] .wpl-print-notes')
    pdf = tmp_path / "print.pdf"
    page.pdf(path=str(pdf))
    from pypdf import PdfReader

    text = " ".join(" ".join(p.extract_text().split()) for p in PdfReader(pdf).pages)
    assert (
        "Ons <b>instrument</b>" in text and "Legende" in text and "Besproken en ondertekend" in text
    )
    assert "☒ nog niet" in text or "☒nog niet" in text.replace(" ", "") or "☒" in text
    assert page.js_errors == [] and page.foreign_requests == []


def test_link_with_ten_own_criteria_stays_under_2000_characters(
    page: Any, server: str, leidraad: Leidraad
) -> None:
    open_editor(page, server)
    page.fill(".wpl-in-titel", "Checklist duaal leren van onze school")
    page.fill(".wpl-in-org", "Sint-Jozefinstituut Kortrijk")
    questions = [qv.question.id for qv in tailor(leidraad, FORM).phases[0].domains[0].questions]
    for n, text in enumerate(OWN_TEXTS):
        assert 120 <= len(text) <= 135
        add_own(page, questions[n % len(questions)], text[:120])
    url = current_link(page)
    print(f"instrument link with 10 own criteria of 120 characters: {len(url)} characters")
    assert len(url) < 2000
    assert page.locator(".wpl-in-qr svg").count() == 0
    assert "te lang voor een QR-code" in page.text_content(".wpl-in-len")
    open_instrument(page, url)
    assert page.locator("li.wpl-own").count() == 10
    assert page.js_errors == []


#: Before the page's scripts: compression waits while the test holds it (``__hold()``) until
#: ``__release()``, so an edit can come while a link is being made (as on a slow phone).
HELD_COMPRESSION = """
(() => {
  const Real = window.CompressionStream;
  let gate = Promise.resolve();
  window.__hold = () => { gate = new Promise(open => { window.__release = open; }); };
  window.CompressionStream = function (format) {
    const real = new Real(format);
    const held = new TransformStream({
      transform: (chunk, out) => gate.then(() => out.enqueue(chunk)),
    });
    return { writable: real.writable, readable: real.readable.pipeThrough(held) };
  };
})();
"""


def test_the_link_is_never_older_than_the_last_edit(
    page: Any, server: str, leidraad: Leidraad
) -> None:
    page.add_init_script(HELD_COMPRESSION)
    open_editor(page, server)
    page.evaluate("() => window.__hold()")
    question = tailor(leidraad, FORM).phases[0].domains[0].questions[0].question.id
    own = add_own(page, question, "Eerst belangrijk")
    page.wait_for_timeout(400)  # the link of this text is being made (and held) now
    # In one task: change the importance, let the older link finish, then wait until the page
    # says its link is current (no busy mark) and read it.
    shown = page.evaluate(
        """own => new Promise(done => {
             const select = document.querySelector(`li.wpl-in-own[data-own="${own}"] select`);
             select.value = "heel-belangrijk";
             select.dispatchEvent(new Event("input", { bubbles: true }));
             select.dispatchEvent(new Event("change", { bubbles: true }));
             window.__release();
             const link = document.querySelector(".wpl-in-link");
             const check = () => link.hasAttribute("data-busy")
               ? requestAnimationFrame(check) : done(link.value);
             requestAnimationFrame(check);
           })""",
        own,
    )
    payload = payload_of(shown.split("#i=")[1])
    assert payload["e"] == [[own.removeprefix("eigen-"), question, "Eerst belangrijk", 1]]
    assert payload_of(current_link(page).split("#i=")[1]) == payload
    assert page.js_errors == []


def test_a_short_link_gets_a_qr_code_that_decodes_to_it(
    page: Any, server: str, tmp_path: Path
) -> None:
    open_editor(page, server)
    url = current_link(page)
    assert len(url) <= instrument.QR_MAX
    page.wait_for_selector(".wpl-in-qr svg")
    shot = tmp_path / "qr.png"
    page.locator(".wpl-in-qr svg").screenshot(path=str(shot))
    found = zxingcpp.read_barcodes(Image.open(shot))
    assert [r.text for r in found] == [url]
    # Only then is the QR module loaded (self-hosted).
    assert page.foreign_requests == []


def test_file_download_validates_and_opens_again(
    page: Any, server: str, leidraad: Leidraad, tmp_path: Path, browser: Any
) -> None:
    made = build_instrument(page, server, leidraad)
    with page.expect_download() as dl:
        page.click("button[data-act=download]")
    path = tmp_path / dl.value.suggested_filename
    dl.value.save_as(path)
    assert path.name == "instrument-ons-b-instrument-b.json"
    data = json.loads(path.read_text("utf-8"))
    jsonschema.validate(data, json.loads(instrument.schema_json()))
    parsed = instrument.parse(path.read_bytes())  # the CLI reads it too
    assert [c.id for c in parsed.eigen_criteria] == made["own"]
    # Python and the browser write the same link payload for the same instrument.
    assert payload_of(instrument.link_code(parsed, leidraad)) == payload_of(
        made["url"].split("#i=")[1]
    )
    context = browser.new_context(locale="nl-BE")
    other = context.new_page()
    try:
        open_editor(other, server, "")
        other.set_input_files(".wpl-in-file", str(path))
        other.wait_for_function(
            "document.querySelector('.wpl-in-titel').value === 'Ons <b>instrument</b>'"
        )
        assert current_link(other).split("#i=")[1] == made["url"].split("#i=")[1]
        assert other.locator(".wpl-in-own").count() == 2
    finally:
        context.close()


def test_a_link_made_in_python_opens_the_same_instrument(
    page: Any, server: str, leidraad: Leidraad
) -> None:
    ids = [i.id for i in tailor(leidraad, FORM).items]
    inst = instrument.parse(
        json.dumps(
            {
                "formaat": "werkplekleren-instrument",
                "schema": 1,
                "id": "py12345",
                "leidraad": leidraad.guideline.versie,
                "vorm": FORM,
                "titel": "Uit Python",
                "criteria": ids[:5],
                "eigen_criteria": [
                    {
                        "id": "eigen-7",
                        "vraag": leidraad.criterion(ids[0]).question.id,
                        "tekst": "Één eigen",
                    }
                ],
            }
        )
    )
    open_instrument(page, python_link(leidraad, server, inst))
    got = page.eval_on_selector("[data-module=checklist]", "e => e.dataset.ids.split(' ')")
    assert [i for i in got if not i.startswith("eigen")] == ids[:5] and "eigen-7" in got
    assert page.text_content("article h1") == "Uit Python"


def test_broken_and_hostile_input_is_refused_and_changes_nothing(
    page: Any, server: str, leidraad: Leidraad, tmp_path: Path
) -> None:
    # Something saved first: a checklist list and an editor draft.
    open_editor(page, server)
    page.fill(".wpl-in-titel", "Mijn concept")
    current_link(page)
    page.goto(server + f"vormen/{FORM}/checklist/")
    page.wait_for_selector(".wpl-cl-tools:not([hidden])")
    first = tailor(leidraad, FORM).items[0].id
    set_status(page, first, "in-orde")
    before = storage(page)
    assert any(k.endswith(":concept") for k in before)
    ids = [i.id for i in tailor(leidraad, FORM).items]
    good = {"id": "abcd1234", "l": leidraad.guideline.versie, "f": FORM, "t": "x", "c": ids[:3]}
    hostile = {
        "garbage": "1.!!!notbase64",
        "not deflate": "1." + base64.urlsafe_b64encode(b"hello world").decode().rstrip("="),
        "newer": "2.abc",
        "zip bomb": code_for({"t": "x" * 3_000_000}),
        "too many own": code_for({**good, "e": [[str(n), "x-y", "t", 0] for n in range(1, 202)]}),
        "too long own": code_for({**good, "e": [["1", "x-y", "t" * 1001, 0]]}),
        "prototype": code_for({**good, "__proto__": {"x": 1}}),
        "other form": code_for({**good, "f": "stage"}),
        "bad id": code_for({**good, "id": "<script>"}),
    }
    for name, code in hostile.items():
        page.goto("about:blank")  # a new load each time, not a jump within the page
        page.goto(server + f"vormen/{FORM}/checklist/#i={code}")
        page.wait_for_selector(".wpl-own-error")
        page.wait_for_selector(".wpl-cl-tools:not([hidden])")
        message = page.text_content(".wpl-own-error")
        assert "Er is niets gewijzigd" in message, name
        assert "#i=" not in page.url, name
        assert get_status(page, first) == "in-orde", name  # the plain checklist, as it was
        assert storage(page) == before, name
    # The editor refuses bad files the same way; the draft stays.
    open_editor(page, server, "")
    assert page.input_value(".wpl-in-titel") == "Mijn concept"
    bad = {
        "kapot.json": "{nope",
        "ander.json": json.dumps({"formaat": "werkplekleren-checklist", "schema": 1}),
        "groot.json": json.dumps(
            {
                "formaat": "werkplekleren-instrument",
                "schema": 1,
                "id": "abcd1234",
                "leidraad": "2026.1",
                "vorm": FORM,
                "titel": "x",
                "eigen_criteria": [
                    {"id": f"eigen-{n}", "vraag": "a-b", "tekst": "t"} for n in range(1, 202)
                ],
            }
        ),
    }
    for name, text in bad.items():
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        page.set_input_files(".wpl-in-file", str(path))
        page.wait_for_function(
            f"document.querySelector('.wpl-in-err').textContent.includes('{name}')"
        )
        assert "Er is niets gewijzigd" in page.text_content(".wpl-in-err")
        assert page.input_value(".wpl-in-titel") == "Mijn concept"
    assert storage(page) == before
    assert page.foreign_requests == []


def test_two_instruments_side_by_side_never_mix(
    page: Any, server: str, leidraad: Leidraad, tmp_path: Path
) -> None:
    ids = [i.id for i in tailor(leidraad, FORM).items]
    question = leidraad.criterion(ids[0]).question.id

    def link(inst_id: str, title: str) -> str:
        code = code_for(
            {
                "id": inst_id,
                "l": leidraad.guideline.versie,
                "f": FORM,
                "t": title,
                "c": ids[:4],
                "e": [["1", question, f"Eigen van {title}", 0]],
            }
        )
        return server + f"vormen/{FORM}/checklist/#i={code}"

    a, b = page, page.context.new_page()
    b_errors: list[str] = []
    b.on("pageerror", lambda exc: b_errors.append(str(exc)))
    open_instrument(a, link("instra1", "A"))
    open_instrument(b, link("instrb2", "B"))
    a.wait_for_selector(".wpl-own-intro")
    b.wait_for_selector(".wpl-own-intro")
    set_status(a, "eigen-1", "in-orde")
    set_status(b, "eigen-1", "nog-niet")
    set_status(b, ids[0], "deels")
    a.reload()
    a.wait_for_selector(".wpl-own-intro")
    a.wait_for_selector(".wpl-cl-tools:not([hidden])")
    assert get_status(a, "eigen-1") == "in-orde" and get_status(a, ids[0]) == ""
    keys = sorted(k for k in storage(a) if k.startswith("wpl-checklist:"))
    assert keys == [
        f"wpl-checklist:/:{FORM}:instrument:instra1",
        f"wpl-checklist:/:{FORM}:instrument:instrb2",
    ]
    # An export of B is refused by A (and by the plain checklist), with the reason.
    with b.expect_download() as dl:
        b.click("button[data-act=json]")
    path = tmp_path / "b.json"
    dl.value.save_as(path)
    a.set_input_files(".wpl-cl-import", str(path))
    a.wait_for_function("document.querySelector('.wpl-cl-err').textContent.length > 0")
    assert "een ander eigen instrument (‘B’)" in a.text_content(".wpl-cl-err")
    assert a.locator(".wpl-cl-list option").count() == 1
    assert a.js_errors == [] and b_errors == []


def test_an_instrument_of_an_older_edition_still_opens(
    page: Any, server: str, leidraad: Leidraad
) -> None:
    ids = [i.id for i in tailor(leidraad, FORM).items]
    code = code_for(
        {
            "id": "oud12345",
            "l": "2025.1",
            "f": FORM,
            "t": "Oud instrument",
            "c": [*ids[:3], "bestaat-niet-meer"],
        }
    )
    open_instrument(page, server + f"vormen/{FORM}/checklist/#i={code}")
    note = page.text_content(".wpl-own-update")
    assert "digitale editie 2025.1" in note and "bestaat-niet-meer" in note
    assert "niet meer in de leidraad" in note
    # In the editor it is listed, kept in the instrument until the user drops it.
    page.goto(server + f"instrument/#i={code}")
    page.wait_for_selector(".wpl-in-vanished:not([hidden])")
    assert "bestaat-niet-meer" in page.text_content(".wpl-in-vanished")
    url = current_link(page)
    assert "bestaat-niet-meer" in payload_of(url.split("#i=")[1])["c"]
    page.click("button[data-act=drop-vanished]")
    page.fill(".wpl-in-titel", "Nieuw")
    assert "c" not in payload_of(current_link(page).split("#i=")[1])
    assert page.js_errors == []


def test_editor_works_with_the_keyboard(page: Any, server: str, leidraad: Leidraad) -> None:
    open_editor(page, server)
    question = tailor(leidraad, FORM).phases[0].domains[0].questions[0].question.id
    button = page.locator(f'section.wpl-in-q[data-vraag="{question}"] button[data-act=add-crit]')
    button.focus()
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.tagName") == "TEXTAREA"
    page.keyboard.type("Met het toetsenbord")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.classList.contains('wpl-in-own-imp')")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")  # Verwijder
    assert page.locator(".wpl-in-own").count() == 0
    assert "verwijderd" in page.text_content(".wpl-in-msg")


def test_no_axe_violations_in_the_editor_and_the_instrument(
    browser: Any, server: str, leidraad: Leidraad
) -> None:
    for width, height in ((1280, 900), (375, 812)):
        context = browser.new_context(locale="nl-BE", viewport={"width": width, "height": height})
        context.route(
            "**/*", lambda r: r.continue_() if r.request.url.startswith(server) else r.abort()
        )
        page = context.new_page()
        page.js_errors = []
        try:
            made = build_instrument(page, server, leidraad)
            problems = axe.violations(page)
            open_instrument(page, made["url"])
            page.wait_for_selector(".wpl-own-intro")
            problems += axe.violations(page)
            assert problems == [], [(v["id"], [n["target"] for n in v["nodes"]]) for v in problems]
        finally:
            context.close()
