"""The Content Security Policy of the built site, computed from the built files themselves.

Inline scripts (Material's small set-up scripts, our class setter, the redirect pages) are
allowed by their SHA-256 hash, never by ``'unsafe-inline'``; the hashes are read from every HTML
page of a built output directory, so new pages, another theme version or another engine (Zensical)
are covered without anyone typing a hash. Inline style attributes (Markdown table alignment, the
QR code images) are allowed the same way, by hash with ``'unsafe-hashes'``.

``scan`` reads a built directory; ``apply_meta`` writes the policy into every page as
``<meta http-equiv="Content-Security-Policy">`` (everything but ``frame-ancestors``, which a meta
policy cannot carry), for hosts that cannot set headers. ``generator.hosting`` writes the same
policy into the server configuration.

A theme script may also insert a ``<style>`` element of its own at run time: Zensical's search
dialog puts its stylesheet, a string constant of its bundle, into a shadow root. Such a style
is allowed by its hash too, read from the script (``script_styles``); a script that inserts a
style whose text cannot be read there is refused, so a theme upgrade cannot silently leave a
component unstyled under the policy.

A page with an inline event handler (``onclick=...``) or a ``javascript:`` URL is refused: the
policy could only allow it with ``'unsafe-inline'``/``'unsafe-hashes'`` for scripts.
"""

from __future__ import annotations

import base64
import hashlib
import html
import os
import re
from collections.abc import Iterable
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

#: Script ``type`` values a browser executes (an absent or empty type too). Anything else, such as
#: Material's ``<script id="__config" type="application/json">``, is data and needs no hash.
JS_TYPES = frozenset(
    {
        "module",
        "text/javascript",
        "application/javascript",
        "application/ecmascript",
        "application/x-javascript",
        "text/ecmascript",
        "text/jscript",
    }
)

#: The policy, directive by directive; ``{scripts}`` and ``{styles}`` are filled with the hashes.
#: - img-src data: Material draws its icons with ``data:image/svg+xml`` masks in its CSS.
#: - worker-src 'self': the search worker is a file of the site (no blob: worker).
#: - connect-src 'self': the search index (and, with instant navigation, the pages and the
#:   sitemap), all our own.
DIRECTIVES: tuple[tuple[str, str], ...] = (
    ("default-src", "'self'"),
    ("script-src", "'self'{scripts}"),
    ("style-src", "'self'{styles}"),
    ("img-src", "'self' data:"),
    ("font-src", "'self'"),
    ("connect-src", "'self'"),
    ("worker-src", "'self'"),
    ("object-src", "'none'"),
    ("base-uri", "'self'"),
    ("form-action", "'self'"),
    ("frame-ancestors", "'none'"),
)
#: Directives a ``<meta>`` policy may not carry (the browser ignores them there, with a warning).
HEADER_ONLY = frozenset({"frame-ancestors", "report-uri", "sandbox"})

META_RE = re.compile(r'<meta http-equiv="Content-Security-Policy" content="[^"]*">\n?', re.I)
CHARSET_RE = re.compile(r"<meta\s+charset=[\"']?[\w-]+[\"']?\s*/?>\n?", re.I)
HEAD_RE = re.compile(r"<head(\s[^>]*)?>\n?", re.I)
#: Inline event handler attributes (``onclick``, ``onload``...).
HANDLER_RE = re.compile(r"^on[a-z]+$")
URL_ATTRS = frozenset({"href", "src", "action", "formaction", "xlink:href"})


class PolicyError(ValueError):
    """The built site has something a strict policy cannot allow (listed per file)."""


def source_hash(text: str) -> str:
    """CSP hash source of an inline script or style, as the browser computes it."""
    digest = hashlib.sha256(text.encode("utf-8")).digest()
    return f"'sha256-{base64.b64encode(digest).decode('ascii')}'"


