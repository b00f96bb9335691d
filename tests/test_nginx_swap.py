"""Replacing the site while it is served (issue 15): no request fails, none sees a half-written
or mixed file. The swap is the one `werkplekleren site` (`make site`) uses (cli._swap)."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator import cli, loadtest


def make_site(path: Path, text: str) -> Path:
    (path / "vormen").mkdir(parents=True)
    (path / "index.html").write_text(text, encoding="utf-8")
    (path / "vormen" / "index.html").write_text(text, encoding="utf-8")
    return path


def watch_swap(monkeypatch: pytest.MonkeyPatch, target: Path) -> list[str]:
    """Check after every file system step of the swap that ``target`` is a whole site."""
    gaps: list[str] = []

    def check(step: str) -> None:
        pages = (target / "index.html", target / "vormen" / "index.html")
        if not all(page.is_file() for page in pages):
            gaps.append(step)

    exchange = cli._exchange

    def watched_exchange(a: Path, b: Path) -> bool:
        done = exchange(a, b)
        check("exchange")
        return done

    rename = Path.rename

    def watched_rename(self: Path, other: Path) -> Path:
        out = rename(self, other)
        check(f"rename {self.name} -> {Path(other).name}")
        return out

    monkeypatch.setattr(cli, "_exchange", watched_exchange)
    monkeypatch.setattr(Path, "rename", watched_rename)
    monkeypatch.setattr(cli, "SWAP_GRACE", 0.0)
    return gaps


def test_the_swap_never_leaves_a_moment_without_a_site(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = make_site(tmp_path / "public" / "site", "oud")
    new = make_site(tmp_path / "public" / ".stage" / "site", "nieuw")
    gaps = watch_swap(monkeypatch, target)
    cli._swap(new, target)
    assert gaps == []
    assert (target / "index.html").read_text(encoding="utf-8") == "nieuw"
    assert sorted(p.name for p in (tmp_path / "public").iterdir()) == [".stage", "site"]
    assert list((tmp_path / "public" / ".stage").iterdir()) == []  # the old tree is gone


def test_without_the_atomic_exchange_the_watch_sees_the_gap(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The fallback (systems without renameat2) renames the old site away first: the check above
    would catch that, so it can fail."""
    target = make_site(tmp_path / "public" / "site", "oud")
    new = make_site(tmp_path / "public" / ".stage" / "site", "nieuw")
    gaps = watch_swap(monkeypatch, target)
    monkeypatch.setattr(cli, "_exchange", lambda a, b: False)
    cli._swap(new, target)
    assert gaps == ["rename site -> .site.old"]
    assert (target / "index.html").read_text(encoding="utf-8") == "nieuw"


def test_the_site_is_replaced_under_requests_through_nginx(
    published_site: Path, tmp_path: Path
) -> None:
    result = loadtest.swap_under_load(published_site, tmp_path, swaps=6, clients=4)
    assert result.swaps == 6
    assert result.failures == []
    assert result.mismatches == []
    # Both builds were served: the requests really ran across the swaps.
    assert result.versions["a"] > 0 and result.versions["b"] > 0
    assert result.requests > 500
