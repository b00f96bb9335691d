"""``make audit``: Lighthouse on the key pages of a fresh build, with the thresholds of issue 6.

Builds the site into a temporary directory with ``site_url`` set to the local server (so the
canonical links and the sitemap point where the pages are served), serves it with gzip like a
production web server would, and runs Lighthouse (npm, pinned 12.2.3) in Debian's Chromium on
each page, as a mobile visitor (Lighthouse's default: a mid-range phone on a slow 4G network).

Each page is audited ``--runs`` times (default 3) and judged by its median run (the run with the
median performance score), as Lighthouse's own documentation advises: on a shared 2-core machine
one page's performance score varies by up to 8 points between two runs in a row, so a single run
says little. Prints the four scores of the median run per page, the range of the performance
scores and the median run's Total Blocking Time. Fails (exit 1) when accessibility, best
practices or SEO is below 100 or performance below 95 in the median run of any page, and when a
page is not in the build. The median run's full report is kept in ``.cache/lighthouse/``.
"""

from __future__ import annotations

import argparse
import functools
import gzip
import http.server
import io
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
LIGHTHOUSE = ROOT / "node_modules" / ".bin" / "lighthouse"
CHROME = os.environ.get("CHROME_PATH", "/usr/bin/chromium")
#: PaintHolding off: with it, this headless Chromium (no GPU) sat idle for 0.9 to 2 s before
#: the first frame in 3 of 5 runs of the checklist page, everything loaded and the main thread
#: idle; without it, in none of 5. Lighthouse's simulation then counts every script that ran in
#: that pause as if the first paint had waited for it. Paint holding only keeps the previous
#: page's pixels during a navigation; it is not a cost of the page being measured.
CHROME_FLAGS = (
    "--headless=new --no-sandbox --disable-gpu --disable-background-networking "
    "--disable-component-update --disable-sync --disable-features=PaintHolding"
)
REPORTS = ROOT / ".cache" / "lighthouse"

#: The pages issue 6 names, by what they stand for.
PAGES = {
    "home": "",
    "leidraad (fase)": "leidraad/voor-je-begint/",
    "vorm": "vormen/stage/",
    "checklist": "vormen/stage/checklist/",
    "bruggenbouwers (RTC)": "bruggenbouwers/",
}
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
#: Runs per page; the median run counts.
RUNS = 3
#: Minimum score (0-100) per category.
THRESHOLDS = {"performance": 95, "accessibility": 100, "best-practices": 100, "seo": 100}
COMPRESSIBLE = (".html", ".css", ".js", ".json", ".xml", ".svg", ".txt", ".csv")


class GzipHandler(http.server.SimpleHTTPRequestHandler):
    """Serves the build like a production host: text files gzipped when the client accepts it."""

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def send_head(self) -> Any:
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            if not self.path.split("?")[0].split("#")[0].endswith("/"):
                return super().send_head()  # the redirect to the URL with a slash
            path = path / "index.html"
        accepts = "gzip" in self.headers.get("Accept-Encoding", "")
        if not (accepts and path.is_file() and path.suffix in COMPRESSIBLE):
            return super().send_head()
        body = gzip.compress(path.read_bytes(), 6)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "max-age=3600")
        self.end_headers()
        return io.BytesIO(body)


def build(dest: Path, site_url: str) -> None:
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1", SITE_URL=site_url)
    command = [sys.executable, "-m", "mkdocs", "build", "--strict", "-q", "-d", str(dest)]
    subprocess.run(command, cwd=ROOT, env=env, check=True)


def lighthouse(url: str, report: Path) -> dict[str, Any]:
    command = [
        str(LIGHTHOUSE), url, "--quiet", "--output=json", f"--output-path={report}",
        f"--chrome-flags={CHROME_FLAGS}", "--only-categories=" + ",".join(CATEGORIES),
        "--locale=nl",
    ]
    env = dict(os.environ, CHROME_PATH=CHROME)
    subprocess.run(command, env=env, check=True, capture_output=True, text=True)
    result: dict[str, Any] = json.loads(report.read_text(encoding="utf-8"))
    return result


def failing_audits(result: dict[str, Any], category: str) -> list[str]:
    audits = result["audits"]
    lines = []
    for ref in result["categories"][category]["auditRefs"]:
        audit = audits[ref["id"]]
        if ref["weight"] > 0 and audit.get("score") is not None and audit["score"] < 1:
            value = audit.get("displayValue", "")
            lines.append(f"      {ref['id']}: {audit['title']} {value}".rstrip())
    return lines


