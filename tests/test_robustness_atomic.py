"""Atomic builds: a failing `werkplekleren site` (what `make site` runs) leaves the previous
site exactly as it was, and leaves no temporary directories behind."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
from conftest import CRITERIA, ROOT, write_config
from test_robustness import make_case, tree_hash

WERKPLEKLEREN = Path(sys.executable).with_name("werkplekleren")


def site(out: Path, config: Path) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    env.pop("SITE_URL", None)
    return subprocess.run(
        [str(WERKPLEKLEREN), "site", "--out", str(out), "--config", str(config)],
        cwd=config.parent,
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )


@dataclass(frozen=True)
class Built:
    public: Path
    out: Path
    good: Path
    before: dict[str, str]


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Built:
    """A good site, built once with `werkplekleren site` into ``public/site``."""
    tmp = tmp_path_factory.mktemp("atomic")
    public = tmp / "public"
    out = public / "site"
    good = write_config(tmp, criteria=CRITERIA)
    first = site(out, good)
    assert first.returncode == 0, first.stderr
    assert (out / "index.html").is_file()
    before = tree_hash(out)
    assert len(before) > 20
    return Built(public, out, good, before)


def assert_untouched(built: Built) -> None:
    assert tree_hash(built.out) == built.before
    # Nothing is left next to the site: no staging or old-site directories.
    assert sorted(p.name for p in built.public.iterdir()) == ["site"]


def test_broken_criteria_leave_the_previous_site_untouched(built: Built, tmp_path: Path) -> None:
    """The plugin refuses the criteria in on_config, before MkDocs writes anything."""
    criteria, _ = make_case("several-problems", tmp_path / "criteria")
    result = site(built.out, write_config(tmp_path, criteria=criteria))
    assert result.returncode != 0
    assert "4 problemen in de criteria" in result.stderr
    assert "niet gewijzigd" in result.stderr
    assert_untouched(built)


def test_a_failure_after_writing_leaves_the_previous_site_untouched(
    built: Built, tmp_path: Path
) -> None:
    """A theme template that breaks while pages are rendered: MkDocs has already copied the
    assets and written some pages into its output directory when it stops."""
    theme = tmp_path / "theme"
    theme.mkdir()
    (theme / "main.html").write_text(
        '{% extends "base.html" %}{% block content %}{{ niet_gedefinieerd.veld }}{% endblock %}',
        encoding="utf-8",
    )
    config = write_config(tmp_path, criteria=CRITERIA)
    text = config.read_text(encoding="utf-8")
    old = f"custom_dir: {ROOT / 'site_overrides'}"
    assert old in text
    config.write_text(text.replace(old, f"custom_dir: {theme}"), encoding="utf-8")
    result = site(built.out, config)
    assert result.returncode != 0
    assert "niet_gedefinieerd" in result.stderr
    assert_untouched(built)


def test_a_good_build_replaces_the_site_without_leftovers(built: Built) -> None:
    (built.out / "stale.txt").write_text("van een oude build\n", encoding="utf-8")
    again = site(built.out, built.good)
    assert again.returncode == 0, again.stderr
    assert not (built.out / "stale.txt").exists()
    # Same files as before (not compared byte for byte: the sources may have moved on).
    assert set(tree_hash(built.out)) == set(built.before)
    assert sorted(p.name for p in built.public.iterdir()) == ["site"]


def test_a_strict_warning_fails_the_build_and_keeps_the_site(built: Built, tmp_path: Path) -> None:
    """--strict turns warnings (here: a nav entry to a missing page) into a failed build."""
    config = write_config(tmp_path, criteria=CRITERIA)
    text = config.read_text(encoding="utf-8")
    config.write_text(text + "\nnav:\n  - Home: index.md\n  - Weg: bestaat-niet.md\n", "utf-8")
    result = site(built.out, config)
    assert result.returncode != 0
    assert "bestaat-niet.md" in result.stderr
    assert_untouched(built)


def test_the_site_is_finished_for_hosting_before_the_swap(built: Built) -> None:
    """`werkplekleren site` runs generator.hosting on the new build: policy, server files and
    compressed variants are there when the site appears."""
    page = (built.out / "index.html").read_text(encoding="utf-8")
    assert '<meta http-equiv="Content-Security-Policy"' in page
    for name in (".nginx/http.conf", ".nginx/server.conf", "_headers", "_redirects", ".htaccess",
                 "index.html.gz", "index.html.br"):
        assert (built.out / name).is_file(), name


def test_a_page_the_policy_cannot_allow_keeps_the_previous_site(
    built: Built, tmp_path: Path
) -> None:
    """An inline event handler in a template: MkDocs builds fine, the hosting step refuses."""
    theme = tmp_path / "theme"
    shutil.copytree(ROOT / "site_overrides", theme)
    main = theme / "main.html"
    main.write_text(
        main.read_text(encoding="utf-8")
        + '{% block content %}<button onclick="x()">x</button>{{ super() }}{% endblock %}\n',
        encoding="utf-8",
    )
    config = write_config(tmp_path, criteria=CRITERIA)
    text = config.read_text(encoding="utf-8")
    old = f"custom_dir: {ROOT / 'site_overrides'}"
    config.write_text(text.replace(old, f"custom_dir: {theme}"), encoding="utf-8")
    result = site(built.out, config)
    assert result.returncode != 0
    assert "inline event handler" in result.stderr and "niet gewijzigd" in result.stderr
    assert_untouched(built)
