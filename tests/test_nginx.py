"""The finished site through Debian's nginx with deploy/nginx.conf (issue 15): headers on every
kind of answer, caching, precompressed variants, alias redirects, the 404 page, every published
URL, and `make serve-site`'s command. nginx runs on a free loopback port (conftest ``nginx``)."""

from __future__ import annotations

import gzip
import http.client
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import brotli
import pytest
from test_urls import published

from generator import csp, hosting, server
from generator.model import Leidraad
from generator.site import checklist_path, form_path


def get(srv: Any, path: str, encoding: str = "") -> tuple[int, dict[str, str], bytes]:
    connection = http.client.HTTPConnection("127.0.0.1", srv.port, timeout=10)
    try:
        connection.request("GET", path, headers={"Accept-Encoding": encoding} if encoding else {})
        response = connection.getresponse()
        body = response.read()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, body
    finally:
        connection.close()


def test_every_answer_carries_the_security_headers(nginx: Any, published_site: Path) -> None:
    policy = csp.scan(published_site).policy
    pdf = next(published_site.glob("downloads/*.pdf")).name
    for path, status in [
        ("/", 200),
        ("/vormen/stage/checklist/", 200),
        ("/assets/javascripts/checklist/checklist.js", 200),
        ("/downloads/criteria.json", 200),
        (f"/downloads/{pdf}", 200),
        ("/vormen/ipl/", 301),
        ("/vormen/stage", 301),
        ("/bestaat-niet/", 404),
    ]:
        code, headers, _ = get(nginx, path)
        assert code == status, path
        assert headers["content-security-policy"] == policy.header(), path
        for name, value in hosting.SECURITY_HEADERS:
            assert headers[name.lower()] == value, (path, name)
        assert "server" not in headers or "/" not in headers["server"]  # no version
    header = get(nginx, "/")[1]["content-security-policy"]
    assert "frame-ancestors 'none'" in header and "unsafe-inline" not in header


def test_hashed_files_are_immutable_everything_else_revalidates(
    nginx: Any, published_site: Path
) -> None:
    hashed = hosting.hashed_files(published_site)
    assert any("bundle." in p for p in hashed) and any("main." in p for p in hashed)
    for path in hashed:
        code, headers, _ = get(nginx, f"/{path}")
        assert code == 200 and headers["cache-control"] == hosting.IMMUTABLE, path
    pdf = next(published_site.glob("downloads/*.pdf")).name
    for path in ["/", "/vormen/stage/checklist/", "/assets/javascripts/checklist/checklist.js",
                 "/assets/stylesheets/werkplekleren.css", "/assets/stylesheets/checklist.css",
                 "/downloads/criteria.json", "/search/search_index.json", f"/downloads/{pdf}",
                 "/bestaat-niet/", "/vormen/ipl/"]:
        code, headers, _ = get(nginx, path)
        assert headers["cache-control"] == "no-cache", path
        if code == 200:
            assert "etag" in headers and "last-modified" in headers, path  # revalidation works


@pytest.mark.parametrize(
    "path",
    ["/", "/vormen/stage/checklist/", "/assets/javascripts/checklist/checklist.js",
     "/downloads/criteria.json", "/bruggenbouwers/qr/stage-checklist.svg"],
)
def test_precompressed_variants_are_served_as_they_were_built(
    nginx: Any, published_site: Path, path: str
) -> None:
    file = published_site / (path.lstrip("/") + ("index.html" if path.endswith("/") else ""))
    plain = file.read_bytes()
    code, headers, body = get(nginx, path)
    assert code == 200 and "content-encoding" not in headers and body == plain
    assert headers["vary"] == "Accept-Encoding"
    code, headers, body = get(nginx, path, "gzip")
    assert headers["content-encoding"] == "gzip" and headers["vary"] == "Accept-Encoding"
    assert body == file.with_name(file.name + ".gz").read_bytes()
    assert gzip.decompress(body) == plain
    code, headers, body = get(nginx, path, "gzip, deflate, br")
    assert headers["content-encoding"] == "br"
    assert body == file.with_name(file.name + ".br").read_bytes()
    assert brotli.decompress(body) == plain


