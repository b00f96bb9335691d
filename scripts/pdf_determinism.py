"""``make determinism``: the PDFs are byte-identical when built in two fresh venvs from the lock.

Creates two venvs in a temporary directory exactly as ``make site`` does (the site lock with
``--require-hashes``, then the project with ``--no-deps``), renders every PDF of the real
criteria in each (own empty cache, own hash seed, two workers) and compares the bytes. Prints
the figures; exits 1 when any PDF differs. Slow (two installs, two full renders), so it is not
part of ``make test``, whose determinism tests work within one venv.
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LOCK = ROOT / "requirements.lock"
RENDER = """
import hashlib, json, sys
from pathlib import Path
from generator import loader, pdf
from generator.site import SiteBuild
build = SiteBuild(loader.load(Path("criteria")), "https://werkplekleren.example.org/")
report = pdf.render_documents(pdf.documents(build), Path(sys.argv[1]), workers=2)
print(json.dumps({name: hashlib.sha256(path.read_bytes()).hexdigest()
                  for name, path in sorted(report.paths.items())}))
"""


def venv(venv_dir: Path, python: str) -> Path:
    subprocess.run([python, "-m", "venv", str(venv_dir)], check=True)
    py = venv_dir / "bin" / "python"
    pip = [str(py), "-m", "pip", "install", "--quiet", "--disable-pip-version-check"]
    subprocess.run([*pip, "--require-hashes", "-r", str(LOCK)], check=True)
    subprocess.run([*pip, "--no-deps", "--no-build-isolation", "-e", str(ROOT)], check=True)
    return py


def render(py: Path, cache: Path, seed: str) -> dict[str, str]:
    env = dict(os.environ, PYTHONHASHSEED=seed, NO_MKDOCS_2_WARNING="1")
    result = subprocess.run(
        [str(py), "-c", RENDER, str(cache)], cwd=ROOT, env=env, check=True,
        capture_output=True, text=True,
    )
    digests: dict[str, str] = json.loads(result.stdout)
    return digests


def main() -> int:
    python = os.environ.get("PYTHON", "python3")
    lock_digest = hashlib.sha256(LOCK.read_bytes()).hexdigest()[:12]
    print(f"lock: {LOCK.name} (sha256 {lock_digest}...), venvs made with {python}")
    runs = []
    with tempfile.TemporaryDirectory(prefix="wpl-determinism-") as tmp:
        for n, seed in ((1, "1"), (2, "4242")):
            start = time.perf_counter()
            py = venv(Path(tmp) / f"venv-{n}", python)
            installed = time.perf_counter() - start
            start = time.perf_counter()
            digests = render(py, Path(tmp) / f"cache-{n}", seed)
            rendered = time.perf_counter() - start
            version = subprocess.run(
                [str(py), "-c", "import weasyprint, pydyf, sys; "
                 "print(sys.version.split()[0], weasyprint.__version__, pydyf.__version__)"],
                capture_output=True, text=True, check=True,
            ).stdout.split()
            print(f"venv {n}: installed in {installed:.0f} s, {len(digests)} PDFs rendered in "
                  f"{rendered:.0f} s (Python {version[0]}, WeasyPrint {version[1]}, "
                  f"pydyf {version[2]}, PYTHONHASHSEED={seed})")
            runs.append(digests)
    first, second = runs
    differ = sorted(name for name in first.keys() | second.keys()
                    if first.get(name) != second.get(name))
    if differ:
        print(f"DIFFERENT: {len(differ)} of {len(first)} PDFs: {', '.join(differ)}")
        return 1
    combined = hashlib.sha256(json.dumps(first, sort_keys=True).encode()).hexdigest()[:12]
    print(f"identical: all {len(first)} PDFs byte for byte (digest of all: {combined}...)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
