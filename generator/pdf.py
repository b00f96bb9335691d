"""PDF checklists per form and per role: Jinja -> HTML -> WeasyPrint, in parallel, cached.

What a build writes (site paths, stable names; see ``documents``):

* ``downloads/checklist-alle-vormen.pdf``: every criterion, untailored;
* ``downloads/checklist-<vorm>.pdf``: one form, tailored (``generator.tailor``);
* ``downloads/checklist-<vorm>-<rol>.pdf``: one form, only what that role acts on.

Every PDF is fillable (real AcroForm fields, ``pdf_forms``) and tagged (``pdf_tags``). Field
names are stable and machine readable, built from the criterion ID:

* ``<id>_in-orde``, ``<id>_deels``, ``<id>_nog-niet``, ``<id>_nvt``: check boxes (on = ``/on``);
* ``<id>_notitie``: the note under the criterion;
* ``voorblad_<veld>``: the cover fields (``COVER_FIELDS``);
* ``handtekening_<partij>_naam`` / ``_datum``: the signature block (``SIGNATURES``).

No dots in names: a dot separates the levels of a PDF field name (ISO 32000-1, 12.7.3.2), and
``_`` never occurs in a criterion ID (a slug), so ``<id>_`` cannot clash. The status boxes are
check boxes, not radio buttons: WeasyPrint 70 gives every radio widget its own ``/T``, which
readers see as child fields ``x_status.x_status`` (duplicate names).

Speed: documents render in worker processes, each set up once with one ``FontConfiguration``
and the stylesheet parsed once. Each PDF is cached under ``cache_dir/pdf/<sha256>.pdf``, keyed by
everything that changes its bytes (HTML, CSS, fonts, WeasyPrint and pydyf versions, options,
``CACHE_FORMAT``), written atomically (temp file + rename) under a lock file, so two builds at
once neither corrupt nor duplicate work; entries no build used for a month are pruned. Bytes are
deterministic: dates come from the guideline's version data (``dcterms.created``/``modified``),
the file identifier from the key.
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

from generator import qr
from generator.model import Form, Leidraad, Role
from generator.render import TEMPLATES_DIR, render
from generator.site import ActionLink, SiteBuild, checklist_path
from generator.tailor import ALL_FORMS, View, tailor, view_slug

PDF_TEMPLATES = TEMPLATES_DIR / "pdf"
CSS_PATH = PDF_TEMPLATES / "checklist.css"
FONTS_DIR = PDF_TEMPLATES / "fonts"
#: System fonts the stylesheet names (found through fontconfig); part of the cache key.
SYSTEM_FONTS = ("DejaVu Sans", "DejaVu Sans:bold", "DejaVu Sans:italic", "DejaVu Sans:bold:italic")
#: Raise to invalidate every cached PDF when this module changes what it writes.
CACHE_FORMAT = "1"
#: ``write_pdf`` options; every PDF is fillable and tagged (never PDF/UA: WeasyPrint issue 2726).
OPTIONS: dict[str, Any] = {"pdf_forms": True, "pdf_tags": True, "pdf_version": "1.7"}
#: Cached PDFs unused for this long (seconds) are removed when the cache is next written.
PRUNE_AFTER = 30 * 24 * 3600
#: From this many criteria on, every phase starts on a new page.
LONG_FROM = 30
DOWNLOADS = "downloads"


@dataclass(frozen=True)
class Status:
    value: str
    label: str


STATUSES = (
    Status("in-orde", "In orde"),
    Status("deels", "Deels"),
    Status("nog-niet", "Nog niet"),
    Status("nvt", "N.v.t."),
)


@dataclass(frozen=True)
class CoverField:
    name: str
    label: str
    wide: bool = False


COVER_FIELDS = (
    CoverField("voorblad_lerende", "Lerende"),
    CoverField("voorblad_instelling", "Onderwijs- of vormingsinstelling"),
    CoverField("voorblad_begeleider", "Begeleider"),
    CoverField("voorblad_bedrijf", "Bedrijf"),
    CoverField("voorblad_mentor", "Mentor"),
    CoverField("voorblad_periode", "Periode"),
    CoverField("voorblad_datum", "Datum"),
)


@dataclass(frozen=True)
class Party:
    name: str
    label: str
    note: str


SIGNATURES = (
    Party("handtekening_lerende", "Lerende", "leerling, cursist of student"),
    Party("handtekening_begeleider", "Begeleider", "namens de instelling"),
    Party("handtekening_mentor", "Mentor", "namens het bedrijf"),
)

MONTHS = (
    "januari", "februari", "maart", "april", "mei", "juni",
    "juli", "augustus", "september", "oktober", "november", "december",
)


def date_nl(iso: str) -> str:
    """``2026-11-29`` -> ``29 november 2026``."""
    year, month, day = (int(part) for part in iso.split("-"))
    return f"{day} {MONTHS[month - 1]} {year}"


def human_size(size: int) -> str:
    """Size as people read it, in Dutch notation: ``312 kB``, ``1,4 MB``."""
    if size < 1000:
        return f"{size} B"
    if size < 1_000_000:
        return f"{round(size / 1000)} kB"
    return f"{size / 1_000_000:.1f} MB".replace(".", ",")


def file_name(form: Form | None, role: Role | None = None) -> str:
    """Stable file name: ``checklist-stage.pdf``, ``checklist-stage-mentor.pdf``, ..."""
    return f"checklist-{view_slug(form, role)}.pdf"


@dataclass(frozen=True)
class Document:
    """One PDF to make: its file name, title and complete HTML."""

    name: str
    title: str
    form: Form | None
    role: Role | None
    criteria: tuple[str, ...]
    html: str

    @property
    def site_path(self) -> str:
        return f"{DOWNLOADS}/{self.name}"


def checklist_url(build: SiteBuild, form: Form | None, role: Role | None = None) -> str:
    """Public URL of the online checklist that a PDF's QR code and footer point to; a role's
    PDF opens the checklist filtered to that role (the filter reads ``?rol=``)."""
    path = checklist_path(form.slug if form else None)
    return build.absolute_url(path) + (f"?rol={role.slug}" if role else "")


def document(build: SiteBuild, view: View) -> Document:
    """The HTML of the checklist for one view (a form and/or role)."""
    leidraad = build.leidraad
    guideline = leidraad.guideline
    form, role = view.form, view.role
    url = checklist_url(build, form, role)
    heading = f"Checklist {form.naam.lower()}" if form else "Checklist voor alle vormen"
    subheading = ""
    if role is not None:
        subheading = f"Rol: {role.naam}"
    if form is None:
        intro = (
            "Deze checklist bevat alle criteria van de leidraad, voor elke vorm van "
            "werkplekleren. Voor je eigen vorm (en rol) is er een checklist op maat."
        )
        tailored_for = ""
    else:
        who = f" en de rol {role.kort}" if role else ""
        intro = (
            f"Deze checklist bevat de criteria van de leidraad die gelden voor "
            f"{form.naam.lower()}{who}, met hun belang voor deze vorm"
            f"{' en rol' if role else ''}."
        )
        tailored_for = f"{form.naam.lower()}{who}"
    title = f"{heading}{f' – {role.naam}' if role else ''} – {guideline.titel}"
    numbers = {item.id: index for index, item in enumerate(view.items, start=1)}
    html = render(
        "pdf/checklist.html",
        title=title,
        # Author/Subject name the publisher of this edition, never the guideline's authors: the
        # levels, roles and tips in the file are ours, not the government's or its partners'.
        author=guideline.uitgever.naam,
        description=(
            f"Invulbare checklist bij de {guideline.titel}, {guideline.editie}. Niveaus, rollen "
            f"en tips zijn toevoegingen van de redactie (uitgever: {guideline.uitgever.naam})."
        ),
        keywords=["werkplekleren", "checklist", *([form.naam.lower()] if form else []),
                  *([role.kort] if role else [])],
        guideline=guideline,
        date_nl=date_nl(guideline.datum),
        heading=heading,
        subheading=subheading,
        intro=intro,
        tailored=form is not None,
        tailored_for=tailored_for,
        view=view,
        form=form,
        numbers=numbers,
        roles={r.slug: r for r in leidraad.roles},
        legend={e.niveau: e for e in guideline.legende},
        statuses=STATUSES,
        long_from=LONG_FROM,
        cover_fields=COVER_FIELDS,
        signatures=SIGNATURES,
        url=url,
        qr=qr.svg_data_uri(url),
        publisher=guideline.uitgever,
        verantwoording_url=build.absolute_url("verantwoording/"),
        site_url_label=build.site_url or "de site van de leidraad",
    )
    return Document(
        name=file_name(form, role),
        title=title,
        form=form,
        role=role,
        criteria=tuple(numbers),
        html=html,
    )


def views(leidraad: Leidraad) -> Iterator[View]:
    """Every view that gets a PDF, in the order of the downloads page."""
    yield tailor(leidraad)
    for form in leidraad.forms:
        yield tailor(leidraad, form.slug)
        for role in leidraad.roles:
            yield tailor(leidraad, form.slug, role.slug)


def documents(build: SiteBuild) -> list[Document]:
    return [document(build, view) for view in views(build.leidraad)]


# --- Rendering -------------------------------------------------------------------------------


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


def cache_key(html: str, css: str) -> str:
    """Everything that changes the bytes of a PDF, hashed."""
    digest = hashlib.sha256()
    for part in (CACHE_FORMAT, _versions(), repr(sorted(OPTIONS.items())), _font_fingerprint(),
                 css, html):
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


#: The report of the last ``contribute`` in this process (for the benchmark).
last_report: Report | None = None

# Per-process state of a renderer: one FontConfiguration and the parsed stylesheet.
_state: tuple[Any, Any, str] | None = None


def _init_worker(css: str, base_url: str) -> None:
    global _state
    from weasyprint import CSS
    from weasyprint.text.fonts import FontConfiguration

    font_config = FontConfiguration()
    _state = (font_config, CSS(string=css, base_url=base_url, font_config=font_config), base_url)


def _render_one(html: str, target: str, identifier: str) -> float:
    """Render one document into ``target`` (atomically); returns the seconds it took."""
    from weasyprint import HTML

    assert _state is not None, "renderer not initialised"
    start = time.perf_counter()
    font_config, css, base_url = _state
    data = HTML(string=html, base_url=base_url).write_pdf(
        stylesheets=[css], font_config=font_config, pdf_identifier=identifier.encode("ascii"),
        **OPTIONS,
    )
    write_atomic(Path(target), data)
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
    jobs = [(doc.html, str(report.paths[doc.name]), keys[doc.name][:32]) for doc in missing]
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
    keys = {doc.name: cache_key(doc.html, css) for doc in docs}
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


# --- Build step ------------------------------------------------------------------------------


def contribute(build: SiteBuild) -> None:
    """Render the PDFs (or take them from the cache), link them and write /downloads/."""
    global last_report
    docs = documents(build)
    report = render_documents(docs, build.cache_dir, reuse_stale=build.preview)
    last_report = report
    sizes: dict[str, int] = {}
    for doc in docs:
        path = report.paths[doc.name]
        build.files[doc.site_path] = path
        sizes[doc.name] = path.stat().st_size
    for form in build.leidraad.forms:
        name = file_name(form)
        build.add_form_link(
            form.slug,
            ActionLink(
                label=f"Checklist {form.naam.lower()} als pdf",
                href=f"../../{DOWNLOADS}/{name}",
                note=f"invulbaar, {human_size(sizes[name])}",
                download=True,
            ),
        )
        build.add_form_link(
            form.slug,
            ActionLink(
                label="Pdf per rol",
                href=f"../../{DOWNLOADS}/#{form.slug}",
                note="voor instelling, begeleider, bedrijf, mentor of lerende",
            ),
        )
    build.pages["downloads.md"] = downloads_page(build, docs, sizes, stale=len(report.stale))


def downloads_page(
    build: SiteBuild, docs: Sequence[Document], sizes: dict[str, int], stale: int = 0
) -> str:
    by_form: dict[str, list[Document]] = {}
    for doc in docs:
        by_form.setdefault(doc.form.slug if doc.form else ALL_FORMS, []).append(doc)
    others = sorted(
        (path, data) for path, data in build.files.items()
        if path.startswith(f"{DOWNLOADS}/") and not path.endswith(".pdf")
    )
    other_files = [
        (path, human_size(data.stat().st_size if isinstance(data, Path) else len(data)))
        for path, data in others
    ]
    return render(
        "pages/downloads.md",
        guideline=build.leidraad.guideline,
        datum=date_nl(build.leidraad.guideline.datum),
        forms=build.leidraad.forms,
        all_forms=by_form[ALL_FORMS][0],
        by_form=by_form,
        sizes={name: human_size(size) for name, size in sizes.items()},
        total=human_size(sum(sizes.values())),
        count=len(docs),
        statuses=STATUSES,
        other_files=other_files,
        stale=stale,
    )
