"""Broken criteria: every case in tests/fixtures/broken fails check, build and mkdocs build,
writes nothing, and reports exactly its expected problems (file, line, field, message).

See tests/fixtures/broken/README.md for the layout of a case.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
from conftest import CRITERIA, FIXTURES, mkdocs_build

from generator import cli, loader

BROKEN = FIXTURES / "broken"
CASES = sorted(p.name for p in BROKEN.iterdir() if p.is_dir())
#: The console script installed next to this Python (the real `werkplekleren` command).
WERKPLEKLEREN = Path(sys.executable).with_name("werkplekleren")
#: A few cases that cover each kind of failure, also run through a real (slower) mkdocs build.
MKDOCS_CASES = ["yaml-unclosed-quote", "bom", "missing-file", "unknown-role", "several-problems"]

_EXPECTED = re.compile(r"^(?P<path>[^:\s]+):(?:(?P<line>\+?\d+):)? (?P<field>\S+): (?P<words>.+)$")
_REPORTED = re.compile(r"^\s+(?P<path>[^:\s]+):(?:(?P<line>\d+):)? (?P<field>\S+): (?P<msg>.+)$")


@dataclass(frozen=True)
class Expected:
    file: str
    line: int | None
    field: str
    words: str


@dataclass(frozen=True)
class Reported:
    file: str
    line: int | None
    field: str
    message: str


def make_case(name: str, dest: Path) -> tuple[Path, list[Expected]]:
    """Copy the real criteria to ``dest``, lay the case over it; return it and its problems."""
    case = BROKEN / name
    shutil.copytree(CRITERIA, dest)
    offsets: dict[str, int] = {}
    for source in sorted(case.rglob("*")):
        rel = source.relative_to(case).as_posix()
        if source.is_dir() or rel in {"expected.txt", "remove.txt"}:
            continue
        if rel.endswith(".append"):
            target = dest / rel.removesuffix(".append")
            original = target.read_bytes()
            offsets[rel.removesuffix(".append")] = original.count(b"\n")
            target.write_bytes(original + source.read_bytes())
        else:
            (dest / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source, dest / rel)
    if (case / "remove.txt").is_file():
        for rel in (case / "remove.txt").read_text(encoding="utf-8").split():
            (dest / rel).unlink()
    expected = []
    for text in (case / "expected.txt").read_text(encoding="utf-8").splitlines():
        if not text.strip() or text.startswith("#"):
            continue
        match = _EXPECTED.match(text)
        assert match, f"{name}/expected.txt: cannot read {text!r}"
        line = match["line"]
        number = None
        if line is not None:
            number = int(line.lstrip("+")) + (offsets[match["path"]] if line[0] == "+" else 0)
        expected.append(Expected(match["path"], number, match["field"], match["words"]))
    assert expected, f"{name}: expected.txt lists no problem"
    return dest, expected


def reported(output: str, prefix: str = "") -> list[Reported]:
    """The problem lines of a loader message, file names made relative to the criteria dir."""
    found = []
    for text in output.splitlines():
        match = _REPORTED.match(text)
        if match and match["path"].startswith(prefix) and match["path"].endswith((".yml", "fasen")):
            line = int(match["line"]) if match["line"] else None
            file = match["path"].removeprefix(prefix)
            found.append(Reported(file, line, match["field"], match["msg"]))
    return found


def assert_same_problems(name: str, expected: list[Expected], got: list[Reported]) -> None:
    shown = "\n".join(f"  {r.file}:{r.line}: {r.field}: {r.message}" for r in got)
    assert len(got) == len(expected), f"{name}: expected {len(expected)} problems, got:\n{shown}"
    for want in expected:
        hits = [
            r
            for r in got
            if (r.file, r.line, r.field) == (want.file, want.line, want.field)
            and want.words.lower() in r.message.lower()
        ]
        assert len(hits) == 1, f"{name}: no single problem matches {want}; got:\n{shown}"
    # Plain words for editors: no Python reprs or pydantic/PyYAML jargon leak through.
    for r in got:
        for jargon in ("Input should", "datetime.", "None)", "Traceback", "pydantic", "found "):
            assert jargon not in r.message, f"{name}: {jargon!r} in {r.message!r}"


def tree_hash(path: Path) -> dict[str, str]:
    """Every file under ``path`` with the SHA-256 of its bytes."""
    return {
        p.relative_to(path).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(path.rglob("*"))
        if p.is_file()
    }


def test_the_corpus_is_large_enough() -> None:
    assert len(CASES) >= 30, CASES


def test_every_case_loads_fine_without_its_defect(tmp_path: Path) -> None:
    """The base the cases are laid on is valid, so each case fails only by its own defect."""
    loader.load(CRITERIA)
    base, _ = make_case("empty-file", tmp_path / "criteria")
    (base / "fasen" / "9-kapot.yml").unlink()
    loader.load(base)


@pytest.mark.parametrize("name", CASES)
def test_check_reports_exactly_the_expected_problems(name: str, tmp_path: Path) -> None:
    criteria, expected = make_case(name, tmp_path / "criteria")
    result = subprocess.run(
        [str(WERKPLEKLEREN), "check", "--criteria", "."],
        cwd=criteria,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == cli.EXIT_INVALID, result.stdout + result.stderr
    assert "OK" not in result.stdout
    assert_same_problems(name, expected, reported(result.stderr))


@pytest.mark.parametrize("name", CASES)
def test_build_fails_and_writes_nothing(
    name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    criteria, expected = make_case(name, tmp_path / "criteria")
    monkeypatch.chdir(criteria)
    work = tmp_path / "work"
    # An earlier build that must survive, and a fresh output that must not appear.
    old = work / "old"
    (old / "docs").mkdir(parents=True)
    (old / "docs" / "index.md").write_text("vorige build\n", encoding="utf-8")
    before = tree_hash(work)
    for out in (old, work / "new"):
        code = cli.main(["build", "--criteria", ".", "--out", str(out)])
        assert code == cli.EXIT_INVALID
        assert_same_problems(name, expected, reported(capsys.readouterr().err))
    assert tree_hash(work) == before
    assert sorted(p.name for p in work.iterdir()) == ["old"], "a temporary directory was left"


@pytest.mark.parametrize("name", MKDOCS_CASES)
def test_mkdocs_build_fails_with_the_same_messages_and_no_site(name: str, tmp_path: Path) -> None:
    criteria, expected = make_case(name, tmp_path / "criteria")
    result = mkdocs_build(tmp_path, criteria=criteria)
    assert result.returncode != 0
    assert_same_problems(name, expected, reported(result.stderr, prefix="criteria/"))
    assert not (tmp_path / "site").exists()


def test_cli_site_keeps_the_previous_site_when_the_build_fails(tmp_path: Path) -> None:
    """`werkplekleren site` (what `make site` runs) on broken criteria: old site untouched."""
    from conftest import write_config

    criteria, expected = make_case("several-problems", tmp_path / "criteria")
    config = write_config(tmp_path, criteria=criteria)
    site = tmp_path / "out" / "site"
    site.mkdir(parents=True)
    (site / "index.html").write_text("<p>vorige site</p>\n", encoding="utf-8")
    before = tree_hash(tmp_path / "out")
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    result = subprocess.run(
        [str(WERKPLEKLEREN), "site", "--out", str(site), "--config", str(config)],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert result.returncode != 0
    assert_same_problems("several-problems", expected, reported(result.stderr, "criteria/"))
    assert "niet gewijzigd" in result.stderr
    assert tree_hash(tmp_path / "out") == before
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["site"]
