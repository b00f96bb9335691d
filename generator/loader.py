"""YAML -> validated model, with every problem named by file, line and field.

Loading never stops at the first problem: each file is parsed and validated on its own, then the
cross-references between files are checked, and all problems are raised together in one
``LoadError``. Nothing is rendered or written before this succeeds.

Messages are in Dutch: they are read by the guideline's editors.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
import types
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar, Union, get_args, get_origin

import yaml
from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from generator.model import (
    Claim,
    Criterion,
    Form,
    FormsFile,
    Guideline,
    Leidraad,
    Level2Rule,
    Phase,
    PhaseFile,
    Problem,
    RolesFile,
    Source,
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
        byte = raw[exc.start]
        problems.add(
            doc,
            (),
            f"het bestand is geen geldige UTF-8-tekst (byte 0x{byte:02x}); bewaar het als UTF-8",
            line,
        )
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
    try:
        loader = yaml.SafeLoader(text)
    except yaml.reader.ReaderError as exc:  # a control character such as NUL
        line = text[: exc.position].count("\n") + 1
        problems.add(
            doc, (), f"ongeldig teken (code {exc.character!r}) in het bestand; verwijder het", line
        )
        return None
    try:
        node = loader.get_single_node()
        if node is None:
            problems.add(doc, (), "het bestand is leeg", 1)
            return None
        # Problems found while indexing are added after construction, so that they can name
        # the criterion they are in; aliases stop here, before anything is expanded.
        found: list[tuple[Path_, str, int | None]] = []
        _index_lines(node, (), doc, found, set())
        aliased = any(message.startswith(_ALIAS_MESSAGE) for _, message, _ in found)
        if not aliased:
            doc.data = loader.construct_document(node)
        for where, message, at in found:
            problems.add(doc, where, message, at)
        if aliased:
            return None
    except yaml.MarkedYAMLError as exc:
        at, key, message = _yaml_error(exc, text)
        problems.add(doc, (key,) if key else (), message, at)
        return None
    except yaml.YAMLError as exc:  # pragma: no cover - PyYAML raises marked errors for text
        problems.add(doc, (), f"YAML-fout: {exc}")
        return None
    finally:
        loader.dispose()
    return doc


#: PyYAML problems in plain Dutch, by a fragment of the English text. The second element says
#: whether the problem is best shown where the construct started (an unclosed quote or bracket
#: is noticed only lines later) rather than where the parser gave up.
_YAML_PROBLEMS: list[tuple[str, str, bool]] = [
    (
        "while scanning a quoted scalar",
        "een tekst tussen aanhalingstekens wordt niet afgesloten",
        True,
    ),
    (
        "while parsing a flow sequence",
        "een lijst tussen [ ] wordt niet afgesloten met ']' (of er ontbreekt een komma)",
        True,
    ),
    (
        "while parsing a flow mapping",
        "een reeks velden tussen { } wordt niet afgesloten met '}' (of er ontbreekt een komma)",
        True,
    ),
    (
        "mapping values are not allowed here",
        "hier mag geen 'naam: waarde' staan: zet een tekst met ': ' erin tussen "
        "aanhalingstekens, of controleer de inspringing",
        False,
    ),
    (
        "but found another document",
        "het bestand bevat meer dan één YAML-document (een regel '---'); laat er één over",
        False,
    ),
    (
        "could not determine a constructor for the tag",
        "onbekende YAML-tag (iets als '!!python/...'); gebruik gewone tekst",
        False,
    ),
    (
        "found undefined alias",
        "verwijzing met '*' naar een anker dat niet bestaat; schrijf de waarde voluit",
        False,
    ),
    (
        "while scanning a simple key",
        "een veldnaam zonder ':' erna (of een tekst die over meer regels loopt zonder '>-')",
        True,
    ),
    (
        "while parsing a block",
        "verkeerde inspringing: springen de velden op deze regel even ver in als hun buren?",
        False,
    ),
    (
        "while scanning a block scalar",
        "een tekst met '>' of '|' is verkeerd geschreven",
        True,
    ),
]

_KEY_ON_LINE = re.compile(r"^\s*(?:-\s+)*([A-Za-z_][\w-]*)\s*:(?:\s|$)")


def _yaml_error(exc: yaml.MarkedYAMLError, text: str) -> tuple[int | None, str, str]:
    """Line, field name (if the line has one) and a Dutch message for a YAML syntax error."""
    english = " ".join(part for part in (exc.context, exc.problem) if part)
    message, at_start = f"onleesbare YAML ({english or 'onbekende fout'})", False
    for fragment, dutch, start in _YAML_PROBLEMS:
        if fragment in english:
            message, at_start = dutch, start
            break
    mark = (exc.context_mark if at_start else None) or exc.problem_mark or exc.context_mark
    if mark is None:  # pragma: no cover - PyYAML marks every error in a text
        return None, "", f"YAML-fout: {message}"
    line = mark.line + 1
    if at_start and exc.problem_mark is not None and exc.problem_mark.line != mark.line:
        message += f" (opgemerkt op regel {exc.problem_mark.line + 1})"
    lines = text.splitlines()
    found = _KEY_ON_LINE.match(lines[mark.line]) if mark.line < len(lines) else None
    return line, found.group(1) if found else "", f"YAML-fout: {message}"


_ALIAS_MESSAGE = "ankers (&) en verwijzingen (*) zijn niet toegelaten"


def _index_lines(
    node: yaml.Node,
    path: Path_,
    doc: _Document,
    found: list[tuple[Path_, str, int | None]],
    visited: set[int],
) -> None:
    """Record the line of every key and item; report duplicate keys and aliases.

    The composer turns an alias (``*name``) into the very node it refers to, so a node met twice
    is an alias. Aliases are refused: they can make a structure refer to itself, or blow up
    when expanded, and editors do not need them.
    """
    doc.lines.setdefault(path, node.start_mark.line + 1)
    if id(node) in visited:
        found.append((path, f"{_ALIAS_MESSAGE}; schrijf de waarde voluit", None))
        return
    visited.add(id(node))
    if isinstance(node, yaml.MappingNode):
        seen: dict[object, int] = {}
        for key_node, value_node in node.value:
            key = key_node.value if isinstance(key_node, yaml.ScalarNode) else None
            line = key_node.start_mark.line + 1
            if key in seen:
                doc.lines.setdefault((*path, str(key)), line)
                found.append(
                    (
                        (*path, str(key)),
                        f"veld '{key}' staat twee keer (ook op regel {seen[key]})",
                        line,
                    )
                )
                continue
            seen[key] = line
            if key is not None:
                doc.lines[(*path, key)] = line
                _index_lines(value_node, (*path, key), doc, found, visited)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            _index_lines(item, (*path, index), doc, found, visited)


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


def _shown(value: object) -> str:
    """A value as the editor wrote it in YAML, shortened."""
    if isinstance(value, bool):
        text = "true" if value else "false"
    elif isinstance(value, dt.date):
        text = value.isoformat()
    elif isinstance(value, str):
        text = repr(value)
    elif isinstance(value, dict):
        text = "velden (naam: waarde)"
    elif isinstance(value, list):
        text = "een lijst"
    else:
        text = str(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _message(error: ErrorDetails) -> str:
    kind = error["type"]
    ctx = error.get("ctx", {})
    given = error.get("input")
    if given is None and kind.endswith("_type"):
        return "mag niet leeg zijn"
    if kind == "string_too_short":
        return "mag niet leeg zijn"
    if kind == "string_too_long":
        return f"is te lang ({len(str(given))} tekens, hoogstens {ctx.get('max_length')})"
    if kind == "too_short":
        least = ctx.get("min_length")
        if least == 1:
            return "mag niet leeg zijn: geef minstens één element"
        return f"moet minstens {least} elementen bevatten (nu {ctx.get('actual_length')})"
    if kind == "too_long":
        return f"mag hoogstens {ctx.get('max_length')} elementen bevatten"
    if kind == "string_pattern_mismatch":
        pattern = str(ctx.get("pattern", ""))
        if "https?" in pattern:
            return f"is geen geldig webadres (begin met http:// of https://): {_shown(given)}"
        if r"\d{4}-" in pattern:
            return (
                f'moet een datum zijn als "2026-01-31" (tussen aanhalingstekens): {_shown(given)}'
            )
        if r"\d{4}\." in pattern:
            return f'moet een versie zijn als "2026.1" (tussen aanhalingstekens): {_shown(given)}'
        return (
            f"ongeldige ID {_shown(given)}: gebruik kleine letters, cijfers en losse koppeltekens "
            "(bv. 'tijd-en-ruimte'), 2 tot 60 tekens"
        )
    text = _MESSAGES.get(kind, error["msg"])
    if kind == "string_type" and isinstance(given, int | float | dt.date):
        # YAML reads 2026.1, 2026-11-29 and yes as a number, a date and true.
        return f"{text} (gevonden: {_shown(given)}); zet de waarde tussen aanhalingstekens"
    if kind == "literal_error" and isinstance(given, str) and given.strip() in {"1", "2", "3"}:
        return f"{text}, zonder aanhalingstekens (gevonden: {_shown(given)})"
    if kind in {
        "string_type",
        "int_type",
        "int_parsing",
        "bool_type",
        "bool_parsing",
        "list_type",
        "literal_error",
        "dict_type",
        "model_type",
    }:
        text += f" (gevonden: {_shown(given)})"
    return text


def _unwrap_optional(annotation: Any) -> Any:
    if get_origin(annotation) in (Union, types.UnionType):
        args = [a for a in get_args(annotation) if a is not type(None)]
        if len(args) == 1:
            return args[0]
    return annotation


def _model_at(model: type[BaseModel], path: Path_) -> type[BaseModel] | None:
    """The model class that validates the mapping at ``path``, if there is one."""
    current: Any = model
    for part in path:
        current = _unwrap_optional(current)
        origin = get_origin(current)
        if origin is list and isinstance(part, int):
            current = get_args(current)[0]
        elif origin is dict:
            current = get_args(current)[1]
        elif (
            isinstance(current, type)
            and issubclass(current, BaseModel)
            and isinstance(part, str)
            and part in current.model_fields
        ):
            current = current.model_fields[part].annotation
        else:
            return None
    current = _unwrap_optional(current)
    if isinstance(current, type) and issubclass(current, BaseModel):
        return current
    return None


def _validate(doc: _Document, model: type[M], problems: _Problems) -> M | None:
    try:
        return model.model_validate(doc.data)
    except ValidationError as exc:
        errors = exc.errors()
    missing: dict[Path_, set[str]] = {}
    for error in errors:
        loc = tuple(error["loc"])
        if error["type"] == "missing" and loc and isinstance(loc[-1], str):
            missing.setdefault(loc[:-1], set()).add(loc[-1])
    # A typo in a field name gives an unknown field and, for a required field, a missing one:
    # one cause, so one message, at the line of the typo.
    messages: list[tuple[Path_, str]] = []
    explained: set[Path_] = set()
    for error in errors:
        # A wrong key inside a dict[Slug, ...] is reported by pydantic as "[key]".
        path = tuple(p for p in error["loc"] if p != "[key]")
        if error["type"] == "extra_forbidden" and path:
            message, meant = _unknown_field(model, path, missing.get(path[:-1], set()))
            if meant:
                explained.add((*path[:-1], meant))
        elif error["type"] == "missing" and path:
            message = "verplicht veld ontbreekt"
        elif _old_shape(path, error):
            message = _old_shape(path, error)
        else:
            message = _message(error)
        messages.append((path, message))
    for path, message in messages:
        if not (path in explained and message.startswith("verplicht veld")):
            problems.add(doc, path, message)
    return None


def _old_shape(path: Path_, error: ErrorDetails) -> str:
    """A tip or a description written as plain text, as before sources were required."""
    if not isinstance(error.get("input"), str):
        return ""
    if len(path) >= 2 and path[-2] == "tips":
        return (
            "een tip is een blok met 'tekst', 'bronnen' en 'geverifieerd', geen losse tekst "
            "(zie criteria/README.md)"
        )
    if path and path[-1] == "beschrijving":
        return (
            "de beschrijving is een lijst van beweringen, elk met 'tekst', 'bronnen' en "
            "'geverifieerd' (zie criteria/README.md)"
        )
    return ""


def _unknown_field(model: type[BaseModel], path: Path_, missing: set[str]) -> tuple[str, str]:
    """Message for an unknown key, and the missing required field it stands for (or "")."""
    name = str(path[-1])
    owner = _model_at(model, path[:-1])
    allowed = sorted(owner.model_fields) if owner is not None else []
    close = difflib.get_close_matches(name, sorted(missing), n=1, cutoff=0.6)
    if close:
        return (
            f"onbekend veld '{name}': bedoel je '{close[0]}'? (verplicht veld ontbreekt)",
            close[0],
        )
    close = difflib.get_close_matches(name, allowed, n=1, cutoff=0.6)
    if close:
        return f"onbekend veld '{name}': bedoel je '{close[0]}'?", ""
    if allowed:
        return f"onbekend veld '{name}' (toegelaten: {', '.join(allowed)})", ""
    return f"onbekend veld '{name}'", ""


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

    rules: dict[str, Level2Rule] | None = None
    if guideline is not None:
        doc = docs[GUIDELINE_FILE]
        rules = _check_guideline(
            guideline, doc, form_slugs if forms is not None else None, problems
        )
    if forms is not None:
        doc = docs[FORMS_FILE]
        for index, form in enumerate(forms.vormen):
            _check_form(form, ("vormen", index), doc, problems)

    seen_ids: dict[str, str] = {}
    orders: dict[int, str] = {}

    def claim(doc: _Document, path: Path_, ident: str) -> None:
        where = f"{doc.name}:{doc.line_of(path)}"
        if ident in seen_ids:
            problems.add(
                doc, path, f"ID '{ident}' komt twee keer voor (eerst in {seen_ids[ident]})"
            )
        else:
            seen_ids[ident] = where

    for doc, phase in phases:
        base: Path_ = ("fase",)
        claim(doc, (*base, "id"), phase.id)
        if phase.volgorde in orders:
            problems.add(
                doc,
                (*base, "volgorde"),
                f"volgorde {phase.volgorde} is al gebruikt door {orders[phase.volgorde]}",
            )
        orders[phase.volgorde] = doc.name
        for d, domain in enumerate(phase.domeinen):
            dpath = (*base, "domeinen", d)
            claim(doc, (*dpath, "id"), domain.id)
            for q, question in enumerate(domain.vragen):
                qpath = (*dpath, "vragen", q)
                claim(doc, (*qpath, "id"), question.id)
                for c, criterion in enumerate(question.criteria):
                    cpath = (*qpath, "criteria", c)
                    claim(doc, (*cpath, "id"), criterion.id)
                    _check_criterion(
                        criterion,
                        cpath,
                        doc,
                        form_slugs if forms is not None else None,
                        role_slugs if roles is not None else None,
                        rules,
                        problems,
                    )


def _check_sources(
    sources: list[Source], path: Path_, doc: _Document, problems: _Problems
) -> None:
    """A date checked belongs to a URL that was read, and must be a real date."""
    for index, source in enumerate(sources):
        spath = (*path, index)
        if source.gecontroleerd is None:
            continue
        if source.url is None:
            problems.add(
                doc,
                (*spath, "gecontroleerd"),
                "een datum 'gecontroleerd' hoort bij een bron met een url (welke pagina las je?)",
            )
        try:
            dt.date.fromisoformat(source.gecontroleerd)
        except ValueError:
            problems.add(
                doc,
                (*spath, "gecontroleerd"),
                f"geen bestaande datum: {source.gecontroleerd!r}",
            )


def _check_claim(claim: Claim, path: Path_, doc: _Document, problems: _Problems) -> None:
    """A claim marked verified has at least one source with a URL and a date checked."""
    _check_sources(claim.bronnen, (*path, "bronnen"), doc, problems)
    if claim.geverifieerd and not any(source.checked for source in claim.bronnen):
        problems.add(
            doc,
            (*path, "geverifieerd"),
            "geverifieerd: true vraagt minstens één bron met url en datum 'gecontroleerd'; "
            "zet anders geverifieerd: false",
        )


def _check_form(form: Form, path: Path_, doc: _Document, problems: _Problems) -> None:
    _check_sources(form.bronnen, (*path, "bronnen"), doc, problems)
    for index, claim in enumerate(form.beschrijving):
        _check_claim(claim, (*path, "beschrijving", index), doc, problems)
    for index, requirement in enumerate(form.vereisten):
        _check_claim(requirement, (*path, "vereisten", index), doc, problems)


def _check_guideline(
    guideline: Guideline, doc: _Document, forms: set[str] | None, problems: _Problems
) -> dict[str, Level2Rule]:
    """Notes' sources and the level-2 rules; returns the rules by ID."""
    for index, section in enumerate(guideline.inleiding):
        _check_sources(section.bronnen, ("inleiding", index, "bronnen"), doc, problems)
    rules: dict[str, Level2Rule] = {}
    for index, rule in enumerate(guideline.niveau_2_regels):
        path: Path_ = ("niveau_2_regels", index)
        if rule.id in rules:
            problems.add(doc, (*path, "id"), f"regel '{rule.id}' bestaat al")
        rules[rule.id] = rule
        if forms is not None:
            for f, form in enumerate(rule.vormen):
                if form not in forms:
                    problems.add(
                        doc,
                        (*path, "vormen", f),
                        f"onbekende vorm '{form}' (kies uit: {', '.join(sorted(forms))})",
                    )
    return rules


