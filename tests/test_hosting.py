"""Finishing a built site for hosting (issue 15): the policy computed from the built pages, the
meta policy in every page, the server files from one source, deterministic compressed variants.
The same site through a real nginx: tests/test_nginx.py; in Chromium: test_nginx_browser.py."""

from __future__ import annotations

import base64
import gzip
import hashlib
import html
import re
from pathlib import Path

import brotli
import pytest

from generator import csp, hosting, server
from generator.model import Leidraad
from generator.site import checklist_path, form_path

SCRIPT = re.compile(r"<script\b([^>]*)>(.*?)</script\s*>", re.S | re.I)
META = re.compile(r'<meta http-equiv="Content-Security-Policy" content="([^"]*)">')


def sha(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode() + "'"


def tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def directive(policy: str, name: str) -> list[str]:
    for part in policy.split(";"):
        words = part.split()
        if words and words[0] == name:
            return words[1:]
    raise AssertionError(f"no {name} in {policy}")


def test_every_inline_script_of_the_build_is_allowed_by_its_hash(published_site: Path) -> None:
    """Counted again here with a plain regex, independent of csp.py's parser."""
    policy = csp.scan(published_site).policy
    header = policy.header()
    scripts = directive(header, "script-src")
    assert "'unsafe-inline'" not in header and "'unsafe-eval'" not in header
    assert "'strict-dynamic'" not in scripts
    inline: set[str] = set()
    data_scripts = 0
    for page in csp.documents(published_site):
        for attrs, body in SCRIPT.findall(page.read_text(encoding="utf-8")):
            if "src=" in attrs:
                continue
            if "application/json" in attrs:
                data_scripts += 1  # Material's __config: data, never executed, needs no hash
                continue
            inline.add(body)
    assert len(inline) >= 5  # Material's per-depth set-up scripts, the class setter, redirects
    assert data_scripts > 0
    assert {sha(body) for body in inline} == set(scripts) - {"'self'"}
    for name, value in [
        ("default-src", ["'self'"]),
        ("base-uri", ["'self'"]),
        ("form-action", ["'self'"]),
        ("frame-ancestors", ["'none'"]),
        ("object-src", ["'none'"]),
    ]:
        assert directive(header, name) == value


def test_every_page_carries_the_policy_before_anything_it_governs(published_site: Path) -> None:
    policy = csp.scan(published_site).policy
    pages = csp.documents(published_site)
    assert len(pages) >= 30
    for page in pages:
        text = page.read_text(encoding="utf-8")
        metas = META.findall(text)
        assert len(metas) == 1, page
        assert html.unescape(metas[0]) == policy.meta()
        position = text.index('http-equiv="Content-Security-Policy"')
        for tag in ("<script", "<link", "<style"):
            first = text.find(tag)
            assert first < 0 or position < first, f"{page}: {tag} before the policy"
        assert text.index("<meta charset") < position
    meta = policy.meta()
    assert "frame-ancestors" not in meta  # not allowed in a meta policy
    assert meta == policy.header().replace("; frame-ancestors 'none'", "")


def test_the_policy_follows_whatever_pages_are_built(tmp_path: Path) -> None:
    """Generic over the built HTML: a new page with its own inline script (a new /instrument/
    page, another engine's output) is covered without anyone typing a hash."""
    site = tmp_path / "site"
    (site / "instrument").mkdir(parents=True)
    (site / "index.html").write_text(
        '<!doctype html><html lang="nl"><head><meta charset="utf-8"><title>x</title>\n'
        "<script>var a = 1;</script>\n"
        '<script type="application/json">{"niet": "uitgevoerd"}</script>\n'
        '<script src="app.js"></script></head><body><p style="color: red">x</p></body></html>\n',
        encoding="utf-8",
    )
    (site / "instrument" / "index.html").write_text(
        "<!DOCTYPE html>\r\n<html><HEAD><title>y</title>\r\n"
        '<script type="module">import "./m.js";\r\n</script></HEAD><body></body></html>',
        encoding="utf-8",
    )
    report = hosting.finish(site)
    assert report.policy.scripts == tuple(sorted([sha("var a = 1;"), sha('import "./m.js";\n')]))
    assert report.policy.styles == (sha("color: red"),) and report.policy.style_attributes
    assert "'unsafe-hashes'" in directive(report.policy.header(), "style-src")
    # Without a charset the policy goes first in <head>.
    second = (site / "instrument" / "index.html").read_text(encoding="utf-8")
    assert re.search(r'<HEAD><meta http-equiv="Content-Security-Policy"', second)
    # Idempotent: finishing again changes nothing, byte for byte.
    before = tree(site)
    hosting.finish(site)
    assert tree(site) == before
    # A changed script gets a new hash.
    page = site / "index.html"
    page.write_text(page.read_text(encoding="utf-8").replace("a = 1", "a = 2"), encoding="utf-8")
    again = hosting.finish(site)
    assert sha("var a = 2;") in again.policy.scripts
    assert sha("var a = 1;") not in again.policy.scripts
    assert sha("var a = 2;") in (site / ".nginx" / "server.conf").read_text(encoding="utf-8")


def test_a_style_a_theme_script_inserts_is_allowed_by_its_hash(tmp_path: Path) -> None:
    """Zensical's search puts its stylesheet into a shadow root at run time; its text is read
    from the script (the browser test on the Zensical build checks the hash matches)."""
    site = tmp_path / "site"
    (site / "assets").mkdir(parents=True)
    (site / "index.html").write_text('<html><head><meta charset="utf-8"></head></html>',
                                     encoding="utf-8")
    bundle = site / "assets" / "bundle.min.js"
    bundle.write_text(
        "var Tc='.u{a:b}.l:before{content:\\'\\\\2014\\'}',Xd=1;function s(o){"
        'o.appendChild(C("style",{},Tc.toString()))}\n', encoding="utf-8")
    assert hosting.finish(site).policy.styles == (sha(".u{a:b}.l:before{content:'\\2014'}"),)
    # A style made from something that cannot be read is refused, not left to fail unseen.
    bundle.write_text('function r(o,Tq){o.appendChild(C("style",{},Tq))}', encoding="utf-8")
    with pytest.raises(csp.PolicyError, match=r"bundle\.min\.js: maakt een <style> uit Tq"):
        hosting.finish(site)


@pytest.mark.parametrize(
    "snippet",
    [
        '<button onclick="doe()">x</button>',
        '<a href=" JavaScript:doe()">x</a>',
        '<img src="x.png" onerror="doe()" alt="">',
    ],
)
def test_what_a_strict_policy_cannot_allow_fails_the_finish(tmp_path: Path, snippet: str) -> None:
    site = tmp_path / "site"
    (site / "vormen").mkdir(parents=True)
    page = site / "vormen" / "index.html"
    page.write_text(f'<html><head><meta charset="utf-8"></head><body>{snippet}</body></html>',
                    encoding="utf-8")
    with pytest.raises(csp.PolicyError, match=r"vormen/index\.html"):
        hosting.finish(site)
    assert "Content-Security-Policy" not in page.read_text(encoding="utf-8")


def test_compressed_variants_are_faithful_deterministic_and_only_for_text(
    published_site: Path,
) -> None:
    variants = sorted(published_site.rglob("*.gz")) + sorted(published_site.rglob("*.br"))
    assert len(variants) > 300
    for variant in variants:
        source = variant.with_suffix("")
        data = source.read_bytes()
        unpacked = (
            gzip.decompress(variant.read_bytes())
            if variant.suffix == ".gz"
            else brotli.decompress(variant.read_bytes())
        )
        assert unpacked == data, variant
        assert len(variant.read_bytes()) < len(data)
        assert variant.read_bytes() == (
            hosting.gzip_bytes(data) if variant.suffix == ".gz" else hosting.brotli_bytes(data)
        ), f"{variant} is not what this build writes (not deterministic?)"
    assert not list(published_site.rglob("*.pdf.gz")) and not list(published_site.rglob("*.png.br"))
    checklist = "assets/javascripts/checklist/checklist.js"
    for name in ("index.html", checklist, "downloads/criteria.json"):
        for suffix in (".gz", ".br"):
            assert (published_site / f"{name}{suffix}").is_file()
    # MkDocs' own sitemap.xml.gz carries a time stamp; ours does not.
    assert (published_site / "sitemap.xml.gz").read_bytes()[4:8] == b"\0\0\0\0"


def test_aliases_come_from_the_data(published_site: Path, leidraad: Leidraad) -> None:
    """The 12 alias addresses (6 aliases x page and checklist) of criteria/vormen.yml."""
    expected = {}
    for form in leidraad.forms:
        for alias in form.aliassen:
            expected[f"/{form_path(alias)}"] = f"/{form_path(form.slug)}"
            expected[f"/{checklist_path(alias)}"] = f"/{checklist_path(form.slug)}"
    assert len(expected) == 12
    redirects = hosting.alias_redirects(csp.scan(published_site).redirects)
    assert {k: v for k, v in redirects.items() if k.endswith("/")} == expected
    http_conf = (published_site / ".nginx" / "http.conf").read_text(encoding="utf-8")
    netlify = (published_site / "_redirects").read_text(encoding="utf-8")
    apache = (published_site / ".htaccess").read_text(encoding="utf-8")
    for old, new in expected.items():
        assert f'"~^{re.escape(old[:-1])}(/|/index\\.html)?$" "{new}";' in http_conf
        assert f"\n{old} {new} 301\n" in netlify
        assert f"RedirectMatch 301 ^{re.escape(old)}$ {new}\n" in apache


def test_every_host_gets_the_same_headers_from_one_source(published_site: Path) -> None:
    policy = csp.scan(published_site).policy
    nginx = (published_site / ".nginx" / "server.conf").read_text(encoding="utf-8")
    netlify = (published_site / "_headers").read_text(encoding="utf-8")
    apache = (published_site / ".htaccess").read_text(encoding="utf-8")
    for name, value in hosting.headers(policy):
        assert f'add_header {name} "{value}" always;' in nginx
        assert f"\n  {name}: {value}\n" in netlify
        assert f'Header always set {name} "{value}"' in apache
    names = [name for name, _ in hosting.headers(policy)]
    assert {"Content-Security-Policy", "X-Content-Type-Options", "Referrer-Policy",
            "Permissions-Policy"} <= set(names)
    assert "Strict-Transport-Security" not in nginx + netlify + apache  # HTTPS hosts only
    hashed = hosting.hashed_files(published_site)
    assert any(re.fullmatch(r"assets/javascripts/bundle\.[0-9a-f]{8}\.min\.js", p) for p in hashed)
    assert not any("checklist" in p or p.endswith(".html") for p in hashed)
    for path in hashed:
        assert f"\n/{path}\n  Cache-Control: {hosting.IMMUTABLE}\n" in netlify


def test_deploy_conf_has_two_settings_and_nginx_accepts_it(
    published_site: Path, tmp_path: Path
) -> None:
    block = server.server_block(Path("/srv/x"), "127.0.0.1:9999")
    assert "listen 127.0.0.1:9999;" in block and "root /srv/x;" in block
    assert block.count("\n    listen ") == 1 and block.count("\n    root ") == 1
    assert "add_header" not in re.sub(r"#.*", "", block)  # all headers come from the build
    config = server.write_config(published_site, "127.0.0.1:9999", tmp_path)
    result = server.check_config(config)
    assert result.returncode == 0, result.stderr
    with pytest.raises(server.ServerError, match="make site"):
        server.write_config(tmp_path / "leeg", "127.0.0.1:9999", tmp_path)


def test_publish_command_finishes_another_build_in_place(tmp_path: Path) -> None:
    from generator import cli

    site = tmp_path / "site"
    site.mkdir()
    (site / "index.html").write_text(
        '<html><head><meta charset="utf-8"></head><body><script>1</script></body></html>',
        encoding="utf-8",
    )
    assert cli.main(["publish", str(site)]) == cli.EXIT_OK
    assert sha("1") in (site / "index.html").read_text(encoding="utf-8")
    assert (site / ".nginx" / "server.conf").is_file() and (site / "_headers").is_file()
    assert cli.main(["publish", str(tmp_path / "leeg")]) == cli.EXIT_FAILED
