"""`make test` installs every system tool the tests and the build run (issue 11).

The guard reads the Python source of tests/, generator/ and scripts/ and collects every external
program they start: the argument lists of ``subprocess`` calls (followed through variables such
as ``command = ["pdftotext", ...]`` and ``[*command, ...]``), ``shutil.which`` names, Playwright's
``executable_path`` and absolute ``/usr/bin/...`` paths. Each program must have a row in
``PACKAGES`` and that Debian package must be in the Makefile's package lists, which
``make test`` installs. A new tool: one row here, one line in the Makefile.
"""

from __future__ import annotations

import ast
import re
import subprocess
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from tests.conftest import ROOT

#: Every system program the tests and the build run -> the Debian package that provides it.
PACKAGES = {
    "chromium": "chromium",  # Playwright's browser (tests/conftest.py), Lighthouse (make audit)
    "fc-match": "fontconfig",  # the fonts in the PDF cache key (generator/pdf.py)
    "java": "default-jre-headless",  # the Nu HTML Checker
    "node": "nodejs",  # npm tools run from node_modules/.bin (Lighthouse)
    "python3": "python3-venv",  # Debian's Python making fresh venvs (make determinism)
    "pdffonts": "poppler-utils",
    "pdftoppm": "poppler-utils",
    "pdftotext": "poppler-utils",
}
#: Makefile variables that `make test` installs.
PACKAGE_VARIABLES = ("SITE_PACKAGES", "TEST_PACKAGES")
SOURCES = ("tests", "generator", "scripts")
SUBPROCESS_CALLS = {"run", "Popen", "call", "check_call", "check_output"}
#: Programs that live in the project's venv, or in the project itself (scripts/, whose shell
#: scripts use only tools every Debian has: dpkg-query, apt-get, awk, sed): nothing to install.
VENV = "(venv)"
PROJECT = "(project)"


@dataclass(frozen=True)
class Use:
    """One place that starts an external program."""

    program: str
    where: str


def _dotted(expr: ast.expr) -> str:
    """``subprocess.run`` for an attribute chain of names; "" for anything else."""
    parts = []
    while isinstance(expr, ast.Attribute):
        parts.append(expr.attr)
        expr = expr.value
    if not isinstance(expr, ast.Name):
        return ""
    return ".".join([expr.id, *reversed(parts)])


class _Collector:
    def __init__(self, source: str, where: str) -> None:
        self.where = where
        self.nodes = list(ast.walk(ast.parse(source)))
        self.uses: list[Use] = []
        # Every value assigned to a name anywhere in the file (scopes are not told apart: a
        # name bound to several lists yields every candidate, which only adds checks).
        self.assigned: dict[str, list[ast.expr]] = {}
        for node in self.nodes:
            if isinstance(node, ast.Assign):
                for target in node.targets:
                    if isinstance(target, ast.Name):
                        self.assigned.setdefault(target.id, []).append(node.value)
            elif (
                isinstance(node, ast.AnnAssign)
                and node.value is not None
                and isinstance(node.target, ast.Name)
            ):
                self.assigned.setdefault(node.target.id, []).append(node.value)

    def run(self) -> list[Use]:
        for node in self.nodes:
            if isinstance(node, ast.Call):
                self.call(node)
            elif isinstance(node, ast.Constant) and isinstance(node.value, str) and (
                re.fullmatch(r"/usr/s?bin/[\w.+-]+", node.value)
            ):
                self.add([Path(node.value).name], node)
        return sorted(self.uses, key=lambda use: int(use.where.rsplit(":", 1)[1]))

    def add(self, programs: list[str], node: ast.AST) -> None:
        for program in programs:
            self.uses.append(Use(program, f"{self.where}:{getattr(node, 'lineno', 0)}"))

    def first_items(self, expr: ast.expr, seen: frozenset[str] = frozenset()) -> list[ast.expr]:
        """The expressions that can be the first item of an argument list."""
        if isinstance(expr, ast.List | ast.Tuple) and expr.elts:
            first = expr.elts[0]
            if isinstance(first, ast.Starred):
                return self.first_items(first.value, seen)
            return [first]
        if isinstance(expr, ast.Name) and expr.id not in seen:
            values = self.assigned.get(expr.id, [])
            return [item for v in values for item in self.first_items(v, seen | {expr.id})]
        if isinstance(expr, ast.BinOp) and isinstance(expr.op, ast.Add):
            return self.first_items(expr.left, seen)
        return [expr]

    def programs(self, expr: ast.expr, seen: frozenset[str] = frozenset()) -> list[str]:
        """What program an expression names; unknown expressions come back as their source."""
        text = ast.unparse(expr)
        if "sys.executable" in text or re.search(r"\bvenv", text):
            return [VENV]  # a venv's Python (ours or a fresh one) or one of its console scripts
        if "node_modules" in text:
            return ["node"]  # an npm tool: a node script
        if text.startswith("ROOT /"):
            return [PROJECT]
        if isinstance(expr, ast.Constant) and isinstance(expr.value, str):
            return [Path(expr.value.split()[0]).name] if expr.value.strip() else []
        if isinstance(expr, ast.Name) and expr.id not in seen and expr.id in self.assigned:
            return [p for v in self.assigned[expr.id] for p in self.programs(v, seen | {expr.id})]
        if isinstance(expr, ast.Call):
            name = _dotted(expr.func)
            if name == "shutil.which" and expr.args:
                return self.programs(expr.args[0], seen)
            if name in ("str", "Path", "os.fspath") and expr.args:
                return self.programs(expr.args[0], seen)
            if name in ("os.environ.get", "os.getenv") and len(expr.args) == 2:
                return self.programs(expr.args[1], seen)  # the default
        return [f"<{text}>"]

    def call(self, node: ast.Call) -> None:
        name = _dotted(node.func)
        module, _, function = name.rpartition(".")
        if module == "subprocess" and function in SUBPROCESS_CALLS:
            argv = node.args[0] if node.args else next(
                (k.value for k in node.keywords if k.arg == "args"), None
            )
            if argv is not None:
                self.add([p for e in self.first_items(argv) for p in self.programs(e)], node)
        elif name in ("os.system", "os.popen", "shutil.which") and node.args:
            self.add(self.programs(node.args[0]), node)
        for keyword in node.keywords:
            if keyword.arg == "executable_path":
                self.add(self.programs(keyword.value), node)


