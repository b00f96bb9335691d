"""Command line: ``werkplekleren check``, ``build``, ``site`` and ``schema``.

``site --engine zensical`` (or ENGINE=zensical) builds the same site with Zensical (engines.py).

Exit codes: 0 success, 1 the criteria have problems (all listed on stderr), 2 usage or build
failure.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

import yaml

from generator import engines, loader, site
from generator.model import Leidraad

EXIT_OK, EXIT_INVALID, EXIT_FAILED = 0, 1, 2


def _load(criteria: Path) -> Leidraad | None:
    try:
        return loader.load(criteria)
    except loader.LoadError as exc:
        print(f"werkplekleren: {exc}", file=sys.stderr)
        return None


def cmd_check(args: argparse.Namespace) -> int:
    leidraad = _load(args.criteria)
    if leidraad is None:
        return EXIT_INVALID
    located = list(leidraad.criteria())
    print(
        f"OK: {len(leidraad.phases)} fasen, "
        f"{sum(len(p.domeinen) for p in leidraad.phases)} domeinen, "
        f"{len(list(leidraad.questions()))} vragen, {len(located)} criteria, "
        f"{len(leidraad.forms)} vormen, {len(leidraad.roles)} rollen "
        f"(versie {leidraad.guideline.versie})"
    )
    return EXIT_OK


def cmd_schema(args: argparse.Namespace) -> int:
    from generator import schema

    for path in schema.write(args.out):
        print(path)
    return EXIT_OK


def cmd_build(args: argparse.Namespace) -> int:
    """Write generated pages and files to ``--out`` without MkDocs."""
    leidraad = _load(args.criteria)
    if leidraad is None:
        return EXIT_INVALID
    build = site.generate(leidraad, args.site_url, args.cache_dir)
    out: Path = args.out.resolve()
    # Stage beside the target so the final rename stays on one file system.
    out.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix=f".{out.name}-", dir=out.parent) as tmp:
        staging = Path(tmp) / "out"
        site.write(build, staging / "docs")
        (staging / "nav.yml").write_text(
            yaml.safe_dump({"nav": site.nav(build, Path("content"))}, allow_unicode=True),
            encoding="utf-8",
        )
        _swap(staging, out)
    print(f"{len(build.pages)} pagina's en {len(build.files)} bestanden in {out}")
    return EXIT_OK


def cmd_site(args: argparse.Namespace) -> int:
    """Build the whole site with the chosen engine into a fresh directory, then swap it into
    place. A failing build leaves the previous site untouched."""
    if args.engine not in engines.ENGINES:  # a default from ENGINE is not checked by argparse
        print(f"werkplekleren: onbekende engine {args.engine!r}; kies uit "
              f"{', '.join(engines.ENGINES)}", file=sys.stderr)
        return EXIT_FAILED
    if args.engine == "zensical":
        return _site_zensical(args)
    out: Path = args.out.resolve()
    out.parent.mkdir(parents=True, exist_ok=True)
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    with tempfile.TemporaryDirectory(prefix=".site-", dir=out.parent) as tmp:
        staging = Path(tmp) / "site"
        # No -q: with it MkDocs hides warnings and --strict no longer fails on them.
        command = [sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(staging)]
        command += ["-f", str(args.config)]
        result = subprocess.run(command, env=env, check=False)
        if result.returncode != 0 or not (staging / "index.html").is_file():
            print(f"werkplekleren: build mislukt; {out} is niet gewijzigd", file=sys.stderr)
            return EXIT_FAILED
        _swap(staging, out)
    print(f"site gebouwd in {out}")
    return EXIT_OK


def _site_zensical(args: argparse.Namespace) -> int:
    """The same site with Zensical: our generator's output, a config derived from mkdocs.yml."""
    out: Path = args.out.resolve()
    try:
        project = engines.ZensicalProject(
            args.config, args.work_dir or args.config.resolve().parent / engines.DEFAULT_WORK_DIR
        )
        leidraad = _load(project.criteria_dir())
        if leidraad is None:
            print(f"werkplekleren: {out} is niet gewijzigd", file=sys.stderr)
            return EXIT_INVALID
        notice = site.placeholder_notice(project.site_url)
        if notice:
            print(f"INFO    -  {notice}")
        build = site.generate(leidraad, project.site_url, project.cache_dir())
        project.stage(build)
        project.build()
        engines.publish(project.output, out)
    except engines.EngineError as exc:
        print(f"werkplekleren: {exc}; {out} is niet gewijzigd", file=sys.stderr)
        return EXIT_FAILED
    print(f"site gebouwd met Zensical in {out}")
    return EXIT_OK


#: Kept under its old name: tests and callers use it.
_swap = site.swap


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="werkplekleren", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)

    def with_criteria(p: argparse.ArgumentParser) -> argparse.ArgumentParser:
        p.add_argument("--criteria", type=Path, default=Path("criteria"), help="map met YAML")
        return p

    with_criteria(sub.add_parser("check", help="controleer de criteria")).set_defaults(
        func=cmd_check
    )
    schema = sub.add_parser("schema", help="schrijf de JSON Schema's voor editors")
    schema.add_argument("--out", type=Path, default=Path("schema"))
    schema.set_defaults(func=cmd_schema)
    build = with_criteria(sub.add_parser("build", help="schrijf gegenereerde pagina's"))
    build.add_argument("--out", type=Path, required=True)
    build.add_argument("--site-url", default="")
    build.add_argument("--cache-dir", type=Path, default=site.DEFAULT_CACHE_DIR)
    build.set_defaults(func=cmd_build)
    whole = sub.add_parser("site", help="bouw de hele site met MkDocs of Zensical (atomair)")
    whole.add_argument("--out", type=Path, default=Path("site"))
    whole.add_argument("--config", type=Path, default=Path("mkdocs.yml"))
    whole.add_argument(
        "--engine",
        choices=engines.ENGINES,
        default=engines.engine_from_env(),
        help=f"MkDocs of Zensical; standaard de omgevingsvariabele ENGINE, anders "
        f"{engines.DEFAULT_ENGINE}",
    )
    whole.add_argument(
        "--work-dir",
        type=Path,
        default=None,
        help=f"projectmap voor Zensical (standaard {engines.DEFAULT_WORK_DIR} naast mkdocs.yml)",
    )
    whole.set_defaults(func=cmd_site)

    args = parser.parse_args(argv)
    code: int = args.func(args)
    return code


if __name__ == "__main__":
    raise SystemExit(main())
