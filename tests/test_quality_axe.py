"""Accessibility: axe-core finds no WCAG 2.0/2.1 A or AA violation on any page (issue 6).

Every page of the built site, in its initial state with JavaScript on, at desktop and at mobile
width. One browser context per width is reused for all pages (a fresh context per page costs
more than the check itself). The checklist tests cover the checklist pages with statuses filled
in.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import pytest

from tests import axe
from tests.test_quality_pages import content_pages

WIDTHS = {"desktop": (1280, 900), "mobile": (375, 812)}


def describe(url: str, violation: dict[str, Any]) -> str:
    nodes = violation["nodes"]
    targets = ", ".join(" ".join(map(str, n["target"])) for n in nodes[:5])
    summary = nodes[0].get("failureSummary", "").replace("\n", " ") if nodes else ""
    return (
        f"{url}: {violation['id']} ({violation['impact']}, {len(nodes)}x) at {targets}\n"
        f"    {violation['help']}. {summary[:400]}"
    )


@pytest.mark.parametrize("width", sorted(WIDTHS))
def test_no_axe_violations_on_any_page(
    browser: Any, server: str, site_dir: Path, width: str
) -> None:
    pages = content_pages(site_dir)
    assert len(pages) >= 10, "the build has fewer pages than the foundation alone"
    w, h = WIDTHS[width]
    context = browser.new_context(locale="nl-BE", viewport={"width": w, "height": h})
    # Same rule as the `page` fixture: nothing may leave the local server.
    context.route(
        "**/*",
        lambda route: route.continue_() if route.request.url.startswith(server) else route.abort(),
    )
    problems: list[str] = []
    started = time.monotonic()
    try:
        tab = context.new_page()
        for page in pages:
            url = server + page.url
            response = tab.goto(url, wait_until="load")
            assert response is not None and response.ok, url
            problems += [describe(page.url or "/", v) for v in axe.violations(tab)]
    finally:
        context.close()
    elapsed = time.monotonic() - started
    print(f"axe {width} ({w}px): {len(pages)} pages in {elapsed:.1f} s")
    assert not problems, f"{len(problems)} axe violation(s) at {width} width:\n" + "\n".join(
        problems
    )
