"""The one Jinja environment: autoescape on, filters registered here and nowhere else."""

from __future__ import annotations

import math
from functools import cache
from pathlib import Path
from typing import Any

from jinja2 import (
    Environment,
    FileSystemLoader,
    StrictUndefined,
    pass_context,
    select_autoescape,
)
from jinja2.runtime import Context
from markupsafe import Markup, escape

from generator import text
from generator.tailor import IMPORTANCE_LABELS

TEMPLATES_DIR = Path(__file__).resolve().parent.parent / "templates"

#: Shapes that differ without colour: filled = heel belangrijk, half = depends, open = belangrijk.
_SHAPES = {
    "1": '<circle cx="8" cy="8" r="6" fill="currentColor" stroke="currentColor" stroke-width="2"/>',
    "2": (
        '<circle cx="8" cy="8" r="6" fill="none" stroke="currentColor" stroke-width="2"/>'
        '<path d="M8 2a6 6 0 0 0 0 12z" fill="currentColor"/>'
    ),
    "3": '<circle cx="8" cy="8" r="6" fill="none" stroke="currentColor" stroke-width="2"/>',
}
_IMPORTANCE_SHAPE = {"heel-belangrijk": "1", "belangrijk": "3"}


def icon(kind: str | int, label: str) -> Markup:
    """Inline SVG for a level (1, 2, 3) or a tailored importance, with its text alternative."""
    key = str(kind)
    shape = _SHAPES[_IMPORTANCE_SHAPE.get(key, key)]
    css = f"wpl-icon wpl-icon--{escape(key)}"
    return Markup(
        f'<span class="{css}" role="img" aria-label="{escape(label)}" title="{escape(label)}">'
        f'<svg viewBox="0 0 16 16" width="16" height="16" aria-hidden="true" focusable="false">'
        f"{shape}</svg></span>"
    )


#: Characters Markdown (and attr_list: ``{ ... }``) would read as syntax, as HTML entities.
_MD_SYNTAX = {char: f"&#{ord(char)};" for char in "\\`*_[]{}#!|~<>"}


def md_heading(value: str) -> Markup:
    """Data as plain text inside Markdown (headings, link texts, table cells): HTML-escaped and
    inert to Markdown, so ``{ onclick=... }`` or ``# x`` in a title stays text."""
    return Markup("".join(_MD_SYNTAX.get(char) or str(escape(char)) for char in value))


def historical_urls(context: Context) -> frozenset[str]:
    """The guideline's own (dead) links, when the template knows the guideline."""
    guideline = context.get("guideline")
    if guideline is None:
        return frozenset()
    return frozenset(link.url for link in guideline.oorspronkelijke_links if link.historisch)


@pass_context
def _inline(context: Context, value: str) -> Markup:
    return text.inline_html(value, historical_urls(context))


@pass_context
def _block(context: Context, value: str) -> Markup:
    return text.block_html(value, historical_urls(context))


@pass_context
def _verbatim(context: Context, value: str) -> Markup:
    """The guideline's own paragraphs, exactly: old links are marked, their note comes after
    (the same as ``block``, which never adds to a text either; the name says what the template
    promises)."""
    return text.block_html(value, historical_urls(context))


def _date_nl(iso: str) -> str:
    # Imported here: generator.pdf renders through this module.
    from generator.pdf import date_nl

    return date_nl(iso)


#: Estimated heights of a checklist criterion (checklist.css): multiples of 4 em in this range.
ESTIMATE_MIN_EM, ESTIMATE_MAX_EM = 16, 80


def estimated_height(*texts: str) -> int:
    """The height, in em, that a checklist criterion with these texts (its words, its "Wie" line,
    its tip and its note, as plain text) is estimated at while it is off screen (checklist.css's
    ``content-visibility: auto``).

    The estimate must be at least the real height at 320 CSS px (and, scaled by checklist.css,
    at every wider width): a criterion taller than its estimate overflows it while off screen,
    and tools that read the layout of off-screen content (axe's target-size rule in Lighthouse)
    then see its buttons overlap the next criterion's. Fitted to the real heights of every
    checklist page at 320 px: 9 em of controls and spacing plus 1.6 em per line of 28
    characters, a tip's line shorter by its indent, then a margin of 30 %; rounded up to a
    multiple of 4 em (the CSS has one rule per multiple). tests/test_checklist_layout.py checks
    it in Chromium at several widths.
    """
    words, meta, *rest = texts
    lines: float = math.ceil(len(words) / 28) + math.ceil(len(meta) / 28)
    for extra in rest:
        if extra:
            lines += math.ceil(1.1 * len(extra) / 28) + 0.5
    em = 4 * math.ceil((9 + 1.6 * lines) * 1.3 / 4)
    return max(ESTIMATE_MIN_EM, min(ESTIMATE_MAX_EM, em))


@cache
def environment(templates_dir: Path = TEMPLATES_DIR) -> Environment:
    env = Environment(
        loader=FileSystemLoader(str(templates_dir)),
        autoescape=select_autoescape(default=True, default_for_string=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["inline"] = _inline
    env.filters["block"] = _block
    env.filters["verbatim"] = _verbatim
    env.filters["plain"] = text.plain
    env.filters["md_heading"] = md_heading
    env.filters["date_nl"] = _date_nl
    env.globals["icon"] = icon
    env.globals["estimated_height"] = estimated_height
    env.globals["importance_labels"] = IMPORTANCE_LABELS
    return env


def render(template: str, **context: Any) -> str:
    return environment().get_template(template).render(**context)
