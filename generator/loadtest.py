"""Load and faults through nginx, on loopback only, bounded in requests and time.

- ``load``: wrk (Debian) sends a fixed number of requests over a page mix, paced over 30 s, like
  a browser would ask (``Accept-Encoding: br, gzip``); and, for comparison, as many as it can in
  10 s (capped). Figures: requests per second, p50/p99/max latency, errors.
- ``swap_under_load``: clients fetch pages and files while the site directory is replaced again
  and again by ``werkplekleren site``'s own swap; every answer must be 200 and byte for byte a
  file of the old or the new build (no failure, no half-written or mixed file).

``make bench`` prints both (``bench_report``); tests/test_nginx_swap.py asserts the swap result.
Nothing here is a timed test: the machine is shared, the figures are what it measured.
"""

from __future__ import annotations

import hashlib
import http.client
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import brotli

from generator import csp, hosting, server

WRK = Path(os.environ.get("WRK", "/usr/bin/wrk"))
#: The paced run: this many requests over this many seconds.
PACED_REQUESTS = 30_000
PACED_SECONDS = 30
#: The unpaced run: as fast as possible for this long, at most this many requests.
BURST_SECONDS = 10
BURST_CAP = 2_000_000

#: What a visitor's browser asks for, in site paths: pages, Material's bundles, our code, data,
#: a PDF, a QR code and an alias (301). Paths missing from a build are left out.
MIX = (
    "",
    "leidraad/",
    "leidraad/voor-je-begint/",
    "vormen/",
    "vormen/stage/",
    "vormen/stage/checklist/",
    "checklist/",
    "downloads/",
    "bruggenbouwers/",
    "vormen/ipl/",
    "assets/javascripts/bundle.*.min.js",
    "assets/stylesheets/main.*.min.css",
    "assets/javascripts/checklist/checklist.js",
    "assets/stylesheets/werkplekleren.css",
    "downloads/criteria.json",
    "search/search_index.json",
    "downloads/*.pdf",
    "bruggenbouwers/qr/stage-checklist.svg",
)


def page_mix(site_dir: Path, redirects: dict[str, str] | None = None) -> list[str]:
    """The paths of ``MIX`` that this build has (globs resolved to their first match).
    ``redirects``: the build's redirect pages (``csp.scan``), read again when not given."""
    aliases = hosting.alias_redirects(_redirects(site_dir) if redirects is None else redirects)
    out: list[str] = []
    for item in MIX:
        if "*" in item:
            matches = sorted(site_dir.glob(item))
            if matches:
                out.append("/" + matches[0].relative_to(site_dir).as_posix())
        elif f"/{item}" in aliases or (site_dir / item / "index.html").is_file() or (
            item and (site_dir / item).is_file()
        ):
            out.append(f"/{item}")
    return out


def _redirects(site_dir: Path) -> dict[str, str]:
    return csp.scan(site_dir).redirects


