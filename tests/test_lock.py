"""The Python locks (issue 11): exact versions and hashes for every package, made by `make lock`
from the ranges in pyproject.toml, and what `make site` / `make test` install."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

from packaging.markers import Marker
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version

from tests.conftest import ROOT

SITE_LOCK = ROOT / "requirements.lock"
TEST_LOCK = ROOT / "requirements-test.lock"


#: ``name==version ; marker --hash=... --hash=...`` (one entry, continuation lines joined).
PIN = re.compile(r"([A-Za-z0-9._-]+)==(\S+)\s*(?:;\s*(.*?))?\s*((?:--hash=\S+\s*)*)")


@dataclass(frozen=True)
class Pin:
    name: str
    version: str
    marker: str
    hashes: tuple[str, ...]

    def applies(self) -> bool:
        return not self.marker or Marker(self.marker).evaluate()


def read_lock(path: Path) -> list[Pin]:
    text = path.read_text(encoding="utf-8")
    pins = []
    for entry in re.split(r"\n(?=\S)", text.replace("\\\n", " ")):
        line = entry.split("\n")[0].strip()
        if not line or line.startswith("#"):
            continue
        match = PIN.fullmatch(line)
        assert match, f"{path.name}: not an exact pin with hashes: {line[:120]}"
        name, version, marker, hashes = match.groups()
        pins.append(Pin(canonicalize_name(name), version, marker or "", tuple(hashes.split())))
    return pins


def pyproject() -> dict[str, list[Requirement]]:
    data = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    build = [Requirement(r) for r in data["build-system"]["requires"]]
    runtime = [Requirement(r) for r in data["project"]["dependencies"]]
    test = [Requirement(r) for r in data["project"]["optional-dependencies"]["test"]]
    return {"site": build + runtime, "test": build + runtime + test}


def check_covers(pins: list[Pin], requirements: list[Requirement], lock: str) -> list[str]:
    problems = []
    for requirement in requirements:
        if requirement.marker is not None and not requirement.marker.evaluate():
            continue
        name = canonicalize_name(requirement.name)
        candidates = [p for p in pins if p.name == name and p.applies()]
        if not candidates:
            problems.append(f"{requirement} is not in {lock}: run `make lock`")
        elif not any(requirement.specifier.contains(Version(p.version), prereleases=True)
                     for p in candidates):
            found = ", ".join(p.version for p in candidates)
            problems.append(f"{requirement} does not allow the locked {found}: run `make lock`")
    return problems


def test_every_pin_is_exact_and_hashed() -> None:
    for lock in (SITE_LOCK, TEST_LOCK):
        pins = read_lock(lock)
        assert len(pins) > 20, lock.name
        for pin in pins:
            assert pin.hashes and all(h.startswith("--hash=sha256:") for h in pin.hashes), pin
        assert "make lock" in lock.read_text(encoding="utf-8").split("\n", 3)[1], lock.name


def test_one_version_of_each_package_for_every_python() -> None:
    """Debian 12's Python 3.11.2 and a newer Python install the same versions (no forks)."""
    for lock in (SITE_LOCK, TEST_LOCK):
        names = [pin.name for pin in read_lock(lock)]
        twice = sorted({name for name in names if names.count(name) > 1})
        assert twice == [], (
            f"{lock.name} pins several versions of {twice}: rm {lock.name} and run `make lock`"
        )


def test_locks_cover_every_dependency_in_pyproject() -> None:
    """A dependency added to pyproject.toml without `make lock` fails here, naming it."""
    wanted = pyproject()
    assert check_covers(read_lock(SITE_LOCK), wanted["site"], SITE_LOCK.name) == []
    assert check_covers(read_lock(TEST_LOCK), wanted["test"], TEST_LOCK.name) == []
    # The check can fail: a requirement the lock does not hold is reported.
    missing = check_covers(read_lock(SITE_LOCK), [Requirement("pelican>=4")], "x")
    assert missing == ["pelican>=4 is not in x: run `make lock`"]
    too_new = check_covers(read_lock(SITE_LOCK), [Requirement("mkdocs>=99")], "x")
    assert len(too_new) == 1 and "does not allow" in too_new[0]


def test_the_site_lock_pins_what_the_test_lock_pins() -> None:
    """The site `make site` builds is the site the tests test: same versions, same hashes."""
    test_pins = {(p.name, p.marker): p for p in read_lock(TEST_LOCK)}
    site_pins = read_lock(SITE_LOCK)
    for pin in site_pins:
        assert test_pins.get((pin.name, pin.marker)) == pin, pin
    site_names = {p.name for p in site_pins}
    # pypdf is a build dependency since the PDFs get radio groups (generator/pdf/fields.py).
    assert {"pytest", "playwright", "ruff"}.isdisjoint(site_names)
    assert "pypdf" in site_names
    assert {"mkdocs", "mkdocs-material", "weasyprint", "pydyf", "setuptools"} <= site_names


def test_the_venv_holds_exactly_the_locked_versions() -> None:
    """`make test` installed the test lock: every locked package at its locked version."""
    wrong = []
    for pin in read_lock(TEST_LOCK):
        if not pin.applies():
            continue
        try:
            installed = metadata.version(pin.name)
        except metadata.PackageNotFoundError:
            installed = "(not installed)"
        if Version(installed if installed[0].isdigit() else "0") != Version(pin.version):
            wrong.append(f"{pin.name}: locked {pin.version}, installed {installed}")
    assert wrong == [], "run `make test` (it installs the lock): " + "; ".join(wrong)
