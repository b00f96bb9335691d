"""Property-based tests for the loader (hypothesis).

1. Round trip: any valid guideline phase, written as YAML, loads back to exactly what was
   written (texts with any printable Unicode, including <>&"' and Markdown-like characters).
2. Mutations: whatever is done to the real files (keys deleted, types changed, junk inserted,
   lines moved), the loader either loads or raises LoadError whose every problem names a file
   and a line; never another exception, never the same message twice.
"""

from __future__ import annotations

import re
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import CRITERIA
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator import loader
from generator.model import ROLE_SLUGS, SLUG_PATTERN

SETTINGS = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
FORM_SLUGS = [
    f["slug"] for f in yaml.safe_load((CRITERIA / "vormen.yml").read_text("utf-8"))["vormen"]
]
#: The real level-2 rules: a level-2 criterion's forms are exactly those of the rules it names.
RULES = {
    r["id"]: r["vormen"]
    for r in yaml.safe_load((CRITERIA / "leidraad.yml").read_text("utf-8"))["niveau_2_regels"]
}
PHASE_FILES = sorted(p.relative_to(CRITERIA).as_posix() for p in (CRITERIA / "fasen").glob("*.yml"))
ALL_FILES = ["leidraad.yml", "vormen.yml", "rollen.yml", *PHASE_FILES]


@pytest.fixture(scope="module")
def workdir() -> Iterator[Path]:
    """A private copy of the criteria; each example rewrites one file and puts it back."""
    with tempfile.TemporaryDirectory(prefix="wpl-props-") as tmp:
        target = Path(tmp) / "criteria"
        shutil.copytree(CRITERIA, target)
        yield target


# --- strategies -------------------------------------------------------------------------------

#: Any printable character. Control characters, unassigned code points and the characters YAML
#: treats as line breaks or a byte order mark are left out: they are not text an editor writes.
_CHARS = st.characters(
    codec="utf-8",
    exclude_categories=("Cc", "Cs", "Co", "Cn", "Zl", "Zp"),
    exclude_characters="\x85\ufeff\u2028\u2029",
)
_SPICE = st.sampled_from(
    [
        "<script>",
        "</p>",
        "&amp;",
        "&",
        '"',
        "'",
        "<",
        ">",
        "{{ x }}",
        "*",
        "_",
        "[a](https://e.org)",
        "#",
        ": ",
        " - ",
        "|",
        "`",
        "\\",
        "%",
        "!",
        "?",
    ]
)


def texts(max_size: int = 120) -> st.SearchStrategy[str]:
    """Non-empty, already stripped text with any printable character and HTML/YAML specials."""
    part = st.one_of(st.text(_CHARS, min_size=1, max_size=20), _SPICE)
    return (
        st.lists(part, min_size=1, max_size=8)
        .map(lambda parts: " ".join(parts).strip()[:max_size].strip())
        .filter(bool)
    )


_WORD = st.text("abcdefghijklmnopqrstuvwxyz0123456789", min_size=1, max_size=8)
#: Slugs as SLUG_PATTERN defines them: words of [a-z0-9] joined by single hyphens.
slugs = st.lists(_WORD, min_size=1, max_size=4).map("-".join).filter(lambda s: len(s) >= 2)