@dataclass(frozen=True)
class LoadResult:
    label: str
    requests: int
    seconds: float
    connections: int
    p50_ms: float
    p99_ms: float
    max_ms: float
    #: wrk's error counters: connect, read, write, timeout, status (answers >= 400).
    errors: dict[str, int]

    @property
    def rps(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    @property
    def error_count(self) -> int:
        return sum(self.errors.values())

    def line(self) -> str:
        return (
            f"  {self.label}: {self.requests} requests in {self.seconds:.1f} s = "
            f"{self.rps:,.0f} req/s; latency p50 {self.p50_ms:.2f} ms, p99 {self.p99_ms:.2f} ms, "
            f"max {self.max_ms:.1f} ms; errors {self.error_count}"
            + (f" {self.errors}" if self.error_count else "")
        )


_LUA = """
local paths = {%(paths)s}
local limit = %(limit)d
local pause = %(pause)d
local sent = 0
local answered = 0
function request()
  sent = sent + 1
  return wrk.format("GET", paths[(sent %% #paths) + 1], {["Accept-Encoding"] = "br, gzip"})
end
function delay()
  return pause
end
function response(status, headers, body)
  answered = answered + 1
  if answered >= limit then wrk.thread:stop() end
end
function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    '\\n@@{"requests": %%d, "us": %%d, "connect": %%d, "read": %%d, "write": %%d, ' ..
    '"status": %%d, "timeout": %%d, "p50": %%d, "p99": %%d, "max": %%d}\\n',
    summary.requests, summary.duration, e.connect, e.read, e.write, e.status, e.timeout,
    latency:percentile(50), latency:percentile(99), latency.max))
end
"""


def wrk(
    url: str,
    paths: list[str],
    label: str,
    requests: int,
    seconds: int,
    connections: int = 16,
    threads: int = 2,
    rate: float | None = None,
) -> LoadResult:
    """Run wrk against ``url`` over ``paths``: at most ``requests`` in ``seconds``; paced to
    ``rate`` requests per second when given (faster, so that the count is reached in time)."""
    if not WRK.is_file():
        raise RuntimeError(f"{WRK} ontbreekt: apt-get install wrk (make bench installeert het)")
    pause = int(connections * 1000 / (rate * 1.5)) if rate else 0
    script = _LUA % {
        "paths": ", ".join(json.dumps(p) for p in paths),
        "limit": -(-requests // threads),
        "pause": pause,
    }
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as handle:
        handle.write(script)
    try:
        result = subprocess.run(
            [str(WRK), f"-t{threads}", f"-c{connections}", f"-d{seconds}s", "--timeout", "5s",
             "-s", handle.name, url],
            capture_output=True, text=True, check=False, timeout=seconds + 60,
        )
    finally:
        os.unlink(handle.name)
    marker = result.stdout.rfind("@@")
    if result.returncode != 0 or marker < 0:
        raise RuntimeError(f"wrk failed ({result.returncode}): {result.stdout}{result.stderr}")
    data = json.loads(result.stdout[marker + 2 :].strip())
    return LoadResult(
        label=label,
        requests=data["requests"],
        seconds=data["us"] / 1e6,
        connections=connections,
        p50_ms=data["p50"] / 1000,
        p99_ms=data["p99"] / 1000,
        max_ms=data["max"] / 1000,
        errors={k: data[k] for k in ("connect", "read", "write", "timeout", "status")},
    )


def load(site_dir: Path) -> list[LoadResult]:
    """The paced fixed-count run and the unpaced run, through nginx over ``site_dir``."""
    paths = page_mix(site_dir)
    with server.running(site_dir) as srv:
        paced = wrk(
            srv.url, paths,
            f"paced, fixed count ({len(paths)} paths, {PACED_REQUESTS} over {PACED_SECONDS} s)",
            PACED_REQUESTS, PACED_SECONDS, connections=16,
            rate=PACED_REQUESTS / PACED_SECONDS,
        )
        burst = wrk(
            srv.url, paths, f"unpaced ({BURST_SECONDS} s, 32 connections)",
            BURST_CAP, BURST_SECONDS, connections=32,
        )
    return [paced, burst]


# --- Swapping the site under requests --------------------------------------------------------


@dataclass
class SwapResult:
    swaps: int = 0
    requests: int = 0
    seconds: float = 0.0
    #: Requests that failed: an exception or a status other than 200.
    failures: list[str] = field(default_factory=list)
    #: Answers that were no file of either build (half-written, mixed, or from nowhere).
    mismatches: list[str] = field(default_factory=list)
    #: Which build each answer came from.
    versions: Counter[str] = field(default_factory=Counter)

    def line(self) -> str:
        return (
            f"  site replaced {self.swaps} times under requests: {self.requests} requests in "
            f"{self.seconds:.1f} s, {len(self.failures)} failed, {len(self.mismatches)} not a "
            f"complete file of either build; answers from old/new build: "
            f"{self.versions['a']}/{self.versions['b']}"
        )


def _link_tree(source: Path, dest: Path) -> None:
    """A new tree of directories whose files are hard links: a copy of a build without copying
    megabytes. Safe because no step writes a file in place (hosting replaces files)."""
    shutil.copytree(source, dest, symlinks=True, copy_function=os.link)


def _variant(site_dir: Path, dest: Path) -> None:
    """A second build: the same site with a marker in every page, so that every page and its
    compressed variants differ (brotli at a fast level: only the bytes matter here)."""
    _link_tree(site_dir, dest)
    for page in dest.rglob("*.html"):
        data = page.read_bytes().replace(b"</html>", b"<!-- build b -->\n</html>")
        for path, variant in (
            (page, data),
            (page.with_name(page.name + ".gz"), hosting.gzip_bytes(data)),
            (page.with_name(page.name + ".br"), brotli.compress(data, quality=4)),
        ):
            path.unlink(missing_ok=True)  # a new file, not the hard link of the first build
            path.write_bytes(variant)


def _expected(a: Path, b: Path, paths: list[str]) -> dict[tuple[str, str], dict[str, str]]:
    """(path, encoding) -> {sha256 of the answer: build} for both builds."""
    out: dict[tuple[str, str], dict[str, str]] = {}
    for path in paths:
        rel = path.lstrip("/") + ("index.html" if path.endswith("/") else "")
        for encoding, suffix in (("", ""), ("gzip", ".gz"), ("br", ".br")):
            digests: dict[str, str] = {}
            for name, root in (("a", a), ("b", b)):
                file = root / (rel + suffix)
                if not file.is_file():
                    file = root / rel
                digests[hashlib.sha256(file.read_bytes()).hexdigest()] = name
            out[(path, encoding)] = digests
    return out


def swap_paths(site_dir: Path) -> list[str]:
    """Every page (no redirects) and the files of the page mix."""
    redirects = _redirects(site_dir)
    pages = [
        "/" + p.relative_to(site_dir).as_posix().removesuffix("index.html")
        for p in sorted(site_dir.rglob("index.html"))
        if p.relative_to(site_dir).as_posix() not in redirects
        and not any(part.startswith(".") for part in p.relative_to(site_dir).parts)
    ]
    files = [p for p in page_mix(site_dir, redirects) if not p.endswith("/")]
    return pages + files


def _client(
    port: int,
    paths: list[str],
    expected: dict[tuple[str, str], dict[str, str]],
    stop: threading.Event,
    result: SwapResult,
    lock: threading.Lock,
    offset: int,
) -> None:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    encodings = ("", "gzip", "br")
    n = offset
    while not stop.is_set():
        path = paths[n % len(paths)]
        encoding = encodings[(n // len(paths) + offset) % 3]
        n += 1
        headers = {"Accept-Encoding": encoding} if encoding else {}
        try:
            connection.request("GET", path, headers=headers)
            response = connection.getresponse()
            body = response.read()
        except (OSError, http.client.HTTPException) as exc:
            with lock:
                result.requests += 1
                result.failures.append(f"{path} [{encoding}]: {exc!r}")
            connection.close()
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
            continue
        version = expected[(path, encoding)].get(hashlib.sha256(body).hexdigest())
        with lock:
            result.requests += 1
            if response.status != 200:
                result.failures.append(f"{path} [{encoding}]: {response.status}")
            elif version is None:
                result.mismatches.append(f"{path} [{encoding}]: {len(body)} bytes")
            else:
                result.versions[version] += 1
    connection.close()


def swap_under_load(site_dir: Path, workdir: Path, swaps: int = 10, clients: int = 4) -> SwapResult:
    """Serve a copy of ``site_dir`` with nginx and replace it ``swaps`` times (alternating with a
    variant build) with the CLI's swap while ``clients`` threads fetch and check every answer."""
    from generator.cli import _swap

    a, b = workdir / "a", workdir / "b"
    _link_tree(site_dir, a)
    _variant(a, b)
    paths = swap_paths(a)
    expected = _expected(a, b, paths)
    public = workdir / "public"
    public.mkdir()
    target = public / "site"
    _link_tree(a, target)
    result = SwapResult()
    lock = threading.Lock()
    stop = threading.Event()
    with server.running(target) as srv:
        workers = [
            threading.Thread(
                target=_client,
                args=(srv.port, paths, expected, stop, result, lock, i * 7),
                daemon=True,
            )
            for i in range(clients)
        ]
        start = time.perf_counter()
        for worker in workers:
            worker.start()
        try:
            time.sleep(0.5)
            for i in range(swaps):
                staging = public / f".stage-{i}"
                staging.mkdir()
                _link_tree(b if i % 2 == 0 else a, staging / "site")
                _swap(staging / "site", target)
                staging.rmdir()
                result.swaps += 1
                time.sleep(0.2)
            time.sleep(0.5)
        finally:
            stop.set()
            for worker in workers:
                worker.join(timeout=30)
        result.seconds = time.perf_counter() - start
    return result


def _site_for_bench(tmp: Path) -> tuple[Path, str]:
    """A finished site: a copy of ``site/`` when it is one, else a fresh ``werkplekleren site``."""
    existing = Path("site")
    if (existing / hosting.NGINX_DIR / "server.conf").is_file():
        copy = tmp / "site"
        shutil.copytree(existing, copy, symlinks=True)
        return copy, f"a copy of {existing.resolve()}"
    from generator import cli

    out = tmp / "site"
    if cli.main(["site", "--out", str(out)]) != 0:
        raise RuntimeError("werkplekleren site failed")
    return out, "a fresh `werkplekleren site` build"


def bench_report() -> list[str]:
    """Lines for ``make bench``."""
    with tempfile.TemporaryDirectory(prefix="wpl-load-") as tmp:
        site_dir, source = _site_for_bench(Path(tmp))
        lines = [f"nginx over {source} (127.0.0.1, wrk {WRK}, {os.cpu_count()} cores shared "
                 "with the client):"]
        lines += [result.line() for result in load(site_dir)]
        swap_dir = Path(tmp) / "swap"
        swap_dir.mkdir()
        swapped = swap_under_load(site_dir, swap_dir, swaps=20)
        lines.append(swapped.line())
        for problem in (swapped.failures + swapped.mismatches)[:5]:
            lines.append(f"    {problem}")
    return lines


if __name__ == "__main__":
    for line in bench_report():
        print(line, flush=True)
    sys.exit(0)