def test_pdfs_and_images_are_not_compressed_again(nginx: Any, published_site: Path) -> None:
    pdf = next(published_site.glob("downloads/*.pdf")).name
    for path in (f"/downloads/{pdf}", "/bruggenbouwers/qr/stage-checklist.png"):
        code, headers, body = get(nginx, path, "gzip, br")
        assert code == 200 and "content-encoding" not in headers
        assert body == (published_site / path.lstrip("/")).read_bytes()


def test_content_types(nginx: Any) -> None:
    expected = {
        "/": "text/html; charset=utf-8",
        "/downloads/criteria.csv": "text/csv; charset=utf-8",
        "/downloads/criteria.json": "application/json; charset=utf-8",
        "/assets/javascripts/checklist/checklist.js": "application/javascript; charset=utf-8",
        "/assets/stylesheets/werkplekleren.css": "text/css; charset=utf-8",
        "/bruggenbouwers/qr/stage-checklist.svg": "image/svg+xml; charset=utf-8",
    }
    for path, kind in expected.items():
        assert get(nginx, path)[1]["content-type"] == kind, path


def test_the_twelve_aliases_redirect_permanently(nginx: Any, leidraad: Leidraad) -> None:
    """From the data (criteria/vormen.yml), not from the generated configuration."""
    pairs = [
        (f"/{make(alias)}", f"/{make(form.slug)}")
        for form in leidraad.forms
        for alias in form.aliassen
        for make in (form_path, checklist_path)
    ]
    assert len(pairs) == 12
    for old, new in pairs:
        for suffix in ("", "?rol=mentor"):
            code, headers, _ = get(nginx, old + suffix)
            assert code == 301 and headers["location"] == new + suffix, old + suffix
        code, headers, _ = get(nginx, old.rstrip("/"))
        assert code == 301 and headers["location"] == new  # one hop, not two
        assert get(nginx, new)[0] == 200


def test_unknown_paths_get_the_sites_404_page(nginx: Any, published_site: Path) -> None:
    page = (published_site / "404.html").read_bytes()
    assert b'lang="nl"' in page and b"Pagina niet gevonden" in page
    assert b"Not found" not in page
    for path in ["/bestaat-niet/", "/vormen/bestaat-niet/", "/downloads/weg.pdf", "/assets/",
                 "/.nginx/server.conf", "/.htaccess", "/_headers", "/_redirects",
                 "/vormen/stage/checklist/nee/"]:
        code, headers, body = get(nginx, path)
        assert code == 404, path
        assert body == page, path
        assert headers["content-type"] == "text/html; charset=utf-8"


def test_every_published_url_answers_through_nginx(nginx: Any, published_site: Path) -> None:
    aliases = hosting.alias_redirects(csp.scan(published_site).redirects)
    problems = []
    for url in published():
        code, headers, _ = get(nginx, url)
        path = urlsplit(url).path
        if path in aliases:
            if code != 301:
                problems.append(f"{url}: {code}, expected 301")
                continue
            code, _, _ = get(nginx, headers["location"])
        if code != 200:
            problems.append(f"{url}: {code}")
    assert problems == []
    assert len(published()) > 150


def test_serve_site_command_runs_nginx_in_the_foreground(published_site: Path) -> None:
    """What `make serve-site` runs (there on port 8080 over site/), stopped with Ctrl-C."""
    port = server.free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "generator.server", "--root", str(published_site),
         "--port", str(port)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        env=dict(os.environ, PYTHONPATH=str(server.ROOT)), start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 15
        while True:
            try:
                code, headers, _ = get(server.Server("", port, 0, Path()), "/")
                break
            except OSError:
                assert process.poll() is None, process.communicate()
                assert time.monotonic() < deadline, "no answer within 15 s"
                time.sleep(0.1)
        assert code == 200 and "content-security-policy" in headers
    finally:
        os.killpg(process.pid, signal.SIGINT)  # Ctrl-C reaches the whole process group
        out, err = process.communicate(timeout=15)
    assert process.returncode == 0, err
    assert f"http://127.0.0.1:{port}/" in out
    assert '"GET / HTTP/1.1" 200' in out  # the access log goes to the terminal
