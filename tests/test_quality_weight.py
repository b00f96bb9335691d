"""Page weight (issue 6): our own JavaScript and CSS stay under 20 KB gzipped on a checklist page.

The budget is asserted on every page (checklist pages included), so it holds wherever our code
is loaded; the static list of fetched files that the measurement uses is checked against what
Chromium really requests.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from generator import weight
from tests.test_quality_pages import content_pages


def test_own_code_stays_within_budget_on_every_page(site_dir: Path) -> None:
    measured = {p.path: weight.page_weight(site_dir, p.path) for p in content_pages(site_dir)}
    over = {
        page: f"{weight.kb(w.own_gzipped)}: " + ", ".join(r.path for r in w.own_code)
        for page, w in measured.items()
        if w.own_gzipped >= weight.OWN_BUDGET
    }
    assert not over, f"own JS + CSS over {weight.kb(weight.OWN_BUDGET)} gzipped: {over}"
    # Our stylesheet is on every page, and it is recognised as ours (not Material's).
    for page, w in measured.items():
        assert "assets/stylesheets/werkplekleren.css" in {r.path for r in w.own_code}, page


def test_checklist_page_weight_includes_the_checklist_code(site_dir: Path) -> None:
    checklists = [
        p.path for p in content_pages(site_dir) if p.path.endswith("/checklist/index.html")
    ]
    assert checklists, "no checklist page in the build"
    page = checklists[0]
    w = weight.page_weight(site_dir, page)
    own = {Path(r.path).name for r in w.own_code}
    assert {"werkplekleren.css", "rolfilter.js"} <= own
    assert any(name.startswith("checklist") and name.endswith(".js") for name in own), own
    assert w.own_gzipped < weight.OWN_BUDGET
    material = [r for r in w.resources if not r.own]
    assert any(r.path.startswith("assets/javascripts/bundle.") for r in material)


def _requested(page: Any, server: str, url: str) -> set[str]:
    seen: list[str] = []
    page.context.on("request", lambda request: seen.append(request.url))
    page.goto(server + url, wait_until="networkidle")
    # The search worker loads its index and the Lunr language files after the page.
    count, stable_since = -1, time.monotonic()
    while time.monotonic() - stable_since < 1.0:
        if len(seen) != count:
            count, stable_since = len(seen), time.monotonic()
        page.wait_for_timeout(200)
    return {u.removeprefix(server).split("#")[0].split("?")[0] for u in seen}


def test_measured_files_are_what_the_browser_fetches(
    page: Any, server: str, site_dir: Path
) -> None:
    target = next(p for p in weight.BENCH_PAGES if (site_dir / p).is_file())
    fetched = {
        p.removesuffix("index.html") for p in weight.fetched_paths(site_dir, target)
    }
    requested = _requested(page, server, target.removesuffix("index.html"))
    assert page.foreign_requests == []
    assert requested == fetched


def test_bench_report(site_dir: Path) -> None:
    lines = weight.bench_report(site_dir)
    text = "\n".join(lines)
    print(text)
    assert lines[0].startswith("Page weight of /vormen/stage/")
    assert "own JS + CSS:" in text and "within the budget of 20.0 KB" in text
    assert "total transfer:" in text and "requests" in text


def test_bench_report_says_when_the_checklist_page_is_missing(tmp_path: Path) -> None:
    page = tmp_path / "vormen" / "stage" / "index.html"
    page.parent.mkdir(parents=True)
    page.write_text(
        '<!doctype html><html lang="nl"><head><title>Stage</title>'
        '<link rel="stylesheet" href="../../assets/stylesheets/werkplekleren.css"></head>'
        "<body></body></html>",
        encoding="utf-8",
    )
    css = tmp_path / "assets" / "stylesheets" / "werkplekleren.css"
    css.parent.mkdir(parents=True)
    css.write_text("a { color: red }\n" * 50, encoding="utf-8")
    lines = weight.bench_report(tmp_path)
    assert lines[0] == "Page weight: /vormen/stage/checklist/ is not in the build."
    assert lines[1] == "Page weight of /vormen/stage/ (gzip level 6):"
    assert "werkplekleren.css" in lines[2]
