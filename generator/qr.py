"""QR codes (SVG and PNG) with segno: pure Python, deterministic, no network."""

from __future__ import annotations

import base64
import io

import segno

#: Medium error correction survives a printed code that is a little smudged.
ERROR = "m"


def _code(url: str) -> segno.QRCode:
    return segno.make_qr(url, error=ERROR, boost_error=False)


def svg_bytes(url: str, scale: int = 4, title: str | None = None) -> bytes:
    out = io.BytesIO()
    _code(url).save(
        out, kind="svg", scale=scale, border=4, xmldecl=False, svgns=True,
        title=title or url, nl=True,
        # An explicit white quiet zone: a transparent code fails on coloured flyers.
        light="#fff",
    )
    return out.getvalue()


def png_bytes(url: str, scale: int = 8) -> bytes:
    out = io.BytesIO()
    _code(url).save(out, kind="png", scale=scale, border=4)
    return out.getvalue()


def svg_data_uri(url: str, scale: int = 4) -> str:
    """For embedding in HTML/PDF: ``data:image/svg+xml;base64,...``."""
    return "data:image/svg+xml;base64," + base64.b64encode(svg_bytes(url, scale)).decode("ascii")
