"""Command line: ``werkplekleren check``, ``build``, ``site``, ``schema`` and ``lees-pdf``.

Exit codes: 0 success, 1 the criteria have problems (all listed on stderr) or ``lees-pdf`` met
a PDF that is not a checklist of ours, 2 usage or build failure.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

import yaml

from generator import loader, site
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
        for path, markdown in build.pages.items():
            target = staging / "docs" / path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(markdown, encoding="utf-8")
        for path, data in build.files.items():
            target = staging / "docs" / path
            target.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(data, Path):
                shutil.copyfile(data, target)
            else:
                target.write_bytes(data)
        (staging / "nav.yml").write_text(
            yaml.safe_dump({"nav": site.nav(build, Path("content"))}, allow_unicode=True),
            encoding="utf-8",
        )
        _swap(staging, out)
    print(f"{len(build.pages)} pagina's en {len(build.files)} bestanden in {out}")
    return EXIT_OK


def cmd_site(args: argparse.Namespace) -> int:
    """Build the whole site with MkDocs into a fresh directory, then swap it into place.

    A failing build leaves the previous site untouched.
    """
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


def cmd_read_pdf(args: argparse.Namespace) -> int:
    """Write the JSON export of each filled-in checklist PDF; refuse (exit 1, nothing written
    for it) any PDF that is not one of ours."""
    import json

    from generator.pdf import readback, write_atomic

    out: Path = args.out
    known = _known_criteria(args.criteria)
    used: set[str] = set()
    failed = 0
    for path in args.files:
        try:
            export, warnings = readback.read(path)
        except readback.NotOurs as exc:
            print(f"werkplekleren: {exc} Voor dit bestand is niets geschreven.", file=sys.stderr)
            failed += 1
            continue
        stem, number = path.stem, 1
        while (name := f"{stem}{'' if number == 1 else f'-{number}'}.json") in used:
            number += 1
        used.add(name)
        target = out / name
        data = json.dumps(export, ensure_ascii=False, indent=2) + "\n"
        write_atomic(target, data.encode("utf-8"))
        for warning in warnings:
            print(f"werkplekleren: {path.name}: {warning}", file=sys.stderr)
        unknown = [cid for cid in export["criteria"] if known and cid not in known]
        note = ""
        if unknown:
            note = (f"; {_criteria(len(unknown))} uit de pdf "
                    f"{'staat' if len(unknown) == 1 else 'staan'} niet in de huidige digitale "
                    f"editie en {'is' if len(unknown) == 1 else 'zijn'} toch overgenomen: "
                    f"{', '.join(unknown)}")
        print(f"{path} -> {target} ({_criteria(len(export['criteria']))} ingevuld, "
              f"naam ‘{export['naam']}’{note})")
    return EXIT_INVALID if failed else EXIT_OK


def _criteria(count: int) -> str:
    return f"{count} criterium" if count == 1 else f"{count} criteria"


def _known_criteria(criteria: Path) -> frozenset[str]:
    """IDs of the current digital edition, when its criteria are at hand (else: no check)."""
    if not criteria.is_dir():
        return frozenset()
    try:
        return frozenset(loc.criterion.id for loc in loader.load(criteria).criteria())
    except loader.LoadError:
        return frozenset()


def _swap(new: Path, target: Path) -> None:
    """Replace ``target`` by ``new``; the old tree is removed only after the move succeeded,
    and put back if it did not."""
    old = target.with_name(f".{target.name}.old")
    if old.exists():
        shutil.rmtree(old)
    if target.exists():
        target.rename(old)
    try:
        new.rename(target)
    except OSError:
        if old.exists() and not target.exists():
            old.rename(target)
        raise
    if old.exists():
        shutil.rmtree(old)


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
    whole = sub.add_parser("site", help="bouw de hele site met MkDocs (atomair)")
    whole.add_argument("--out", type=Path, default=Path("site"))
    whole.add_argument("--config", type=Path, default=Path("mkdocs.yml"))
    whole.set_defaults(func=cmd_site)

    read_pdf = with_criteria(sub.add_parser(
        "lees-pdf",
        help="lees ingevulde checklist-pdf's terug als JSON-export (één bestand per pdf)",
    ))
    read_pdf.add_argument("files", nargs="+", type=Path, metavar="PDF")
    read_pdf.add_argument("--out", type=Path, default=Path("."), help="map voor de JSON-bestanden")
    read_pdf.set_defaults(func=cmd_read_pdf)

    args = parser.parse_args(argv)
    code: int = args.func(args)
    return code


if __name__ == "__main__":
    raise SystemExit(main())
