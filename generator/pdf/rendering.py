"""Render documents to PDF and cache them by content.

Documents render in worker processes, each set up once with one ``FontConfiguration``, the
stylesheet parsed once and the geometry of a line of status choices measured once
(``fields.measure``). WeasyPrint's output is post-processed before it is written
(``fields.finish``, WeasyPrint's ``finisher``): that is part of the cached bytes. Each PDF is
cached under ``cache_dir/pdf/<sha256>.pdf``, keyed by everything that changes its bytes (HTML,
CSS, fonts, WeasyPrint and pydyf versions, options, the source of ``fields``, the document's
Info keys and field labels, ``CACHE_FORMAT``), written atomically (temp file + rename) under a
lock file, so two builds at once neither corrupt nor duplicate work; entries no build used for a
month are pruned. Bytes are deterministic: dates come from the guideline's version data
(``dcterms.created``/``modified``), the file identifier from the key.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import multiprocessing
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from generator.pdf import fields
from generator.pdf.compose import Document
from generator.render import TEMPLATES_DIR

PDF_TEMPLATES = TEMPLATES_DIR / "pdf"
CSS_PATH = PDF_TEMPLATES / "checklist.css"
FONTS_DIR = PDF_TEMPLATES / "fonts"
#: System fonts the stylesheet names (found through fontconfig); part of the cache key.
SYSTEM_FONTS = ("DejaVu Sans", "DejaVu Sans:bold", "DejaVu Sans:italic", "DejaVu Sans:bold:italic")
#: Raise to invalidate every cached PDF when this module changes what it writes.
CACHE_FORMAT = "2"
#: ``write_pdf`` options; every PDF is fillable and tagged (never PDF/UA: WeasyPrint issue 2726).
OPTIONS: dict[str, Any] = {"pdf_forms": True, "pdf_tags": True, "pdf_version": "1.7"}
#: Cached PDFs unused for this long (seconds) are removed when the cache is next written.
PRUNE_AFTER = 30 * 24 * 3600


@cache
def _font_fingerprint() -> str:
    """Hash of the font files the PDFs embed: a changed system font re-renders every PDF."""
    digest = hashlib.sha256()
    files = sorted(FONTS_DIR.glob("*.ttf"))
    for pattern in SYSTEM_FONTS:
        try:
            found = subprocess.run(
                ["fc-match", "-f", "%{file}", pattern],
                capture_output=True, text=True, check=False, timeout=10,
            ).stdout.strip()
        except (OSError, subprocess.SubprocessError):
            found = ""
        digest.update(pattern.encode() + b"\0" + found.encode() + b"\0")
        if found:
            files.append(Path(found))
    for path in files:
        with contextlib.suppress(OSError):
            digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


@cache
def _versions() -> str:
    import pydyf
    import weasyprint

    return f"weasyprint {weasyprint.__version__}; pydyf {pydyf.__version__}"


def stylesheet() -> str:
    return CSS_PATH.read_text(encoding="utf-8")


@cache
def _code_fingerprint() -> str:
    """Hash of the post-processing code (``fields``): what it writes is part of each PDF."""
    return hashlib.sha256(Path(fields.__file__).read_bytes()).hexdigest()


def cache_key(html: str, css: str, *extra: object) -> str:
    """Everything that changes the bytes of a PDF, hashed (``extra``: the document's Info keys
    and field labels)."""
    digest = hashlib.sha256()
    for part in (CACHE_FORMAT, _versions(), repr(sorted(OPTIONS.items())), _font_fingerprint(),
                 _code_fingerprint(), repr(extra), css, html):
        digest.update(part.encode("utf-8"))
        digest.update(b"\0")
    return digest.hexdigest()


@dataclass
class Report:
    """What one render call did; ``generator.bench`` prints it."""

    #: File name -> the PDF in the cache.
    paths: dict[str, Path] = field(default_factory=dict)
    #: File name -> seconds spent rendering it (only for PDFs that were rendered).
    seconds: dict[str, float] = field(default_factory=dict)
    cached: list[str] = field(default_factory=list)
    #: File names served from an earlier build in preview mode (their input has changed since).
    stale: list[str] = field(default_factory=list)
    workers: int = 0
    wall: float = 0.0

    @property
    def rendered(self) -> list[str]:
        return list(self.seconds)



# Per-process state of a renderer: one FontConfiguration, the parsed stylesheet, the base URL
# and where the status circles go in a line of choices (measured with that stylesheet).
_state: tuple[Any, Any, str, fields.Geometry] | None = None


def _init_worker(css: str, base_url: str) -> None:
    global _state
    from weasyprint import CSS
    from weasyprint.text.fonts import FontConfiguration

    font_config = FontConfiguration()
    stylesheet = CSS(string=css, base_url=base_url, font_config=font_config)
    _state = (font_config, stylesheet, base_url, fields.measure(stylesheet, font_config, base_url))


def render_pdf(doc: Document, identifier: str | None = None) -> bytes:
    """One PDF's bytes: WeasyPrint with the worker's fonts and stylesheet, then the form-field
    post-processing (``fields.finish``) on WeasyPrint's objects before they are written."""
    from weasyprint import HTML

    assert _state is not None, "renderer not initialised"
    font_config, css, base_url, geometry = _state
    entries, labels = dict(doc.info), dict(doc.labels)
    data: bytes = HTML(string=doc.html, base_url=base_url).write_pdf(
        stylesheets=[css], font_config=font_config,
        pdf_identifier=identifier.encode("ascii") if identifier else False,
        finisher=lambda document, pdf: fields.finish(document, pdf, entries, geometry, labels),
        **OPTIONS,
    )
    return data


