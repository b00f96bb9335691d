"""The limited Markdown allowed in criterion texts, hints and descriptions.

Editors may use ``*emphasis*``, ``**strong**``, ``[text](https://...)`` and bare ``http(s)://``
URLs; everything else is text. The output is escaped HTML (an editor's ``<script>`` shows as
text), so renderers never pass raw data through to a page or PDF.
"""

from __future__ import annotations

import re
from collections.abc import Collection

from markupsafe import Markup, escape

_LINK = re.compile(r"\[([^\]\n]+)\]\((https?://[^\s()<>\"]+)\)")
# A bare URL; trailing sentence punctuation is not part of it.
_BARE_URL = re.compile(r"(?<![\w/\"'>=])(https?://[^\s<>\"]*[^\s<>\".,;:!?)])")
_STRONG = re.compile(r"\*\*(?=\S)(.+?)(?<=\S)\*\*")
_EMPHASIS = re.compile(r"(?<![*\w])\*(?=[^\s*])(.+?)(?<=[^\s*])\*(?![*\w])")
_PLACEHOLDER = "\x00{}\x00"


#: Shown after a historical URL: the guideline's links date from around 2010.
HISTORICAL_NOTE = "oude link uit de leidraad, werkt wellicht niet meer"


def inline_html(text: str, historical: Collection[str] = (), note: bool = True) -> Markup:
    """Render the allowed inline Markdown of one paragraph as safe HTML.

    Bare URLs listed in ``historical`` stay links (the guideline has them as links) but are
    marked as history: they date from around 2010 and are no recommendation. With ``note`` a
    short note follows the link; without it the text stays exactly the guideline's and the
    page says so in a separate note.
    """
    links: list[str] = []

    def keep(html: str) -> str:
        links.append(html)
        return _PLACEHOLDER.format(len(links) - 1)

    def link(match: re.Match[str]) -> str:
        label, url = match.group(1), match.group(2)
        return keep(f'<a href="{escape(url)}">{_emphasis(str(escape(label)))}</a>')

    def bare(match: re.Match[str]) -> str:
        url = match.group(1)
        if url in historical:
            after = f' <span class="wpl-historical-note">({HISTORICAL_NOTE})</span>' if note else ""
            return keep(
                f'<a class="wpl-historical" href="{escape(url)}" rel="nofollow">{escape(url)}</a>'
                + after
            )
        return keep(f'<a href="{escape(url)}">{escape(url)}</a>')

    work = text.replace("\x00", "")
    work = _LINK.sub(link, work)
    work = _BARE_URL.sub(bare, work)
    parts = re.split(r"\x00(\d+)\x00", work)
    out = []
    for index, part in enumerate(parts):
        out.append(links[int(part)] if index % 2 else _emphasis(str(escape(part))))
    return Markup(_inert("".join(out)))


#: Outside tags: characters Markdown would act on when the HTML lands in a Markdown paragraph.
_MD_ACTIVE = re.compile(r"(<[^>]*>)|([\\`*_\[\]{}!|~])")


def _inert(html: str) -> str:
    """Make rendered HTML inert to a second Markdown pass (a page may put it in a paragraph):
    syntax characters outside tags become entities, as does a block marker at the start."""
    html = _MD_ACTIVE.sub(lambda m: m.group(1) or f"&#{ord(m.group(2))};", html)
    return re.sub(r"^([#>+-])", lambda m: f"&#{ord(m.group(1))};", html)


def _emphasis(escaped: str) -> str:
    escaped = _STRONG.sub(r"<strong>\1</strong>", escaped)
    return _EMPHASIS.sub(r"<em>\1</em>", escaped)


def paragraphs(text: str) -> list[str]:
    """Split a text on blank lines (YAML folded scalars keep them as a single newline pair)."""
    return [p.strip() for p in re.split(r"\n\s*\n|\n", text) if p.strip()]


def block_html(text: str, historical: Collection[str] = (), note: bool = True) -> Markup:
    """Several paragraphs as ``<p>`` elements."""
    return Markup("\n").join(
        Markup("<p>{}</p>").format(inline_html(p, historical, note)) for p in paragraphs(text)
    )


def plain(text: str) -> str:
    """The text without Markdown syntax, for CSV, PDF metadata and search snippets."""
    text = _LINK.sub(lambda m: f"{m.group(1)} ({m.group(2)})", text)
    text = _STRONG.sub(r"\1", text)
    return _EMPHASIS.sub(r"\1", text)
