"""``make bench``: how long the build takes, and what the PDF pipeline costs or saves.

Prints the cold full build (empty cache), the warm rebuild (nothing changed), the time and size of
every PDF, and the ratio of our PDF step to rendering the same documents in one plain loop in this
process (one shared FontConfiguration and stylesheet, the same post-processing: the fastest
serial loop). Below 1 the pipeline saves time (parallel workers, cache); above 1 it costs.

Then the "content floor" (issue 12): each full-form PDF against the same criteria texts rendered
by WeasyPrint as a plain list (no fields, no tables, no cover), alternately in this process, so
that the ratio holds on a busy machine. Targets: a full-form PDF renders in at most 3 x its floor
(median) and weighs at most 120 kB.

Then both engines side by side on the same generated input (``engine_lines``): MkDocs + Material
and Zensical, cold and warm with nothing changed. The generator (PDF step included) runs once
before and is not counted: it is the same for both. ``--engines`` prints only that comparison.

Other modules may add figures: ``bench_report() -> list[str]`` in ``generator.checklist``,
``generator.weight``, ``generator.browser_bench`` (the checklist in Chromium) and
``generator.loadtest`` (nginx under load and while the site is replaced) is called when it
exists, and its lines are printed.
"""

from __future__ import annotations

import importlib
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from statistics import median

from markupsafe import escape

from generator import engines, loader, pdf, site, text
from generator.model import Leidraad
from generator.pdf import rendering
from generator.tailor import tailor

DEFAULT_SITE_URL = "https://werkplekleren.example.org/"
#: Modules that may contribute lines through ``bench_report()``.
EXTRA_REPORTS = (
    "generator.checklist", "generator.weight", "generator.browser_bench", "generator.loadtest"
)


