"""``make bench`` (browser part): figures of issue 13, printed, not asserted.

* /overzicht/: 200 exported checklists of 57 criteria each are chosen at once in Debian's
  Chromium; the page's own performance marks give the time from the file input's change event
  to the rendered overview (``wpl:overzicht-load``: read, checked, matrix, summaries and actions
  in the DOM) and to the first task after the next frame (``wpl:overzicht-frame``: the style,
  layout and paint of that frame included). Five runs; the median and the slowest are printed.
* The link of an own instrument with 10 own criteria of 120 characters (the same encoder as the
  browser's: tests/test_instrument.py checks that both write the same payload).

Uses ``site/`` when it exists (``make site``), else builds the site into a temporary directory.
"""

from __future__ import annotations

import functools
import http.server
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import threading
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from generator import instrument, loader  # noqa: E402
from generator.site import SiteBuild  # noqa: E402
from generator.tailor import tailor  # noqa: E402
from tests.test_instrument import OWN_TEXTS  # noqa: E402  (the texts the test measures)

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
FILES, RUNS = 200, 5
STATUSES = ["in-orde", "deels", "nog-niet", "nvt", ""]


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


def exports(ids: list[str], vorm: str) -> list[dict[str, Any]]:
    rnd = random.Random(13)
    out = []
    for n in range(FILES):
        criteria: dict[str, Any] = {}
        for cid in ids:
            status = rnd.choice(STATUSES)
            entry: dict[str, Any] = {"status": status} if status else {}
            if rnd.random() < 0.1:
                entry["actie"] = {"wat": f"Actie {n}", "wie": "mentor", "wanneer": "2026-12-01"}
            if entry:
                criteria[cid] = entry
        out.append(
            {
                "formaat": "werkplekleren-checklist",
                "schema": 1,
                "leidraad": "2026.1",
                "vorm": vorm,
                "naam": f"Werkplek {n + 1}",
                "bewaard": "2026-11-29T10:00:00Z",
                "bron": "online",
                "criteria": criteria,
            }
        )
    return out


def site_dir(tmp: Path) -> Path:
    built = ROOT / "site"
    if (built / "overzicht" / "index.html").is_file():
        return built
    out = tmp / "site"
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    subprocess.run(
        [sys.executable, "-m", "generator.cli", "site", "--out", str(out)],
        cwd=ROOT,
        env=env,
        check=True,
    )
    return out


def overview(directory: Path, files: list[dict[str, Any]]) -> list[tuple[float, float]]:
    from playwright.sync_api import sync_playwright

    handler = functools.partial(_Quiet, directory=str(directory))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{httpd.server_address[1]}/"
    payload = [
        {
            "name": f"werkplek-{i + 1}.json",
            "mimeType": "application/json",
            "buffer": json.dumps(f).encode("utf-8"),
        }
        for i, f in enumerate(files)
    ]
    times = []
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
            for _ in range(RUNS):
                page = browser.new_page()
                page.goto(base + "overzicht/")
                page.wait_for_selector(".wpl-overview:not([hidden])")
                page.set_input_files(".wpl-ov-files", payload)
                # A function, not an expression string: Playwright would eval() a string in the
                # page, and the site's Content-Security-Policy (in every page that
                # `werkplekleren site` builds) refuses that.
                page.wait_for_function(
                    "() => performance.getEntriesByName('wpl:overzicht-frame').length > 0",
                    timeout=60000,
                )
                load, frame = page.evaluate("""() => ['wpl:overzicht-load', 'wpl:overzicht-frame']
                    .map(n => performance.getEntriesByName(n)[0].duration)""")
                assert page.get_attribute(".wpl-overview", "data-lists") == str(FILES)
                times.append((load, frame))
                page.close()
            browser.close()
    finally:
        httpd.shutdown()
        httpd.server_close()
    return times


def link_length() -> int:
    leidraad = loader.load(ROOT / "criteria")
    form = "duaal-leren"
    ids = [i.id for i in tailor(leidraad, form).items]
    question = leidraad.criterion(ids[0]).question.id
    inst = instrument.parse(
        json.dumps(
            {
                "formaat": "werkplekleren-instrument",
                "schema": 1,
                "id": "bench12345",
                "leidraad": leidraad.guideline.versie,
                "vorm": form,
                "titel": "Checklist duaal leren van onze school",
                "organisatie": "Sint-Jozefinstituut",
                "criteria": ids[1:],
                "eigen_criteria": [
                    {"id": f"eigen-{n}", "vraag": question, "tekst": text[:120]}
                    for n, text in enumerate(OWN_TEXTS, start=1)
                ],
            }
        )
    )
    build = SiteBuild(leidraad, os.environ.get("SITE_URL", "https://werkplekleren.example.org/"))
    return len(instrument.link(build, inst))


def main() -> int:
    leidraad = loader.load(ROOT / "criteria")
    ids = [i.id for i in tailor(leidraad, "stage").items]
    with tempfile.TemporaryDirectory(prefix="wpl-bench-ov-") as tmp:
        times = overview(site_dir(Path(tmp)), exports(ids, "stage"))
    loads = [t[0] for t in times]
    frames = [t[1] for t in times]
    print()
    print(
        f"overzicht: {FILES} files of {len(ids)} criteria, {RUNS} runs in Chromium, "
        f"{os.cpu_count()} cores"
    )
    print(
        f"  change event -> overview in the DOM:        median {statistics.median(loads):6.0f} ms, "
        f"slowest {max(loads):6.0f} ms"
    )
    print(
        f"  change event -> on screen (layout, paint): median {statistics.median(frames):6.0f} ms, "
        f"slowest {max(frames):6.0f} ms   (goal: <= 1000 ms)"
    )
    print(
        f"instrument link, 10 own criteria of 120 characters: {link_length()} characters "
        "(goal: < 2000)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
