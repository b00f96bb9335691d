"""axe-core in a Playwright page, for the accessibility tests.

The axe-core that npm installs from package-lock.json (pinned in package.json), injected into
the page once per document. It replaces axe-playwright-python, whose bundled axe-core (4.12)
took twice as long on our pages: its colour-contrast rule was 0.84 s against 0.39 s for 4.14
on a form page, and the whole suite runs axe on every page eight times.
"""

from __future__ import annotations

import functools
from typing import Any

from tests.conftest import ROOT

AXE_JS = ROOT / "node_modules" / "axe-core" / "axe.min.js"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
#: WCAG 2.0 and 2.1, levels A and AA; only the violations come back.
WCAG: dict[str, Any] = {
    "runOnly": {"type": "tag", "values": WCAG_TAGS},
    "resultTypes": ["violations"],
}


@functools.cache
def source() -> str:
    assert AXE_JS.is_file(), f"{AXE_JS} is missing: run `make test` (it runs npm ci)"
    return AXE_JS.read_text(encoding="utf-8")


def violations(page: Any, options: dict[str, Any] = WCAG) -> list[dict[str, Any]]:
    """axe's violations on the whole document of ``page`` as it is now. Where axe is not in the
    page yet (an init script puts it in every page of a context), it is evaluated into it."""
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate(source())
    result: list[dict[str, Any]] = page.evaluate(
        "options => axe.run(document, options).then(r => r.violations)", options
    )
    return result


def describe(url: str, violation: dict[str, Any]) -> str:
    """One violation on the page at ``url``, for a failure message: the rule, where, and why."""
    nodes = violation["nodes"]
    targets = ", ".join(" ".join(map(str, n["target"])) for n in nodes[:5])
    summary = nodes[0].get("failureSummary", "").replace("\n", " ") if nodes else ""
    return (
        f"{url}: {violation['id']} ({violation['impact']}, {len(nodes)}x) at {targets}\n"
        f"    {violation['help']}. {summary[:400]}"
    )
