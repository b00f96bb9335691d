"""Rendering itself: byte-identical output, the content-hash cache, parallel workers, the lock.

Kept small: the two smallest documents, each in its own temp cache.
"""

from __future__ import annotations

import dataclasses
import os
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from generator import pdf
from generator.model import Leidraad
from generator.site import SiteBuild
from tests.conftest import ROOT

SITE_URL = "https://werkplekleren.example.org/"


def _docs(leidraad: Leidraad, site_url: str = SITE_URL) -> list[pdf.Document]:
    build = SiteBuild(leidraad, site_url)
    return sorted(pdf.documents(build), key=lambda doc: len(doc.html))


@pytest.fixture(scope="module")
def smallest(leidraad: Leidraad) -> list[pdf.Document]:
    return _docs(leidraad)[:2]


@pytest.fixture(scope="module")
def reference(
    smallest: list[pdf.Document], tmp_path_factory: pytest.TempPathFactory
) -> pdf.Report:
    """The two smallest PDFs, rendered once in this process without workers."""
    report = pdf.render_documents(smallest, tmp_path_factory.mktemp("reference"), workers=1)
    assert sorted(report.rendered) == sorted(doc.name for doc in smallest)
    return report


def _leftovers(cache: Path) -> list[str]:
    expected = {".lock", pdf.LATEST}
    names = [p.name for p in (cache / "pdf").iterdir()]
    return [name for name in names if name not in expected and not name.endswith(".pdf")]


def test_cache_skips_unchanged_and_renders_changed(
    leidraad: Leidraad, smallest: list[pdf.Document], reference: pdf.Report
) -> None:
    doc = smallest[0]
    path = reference.paths[doc.name]
    tmp_path = path.parent.parent  # the reference's cache dir
    inode = path.stat().st_ino  # a render replaces the file: a new inode
    data = path.read_bytes()

    again = pdf.render_documents([doc], tmp_path, workers=1)
    assert again.rendered == [] and again.cached == [doc.name]
    assert again.paths[doc.name] == path and path.stat().st_ino == inode

    # A different site URL changes the QR code and printed URL: a new key, rendered again.
    (changed,) = [d for d in _docs(leidraad, "https://rtc.example.be/") if d.name == doc.name]
    assert changed.html != doc.html
    third = pdf.render_documents([changed], tmp_path, workers=1)
    assert third.rendered == [doc.name]
    assert third.paths[doc.name] != path
    assert third.paths[doc.name].read_bytes() != data
    assert path.read_bytes() == data  # the old entry is untouched
    assert _leftovers(tmp_path) == []


def test_cache_key_covers_html_and_css() -> None:
    key = pdf.cache_key("<p>a</p>", "p {}")
    assert key == pdf.cache_key("<p>a</p>", "p {}")
    assert key != pdf.cache_key("<p>b</p>", "p {}")
    assert key != pdf.cache_key("<p>a</p>", "p { color: red }")


KEY_SCRIPT = """
import sys
if sys.argv[1] in ("weasyprint", "pydyf"):
    module = __import__(sys.argv[1])
    module.__version__ = "0.0.0-other"
from generator import pdf
print(pdf.cache_key("<p>a</p>", "p {}"))
"""