@dataclass(frozen=True)
class Policy:
    #: Hash sources of the inline scripts, sorted.
    scripts: tuple[str, ...] = ()
    #: Hash sources of ``<style>`` elements and ``style=""`` attributes, sorted.
    styles: tuple[str, ...] = ()
    #: Whether any of ``styles`` is an attribute (needs ``'unsafe-hashes'``).
    style_attributes: bool = False

    def directives(self, meta: bool = False) -> list[tuple[str, str]]:
        scripts = "".join(f" {h}" for h in self.scripts)
        styles = (" 'unsafe-hashes'" if self.style_attributes else "") + "".join(
            f" {h}" for h in self.styles
        )
        return [
            (name, value.format(scripts=scripts, styles=styles))
            for name, value in DIRECTIVES
            if not (meta and name in HEADER_ONLY)
        ]

    def header(self) -> str:
        """The ``Content-Security-Policy`` header value."""
        return "; ".join(f"{name} {value}" for name, value in self.directives())

    def meta(self) -> str:
        """The same policy as far as a ``<meta>`` element can carry it."""
        return "; ".join(f"{name} {value}" for name, value in self.directives(meta=True))

    def meta_tag(self) -> str:
        content = html.escape(self.meta(), quote=False).replace('"', "&quot;")
        return f'<meta http-equiv="Content-Security-Policy" content="{content}">'


