"""The checklist's off-screen estimates (checklist.css, render.estimated_height).

Criteria off screen are skipped by the browser (``content-visibility: auto``) and take their
estimated height. A criterion taller than its estimate overflows it while skipped; tools that read
the layout of skipped content (Lighthouse's axe, rule target-size) then see its buttons overlap
the next criterion's, and the page fails the accessibility audit. So every criterion on every
checklist page must be at most as tall as its estimate, at every width from 320 CSS px up.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from generator.render import estimated_height

#: Widths on both sides of checklist.css's breakpoint (480 px), a tablet, desktops.
WIDTHS = (320, 479, 480, 1024, 1920)

#: Per criterion: its id, its estimate (the computed contain-intrinsic-height, in px) and its real
#: height once rendered (content-visibility set to visible through the CSSOM: allowed by the CSP).
MEASURE = """() => {
  const items = [...document.querySelectorAll(".wpl-cl-item")];
  const estimate = (li) => getComputedStyle(li).containIntrinsicHeight.split(" ").pop();
  const estimates = items.map((li) => parseFloat(estimate(li)));
  items.forEach((li) => { li.style.contentVisibility = "visible"; });
  const out = items.map((li, i) =>
    [li.id, li.dataset.h || "", estimates[i], li.getBoundingClientRect().height]);
  items.forEach((li) => { li.style.contentVisibility = ""; });
  return out;
}"""


def checklist_pages(site_dir: Path) -> list[str]:
    pages = sorted(
        str(path.parent.relative_to(site_dir)) + "/"
        for path in site_dir.rglob("index.html")
        if 'class="wpl-criterion wpl-cl-item"' in path.read_text(encoding="utf-8")
    )
    return ["" if p == "./" else p for p in pages]


def too_tall(tab: Any, widths: tuple[int, ...] = WIDTHS) -> list[str]:
    found = []
    for width in widths:
        tab.set_viewport_size({"width": width, "height": 800})
        for cid, h, estimate, real in tab.evaluate(MEASURE):
            if not h or real > estimate:
                found.append(f"{cid} at {width} px: {real:.0f} px, estimated {estimate:.0f} px "
                             f"(data-h={h!r})")
    return found


def test_no_criterion_is_taller_than_its_estimate(
    browser: Any, server: str, site_dir: Path
) -> None:
    pages = checklist_pages(site_dir)
    assert len(pages) >= 7, pages  # one checklist per form
    context = browser.new_context(locale="nl-BE")
    try:
        tab = context.new_page()
        found = []
        for path in pages:
            tab.goto(server + path, wait_until="load")
            tab.wait_for_selector("[data-module=checklist][data-ready]")
            assert tab.locator(".wpl-cl-item").count() >= 20, path
            found += [f"/{path}: {line}" for line in too_tall(tab)]
    finally:
        context.close()
    assert found == [], "criteria taller than their estimate:\n" + "\n".join(found)


def test_the_estimate_check_can_fail(browser: Any, server: str, site_dir: Path) -> None:
    """The same measurement reports a criterion whose estimate is too small."""
    context = browser.new_context(locale="nl-BE")
    try:
        tab = context.new_page()
        tab.goto(server + "vormen/stage/checklist/", wait_until="load")
        tab.evaluate("() => { document.querySelector('.wpl-cl-item').dataset.h = '16'; "
                     "document.querySelector('.wpl-cl-item .wpl-criterion__text')"
                     ".textContent += ' lang'.repeat(200); }")
        found = too_tall(tab, (320,))
    finally:
        context.close()
    assert len(found) == 1 and "data-h='16'" in found[0], found


@pytest.mark.parametrize(
    ("texts", "expected"),
    [
        (("kort", "Wie: mentor"), 16),
        (("x" * 280, "Wie: mentor", "t" * 280, ""), 60),
        (("x" * 5000, "Wie: mentor"), 80),  # capped: checklist.css has rules up to 80 em
    ],
)
def test_estimates_are_multiples_of_four_in_range(texts: tuple[str, ...], expected: int) -> None:
    assert estimated_height(*texts) == expected