@st.composite
def criteria(draw: st.DrawFn, ident: str) -> dict[str, Any]:
    level = draw(st.sampled_from([1, 2, 3]))
    forms = draw(st.lists(st.sampled_from(FORM_SLUGS), unique=True, max_size=3))
    crit: dict[str, Any] = {
        "id": ident,
        "tekst": draw(texts(400)),
        "niveau": level,
        "niveau_reden": draw(texts()),
        "rollen": draw(st.lists(st.sampled_from(ROLE_SLUGS), unique=True, min_size=1)),
    }
    target_forms: list[str] = []
    if level == 2:
        # Valid level 2: the forms of the rules named, and some (never all) acting roles.
        rules = draw(st.lists(st.sampled_from(sorted(RULES)), unique=True, max_size=2))
        target_forms = [f for f in FORM_SLUGS if any(f in RULES[r] for r in rules)]
        roles = crit["rollen"]
        target_roles = draw(
            st.lists(st.sampled_from(roles), unique=True, max_size=len(roles) - 1)
        ) if len(roles) > 1 else []
        if not target_forms and not target_roles:
            rules = [sorted(RULES)[0]]
            target_forms = [f for f in FORM_SLUGS if f in RULES[rules[0]]]
        targets: dict[str, Any] = {}
        if rules:
            targets["regels"] = rules
        if target_forms:
            targets["vormen"] = target_forms
        if target_roles:
            targets["rollen"] = target_roles
        crit["heel_belangrijk_voor"] = targets
    not_applicable = [f for f in forms[:1] if f not in target_forms]
    if not_applicable:
        crit["niet_van_toepassing"] = {f: draw(texts()) for f in not_applicable}
    tips = [f for f in forms[1:] if draw(st.booleans())]
    if tips:
        crit["tips"] = {f: {"tekst": draw(texts())} for f in tips}
    if draw(st.booleans()):
        crit["links"] = [
            {"titel": draw(texts(80)), "url": f"https://example.org/{draw(slugs)}?a=1&b=<>"[:-2]}
        ]
    return crit


@st.composite
def phases(draw: st.DrawFn) -> dict[str, Any]:
    base = draw(slugs)
    counter = iter(range(10_000))

    def new_id() -> str:
        return f"{base}-{next(counter)}"

    domains = []
    for _ in range(draw(st.integers(1, 2))):
        domain_id = new_id()
        questions = []
        for _ in range(draw(st.integers(1, 2))):
            question_id = new_id()
            items = [draw(criteria(new_id())) for _ in range(draw(st.integers(1, 3)))]
            questions.append({"id": question_id, "tekst": draw(texts(150)), "criteria": items})
        domains.append({"id": domain_id, "titel": draw(texts(150)), "vragen": questions})
    return {
        "id": new_id(),
        "titel": draw(texts(150)),
        "volgorde": draw(st.integers(1, 9)),
        "inleiding": draw(texts()),
        "domeinen": domains,
    }


# --- 1. round trip ----------------------------------------------------------------------------


@SETTINGS
@given(phase=phases())
def test_any_valid_phase_loads_back_unchanged(workdir: Path, phase: dict[str, Any]) -> None:
    assert re.fullmatch(SLUG_PATTERN, phase["id"])
    saved = {name: (workdir / name).read_bytes() for name in PHASE_FILES}
    try:
        for name in PHASE_FILES:
            (workdir / name).unlink()
        text = yaml.safe_dump({"fase": phase}, allow_unicode=True, sort_keys=False, width=80)
        (workdir / "fasen" / "1-gegenereerd.yml").write_text(text, encoding="utf-8")
        leidraad = loader.load(workdir)
        [loaded] = leidraad.phases
        assert loaded.model_dump(exclude_defaults=True) == phase
    finally:
        (workdir / "fasen" / "1-gegenereerd.yml").unlink(missing_ok=True)
        for name, data in saved.items():
            (workdir / name).write_bytes(data)


# --- 2. mutations -----------------------------------------------------------------------------

_JUNK = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-5, 10),
    st.floats(allow_nan=False, allow_infinity=False),
    st.dates(),
    texts(30),
    st.just(""),
    st.lists(st.integers(0, 3), max_size=2),
    st.dictionaries(st.sampled_from(["id", "tekst", "x", "niveau"]), st.integers(0, 3), max_size=2),
    st.just("x" * 2500),
)


def _containers(node: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[tuple[Any, ...], Any]]:
    if isinstance(node, dict | list):
        yield path, node
        items = node.items() if isinstance(node, dict) else enumerate(node)
        for key, value in items:
            yield from _containers(value, (*path, key))


