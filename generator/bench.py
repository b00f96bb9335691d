"""``make bench``: how long the build takes, and what the PDF pipeline costs or saves.

Prints the cold full build (empty cache), the warm rebuild (nothing changed), the time and size of
every PDF, and the ratio of our PDF step to rendering the same HTML documents with WeasyPrint
directly, one after the other in this process (one shared FontConfiguration and stylesheet: the
fastest plain loop). Below 1 the pipeline saves time (parallel workers, cache); above 1 it costs.

Then both engines side by side on the same generated input (``engine_lines``): MkDocs + Material
and Zensical, cold and warm with nothing changed. The generator (PDF step included) runs once
before and is not counted: it is the same for both. ``--engines`` prints only that comparison.

Other modules may add figures: ``bench_report() -> list[str]`` in ``generator.checklist`` and
``generator.weight`` is called when it exists, and its lines are printed.
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
from pathlib import Path

from generator import engines, loader, pdf, site

DEFAULT_SITE_URL = "https://werkplekleren.example.org/"
#: Modules that may contribute lines through ``bench_report()``.
EXTRA_REPORTS = ("generator.checklist", "generator.weight")


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
    """Render every document with WeasyPrint directly, in one loop, without cache or workers."""
    from weasyprint import CSS, HTML
    from weasyprint.text.fonts import FontConfiguration

    start = time.perf_counter()
    base_url = pdf.PDF_TEMPLATES.as_uri() + "/"
    font_config = FontConfiguration()
    css = CSS(string=pdf.stylesheet(), base_url=base_url, font_config=font_config)
    seconds: dict[str, float] = {}
    for doc in docs:
        one = time.perf_counter()
        HTML(string=doc.html, base_url=base_url).write_pdf(
            stylesheets=[css], font_config=font_config, **pdf.OPTIONS
        )
        seconds[doc.name] = time.perf_counter() - one
    return time.perf_counter() - start, seconds


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
    print(f"  WeasyPrint directly, one loop, same HTML:     {direct:7.2f} s")
    print(f"  ratio PDF step / WeasyPrint directly, wall clock: "
          f"cold {cold_report.wall / direct:.2f}, warm {warm_report.wall / direct:.3f}")
    # CPU time does not depend on what else the machine runs: it shows what the pipeline
    # (HTML, hashing, worker start-up) costs on top of WeasyPrint, parallelism aside.
    pdf_cpu = cold_cpu - warm_cpu  # the warm build is the same minus the rendering
    print(f"  CPU time: PDF step cold about {pdf_cpu:.2f} s (all workers), WeasyPrint directly "
          f"{direct_cpu:.2f} s, ratio {pdf_cpu / direct_cpu:.2f}")
    print()
    print(f"  {'PDF':<52} {'ours s':>7} {'direct s':>9} {'size':>8}")
    for doc in docs:
        ours = cold_report.seconds.get(doc.name, 0.0)
        print(f"  {doc.name:<52} {ours:7.2f} {direct_seconds[doc.name]:9.2f} "
              f"{pdf.human_size(sizes[doc.name]):>8}")
    total = sum(sizes.values())
    rendered = sum(cold_report.seconds.values())
    print(f"  {'total (' + pdf.human_size(total) + ')':<52} {rendered:7.2f} "
          f"{sum(direct_seconds.values()):9.2f}")
    print()
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