def median_run(url: str, report: Path, runs: int) -> tuple[dict[str, Any], list[int]]:
    """Audit ``url`` ``runs`` times; the run with the median performance score (its report is
    left in ``report``) and every run's performance score, in the order they ran."""
    results, scores = [], []
    for n in range(runs):
        result = lighthouse(url, report.with_name(f"{report.stem}.{n}.json"))
        results.append(result)
        scores.append(round(100 * (result["categories"]["performance"]["score"] or 0)))
    median = sorted(range(runs), key=lambda n: scores[n])[runs // 2]
    report.with_name(f"{report.stem}.{median}.json").replace(report)
    for n in range(runs):
        report.with_name(f"{report.stem}.{n}.json").unlink(missing_ok=True)
    return results[median], scores


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--site", type=Path, help="audit this build instead of building one")
    parser.add_argument("--port", type=int, default=0, help="serve on this port (default: any)")
    parser.add_argument("--page", action="append", choices=sorted(PAGES), help="only these")
    parser.add_argument("--runs", type=int, default=RUNS,
                        help=f"runs per page, the median counts (default {RUNS})")
    args = parser.parse_args(argv)
    tools = ((LIGHTHOUSE, "run `make audit` (npm ci)"), (Path(CHROME), "apt-get install chromium"))
    for tool, hint in tools:
        if not tool.exists():
            print(f"audit: {tool} not found: {hint}", file=sys.stderr)
            return 2
    REPORTS.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="wpl-audit-") as tmp:
        site = args.site.resolve() if args.site else Path(tmp) / "site"
        site.mkdir(parents=True, exist_ok=True)
        handler = functools.partial(GzipHandler, directory=str(site))
        httpd = http.server.ThreadingHTTPServer(("127.0.0.1", args.port), handler)
        base = f"http://127.0.0.1:{httpd.server_address[1]}/"
        threading.Thread(target=httpd.serve_forever, daemon=True).start()
        try:
            if not args.site:
                shutil.rmtree(site)
                build(site, base)
            return audit(site, base, args.page or list(PAGES), max(1, args.runs))
        finally:
            httpd.shutdown()
            httpd.server_close()


def audit(site: Path, base: str, names: list[str], runs: int = RUNS) -> int:
    header = (f"{'page':<24} {'perf':>5} {'a11y':>5} {'bp':>5} {'seo':>5}  "
              f"{'perf range':>10} {'TBT ms':>7}  url")
    print(f"Lighthouse {lighthouse_version()} (mobile) on {base}; median of {runs} run(s) per page")
    print(header)
    failures = 0
    for name in names:
        path = PAGES[name]
        if not (site / path / "index.html").is_file():
            print(f"{name:<24} {'-':>5} {'-':>5} {'-':>5} {'-':>5}  /{path}: NOT IN THE BUILD "
                  "(not landed yet?) - cannot be audited")
            failures += 1
            continue
        slug = path.strip("/").replace("/", "-") or "home"
        result, perf = median_run(base + path, REPORTS / f"{slug}.report.json", runs)
        scores = {c: round(100 * (result["categories"][c]["score"] or 0)) for c in CATEGORIES}
        low = [c for c in CATEGORIES if scores[c] < THRESHOLDS[c]]
        tbt = round(result["audits"]["total-blocking-time"]["numericValue"])
        spread = f"{min(perf)}-{max(perf)}"
        print(f"{name:<24} " + " ".join(f"{scores[c]:>5}" for c in CATEGORIES)
              + f"  {spread:>10} {tbt:>7}  /{path}"
              + ("" if not low else "  BELOW THRESHOLD: " + ", ".join(low)))
        for category in low:
            print(f"    {category} (needs {THRESHOLDS[category]}):")
            print("\n".join(failing_audits(result, category)))
        failures += bool(low)
    print(f"thresholds (median run): performance >= 95 (mobile), accessibility, best practices "
          f"and SEO = 100; reports in {REPORTS.relative_to(ROOT)}/")
    if failures:
        print(f"audit: {failures} page(s) fail", file=sys.stderr)
    return 1 if failures else 0


def lighthouse_version() -> str:
    package = ROOT / "node_modules" / "lighthouse" / "package.json"
    return str(json.loads(package.read_text(encoding="utf-8"))["version"])


if __name__ == "__main__":
    raise SystemExit(main())
