"""The one Jinja environment: autoescape on, filters registered here and nowhere else."""

from __future__ import annotations

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
    """The guideline's own paragraphs, exactly: old links are marked, their note comes after."""
    return text.block_html(value, historical_urls(context), note=False)


def _date_nl(iso: str) -> str:
    # Imported here: generator.pdf renders through this module.
    from generator.pdf import date_nl

    return date_nl(iso)


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
    env.globals["importance_labels"] = IMPORTANCE_LABELS
    return env


def render(template: str, **context: Any) -> str:
    return environment().get_template(template).render(**context)