def external_programs(source: str, where: str) -> list[Use]:
    return _Collector(source, where).run()


@cache
def collect(root: Path = ROOT) -> list[Use]:
    uses = []
    for folder in SOURCES:
        for path in sorted((root / folder).rglob("*.py")):
            where = str(path.relative_to(root))
            uses += external_programs(path.read_text(encoding="utf-8"), where)
    return uses


def makefile_packages(root: Path = ROOT) -> set[str]:
    """The packages in the Makefile's package lists (backslash-continued variables)."""
    text = (root / "Makefile").read_text(encoding="utf-8").replace("\\\n", " ")
    packages: set[str] = set()
    for variable in PACKAGE_VARIABLES:
        match = re.search(rf"^{variable}\s*:?=(.*)$", text, re.M)
        assert match, f"the Makefile has no {variable}"
        packages |= set(match.group(1).split())
    return packages


def problems(uses: list[Use], packages: set[str]) -> list[str]:
    out = []
    for use in uses:
        if use.program in (VENV, PROJECT):
            continue
        package = PACKAGES.get(use.program)
        if package is None:
            out.append(
                f"{use.where}: runs {use.program!r}, which has no Debian package in "
                "tests/test_system_packages.py PACKAGES: add a row (program -> package)"
            )
        elif package not in packages:
            out.append(
                f"{use.where}: runs {use.program!r} from Debian package {package!r}, which the "
                f"Makefile does not install: add it to {' or '.join(PACKAGE_VARIABLES)}"
            )
    return out


def test_every_program_the_tests_and_the_build_run_is_installed_by_make_test() -> None:
    uses = collect()
    found = {use.program for use in uses}
    # The collector does find the tools we know are used (otherwise it checks nothing).
    assert {"pdftotext", "pdffonts", "pdftoppm", "java", "chromium", "fc-match"} <= found
    assert problems(uses, makefile_packages()) == []


def test_no_row_is_left_over() -> None:
    """A row for a program nothing runs any more would keep a package installed for nothing."""
    found = {use.program for use in collect()}
    assert set(PACKAGES) <= found, sorted(set(PACKAGES) - found)


def test_the_guard_follows_argument_lists_and_names_the_package() -> None:
    source = '''
import os, shutil, subprocess, sys
TOOL = os.environ.get("TOOL", "/usr/bin/qpdf")
def a(path):
    command = ["pdftotext", "-enc", "UTF-8"]
    subprocess.run([*command, path, "-"], check=True)
def b():
    pdftk = shutil.which("pdftk")
    subprocess.run([pdftk, "x"])
    subprocess.Popen(args=[TOOL, "--check"])
    subprocess.run([sys.executable, "-m", "mkdocs"])
    subprocess.check_output(["nginx", "-t"])
    launch(executable_path=TOOL)
    subprocess.run(make_command())
'''
    uses = external_programs(source, "x.py")
    assert sorted({u.program for u in uses}) == sorted(
        {"qpdf", "pdftotext", "pdftk", VENV, "nginx", "<make_command()>"}
    )
    found = problems(uses, {"poppler-utils"})
    assert any("'pdftk'" in p and "add a row" in p for p in found)
    assert any("'<make_command()>'" in p for p in found)
    assert not any("'pdftotext'" in p for p in found)
    assert any("'java'" in p and "'default-jre-headless'" in p and "does not install" in p
               for p in problems([Use("java", "y.py:1")], {"poppler-utils"}))


def test_the_makefile_lists_are_what_the_install_script_sees_as_installed() -> None:
    """After `make test` every listed package is installed (or provided by an installed one):
    the install script, asked to check only, finds nothing missing."""
    packages = sorted(makefile_packages())
    assert {"poppler-utils", "chromium", "fontconfig"} <= set(packages)
    result = subprocess.run(
        [str(ROOT / "scripts" / "install-system-packages"), "--check", *packages],
        capture_output=True, text=True, check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
