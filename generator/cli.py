"""Command line: ``werkplekleren check``, ``build``, ``site``, ``publish``, ``schema`` and
``lees-pdf`` and ``instrument``.

``site --engine zensical`` (or ENGINE=zensical) builds the same site with Zensical (engines.py).

Exit codes: 0 success, 1 the criteria have problems (all listed on stderr) or ``lees-pdf`` met
a PDF that is not a checklist of ours, 2 usage or build failure.
"""

from __future__ import annotations

import argparse
import ctypes
import errno
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

import yaml

from generator import csp, engines, hosting, loader, site
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
        f"({leidraad.guideline.editie})"
    )
    return EXIT_OK


def cmd_schema(args: argparse.Namespace) -> int:
    from generator import schema

    for path in schema.write(args.out):
        print(path)
    return EXIT_OK


def cmd_instrument(args: argparse.Namespace) -> int:
    """Render an instrument file (``/instrument/``) as a fillable PDF, with the site's templates."""
    from generator import instrument

    leidraad = _load(args.criteria)
    if leidraad is None:
        return EXIT_INVALID
    try:
        inst = instrument.load(args.file)
    except OSError as exc:
        print(f"werkplekleren: {args.file} kan niet gelezen worden: {exc.strerror}",
              file=sys.stderr)
        return EXIT_FAILED
    except instrument.InstrumentError as exc:
        print(f"werkplekleren: {exc}", file=sys.stderr)
        return EXIT_INVALID
    site_url = args.site_url or os.environ.get("SITE_URL", "")
    build = site.SiteBuild(leidraad, site.normalise_url(site_url), args.cache_dir)
    iv = instrument.view(leidraad, inst)
    out = instrument.render_pdf(build, inst, args.out)
    own = len(inst.eigen_criteria)
    print(f"{out}: {len(iv.view.items)} criteria, waarvan {own} eigen")
    if iv.vanished:
        print(f"let op: {len(iv.vanished)} criteria staan niet meer in digitale editie "
              f"{leidraad.guideline.versie}: {', '.join(iv.vanished)}", file=sys.stderr)
    return EXIT_OK


def cmd_build(args: argparse.Namespace) -> int:
    """Write generated pages and files to ``--out`` without MkDocs."""
    leidraad = _load(args.criteria)
    if leidraad is None:
        return EXIT_INVALID
    for message in site.pending(leidraad, args.site_url):
        print(f"werkplekleren: let op: {message}", file=sys.stderr)
    build = site.generate(leidraad, args.site_url, args.cache_dir)
    out: Path = args.out.resolve()
    # Stage beside the target so the final rename stays on one file system.
    out.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix=f".{out.name}-", dir=out.parent) as tmp:
        staging = Path(tmp) / "out"
        site.write(build, staging / "docs")
        # A config fragment for an engine that runs no plugins (Zensical): the navigation, and
        # what the theme's footer shows (edition, publisher) that the plugin would have set.
        fragment = {
            "nav": site.nav(build, Path("content")),
            "extra": {"werkplekleren": site.theme_extra(leidraad)},
        }
        (staging / "nav.yml").write_text(
            yaml.safe_dump(fragment, allow_unicode=True), encoding="utf-8"
        )
        _swap(staging, out)
    print(f"{len(build.pages)} pagina's en {len(build.files)} bestanden in {out}")
    return EXIT_OK


def cmd_site(args: argparse.Namespace) -> int:
    """Build the whole site with the chosen engine into a fresh directory, finish it for
    hosting (security policy, server files, compressed variants), then swap it into place.

    A failing build leaves the previous site untouched.
    """
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
        if not _finish(staging):
            print(f"werkplekleren: {out} is niet gewijzigd", file=sys.stderr)
            return EXIT_FAILED
        reload = out.is_dir() and hosting.server_files_changed(out, staging)
        _swap(staging, out)
    print(f"site gebouwd in {out}")
    if reload:
        print("De headers voor nginx zijn gewijzigd: herlaad nginx (nginx -s reload) als het "
              "deze site serveert.")
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


def _finish(directory: Path) -> bool:
    try:
        report = hosting.finish(directory)
    except csp.PolicyError as exc:
        print(f"werkplekleren: {exc}", file=sys.stderr)
        return False
    print(hosting.summary(report))
    return True