def _check_criterion(
    criterion: Criterion,
    path: Path_,
    doc: _Document,
    forms: set[str] | None,
    roles: set[str] | None,
    rules: dict[str, Level2Rule] | None,
    problems: _Problems,
) -> None:
    """Check one criterion's references; a set is None when its file itself was invalid."""

    def unknown(values: Iterable[str], where: Path_, known: set[str] | None, kind: str) -> None:
        if known is None:
            return
        for index, value in enumerate(values):
            if value not in known:
                choices = ", ".join(sorted(known))
                sub = (*where, index) if isinstance(values, list) else (*where, value)
                problems.add(doc, sub, f"onbekende {kind} '{value}' (kies uit: {choices})")

    unknown(criterion.rollen, (*path, "rollen"), roles, "rol")
    unknown(criterion.niet_van_toepassing, (*path, "niet_van_toepassing"), forms, "vorm")
    unknown(criterion.tips, (*path, "tips"), forms, "vorm")
    targets = criterion.heel_belangrijk_voor
    if criterion.niveau == 2:
        if targets is None or not (targets.vormen or targets.rollen):
            problems.add(
                doc,
                (*path, "heel_belangrijk_voor"),
                "een criterium van niveau 2 moet zeggen voor welke vormen en/of rollen het heel "
                "belangrijk is (heel_belangrijk_voor: vormen of rollen)",
                doc.line_of((*path, "niveau")),
            )
    elif targets is not None:
        problems.add(
            doc,
            (*path, "heel_belangrijk_voor"),
            f"heel_belangrijk_voor geldt alleen voor niveau 2 (dit criterium heeft niveau "
            f"{criterion.niveau})",
        )
    if targets is not None:
        unknown(targets.vormen, (*path, "heel_belangrijk_voor", "vormen"), forms, "vorm")
        unknown(targets.rollen, (*path, "heel_belangrijk_voor", "rollen"), roles, "rol")
        _check_targets(criterion, path, doc, forms, roles, rules, problems)
        for form in targets.vormen:
            if form in criterion.niet_van_toepassing:
                problems.add(
                    doc,
                    (*path, "niet_van_toepassing", form),
                    f"vorm '{form}' staat zowel bij heel_belangrijk_voor als bij "
                    "niet_van_toepassing",
                )
    for form, tip in criterion.tips.items():
        _check_claim(tip, (*path, "tips", form), doc, problems)
        if form in criterion.niet_van_toepassing:
            problems.add(
                doc,
                (*path, "tips", form),
                f"een tip voor vorm '{form}' terwijl het criterium daar niet van toepassing is",
            )