def test_cache_key_covers_versions_options_and_fonts(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Another WeasyPrint or pydyf release, other options or other system fonts change the bytes
    of a PDF, so each must change its key (each computed in a fresh interpreter)."""
    fonts = tmp_path / "fonts"
    fonts.mkdir()
    shutil.copy(ROOT / "templates" / "pdf" / "fonts" / "DejaVuSansFormulier.ttf", fonts)
    config = tmp_path / "fonts.conf"
    config.write_text(
        f'<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "fonts.dtd">\n<fontconfig>'
        f"<dir>{fonts}</dir><cachedir>{tmp_path / 'fc-cache'}</cachedir></fontconfig>\n",
        encoding="utf-8",
    )
    cases = {
        "same": {},
        "weasyprint": {},
        "pydyf": {},
        "fonts": {"FONTCONFIG_FILE": str(config)},
    }
    processes = {
        case: subprocess.Popen(
            [sys.executable, "-c", KEY_SCRIPT, case], stdout=subprocess.PIPE, text=True,
            cwd=ROOT, env=dict(os.environ, **extra),
        )
        for case, extra in cases.items()
    }
    keys = {case: proc.communicate(timeout=120)[0].strip() for case, proc in processes.items()}
    assert all(process.returncode == 0 for process in processes.values())
    here = pdf.cache_key("<p>a</p>", "p {}")
    assert keys["same"] == here
    assert len({here, keys["weasyprint"], keys["pydyf"], keys["fonts"]}) == 4, keys
    monkeypatch.setitem(pdf.OPTIONS, "pdf_version", "1.6")
    assert pdf.cache_key("<p>a</p>", "p {}") != here


def test_parallel_and_serial_rendering_give_identical_bytes(
    smallest: list[pdf.Document], reference: pdf.Report, tmp_path: Path
) -> None:
    parallel = pdf.render_documents(smallest, tmp_path, workers=2)
    assert parallel.workers == 2 and sorted(parallel.rendered) == sorted(d.name for d in smallest)
    for doc in smallest:
        assert parallel.paths[doc.name].read_bytes() == reference.paths[doc.name].read_bytes()


def test_two_builds_in_separate_processes_are_byte_identical(
    smallest: list[pdf.Document], reference: pdf.Report, tmp_path: Path
) -> None:
    """Another interpreter with another hash seed, as a second ``make site`` would be."""
    doc = smallest[0]
    here = reference.paths[doc.name]
    script = (
        "import sys; from pathlib import Path\n"
        "from generator import loader, pdf\n"
        "from generator.site import SiteBuild\n"
        "build = SiteBuild(loader.load(Path('criteria')), sys.argv[1])\n"
        "docs = [d for d in pdf.documents(build) if d.name == sys.argv[2]]\n"
        "report = pdf.render_documents(docs, Path(sys.argv[3]), workers=1)\n"
        "print(report.paths[sys.argv[2]])\n"
    )
    env = dict(os.environ, PYTHONHASHSEED="12345")
    result = subprocess.run(
        [sys.executable, "-c", script, SITE_URL, doc.name, str(tmp_path)],
        capture_output=True, text=True, cwd=ROOT, env=env, check=True,
    )
    there = Path(result.stdout.strip())
    assert there.name == here.name
    assert there.read_bytes() == here.read_bytes()


def test_two_builds_at_once_render_a_pdf_only_once(
    smallest: list[pdf.Document], tmp_path: Path
) -> None:
    doc = smallest[0]
    reports: list[pdf.Report] = []
    errors: list[BaseException] = []

    def build() -> None:
        try:
            reports.append(pdf.render_documents([doc], tmp_path, workers=1))
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=build) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    assert sorted(len(r.rendered) for r in reports) == [0, 1]
    assert reports[0].paths == reports[1].paths
    assert _leftovers(tmp_path) == []


def test_pruning_removes_only_what_no_build_used_for_a_month(tmp_path: Path) -> None:
    old, fresh, lock = tmp_path / "old.pdf", tmp_path / "fresh.pdf", tmp_path / ".lock"
    for path in (old, fresh, lock):
        path.write_bytes(b"x")
    month_ago = time.time() - pdf.PRUNE_AFTER - 60
    os.utime(old, (month_ago, month_ago))
    os.utime(lock, (month_ago, month_ago))
    pdf._prune(tmp_path)
    assert sorted(p.name for p in tmp_path.iterdir()) == [".lock", "fresh.pdf"]


def test_a_build_after_a_month_keeps_the_pdfs_it_uses(
    smallest: list[pdf.Document], tmp_path: Path
) -> None:
    """Pruning runs when something must be rendered; it must not remove what this very build
    takes from the cache (found in review: the build then failed on a missing file)."""
    first, second = smallest
    report = pdf.render_documents([first, second], tmp_path, workers=1)
    month_ago = time.time() - pdf.PRUNE_AFTER - 60
    for path in report.paths.values():
        os.utime(path, (month_ago, month_ago))
    changed = dataclasses.replace(second, html=second.html.replace("</body>", "<p>x</p></body>"))
    again = pdf.render_documents([first, changed], tmp_path, workers=1)
    assert again.rendered == [second.name] and again.cached == [first.name]
    assert again.paths[first.name] == report.paths[first.name]
    assert all(path.is_file() for path in again.paths.values())
    assert not report.paths[second.name].exists()  # unused for a month, so pruned


def test_atomic_write_replaces_and_leaves_no_temp_files(tmp_path: Path) -> None:
    target = tmp_path / "x" / "a.pdf"
    pdf.write_atomic(target, b"one")
    pdf.write_atomic(target, b"two")
    assert target.read_bytes() == b"two"
    assert [p.name for p in target.parent.iterdir()] == ["a.pdf"]


def test_preview_reuses_the_last_full_build_instead_of_rendering(tmp_path: Path) -> None:
    """Under `mkdocs serve` an edit must show within seconds: PDFs of the last full build are
    reused (and the downloads page says so); a full build renders the changed PDF."""
    from generator import loader, site
    from tests.conftest import FIXTURES

    leidraad = loader.load(FIXTURES / "mini")
    cache = tmp_path / "cache"
    first = pdf.render_documents(pdf.documents(site.SiteBuild(leidraad)), cache)
    assert first.rendered and not first.stale
    criteria = tmp_path / "criteria"
    shutil.copytree(FIXTURES / "mini", criteria)
    phase = criteria / "fasen" / "1-voor-je-begint.yml"
    phase.write_text(phase.read_text(encoding="utf-8").replace("tijd en ruimte", "tijd"), "utf-8")
    changed = loader.load(criteria)
    preview = site.generate(changed, cache_dir=cache, preview=True)
    assert pdf.last_report is not None
    # Only the PDFs that hold the edited criterion are stale; the others are simply cached.
    assert pdf.last_report.rendered == []
    assert "checklist-stage.pdf" in pdf.last_report.stale
    assert "checklist-stage-lerende.pdf" in pdf.last_report.cached
    assert preview.files["downloads/checklist-stage.pdf"] == first.paths["checklist-stage.pdf"]
    assert "niet bijgewerkt" in preview.pages["downloads.md"]
    full = site.generate(changed, cache_dir=cache)
    assert pdf.last_report.stale == [] and "checklist-stage.pdf" in pdf.last_report.rendered
    assert full.files["downloads/checklist-stage.pdf"] != first.paths["checklist-stage.pdf"]
    assert "niet bijgewerkt" not in full.pages["downloads.md"]


def test_a_write_that_fails_halfway_leaves_the_old_file_whole_and_no_temp_file(
    tmp_path: Path,
) -> None:
    """A full disk (here: a file size limit) in the middle of writing a cached PDF: readers still
    find the complete old file, and the half-written temp file is removed."""
    target = tmp_path / "cache" / "a.pdf"
    pdf.write_atomic(target, b"old " * 1000)
    script = (
        "import resource, signal, sys\n"
        "from pathlib import Path\n"
        "from generator import pdf\n"
        "signal.signal(signal.SIGXFSZ, signal.SIG_IGN)\n"  # EFBIG instead of a signal
        "resource.setrlimit(resource.RLIMIT_FSIZE, (4096, 4096))\n"
        "try:\n"
        "    pdf.write_atomic(Path(sys.argv[1]), b'new ' * 100_000)\n"
        "except OSError as exc:\n"
        "    print(exc.errno)\n"
        "    sys.exit(3)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script, str(target)],
        capture_output=True, text=True, cwd=ROOT, check=False,
    )
    assert result.returncode == 3, result.stdout + result.stderr  # the error reaches the caller
    assert target.read_bytes() == b"old " * 1000
    assert [p.name for p in target.parent.iterdir()] == ["a.pdf"]