def cmd_publish(args: argparse.Namespace) -> int:
    """Finish a site built some other way (another engine, plain ``mkdocs build``) in place."""
    directory: Path = args.dir
    if not (directory / "index.html").is_file():
        print(f"werkplekleren: {directory} is geen gebouwde site (geen index.html)",
              file=sys.stderr)
        return EXIT_FAILED
    return EXIT_OK if _finish(directory) else EXIT_FAILED


#: Seconds the replaced tree stays readable after an atomic swap: a request the server started
#: on the old tree (a path lookup, an index page it looks up twice) finishes on complete files.
SWAP_GRACE = 1.0
_RENAME_EXCHANGE = 2


def _exchange(a: Path, b: Path) -> bool:
    """Swap two directories in one step (Linux renameat2 RENAME_EXCHANGE). False when the
    system or file system cannot; nothing has changed then."""
    try:
        renameat2 = ctypes.CDLL(None, use_errno=True).renameat2
    except (AttributeError, OSError):
        return False
    at_fdcwd = -100
    result = renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), _RENAME_EXCHANGE)
    if result == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.ENOSYS, errno.EINVAL, errno.ENOTSUP):
        return False
    raise OSError(code, os.strerror(code), str(b))


def _swap(new: Path, target: Path) -> None:
    """Replace ``target`` by ``new``.

    Where the system allows it (Linux), the two directories are exchanged in one step: a server
    over ``target`` sees the old tree or the new one, never none and never a mix of files of one
    path. Elsewhere the old tree is renamed away first (a moment without a site), and put back
    if the move fails. The old tree is removed only after the move succeeded.
    """
    old = target.with_name(f".{target.name}.old")
    if old.exists():
        shutil.rmtree(old)
    if target.is_dir() and not target.is_symlink() and _exchange(new, target):
        # ``new`` now holds the old site.
        try:
            new.rename(old)
        except OSError:
            _exchange(new, target)  # a failed swap leaves the previous site in place
            raise
        time.sleep(SWAP_GRACE)
        shutil.rmtree(old)
        return
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


def _site_zensical(args: argparse.Namespace) -> int:
    """The same site with Zensical: our generator's output, a config derived from mkdocs.yml,
    finished for hosting like the MkDocs build before it is swapped in."""
    out: Path = args.out.resolve()
    try:
        project = engines.ZensicalProject(
            args.config, args.work_dir or args.config.resolve().parent / engines.DEFAULT_WORK_DIR
        )
        leidraad = _load(project.criteria_dir())
        if leidraad is None:
            print(f"werkplekleren: {out} is niet gewijzigd", file=sys.stderr)
            return EXIT_INVALID
        for message in site.pending(leidraad, project.site_url):
            print(f"INFO    -  {message}")
        build = site.generate(leidraad, project.site_url, project.cache_dir())
        project.stage(build)
        project.build()
        if not _finish(project.output):
            print(f"werkplekleren: {out} is niet gewijzigd", file=sys.stderr)
            return EXIT_FAILED
        engines.publish(project.output, out)
    except engines.EngineError as exc:
        print(f"werkplekleren: {exc}; {out} is niet gewijzigd", file=sys.stderr)
        return EXIT_FAILED
    print(f"site gebouwd met Zensical in {out}")
    return EXIT_OK


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
    inst = with_criteria(
        sub.add_parser("instrument", help="maak een invulbare pdf van een instrumentbestand")
    )
    inst.add_argument("file", type=Path, help="instrumentbestand (JSON) van /instrument/")
    inst.add_argument("--out", type=Path, required=True, help="pdf om te schrijven")
    inst.add_argument("--site-url", default="", help="adres van de site (ook: SITE_URL)")
    inst.add_argument("--cache-dir", type=Path, default=site.DEFAULT_CACHE_DIR)
    inst.set_defaults(func=cmd_instrument)
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
    publish = sub.add_parser(
        "publish", help="maak een gebouwde site klaar voor hosting (headers, compressie)"
    )
    publish.add_argument("dir", type=Path)
    publish.set_defaults(func=cmd_publish)

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
