"""Reflow (WCAG 2.1, 1.4.10; axe does not check it): every page fits a 320 CSS px wide viewport
without scrolling sideways. Long words, compounds ("studie- en
loopbaanadvies/trajectbegeleiding") and URLs must break instead.

Every content page of the built site, with JavaScript on (the checklist pages show their
controls) and every <details> opened (content inside a closed one is not laid out). One browser
context is reused for all pages.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tests.test_quality_pages import content_pages

WIDTH = 320

#: Measures the page; names the innermost element whose content sticks out on the right (its
#: left edge plus its scroll width), to say what to fix.
MEASURE = """() => {
  document.querySelectorAll("details").forEach((d) => { d.open = true; });
  const root = document.documentElement;
  const width = window.innerWidth;
  let culprit = "";
  if (root.scrollWidth > width) {
    const wide = (el) => el.getBoundingClientRect().left + el.scrollWidth > width + 0.5;
    for (const el of document.body.querySelectorAll("*")) {
      if (wide(el) && ![...el.children].some(wide)) {
        const cls = typeof el.className === "string" ? el.className.trim() : "";
        culprit = el.tagName.toLowerCase() + (cls ? "." + cls.split(/\\s+/).join(".") : "")
          + ": " + (el.textContent || "").trim().slice(0, 60);
        break;
      }
    }
  }
  return {scrollWidth: root.scrollWidth, width, culprit};
}"""


def test_every_page_reflows_at_320_css_px(browser: Any, server: str, site_dir: Path) -> None:
    pages = content_pages(site_dir)
    assert len(pages) >= 20, "the build has fewer pages than expected"
    context = browser.new_context(locale="nl-BE", viewport={"width": WIDTH, "height": 640})
    context.route(
        "**/*",
        lambda route: route.continue_() if route.request.url.startswith(server) else route.abort(),
    )
    too_wide: list[str] = []
    try:
        tab = context.new_page()
        for page in pages:
            response = tab.goto(server + page.url, wait_until="load")
            assert response is not None and response.ok, page.url
            result = tab.evaluate(MEASURE)
            assert result["width"] == WIDTH, result
            if result["scrollWidth"] > result["width"]:
                too_wide.append(
                    f"{page.url or '/'}: {result['scrollWidth']} px wide; {result['culprit']}"
                )
    finally:
        context.close()
    assert too_wide == [], "pages that scroll sideways at 320 px:\n" + "\n".join(too_wide)


def test_the_reflow_check_can_fail(browser: Any) -> None:
    """The same measurement reports a page with one long unbreakable word."""
    context = browser.new_context(viewport={"width": WIDTH, "height": 640})
    try:
        tab = context.new_page()
        tab.set_content("<html><body><p>" + "werkplekleren" * 8 + "</p></body></html>")
        result = tab.evaluate(MEASURE)
        assert result["scrollWidth"] > WIDTH and result["culprit"].startswith("p:")
    finally:
        context.close()
