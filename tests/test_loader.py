"""The real data loads completely and faithfully; broken data is reported with file, line, field."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from generator import loader
from generator.model import Leidraad
from tests.conftest import CRITERIA, ROOT
from tests.test_seed import data_intro, seed_intro, seed_legend, sentences

SEED = ROOT.parent / "shared" / "seed" / "leidraad-werkplekleren.txt"
FORM_SLUGS = [
    "stage",
    "duaal-leren",
    "individuele-praktijklessen",
    "alternerend-leren",
    "leren-en-werken",
    "leerwerkopleiding",
    "groepspraktijk",
]


def test_counts_match_the_guideline(leidraad: Leidraad) -> None:
    assert [p.id for p in leidraad.phases] == ["voor-je-begint", "aan-de-slag", "achteraf"]
    domains = [d.id for p in leidraad.phases for d in p.domeinen]
    assert domains == [
        "middelen", "mensen", "doel", "aanbod", "begeleiding", "beoordeling",
        "opvolging", "terugkoppeling",
    ]
    assert len(list(leidraad.questions())) == 18
    per_question = [len(q.criteria) for _, _, q in leidraad.questions()]
    assert per_question == [4, 3, 4, 3, 4, 3, 3, 4, 3, 3, 3, 3, 5, 4, 1, 2, 2, 3]
    assert len(list(leidraad.criteria())) == 57


def test_forms_and_roles(leidraad: Leidraad) -> None:
    assert sorted(f.slug for f in leidraad.forms) == sorted(FORM_SLUGS)
    assert leidraad.form("ipl").slug == "individuele-praktijklessen"
    assert [r.slug for r in leidraad.roles] == [
        "instelling", "begeleider", "bedrijf", "mentor", "lerende",
    ]


def test_every_criterion_has_the_required_fields(leidraad: Leidraad) -> None:
    ids = [loc.criterion.id for loc in leidraad.criteria()]
    assert len(set(ids)) == 57
    for loc in leidraad.criteria():
        c = loc.criterion
        assert c.niveau in (1, 2, 3) and c.niveau_reden and c.rollen
        if c.niveau == 2:
            assert c.heel_belangrijk_voor and (
                c.heel_belangrijk_voor.vormen or c.heel_belangrijk_voor.rollen
            ), c.id
        else:
            assert c.heel_belangrijk_voor is None, c.id


def _squash(text: str) -> str:
    """Letters only: compares texts across line breaks, hyphenation and spacing."""
    return re.sub(r"[\s\-]+", "", text)


def test_texts_are_verbatim_from_the_guideline(leidraad: Leidraad) -> None:
    seed = SEED.read_text(encoding="utf-8")
    squashed = _squash(seed)
    # Criteria and questions appear in the guideline in the same order as in the data.
    position = 0
    for phase, _domain, question in leidraad.questions():
        found = squashed.find(_squash(question.tekst), position)
        assert found >= 0, f"question not in the guideline (in order): {question.tekst}"
        position = found
        for criterion in question.criteria:
            found = squashed.find(_squash(criterion.tekst), position)
            assert found >= 0, f"criterion not in the guideline (in order): {criterion.id}"
            position = found
        assert phase.inleiding and _squash(phase.inleiding) in squashed
    for section in leidraad.guideline.inleiding:
        for paragraph in section.tekst.split("\n"):
            assert _squash(paragraph) in squashed, paragraph[:60]
    assert len(re.findall(r"^R ", seed, flags=re.M)) == 18
    # And the other way round: every sentence of the seed's introduction and legend is in the
    # data, exactly (after undoing the line hyphenation); tests/test_seed.py has the details.
    intro = data_intro(leidraad)
    for sentence in sentences(seed_intro()):
        assert sentence in intro, sentence
    assert [entry.tekst for entry in leidraad.guideline.legende] == seed_legend()


def test_line_end_hyphenation_is_undone(leidraad: Leidraad) -> None:
    # A hyphen before a space survives only in "onderwijs- of/en ..." style compounds.
    for loc in leidraad.criteria():
        for match in re.finditer(r"\w- (\w+)", loc.criterion.tekst):
            assert match.group(1) in {"of", "en"}, (loc.criterion.id, match.group(0))


# --- broken data --------------------------------------------------------------------------


@pytest.fixture
def broken(tmp_path: Path) -> Path:
    target = tmp_path / "criteria"
    shutil.copytree(CRITERIA, target)
    return target


def _problems(criteria: Path) -> list[str]:
    with pytest.raises(loader.LoadError) as info:
        loader.load(criteria)
    return [str(p) for p in info.value.problems]


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _line_of(path: Path, needle: str) -> int:
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if needle in line:
            return number
    raise AssertionError(needle)


def test_wrong_level_names_file_line_and_field(broken: Path) -> None:
    phase = broken / "fasen" / "1-voor-je-begint.yml"
    line = _line_of(phase, "niveau: 1")
    _edit(phase, "niveau: 1", "niveau: 4")
    [problem] = _problems(broken)
    assert problem.startswith(f"fasen/1-voor-je-begint.yml:{line}: ") or (
        f"1-voor-je-begint.yml:{line}: " in problem
    )
    assert "fase.domeinen.0.vragen.0.criteria.0.niveau" in problem
    assert "1, 2 of 3" in problem


def test_every_problem_is_reported_not_just_the_first(broken: Path) -> None:
    phase = broken / "fasen" / "2-aan-de-slag.yml"
    _edit(phase, "rollen: [", "rollen: [stagiair, ")
    _edit(broken / "vormen.yml", "naam: Stage", "nam: Stage")
    problems = _problems(broken)
    assert any("vormen.yml" in p and "onbekend veld" in p and ".nam" in p for p in problems)
    assert any("vormen.yml" in p and "verplicht veld ontbreekt" in p for p in problems)
    assert any("2-aan-de-slag.yml" in p and "onbekende rol 'stagiair'" in p for p in problems)


def test_duplicate_id_and_level_two_without_target(broken: Path) -> None:
    phase = broken / "fasen" / "3-achteraf.yml"
    text = phase.read_text(encoding="utf-8")
    first = re.findall(r"- id: ([a-z0-9-]+)\n\s+tekst: ", text)
    _edit(phase, f"id: {first[-1]}", f"id: {first[-2]}")
    _edit(phase, "niveau: 1", "niveau: 2")
    problems = _problems(broken)
    assert any(f"ID '{first[-2]}' komt twee keer voor" in p for p in problems)
    assert any("niveau 2 moet zeggen" in p and "3-achteraf.yml:" in p for p in problems)


def test_yaml_syntax_error_points_at_its_line(broken: Path) -> None:
    rollen = broken / "rollen.yml"
    line = _line_of(rollen, "slug: mentor")
    _edit(rollen, "slug: mentor", "slug: [mentor")
    [problem] = _problems(broken)
    assert problem.startswith("rollen.yml:") or "/rollen.yml:" in problem
    assert "YAML-fout" in problem
    reported = int(re.search(r"rollen\.yml:(\d+):", problem).group(1))  # type: ignore[union-attr]
    assert line <= reported <= line + 2


def test_missing_directory_is_a_problem_not_a_crash(tmp_path: Path) -> None:
    problems = _problems(tmp_path / "nope")
    assert "niet gevonden" in problems[0]