def _check_targets(
    criterion: Criterion,
    path: Path_,
    doc: _Document,
    forms: set[str] | None,
    roles: set[str] | None,
    rules: dict[str, Level2Rule] | None,
    problems: _Problems,
) -> None:
    """Level 2 follows its rules: the forms are exactly those of the rules named, and the roles
    are some (never all) of the roles that act on the criterion."""
    targets = criterion.heel_belangrijk_voor
    assert targets is not None
    if criterion.niveau != 2:
        return
    tpath = (*path, "heel_belangrijk_voor")
    for index, role in enumerate(targets.rollen):
        if role not in criterion.rollen and (roles is None or role in roles):
            problems.add(
                doc,
                (*tpath, "rollen", index),
                f"rol '{role}' staat niet bij 'rollen' van dit criterium: die rol ziet het "
                "criterium niet",
            )
    if targets.rollen and set(targets.rollen) >= set(criterion.rollen):
        problems.add(
            doc,
            (*tpath, "rollen"),
            "heel_belangrijk_voor.rollen noemt alle rollen van het criterium: dan hangt het "
            "belang niet van de rol af; noem alleen de rollen voor wie het zwaarder weegt, of "
            "laat rollen weg",
        )
    if rules is None or (forms is not None and not set(targets.vormen) <= forms):
        return  # an unknown form is reported already
    expected: set[str] = set()
    for index, rule_id in enumerate(targets.regels):
        rule = rules.get(rule_id)
        if rule is None:
            choices = ", ".join(sorted(rules)) or "geen regels in leidraad.yml"
            problems.add(
                doc, (*tpath, "regels", index), f"onbekende regel '{rule_id}' (kies uit: {choices})"
            )
            return
        expected |= set(rule.vormen)
    if set(targets.vormen) != expected:
        missing = sorted(expected - set(targets.vormen))
        extra = sorted(set(targets.vormen) - expected)
        parts = []
        if missing:
            parts.append(f"ontbreekt: {', '.join(missing)}")
        if extra:
            parts.append(f"volgt uit geen regel: {', '.join(extra)}")
        named = ", ".join(targets.regels) or "geen"
        problems.add(
            doc,
            (*tpath, "vormen"),
            f"de vormen moeten precies die van de regels zijn (regels: {named}); "
            + "; ".join(parts),
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