@st.composite
def data_mutation(draw: st.DrawFn, data: Any) -> Any:
    """Delete a key, change a value's type, or add an unknown key, somewhere in ``data``."""
    places = list(_containers(data))
    _, target = draw(st.sampled_from(places))
    kind = draw(st.sampled_from(["delete", "replace", "add", "empty"]))
    if isinstance(target, dict):
        keys = list(target)
        if kind == "add" or not keys:
            target[draw(st.sampled_from(["onbekend", "tekst", "id", "nivau", "123"]))] = draw(_JUNK)
        else:
            key = draw(st.sampled_from(keys))
            if kind == "delete":
                del target[key]
            elif kind == "empty":
                target[key] = type(target[key])() if isinstance(target[key], dict | list) else None
            else:
                target[key] = draw(_JUNK)
    elif target:
        index = draw(st.integers(0, len(target) - 1))
        if kind == "delete":
            del target[index]
        elif kind == "add":
            target.insert(index, draw(_JUNK))
        else:
            target[index] = draw(_JUNK)
    return data


@st.composite
def text_mutation(draw: st.DrawFn, text: str) -> str:
    """Line-level damage an editor might do: delete, duplicate, re-indent, truncate, insert."""
    lines = text.split("\n")
    index = draw(st.integers(0, len(lines) - 1))
    kind = draw(
        st.sampled_from(
            ["delete", "duplicate", "indent", "dedent", "insert", "truncate", "swap", "quote"]
        )
    )
    if kind == "delete":
        del lines[index]
    elif kind == "duplicate":
        lines.insert(index, lines[index])
    elif kind == "indent":
        lines[index] = " " * draw(st.integers(1, 3)) + lines[index]
    elif kind == "dedent":
        lines[index] = lines[index][draw(st.integers(1, 4)) :]
    elif kind == "insert":
        junk = draw(
            st.sampled_from(
                [
                    "- x",
                    "x: [",
                    "  ? a",
                    "&a b",
                    "*a",
                    "!!binary x",
                    ": :",
                    "'",
                    '"',
                    "{",
                    "}",
                    "---",
                    "...",
                    "% x",
                    "@",
                    "`",
                    "\x00",
                    "\u00e9\u0301",
                    "<script>",
                    "x:\n  - y",
                ]
            )
        )
        lines.insert(index, " " * draw(st.integers(0, 12)) + junk)
    elif kind == "truncate":
        lines = lines[:index]
    elif kind == "swap" and index + 1 < len(lines):
        lines[index], lines[index + 1] = lines[index + 1], lines[index]
    elif kind == "quote":
        lines[index] = lines[index].replace(": ", ': "', 1)
    return "\n".join(lines)


def _assert_loads_or_reports(workdir: Path, name: str) -> None:
    try:
        loader.load(workdir)
    except loader.LoadError as exc:
        assert exc.problems
        messages = [str(p) for p in exc.problems]
        assert len(messages) == len(set(messages)), messages
        for problem in exc.problems:
            assert problem.file.endswith(tuple(ALL_FILES)), problem
            total = Path(problem.file).read_bytes().count(b"\n") + 1
            assert problem.line is not None and 1 <= problem.line <= total, problem
            assert problem.message.strip(), problem


@SETTINGS
@given(data=st.data(), name=st.sampled_from(ALL_FILES))
def test_any_change_to_the_data_loads_or_is_reported(
    workdir: Path, data: st.DataObject, name: str
) -> None:
    path = workdir / name
    original = path.read_bytes()
    try:
        parsed = yaml.safe_load(original.decode("utf-8"))
        mutated = data.draw(data_mutation(parsed))
        path.write_text(yaml.safe_dump(mutated, allow_unicode=True, sort_keys=False), "utf-8")
        _assert_loads_or_reports(workdir, name)
    finally:
        path.write_bytes(original)


@SETTINGS
@given(data=st.data(), name=st.sampled_from(ALL_FILES))
def test_any_damage_to_the_text_loads_or_is_reported(
    workdir: Path, data: st.DataObject, name: str
) -> None:
    path = workdir / name
    original = path.read_bytes()
    try:
        damaged = data.draw(text_mutation(original.decode("utf-8")))
        path.write_bytes(damaged.encode("utf-8", "surrogatepass"))
        _assert_loads_or_reports(workdir, name)
    finally:
        path.write_bytes(original)