def _render_one(doc: Document, target: str, identifier: str) -> float:
    """Render one document into ``target`` (atomically); returns the seconds it took."""
    start = time.perf_counter()
    write_atomic(Path(target), render_pdf(doc, identifier))
    return time.perf_counter() - start


def write_atomic(target: Path, data: bytes) -> None:
    """Write via a temp file in the same directory and rename: readers never see half a file."""
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


@contextlib.contextmanager
def _locked(directory: Path) -> Iterator[None]:
    """Hold an exclusive lock on the cache while rendering; a second build waits, then finds
    the PDFs the first one made."""
    directory.mkdir(parents=True, exist_ok=True)
    try:
        import fcntl
    except ImportError:  # not on POSIX: atomic writes alone keep the cache consistent
        yield
        return
    with open(directory / ".lock", "a+b") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def cpu_count() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not on Linux
        return os.cpu_count() or 1


def _context() -> multiprocessing.context.BaseContext:
    # fork is fastest (the workers inherit the imported modules); from 3.12 on it warns in a
    # process with threads, so use forkserver there.
    method = "fork" if sys.version_info < (3, 12) else "forkserver"
    if method not in multiprocessing.get_all_start_methods():
        method = "spawn"
    return multiprocessing.get_context(method)


def _render_missing(
    missing: list[Document], keys: dict[str, str], report: Report, css: str, workers: int | None
) -> None:
    # Longest first, so that no worker is left with a big one at the end.
    missing = sorted(missing, key=lambda doc: len(doc.html), reverse=True)
    base_url = PDF_TEMPLATES.as_uri() + "/"
    count = min(workers or cpu_count(), len(missing))
    report.workers = count
    jobs = [(doc, str(report.paths[doc.name]), keys[doc.name][:32]) for doc in missing]
    if count <= 1:
        _init_worker(css, base_url)
        for doc, job in zip(missing, jobs, strict=True):
            report.seconds[doc.name] = _render_one(*job)
        return
    with ProcessPoolExecutor(
        max_workers=count, mp_context=_context(),
        initializer=_init_worker, initargs=(css, base_url),
    ) as pool:
        futures = [pool.submit(_render_one, *job) for job in jobs]
        for doc, future in zip(missing, futures, strict=True):
            report.seconds[doc.name] = future.result()


def _prune(directory: Path, now: float | None = None, keep: frozenset[Path] = frozenset()) -> None:
    """Remove cached PDFs no build has used for ``PRUNE_AFTER`` seconds, and stale temp files;
    never the files in ``keep`` (what the running build uses)."""
    limit = (now if now is not None else time.time()) - PRUNE_AFTER
    for path in directory.iterdir():
        if path.suffix in (".pdf", ".tmp") and path.name != ".lock" and path not in keep:
            with contextlib.suppress(OSError):
                if path.stat().st_mtime < limit:
                    path.unlink()


LATEST = "latest.json"


def _latest(out: Path) -> dict[str, str]:
    """File name -> cache key of the PDF the last full build used (for previews)."""
    try:
        data = json.loads((out / LATEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return {str(k): str(v) for k, v in data.items()} if isinstance(data, dict) else {}


def render_documents(
    docs: Sequence[Document],
    cache_dir: Path,
    workers: int | None = None,
    reuse_stale: bool = False,
) -> Report:
    """Make sure every document has its PDF in the cache; render only what is missing.

    With ``reuse_stale`` (live preview), a document whose input changed keeps the PDF of the
    last full build instead of being rendered again; only documents with no PDF at all render.
    """
    start = time.perf_counter()
    out = cache_dir / "pdf"
    css = stylesheet()
    report = Report()
    keys = {doc.name: cache_key(doc.html, css, doc.info, doc.labels) for doc in docs}
    for doc in docs:
        report.paths[doc.name] = out / f"{keys[doc.name]}.pdf"
    missing = [doc for doc in docs if not report.paths[doc.name].is_file()]
    if missing and reuse_stale:
        latest = _latest(out)
        for doc in list(missing):
            earlier = out / f"{latest.get(doc.name, '-')}.pdf"
            if earlier.is_file():
                report.paths[doc.name] = earlier
                report.stale.append(doc.name)
                missing.remove(doc)
    # Mark what this build uses first, so that no build's pruning removes it meanwhile.
    for path in report.paths.values():
        with contextlib.suppress(OSError):
            os.utime(path)
    if missing:
        with _locked(out):
            # Another build may have made them while we waited for the lock.
            missing = [doc for doc in missing if not report.paths[doc.name].is_file()]
            if missing:
                _render_missing(missing, keys, report, css, workers)
            _prune(out, keep=frozenset(report.paths.values()))
    if not report.stale:
        with contextlib.suppress(OSError):
            out.mkdir(parents=True, exist_ok=True)
            index = {doc.name: keys[doc.name] for doc in docs}
            write_atomic(out / LATEST, json.dumps(index, sort_keys=True).encode("utf-8"))
    report.cached = [
        doc.name for doc in docs if doc.name not in report.seconds and doc.name not in report.stale
    ]
    report.wall = time.perf_counter() - start
    return report
