"""Valid HTML (issue 6): the Nu HTML Checker reports no error on any page of the built site.

vnu runs once over all HTML files (redirect stubs and 404 included): the JVM start is the slow
part. Errors that come from Material's own templates and cannot reasonably be fixed through
site_overrides/ are listed in .vnu-allowlist with their reason; the test fails on any other
error, and on an allowlist line that no longer matches anything.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tests.conftest import ROOT

VNU_JAR = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
ALLOWLIST = ROOT / ".vnu-allowlist"


@dataclass(frozen=True)
class Allowed:
    message: re.Pattern[str]
    extract: re.Pattern[str]
    reason: str

    def matches(self, error: dict[str, Any]) -> bool:
        return bool(
            self.message.search(error.get("message", ""))
            and self.extract.search(error.get("extract", ""))
        )


def load_allowlist(path: Path = ALLOWLIST) -> list[Allowed]:
    entries = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        parts = [p.strip() for p in line.split(" | ")]
        assert len(parts) == 3 and all(parts), (
            f"{path.name}:{number}: expected 'message regex | extract regex | reason'"
        )
        entries.append(Allowed(re.compile(parts[0]), re.compile(parts[1]), parts[2]))
    return entries


def run_vnu(files: list[Path]) -> list[dict[str, Any]]:
    java = shutil.which("java")
    assert java, "java not found: install a JRE (Debian: default-jre-headless)"
    assert VNU_JAR.is_file(), f"{VNU_JAR} missing: run `make test` (npm ci installs vnu-jar)"
    command = [java, "-jar", str(VNU_JAR), "--format", "json", "--skip-non-html"]
    result = subprocess.run(
        command + [str(f) for f in files], capture_output=True, text=True, check=False
    )
    messages: list[dict[str, Any]] = json.loads(result.stderr)["messages"]
    return messages


def _where(site_dir: Path, error: dict[str, Any]) -> str:
    url = str(error.get("url", "")).removeprefix("file:")
    path = Path(url).resolve()
    rel = path.relative_to(site_dir.resolve()) if path.is_relative_to(site_dir.resolve()) else url
    extract = " ".join(str(error.get("extract", "")).split())
    return f"{rel}:{error.get('lastLine', '?')}: {error.get('message')}\n    {extract[:200]}"


def test_allowlist_entries_have_reasons() -> None:
    entries = load_allowlist()
    for entry in entries:
        assert len(entry.reason) > 40, f"give a real reason for {entry.message.pattern!r}"


def test_every_page_is_valid_html(site_dir: Path) -> None:
    files = sorted(site_dir.rglob("*.html"))
    assert len(files) >= 10
    messages = run_vnu(files)
    assert not [m for m in messages if m["type"] == "non-document-error"], messages
    errors = [m for m in messages if m["type"] == "error"]
    warnings = [m for m in messages if m["type"] == "info" and m.get("subType") == "warning"]
    allowlist = load_allowlist()
    used: Counter[int] = Counter()
    unexpected = []
    for error in errors:
        hits = [i for i, entry in enumerate(allowlist) if entry.matches(error)]
        used.update(hits[:1])
        if not hits:
            unexpected.append(error)
    print(
        f"vnu: {len(files)} files, {len(errors)} errors ({len(errors) - len(unexpected)} "
        f"allowlisted), {len(warnings)} warnings"
    )
    assert not unexpected, f"{len(unexpected)} HTML error(s) not in .vnu-allowlist:\n" + "\n".join(
        _where(site_dir, e) for e in unexpected[:40]
    )
    stale = [e.message.pattern for i, e in enumerate(allowlist) if not used[i]]
    assert not stale, f".vnu-allowlist entries that match no error any more (remove them): {stale}"


def test_vnu_reports_errors(tmp_path: Path) -> None:
    """The checker really runs: a broken page gives errors, and they are not allowlisted."""
    bad = tmp_path / "bad.html"
    bad.write_text(
        '<!doctype html><html lang="nl"><head><title>x</title></head>'
        '<body><p><div>blok in alinea</div></p><label for="nergens">x</label></body></html>',
        encoding="utf-8",
    )
    errors = [m for m in run_vnu([bad]) if m["type"] == "error"]
    assert len(errors) >= 2
    assert not any(entry.matches(e) for e in errors for entry in load_allowlist())