def _cpu() -> float:
    """CPU seconds of this process and its finished children (the render workers)."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def _timed(action: Callable[[], object]) -> tuple[float, float]:
    """Wall-clock and CPU seconds of ``action``; CPU time does not depend on other load."""
    start, cpu = time.perf_counter(), _cpu()
    action()
    return time.perf_counter() - start, _cpu() - cpu


def direct_loop(docs: Sequence[pdf.Document]) -> tuple[float, dict[str, float]]:
    """Render every document in one loop in this process, without cache or workers."""
    start = time.perf_counter()
    rendering._init_worker(pdf.stylesheet(), pdf.PDF_TEMPLATES.as_uri() + "/")
    seconds: dict[str, float] = {}
    for doc in docs:
        one = time.perf_counter()
        rendering.render_pdf(doc)
        seconds[doc.name] = time.perf_counter() - one
    return time.perf_counter() - start, seconds


#: The floor's stylesheet: the checklist's body font and size on the same page, nothing else.
FLOOR_CSS = (
    '@page { size: A4; margin: 20mm 17mm 19mm } '
    'html { font-family: "DejaVu Sans", sans-serif; font-size: 9pt; line-height: 1.4 }'
)
#: Renders of each full-form PDF (and of its floor) for the medians.
REPEATS = 5
#: Issue 12's targets for a full-form PDF.
TARGET_RATIO = 3.0
TARGET_SIZE = 120_000


def floor_html(leidraad: Leidraad, doc: pdf.Document) -> str:
    """The same criteria texts as ``doc``, as a plain list: what any PDF of them costs."""
    form, role = doc.form, doc.role
    view = tailor(leidraad, form.slug if form else None, role.slug if role else None)
    items = "".join(f"<li>{escape(text.plain(item.criterion.tekst))}</li>" for item in view.items)
    return (
        f'<!DOCTYPE html><html lang="nl"><head><meta charset="utf-8"><title>{escape(doc.title)}'
        f"</title></head><body><h1>{escape(doc.title)}</h1><ol>{items}</ol></body></html>"
    )


@dataclass
class Floor:
    name: str
    ours: float
    floor: float
    ours_cpu: float
    floor_cpu: float
    size: int

    @property
    def ratio(self) -> float:
        return self.ours / self.floor


def content_floor(
    leidraad: Leidraad, docs: Sequence[pdf.Document], repeats: int = REPEATS
) -> list[Floor]:
    """Median render time of each document against its floor, rendered alternately."""
    from weasyprint import CSS, HTML

    rendering._init_worker(pdf.stylesheet(), pdf.PDF_TEMPLATES.as_uri() + "/")
    assert rendering._state is not None
    font_config = rendering._state[0]
    floor_css = CSS(string=FLOOR_CSS, font_config=font_config)
    out = []
    for doc in docs:
        plain = floor_html(leidraad, doc)
        ours, floor, ours_cpu, floor_cpu = [], [], [], []
        size = 0
        for _ in range(repeats):
            wall, cpu = time.perf_counter(), time.process_time()
            size = len(rendering.render_pdf(doc))
            ours.append(time.perf_counter() - wall)
            ours_cpu.append(time.process_time() - cpu)
            wall, cpu = time.perf_counter(), time.process_time()
            HTML(string=plain).write_pdf(stylesheets=[floor_css], font_config=font_config,
                                          **pdf.OPTIONS)
            floor.append(time.perf_counter() - wall)
            floor_cpu.append(time.process_time() - cpu)
        out.append(Floor(doc.name, median(ours), median(floor), median(ours_cpu),
                         median(floor_cpu), size))
    return out


def floor_lines(floors: Sequence[Floor]) -> list[str]:
    lines = [
        f"Content floor: each full-form PDF against its criteria as a plain list, median of "
        f"{REPEATS} alternate renders in this process",
        f"  {'PDF':<36} {'ours s':>7} {'floor s':>8} {'ratio':>6} {'CPU ratio':>10} {'size':>8}",
    ]
    for f in floors:
        lines.append(
            f"  {f.name:<36} {f.ours:7.2f} {f.floor:8.2f} {f.ratio:6.2f} "
            f"{f.ours_cpu / f.floor_cpu:10.2f} {pdf.human_size(f.size):>8}"
        )
    ours = median(f.ours for f in floors)
    floor = median(f.floor for f in floors)
    largest = max(f.size for f in floors)
    lines.append(
        f"  median over full-form PDFs: ours {ours:.2f} s, floor {floor:.2f} s, ratio "
        f"{ours / floor:.2f} (target <= {TARGET_RATIO:g}: "
        f"{'met' if ours / floor <= TARGET_RATIO else 'NOT met'})"
    )
    lines.append(
        f"  largest full-form PDF {pdf.human_size(largest)} ({largest} bytes; target <= "
        f"{TARGET_SIZE // 1000} kB: {'met' if largest <= TARGET_SIZE else 'NOT met'})"
    )
    return lines


def extra_lines() -> list[str]:
    lines: list[str] = []
    for name in EXTRA_REPORTS:
        try:
            module = importlib.import_module(name)
        except ImportError:
            continue
        report = getattr(module, "bench_report", None)
        if callable(report):
            lines += [str(line) for line in report()]
    return lines


def _run(command: list[str], cwd: Path) -> None:
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    result = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} failed:\n{result.stdout}{result.stderr}")


def engine_lines(build: site.SiteBuild, mkdocs_yml: Path, work: Path) -> list[str]:
    """Build time of MkDocs and Zensical on the same staged pages (the generator's output).

    Both get the config derived from mkdocs.yml without our plugin, so neither runs the
    generator: MkDocs with all overrides, Zensical with those for both engines. Cold: MkDocs in
    a fresh process (it keeps no cache), Zensical with an empty cache. Warm: the same build again
    with nothing changed. Wall clock and CPU time (which other load on the machine does not
    change) of the engine's process.
    """
    project = engines.ZensicalProject(mkdocs_yml, work / "zensical")
    project.stage(build)
    mkdocs_dir = work / "mkdocs"
    mkdocs_dir.mkdir(parents=True, exist_ok=True)
    mkdocs_config = mkdocs_dir / "mkdocs.yml"
    engines.write_yaml(
        engines.derive_config(
            project.config,
            site.nav(build, project.content_dir),
            docs_dir=str(project.dir / "docs"),
            site_dir=str(mkdocs_dir / "site"),
            custom_dir=str(project.overrides_dir),
        ),
        mkdocs_config,
    )
    mkdocs = [sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(mkdocs_config)]
    zensical = project.command()
    cache = project.dir / ".cache"
    if cache.exists():
        shutil.rmtree(cache)
    figures = {
        "mkdocs": [_timed(lambda: _run(mkdocs, mkdocs_dir)) for _ in range(3)],
        "zensical": [_timed(lambda: _run(zensical, project.dir)) for _ in range(3)],
    }
    import material
    import mkdocs as mkdocs_package
    import zensical as zensical_package

    names = {
        "mkdocs": f"MkDocs {mkdocs_package.__version__} + Material {material.__version__}",
        "zensical": f"Zensical {zensical_package.version()}",
    }

    def cell(runs: list[tuple[float, float]]) -> str:
        wall, cpu = runs[0] if len(runs) == 1 else min(runs)
        return f"{wall:6.2f} s (CPU {cpu:5.2f} s)"

    lines = [
        f"Engines on the same generated input: {len(build.pages)} generated pages, "
        f"{len(build.files)} files, plus the hand-written ones (the generator, PDF step "
        "included, runs once before: not counted)",
        f"  {'':<36} {names['mkdocs']:<32} {names['zensical']}",
    ]
    lines.append(
        f"  {'cold':<36} {cell(figures['mkdocs'][:1]):<32} {cell(figures['zensical'][:1])}"
    )
    lines.append(
        f"  {'warm, nothing changed (best of 2)':<36} {cell(figures['mkdocs'][1:]):<32} "
        f"{cell(figures['zensical'][1:])}"
    )
    return lines


def main(argv: Sequence[str] | None = None) -> int:
    args = list(argv or [])
    if "--engines" in args:
        args.remove("--engines")
        criteria = Path(args[0]) if args else Path("criteria")
        started = time.perf_counter()
        shared = site.generate(loader.load(criteria), os.environ.get("SITE_URL", DEFAULT_SITE_URL))
        print(f"generator (shared, PDFs from .cache when unchanged): "
              f"{time.perf_counter() - started:.2f} s")
        with tempfile.TemporaryDirectory(prefix="wpl-bench-") as tmp:
            for line in engine_lines(shared, Path("mkdocs.yml"), Path(tmp)):
                print(line)
        return 0
    criteria = Path(args[0]) if args else Path("criteria")
    site_url = os.environ.get("SITE_URL", DEFAULT_SITE_URL)
    leidraad = loader.load(criteria)
    import weasyprint

    with tempfile.TemporaryDirectory(prefix="wpl-bench-") as tmp:
        cache_dir = Path(tmp)
        cold, cold_cpu = _timed(lambda: site.generate(leidraad, site_url, cache_dir))
        cold_report = pdf.last_report
        build: list[site.SiteBuild] = []
        warm, warm_cpu = _timed(lambda: build.append(site.generate(leidraad, site_url, cache_dir)))
        warm_report = pdf.last_report
        assert cold_report is not None and warm_report is not None
        docs = pdf.documents(build[0])
        result: list[tuple[float, dict[str, float]]] = []
        _, direct_cpu = _timed(lambda: result.append(direct_loop(docs)))
        direct, direct_seconds = result[0]
        sizes = {name: path.stat().st_size for name, path in warm_report.paths.items()}
        # While the PDFs the build refers to are still in the temporary cache.
        engine_figures = engine_lines(build[0], Path("mkdocs.yml"), Path(tmp) / "engines")

    print(f"PDF benchmark: {len(docs)} PDFs, WeasyPrint {weasyprint.__version__}, "
          f"{pdf.cpu_count()} usable cores")
    print(f"  cold full build (site.generate, empty cache): {cold:7.2f} s"
          f"   PDF step {cold_report.wall:6.2f} s, {len(cold_report.rendered)} rendered "
          f"by {cold_report.workers} workers")
    print(f"  warm rebuild (nothing changed):               {warm:7.2f} s"
          f"   PDF step {warm_report.wall:6.2f} s, {len(warm_report.rendered)} rendered")
    print(f"  one plain loop, same documents:              {direct:7.2f} s")
    print(f"  ratio PDF step / plain loop, wall clock: "
          f"cold {cold_report.wall / direct:.2f}, warm {warm_report.wall / direct:.3f}")
    # CPU time does not depend on what else the machine runs: it shows what the pipeline
    # (HTML, hashing, worker start-up) costs on top of WeasyPrint, parallelism aside.
    pdf_cpu = cold_cpu - warm_cpu  # the warm build is the same minus the rendering
    print(f"  CPU time: PDF step cold about {pdf_cpu:.2f} s (all workers), plain loop "
          f"{direct_cpu:.2f} s, ratio {pdf_cpu / direct_cpu:.2f}")
    print()
    print(f"  {'PDF':<52} {'ours s':>7} {'loop s':>9} {'size':>8}")
    for doc in docs:
        ours = cold_report.seconds.get(doc.name, 0.0)
        print(f"  {doc.name:<52} {ours:7.2f} {direct_seconds[doc.name]:9.2f} "
              f"{pdf.human_size(sizes[doc.name]):>8}")
    total = sum(sizes.values())
    rendered = sum(cold_report.seconds.values())
    print(f"  {'total (' + pdf.human_size(total) + ')':<52} {rendered:7.2f} "
          f"{sum(direct_seconds.values()):9.2f}")
    print()
    full = [doc for doc in docs if doc.role is None]
    for line in floor_lines(content_floor(leidraad, full)):
        print(line)
    for line in engine_figures:
        print(line)
    lines = extra_lines()
    if lines:
        print()
        for line in lines:
            print(line)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
