"""YAML -> validated model, with every problem named by file, line and field.

Loading never stops at the first problem: each file is parsed and validated on its own, then the
cross-references between files are checked, and all problems are raised together in one
``LoadError``. Nothing is rendered or written before this succeeds.

Messages are in Dutch: they are read by the guideline's editors.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from generator.model import (
    Criterion,
    FormsFile,
    Guideline,
    Leidraad,
    Phase,
    PhaseFile,
    Problem,
    RolesFile,
)

GUIDELINE_FILE = "leidraad.yml"
FORMS_FILE = "vormen.yml"
ROLES_FILE = "rollen.yml"
PHASES_DIR = "fasen"

M = TypeVar("M", bound=BaseModel)
Path_ = tuple[str | int, ...]


class LoadError(Exception):
    """The criteria could not be loaded; ``problems`` lists every reason."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        count = len(problems)
        head = "1 probleem" if count == 1 else f"{count} problemen"
        super().__init__(f"{head} in de criteria:\n" + "\n".join(f"  {p}" for p in problems))


@dataclass
class _Document:
    """One parsed YAML file: its data and the line of every key and item in it."""

    name: str
    data: Any = None
    lines: dict[Path_, int] = field(default_factory=dict)

    def line_of(self, path: Path_) -> int | None:
        """Line of the deepest part of ``path`` that exists in the file."""
        for end in range(len(path), -1, -1):
            line = self.lines.get(tuple(path[:end]))
            if line is not None:
                return line
        return None

    def context(self, path: Path_) -> str:
        """Name the criterion (or question, domain) a path points into, to help the reader."""
        node = self.data
        found = ""
        for part in path:
            try:
                node = node[part]
            except (KeyError, IndexError, TypeError):
                break
            if isinstance(node, dict) and isinstance(node.get("id"), str):
                found = node["id"]
        return found


class _Problems:
    """Collects problems and fills in their lines from the documents."""

    def __init__(self) -> None:
        self.items: list[Problem] = []

    def add(self, doc: _Document, path: Path_, message: str, line: int | None = None) -> None:
        context = doc.context(path)
        if context and context not in message:
            message = f"{message} (bij '{context}')"
        self.items.append(Problem(doc.name, path, message, line or doc.line_of(path)))


# --- reading --------------------------------------------------------------------------------


def _read(path: Path, name: str, problems: _Problems) -> _Document | None:
    doc = _Document(name)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        problems.add(doc, (), f"kan het bestand niet lezen ({exc.strerror})")
        return None
    if raw.startswith(b"\xef\xbb\xbf"):
        problems.add(doc, (), "het bestand begint met een BOM; bewaar het als UTF-8 zonder BOM", 1)
        return None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        problems.add(doc, (), "het bestand is geen geldige UTF-8-tekst", line)
        return None
    bad = False
    if "\r" in text:
        line = text[: text.index("\r")].count("\n") + 1
        problems.add(doc, (), "Windows-regeleinden (CRLF); bewaar het bestand met LF", line)
        bad = True
    if "\t" in text:
        line = text[: text.index("\t")].count("\n") + 1
        problems.add(doc, (), "tabteken gevonden; gebruik spaties", line)
        bad = True
    if bad:
        return None
    loader = yaml.SafeLoader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            problems.add(doc, (), "het bestand is leeg", 1)
            return None
        doc.data = loader.construct_document(node)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        what = exc.problem or exc.context or "onleesbare YAML"
        problems.add(doc, (), f"YAML-fout: {what}", line)
        return None
    except yaml.YAMLError as exc:  # pragma: no cover - PyYAML raises marked errors for text
        problems.add(doc, (), f"YAML-fout: {exc}")
        return None
    finally:
        loader.dispose()
    _index_lines(node, (), doc, problems)
    return doc


def _index_lines(node: yaml.Node, path: Path_, doc: _Document, problems: _Problems) -> None:
    doc.lines.setdefault(path, node.start_mark.line + 1)
    if isinstance(node, yaml.MappingNode):
        seen: dict[object, int] = {}
        for key_node, value_node in node.value:
            key = key_node.value if isinstance(key_node, yaml.ScalarNode) else None
            line = key_node.start_mark.line + 1
            if key in seen:
                doc.lines.setdefault(path + (str(key),), line)
                problems.add(
                    doc,
                    path + (str(key),),
                    f"veld '{key}' staat twee keer (ook op regel {seen[key]})",
                    line,
                )
                continue
            seen[key] = line
            if key is not None:
                doc.lines[path + (key,)] = line
                _index_lines(value_node, path + (key,), doc, problems)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            _index_lines(item, path + (index,), doc, problems)


# --- validating -----------------------------------------------------------------------------