class _Page(HTMLParser):
    """Collects inline scripts, styles and style attributes of one HTML (or SVG) file."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.scripts: list[str] = []
        self.styles: list[str] = []
        self.style_attributes: list[str] = []
        self.problems: list[str] = []
        self.redirect: str | None = None
        self._text: list[str] | None = None
        self._kind = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        for name, value in values.items():
            if HANDLER_RE.match(name):
                self.problems.append(f"<{tag} {name}=...>: inline event handler")
            elif name in URL_ATTRS and value.strip().lower().startswith("javascript:"):
                self.problems.append(f"<{tag} {name}=javascript:...>: javascript: URL")
        if "style" in values:
            self.style_attributes.append(values["style"])
        if tag == "meta" and values.get("http-equiv", "").lower() == "refresh":
            match = re.search(r"url\s*=\s*(\S+)", values.get("content", ""), re.I)
            if match:
                self.redirect = match.group(1).strip("'\"")
        if tag == "script" and "src" not in values:
            kind = values.get("type", "").strip().lower()
            if not kind or kind in JS_TYPES:
                self._text, self._kind = [], "script"
        elif tag == "style":
            self._text, self._kind = [], "style"

    def handle_data(self, data: str) -> None:
        if self._text is not None:
            self._text.append(data)

    def handle_endtag(self, tag: str) -> None:
        if self._text is not None and tag == self._kind:
            (self.scripts if tag == "script" else self.styles).append("".join(self._text))
            self._text = None


def read_page(path: Path) -> _Page:
    # The browser normalises line breaks before it parses (and hashes) anything.
    text = path.read_text(encoding="utf-8").replace("\r\n", "\n").replace("\r", "\n")
    # A meta policy written by an earlier run is not part of the page.
    text = META_RE.sub("", text)
    page = _Page()
    page.feed(text)
    page.close()
    return page


@dataclass(frozen=True)
class Scan:
    """What the built site needs from the policy, and its redirect pages."""

    policy: Policy
    #: Site path of every HTML page, e.g. ``vormen/stage/index.html``.
    pages: tuple[str, ...]
    #: Redirect pages (meta refresh): site path of the page -> root-relative target path.
    redirects: dict[str, str]


def documents(site_dir: Path) -> list[Path]:
    """Every HTML page of a built site (the server's own files under ``.nginx`` excepted)."""
    return sorted(
        p for p in site_dir.rglob("*.html")
        if not any(part.startswith(".") for part in p.relative_to(site_dir).parts)
    )


def _resolve(page: str, target: str) -> str:
    """Root-relative path of a relative link on the page at site path ``page``."""
    if target.startswith("/"):
        return target
    parts = page.split("/")[:-1]
    for piece in target.split("/"):
        if piece == "..":
            if parts:
                parts.pop()
        elif piece not in ("", "."):
            parts.append(piece)
    return "/" + "/".join(parts) + ("/" if target.endswith("/") or not target else "")


#: A ``<style>`` element made by a script from a named string, as Zensical's bundle (Preact's
#: ``h``, minified) does: ``C("style",{},Tc.toString())``.
SCRIPT_STYLE_RE = re.compile(r"""["']style["'],\{\},([A-Za-z_$][\w$]*)(?:\.toString\(\))?\)""")
_JS_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", "b": "\b", "f": "\f", "v": "\v", "0": "\0"}


def _js_string(body: str) -> str:
    """The value of a JavaScript string literal's body (simple escapes; \\uXXXX and \\xXX)."""
    out: list[str] = []
    i = 0
    while i < len(body):
        char = body[i]
        if char != "\\":
            out.append(char)
            i += 1
            continue
        code = body[i + 1]
        if code == "u" and body[i + 2] == "{":
            end = body.index("}", i)
            out.append(chr(int(body[i + 3:end], 16)))
            i = end + 1
        elif code in "ux":
            size = 4 if code == "u" else 2
            out.append(chr(int(body[i + 2:i + 2 + size], 16)))
            i += 2 + size
        elif code == "\n":  # a line continuation
            i += 2
        else:
            out.append(_JS_ESCAPES.get(code, code))
            i += 2
    return "".join(out)


def script_styles(script: str) -> tuple[list[str], list[str]]:
    """The texts of the ``<style>`` elements ``script`` makes from string constants, and the
    names of those it makes from something this cannot read."""
    found: list[str] = []
    unread: list[str] = []
    for name in dict.fromkeys(SCRIPT_STYLE_RE.findall(script)):
        literal = re.search(
            rf"""(?<![\w$.]){re.escape(name)}=(?:'((?:[^'\\\n]|\\.)*)'|"((?:[^"\\\n]|\\.)*)")""",
            script,
        )
        if literal is None:
            unread.append(name)
        else:
            found.append(_js_string(literal.group(1) if literal.group(1) is not None
                                    else literal.group(2)))
    return found, unread


def scan(site_dir: Path) -> Scan:
    """Read every HTML page (and SVG image) of a built site; raise ``PolicyError`` listing every
    page with an inline handler or ``javascript:`` URL."""
    scripts: set[str] = set()
    styles: set[str] = set()
    attributes: set[str] = set()
    problems: list[str] = []
    redirects: dict[str, str] = {}
    pages = documents(site_dir)
    for path in [*pages, *sorted(site_dir.rglob("*.svg"))]:
        rel = path.relative_to(site_dir).as_posix()
        page = read_page(path)
        problems += [f"{rel}: {problem}" for problem in page.problems]
        if path.suffix == ".svg" and page.scripts:
            problems.append(f"{rel}: <script> in an SVG image")
        scripts.update(page.scripts)
        styles.update(page.styles)
        attributes.update(page.style_attributes)
        if page.redirect is not None and path.suffix == ".html":
            redirects[rel] = _resolve(rel, page.redirect)
    for path in sorted(site_dir.rglob("*.js")):
        made, unread = script_styles(path.read_text(encoding="utf-8", errors="replace"))
        styles.update(made)
        rel = path.relative_to(site_dir).as_posix()
        problems += [f"{rel}: maakt een <style> uit {name}, waarvan de tekst niet te lezen is"
                     for name in unread]
    if problems:
        raise PolicyError(
            "de strikte Content-Security-Policy kan dit niet toelaten:\n  " + "\n  ".join(problems)
        )
    policy = Policy(
        scripts=tuple(sorted(source_hash(s) for s in scripts)),
        styles=tuple(sorted({source_hash(s) for s in styles | attributes})),
        style_attributes=bool(attributes),
    )
    return Scan(policy, tuple(p.relative_to(site_dir).as_posix() for p in pages), redirects)


def with_meta(text: str, tag: str) -> str:
    """The page with ``tag`` as the first element after its charset (or its ``<head>``),
    replacing a policy written earlier. Unchanged when the page has no head."""
    text = META_RE.sub("", text)
    anchor = CHARSET_RE.search(text) or HEAD_RE.search(text)
    if anchor is None:
        return text
    end = anchor.end()
    return f"{text[:end]}{tag}\n{text[end:]}"


def apply_meta(site_dir: Path, policy: Policy, pages: Iterable[str]) -> int:
    """Write the meta policy into every page; returns how many pages got it."""
    tag = policy.meta_tag()
    count = 0
    for rel in pages:
        path = site_dir / rel
        text = path.read_text(encoding="utf-8")
        new = with_meta(text, tag)
        if new != text:
            temporary = path.with_name(f".{path.name}.tmp")
            temporary.write_text(new, encoding="utf-8")
            os.replace(temporary, path)
        if tag in new:
            count += 1
    return count
