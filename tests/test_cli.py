"""The command line: exit codes, output, and nothing written on bad data."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from generator import cli
from tests.conftest import CRITERIA, FIXTURES


def _run(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    return subprocess.run([sys.executable, "-m", "generator.cli", *args], capture_output=True,
                          text=True, env=env, cwd=cwd, check=False)


def test_check_ok() -> None:
    result = _run("check", "--criteria", str(CRITERIA))
    assert result.returncode == 0, result.stderr
    assert "3 fasen, 8 domeinen, 18 vragen, 57 criteria, 7 vormen, 5 rollen" in result.stdout


def test_check_reports_problems_with_exit_1(tmp_path: Path) -> None:
    criteria = tmp_path / "criteria"
    shutil.copytree(CRITERIA, criteria)
    roles = criteria / "rollen.yml"
    roles.write_text(roles.read_text(encoding="utf-8").replace("kort: mentor", "kort: ''"),
                     encoding="utf-8")
    result = _run("check", "--criteria", str(criteria))
    assert result.returncode == cli.EXIT_INVALID
    assert "rollen.yml:" in result.stderr and "rollen.3.kort: mag niet leeg zijn" in result.stderr


def test_usage_error_is_exit_2() -> None:
    assert _run("frobnicate").returncode == 2
    assert _run("build").returncode == 2  # --out is required


def test_build_writes_pages_without_mkdocs(tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = _run("build", "--criteria", str(FIXTURES / "mini"), "--out", str(out),
                  "--cache-dir", str(tmp_path / "cache"))
    assert result.returncode == 0, result.stderr
    assert (out / "docs" / "leidraad" / "voor-je-begint.md").is_file()
    assert (out / "docs" / "vormen" / "stage" / "index.md").is_file()
    fragment = yaml.safe_load((out / "nav.yml").read_text(encoding="utf-8"))
    assert fragment["nav"][0] == {"Startpagina": "index.md"}
    assert fragment["extra"]["werkplekleren"]["uitgever"]["voorlopig"] is True
    # The publisher is still provisional: the build says so.
    assert "uitgever is nog voorlopig" in result.stderr


def test_build_with_bad_data_writes_nothing(tmp_path: Path) -> None:
    criteria = tmp_path / "criteria"
    shutil.copytree(FIXTURES / "mini", criteria)
    (criteria / "vormen.yml").write_text("vormen: 3\n", encoding="utf-8")
    out = tmp_path / "out"
    result = _run("build", "--criteria", str(criteria), "--out", str(out))
    assert result.returncode == cli.EXIT_INVALID
    assert "vormen.yml:1: vormen: moet een lijst zijn" in result.stderr
    assert not out.exists()


def test_committed_json_schemas_are_current(tmp_path: Path) -> None:
    from generator import schema

    committed = Path(__file__).resolve().parent.parent / "schema"
    for name, text in schema.schemas().items():
        assert (committed / name).read_text(encoding="utf-8") == text, (
            f"schema/{name} is stale: run `werkplekleren schema`"
        )


def test_json_schema_rejects_what_check_rejects() -> None:
    import json

    from generator import schema

    fase = json.loads(schema.schemas()["leidraad-fase.schema.json"])
    criterion = fase["$defs"]["Criterion"]
    assert criterion["additionalProperties"] is False
    assert set(criterion["required"]) >= {"id", "tekst", "niveau", "niveau_reden", "rollen"}
    assert criterion["properties"]["niveau"]["enum"] == [1, 2, 3]


def test_build_into_a_new_nested_directory(tmp_path: Path) -> None:
    out = tmp_path / "not" / "yet" / "there"
    result = _run("build", "--criteria", str(FIXTURES / "mini"), "--out", str(out),
                  "--cache-dir", str(tmp_path / "cache"))
    assert result.returncode == 0, result.stderr
    assert (out / "docs" / "index.md").is_file()
    assert sorted(p.name for p in out.parent.iterdir()) == ["there"]


def test_a_failed_swap_puts_the_previous_output_back(tmp_path: Path, monkeypatch: Any) -> None:
    target, new = tmp_path / "site", tmp_path / "new"
    target.mkdir()
    (target / "index.html").write_text("oud", encoding="utf-8")
    new.mkdir()
    real_rename = Path.rename

    def failing_rename(self: Path, dest: Any) -> Path:
        if self == new:
            raise OSError("disk full")
        return real_rename(self, dest)

    monkeypatch.setattr(Path, "rename", failing_rename)
    with pytest.raises(OSError):
        cli._swap(new, target)
    assert (target / "index.html").read_text(encoding="utf-8") == "oud"