_MESSAGES = {
    "missing": "verplicht veld ontbreekt",
    "extra_forbidden": "onbekend veld (tikfout?)",
    "string_type": "moet tekst zijn",
    "int_type": "moet een geheel getal zijn",
    "int_parsing": "moet een geheel getal zijn",
    "bool_type": "moet true of false zijn",
    "bool_parsing": "moet true of false zijn",
    "list_type": "moet een lijst zijn",
    "dict_type": "moet een lijst van velden (naam: waarde) zijn",
    "model_type": "moet een lijst van velden (naam: waarde) zijn",
    "model_attributes_type": "moet een lijst van velden (naam: waarde) zijn",
    "literal_error": "moet 1, 2 of 3 zijn",
    "greater_than_equal": "is te klein",
    "less_than_equal": "is te groot",
}


def _message(error: ErrorDetails) -> str:
    kind = error["type"]
    ctx = error.get("ctx", {})
    given = error.get("input")
    if kind == "string_too_short":
        return "mag niet leeg zijn"
    if kind == "string_too_long":
        return f"is te lang ({len(str(given))} tekens, hoogstens {ctx.get('max_length')})"
    if kind == "too_short":
        return f"moet minstens {ctx.get('min_length')} element(en) bevatten"
    if kind == "too_long":
        return f"mag hoogstens {ctx.get('max_length')} element(en) bevatten"
    if kind == "string_pattern_mismatch":
        pattern = str(ctx.get("pattern", ""))
        if "https?" in pattern:
            return f"is geen geldige webadres (http:// of https://): {given!r}"
        if r"\d{4}-" in pattern:
            return f"moet een datum zijn als \"2026-01-31\" (tussen aanhalingstekens): {given!r}"
        if r"\d{4}\." in pattern:
            return f"moet een versie zijn als \"2026.1\" (tussen aanhalingstekens): {given!r}"
        return (
            f"ongeldige ID {given!r}: gebruik kleine letters, cijfers en losse koppeltekens "
            "(bv. 'tijd-en-ruimte'), 2 tot 60 tekens"
        )
    text = _MESSAGES.get(kind, error["msg"])
    if kind in {"string_type", "int_type", "bool_type", "list_type", "literal_error"}:
        text += f" (gevonden: {given!r})"
    return text


def _validate(doc: _Document, model: type[M], problems: _Problems) -> M | None:
    try:
        return model.model_validate(doc.data)
    except ValidationError as exc:
        for error in exc.errors():
            path = tuple(error["loc"])
            # A wrong key inside a dict[Slug, ...] is reported by pydantic as "[key]".
            path = tuple(p for p in path if p != "[key]")
            problems.add(doc, path, _message(error))
        return None


# --- cross-references -----------------------------------------------------------------------


def _check_references(
    guideline: Guideline | None,
    forms: FormsFile | None,
    roles: RolesFile | None,
    phases: list[tuple[_Document, Phase]],
    docs: dict[str, _Document],
    problems: _Problems,
) -> None:
    form_names: set[str] = set()
    if forms is not None:
        doc = docs[FORMS_FILE]
        for index, form in enumerate(forms.vormen):
            for offset, name in enumerate([form.slug, *form.aliassen]):
                if name in form_names:
                    path: Path_ = ("vormen", index, "slug" if offset == 0 else "aliassen")
                    problems.add(doc, path, f"vorm of alias '{name}' bestaat al")
                form_names.add(name)
        form_slugs = {form.slug for form in forms.vormen}
    else:
        form_slugs = set()
    role_slugs: set[str] = set()
    if roles is not None:
        doc = docs[ROLES_FILE]
        for index, role in enumerate(roles.rollen):
            if role.slug in role_slugs:
                problems.add(doc, ("rollen", index, "slug"), f"rol '{role.slug}' bestaat al")
            role_slugs.add(role.slug)

    seen_ids: dict[str, str] = {}
    orders: dict[int, str] = {}

    def claim(doc: _Document, path: Path_, ident: str) -> None:
        where = f"{doc.name}:{doc.line_of(path)}"
        if ident in seen_ids:
            problems.add(doc, path, f"ID '{ident}' komt twee keer voor (eerst in {seen_ids[ident]})")
        else:
            seen_ids[ident] = where

    for doc, phase in phases:
        base: Path_ = ("fase",)
        claim(doc, base + ("id",), phase.id)
        if phase.volgorde in orders:
            problems.add(
                doc,
                base + ("volgorde",),
                f"volgorde {phase.volgorde} is al gebruikt door {orders[phase.volgorde]}",
            )
        orders[phase.volgorde] = doc.name
        for d, domain in enumerate(phase.domeinen):
            dpath = base + ("domeinen", d)
            claim(doc, dpath + ("id",), domain.id)
            for q, question in enumerate(domain.vragen):
                qpath = dpath + ("vragen", q)
                claim(doc, qpath + ("id",), question.id)
                for c, criterion in enumerate(question.criteria):
                    cpath = qpath + ("criteria", c)
                    claim(doc, cpath + ("id",), criterion.id)
                    _check_criterion(
                        criterion,
                        cpath,
                        doc,
                        form_slugs if forms is not None else None,
                        role_slugs if roles is not None else None,
                        problems,
                    )


