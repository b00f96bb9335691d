"""Our stylesheets as served: without their comments.

The comments in ``site_overrides/assets/stylesheets/*.css`` say why a rule is there (a WCAG
criterion, a quirk of the theme). A visitor's browser does not need them: on a checklist page
they were 1.7 KB of the 20 KB (gzipped) that our own code may weigh (issue 6, weight.py). Both
engines serve our stylesheets through ``compact``: the plugin under MkDocs, ``copy_overrides``
under Zensical. Scripts keep their comments: removing those safely takes a JavaScript parser.
"""

from __future__ import annotations

import re
from pathlib import Path

#: A string (kept as it is, a "/*" inside it included) or a comment (removed).
_TOKEN = re.compile(r""""(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*'|/\*.*?\*/""", re.DOTALL)


def compact(css: str) -> str:
    """``css`` without comments, and without the lines that held only a comment.

    A comment between two tokens becomes a space, so that they stay two (``a/**/b``). An
    unclosed comment is left alone: the browser ignores it to the end of the file either way.
    """

    def replace(match: re.Match[str]) -> str:
        text = match.group()
        if not text.startswith("/*"):
            return text
        before = css[match.start() - 1 : match.start()]
        after = css[match.end() : match.end() + 1]
        return " " if before.strip() and after.strip() else ""

    lines = _TOKEN.sub(replace, css).splitlines()
    kept = [line.rstrip() for line in lines if line.strip()]
    return "\n".join(kept) + "\n" if kept else ""


def is_ours(path: Path, overrides: Path) -> bool:
    """A stylesheet of our theme overrides (not one of the theme's own, already minified)."""
    return path.suffix == ".css" and path.resolve().is_relative_to(overrides.resolve())


def compact_tree(directory: Path) -> None:
    """Compact every stylesheet under ``directory`` in place (a staged copy of the overrides)."""
    for path in directory.rglob("*.css"):
        path.write_text(compact(path.read_text(encoding="utf-8")), encoding="utf-8")
