"""Golden tests for the generated Markdown, and escaping of data in it.

Expected output lives beside the input in tests/golden/; regenerate with UPDATE_GOLDEN=1 and
review the diff before committing. Under CI=true, UPDATE_GOLDEN fails the run (tests/conftest.py).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from generator import loader, pages
from generator.site import ActionLink, SiteBuild
from generator.text import inline_html, plain
from tests.conftest import FIXTURES, ROOT

GOLDEN = Path(__file__).resolve().parent / "golden" / "mini"


def _render_mini() -> dict[str, str]:
    build = SiteBuild(loader.load(FIXTURES / "mini"))
    pages.contribute_core(build)
    build.add_form_link("stage", ActionLink("Open de checklist", "checklist.md"))
    pages.contribute_forms(build)
    return build.pages


RENDERED = _render_mini()


@pytest.mark.parametrize("path", sorted(RENDERED))
def test_page_matches_golden(path: str) -> None:
    expected = GOLDEN / path
    if os.environ.get("UPDATE_GOLDEN"):
        expected.parent.mkdir(parents=True, exist_ok=True)
        expected.write_text(RENDERED[path], encoding="utf-8")
    assert expected.is_file(), f"no golden file for {path}; run with UPDATE_GOLDEN=1"
    assert RENDERED[path] == expected.read_text(encoding="utf-8")


def test_update_golden_under_ci_fails_the_run_and_rewrites_nothing(tmp_path: Path) -> None:
    before = {p: p.read_bytes() for p in GOLDEN.rglob("*.md")}
    env = dict(os.environ, CI="true", UPDATE_GOLDEN="1", NO_MKDOCS_2_WARNING="1")
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-n", "0", "-q",
         "tests/test_pages.py"],
        cwd=ROOT, env=env, capture_output=True, text=True, check=False,
    )
    assert result.returncode == pytest.ExitCode.USAGE_ERROR, result.stdout + result.stderr
    assert "UPDATE_GOLDEN is set under CI=true" in result.stderr
    assert {p: p.read_bytes() for p in GOLDEN.rglob("*.md")} == before


def test_no_golden_file_is_orphaned() -> None:
    on_disk = {str(p.relative_to(GOLDEN)) for p in GOLDEN.rglob("*.md")}
    assert on_disk == set(RENDERED)


def test_inline_markdown_is_limited_and_escaped() -> None:
    html = inline_html(
        "Zie *dit* en [de site](https://example.org/a?b=1&c=2) of <script>x</script>."
    )
    assert "<em>dit</em>" in html
    assert '<a href="https://example.org/a?b=1&amp;c=2">de site</a>' in html
    assert "&lt;script&gt;" in html and "<script>" not in html
    # Not a link, and inert if a page puts it in a Markdown paragraph.
    assert inline_html("[x](javascript:alert(1))") == "&#91;x&#93;(javascript:alert(1))"
    bare = inline_html("Neem een kijkje op http://www.stageforum.be/page/478.aspx.")
    assert bare.endswith('<a href="http://www.stageforum.be/page/478.aspx">'
                         'http://www.stageforum.be/page/478.aspx</a>.')
    assert plain("Zie *dit* en [de site](https://example.org)") == (
        "Zie dit en de site (https://example.org)"
    )


def test_not_applicable_and_hints_show_on_the_form_page() -> None:
    groep = RENDERED["vormen/groepspraktijk/index.md"]
    assert 'id="veiligheid"' in groep and "De leraar is erbij." in groep
    assert "Niet van toepassing op groepspraktijk" in groep
    stage = RENDERED["vormen/stage/index.md"]
    assert "Tip voor stage:" in stage and "<em>stageovereenkomst</em>" in stage
    assert 'href="checklist.md"' in stage