def _check_criterion(
    criterion: Criterion,
    path: Path_,
    doc: _Document,
    forms: set[str] | None,
    roles: set[str] | None,
    problems: _Problems,
) -> None:
    """Check one criterion's references; a set is None when its file itself was invalid."""

    def unknown(values: Iterable[str], where: Path_, known: set[str] | None, kind: str) -> None:
        if known is None:
            return
        for index, value in enumerate(values):
            if value not in known:
                choices = ", ".join(sorted(known))
                sub = where + (index,) if isinstance(values, list) else where + (value,)
                problems.add(doc, sub, f"onbekende {kind} '{value}' (kies uit: {choices})")

    unknown(criterion.rollen, path + ("rollen",), roles, "rol")
    unknown(criterion.niet_van_toepassing, path + ("niet_van_toepassing",), forms, "vorm")
    unknown(criterion.tips, path + ("tips",), forms, "vorm")
    targets = criterion.heel_belangrijk_voor
    if criterion.niveau == 2:
        if targets is None or not (targets.vormen or targets.rollen):
            problems.add(
                doc,
                path + ("heel_belangrijk_voor",),
                "een criterium van niveau 2 moet zeggen voor welke vormen en/of rollen het heel "
                "belangrijk is (heel_belangrijk_voor: vormen of rollen)",
                doc.line_of(path + ("niveau",)),
            )
    elif targets is not None:
        problems.add(
            doc,
            path + ("heel_belangrijk_voor",),
            f"heel_belangrijk_voor geldt alleen voor niveau 2 (dit criterium heeft niveau "
            f"{criterion.niveau})",
        )
    if targets is not None:
        unknown(targets.vormen, path + ("heel_belangrijk_voor", "vormen"), forms, "vorm")
        unknown(targets.rollen, path + ("heel_belangrijk_voor", "rollen"), roles, "rol")
        for form in targets.vormen:
            if form in criterion.niet_van_toepassing:
                problems.add(
                    doc,
                    path + ("niet_van_toepassing", form),
                    f"vorm '{form}' staat zowel bij heel_belangrijk_voor als bij "
                    "niet_van_toepassing",
                )
    for form in criterion.tips:
        if form in criterion.niet_van_toepassing:
            problems.add(
                doc,
                path + ("tips", form),
                f"een tip voor vorm '{form}' terwijl het criterium daar niet van toepassing is",
            )


# --- entry point ----------------------------------------------------------------------------


def load(criteria_dir: Path | str) -> Leidraad:
    """Load and validate everything under ``criteria_dir``; raise ``LoadError`` listing all."""
    root = Path(criteria_dir)
    problems = _Problems()
    if not root.is_dir():
        problems.add(_Document(str(root)), (), "map met criteria niet gevonden")
        raise LoadError(problems.items)

    docs: dict[str, _Document] = {}

    def read(rel: str) -> _Document | None:
        path = root / rel
        if not path.is_file():
            problems.add(_Document(_display(root, rel)), (), "bestand ontbreekt")
            return None
        doc = _read(path, _display(root, rel), problems)
        if doc is not None:
            docs[rel] = doc
        return doc

    def read_as(rel: str, model: type[M]) -> M | None:
        doc = read(rel)
        return _validate(doc, model, problems) if doc is not None else None

    guideline = read_as(GUIDELINE_FILE, Guideline)
    forms = read_as(FORMS_FILE, FormsFile)
    roles = read_as(ROLES_FILE, RolesFile)

    for extra in sorted(root.glob("*.y*ml")):
        if extra.name not in {GUIDELINE_FILE, FORMS_FILE, ROLES_FILE}:
            problems.add(
                _Document(_display(root, extra.name)),
                (),
                f"onbekend bestand; fasen horen in {PHASES_DIR}/, verder alleen "
                f"{GUIDELINE_FILE}, {FORMS_FILE} en {ROLES_FILE}",
            )

    phase_files = sorted((root / PHASES_DIR).glob("*.y*ml"))
    if not phase_files:
        problems.add(_Document(_display(root, PHASES_DIR)), (), "geen fasen gevonden (*.yml)")
    phases: list[tuple[_Document, Phase]] = []
    for path in phase_files:
        rel = f"{PHASES_DIR}/{path.name}"
        doc = read(rel)
        if doc is None:
            continue
        parsed = _validate(doc, PhaseFile, problems)
        if parsed is not None:
            phases.append((doc, parsed.fase))

    _check_references(guideline, forms, roles, phases, docs, problems)
    if problems.items or guideline is None or forms is None or roles is None:
        raise LoadError(problems.items)
    return Leidraad(
        guideline=guideline,
        forms=tuple(forms.vormen),
        roles=tuple(roles.rollen),
        phases=tuple(sorted((phase for _, phase in phases), key=lambda p: p.volgorde)),
    )


def _display(root: Path, rel: str) -> str:
    """File name as shown in messages: relative to the working directory when possible."""
    path = root / rel
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)

