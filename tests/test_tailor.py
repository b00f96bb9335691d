"""The tailoring rule: importance per form and role, not-applicable criteria, role filter."""

from __future__ import annotations

import pytest

from generator import loader
from generator.model import Leidraad
from generator.tailor import importance, tailor
from tests.conftest import FIXTURES


@pytest.fixture(scope="module")
def mini() -> Leidraad:
    return loader.load(FIXTURES / "mini")


def test_level_one_and_three_do_not_depend_on_form_or_role(mini: Leidraad) -> None:
    level1 = mini.criterion("tijd-en-ruimte").criterion
    level3 = mini.criterion("veiligheid").criterion
    for form in (None, "stage", "groepspraktijk"):
        for role in (None, "mentor", "lerende"):
            assert importance(level1, form, role) == "heel-belangrijk"
            assert importance(level3, form, role) == "belangrijk"


def test_level_two_is_very_important_only_for_its_targets(mini: Leidraad) -> None:
    level2 = mini.criterion("toestemming").criterion
    assert importance(level2) == "belangrijk"
    assert importance(level2, "stage") == "heel-belangrijk"
    assert importance(level2, "groepspraktijk") == "belangrijk"
    assert importance(level2, "groepspraktijk", "bedrijf") == "heel-belangrijk"
    assert importance(level2, "groepspraktijk", "instelling") == "belangrijk"
    assert importance(level2, None, "lerende") == "belangrijk"


def test_not_applicable_criteria_leave_the_checklist_but_are_named(mini: Leidraad) -> None:
    view = tailor(mini, "groepspraktijk")
    assert [i.id for i in view.items] == ["tijd-en-ruimte", "toestemming"]
    [skipped] = view.not_applicable
    assert skipped.located.criterion.id == "veiligheid"
    assert skipped.reason == "De leraar is erbij."
    assert [i.id for i in tailor(mini, "stage").items] == [
        "tijd-en-ruimte", "toestemming", "veiligheid",
    ]


def test_a_role_sees_only_its_own_not_applicable_criteria(mini: Leidraad) -> None:
    """The list of criteria left out for a form names, in a role's view, only those the role
    would have acted on: the instelling never had 'veiligheid' (bedrijf, mentor) to skip."""
    assert [n.located.criterion.id for n in tailor(mini, "groepspraktijk", "mentor")
            .not_applicable] == ["veiligheid"]
    assert [n.located.criterion.id for n in tailor(mini, "groepspraktijk", "bedrijf")
            .not_applicable] == ["veiligheid"]
    assert tailor(mini, "groepspraktijk", "instelling").not_applicable == ()
    assert tailor(mini, "groepspraktijk", "lerende").not_applicable == ()
    assert tailor(mini, "stage", "mentor").not_applicable == ()


def test_hints_belong_to_their_form(mini: Leidraad) -> None:
    stage = {i.id: i.hint for i in tailor(mini, "stage").items}
    hint = stage["toestemming"]
    assert hint is not None and hint.tekst == "Denk aan de *stageovereenkomst*."
    assert not hint.geverifieerd  # no source: shown as "(niet geverifieerd)"
    assert all(i.hint is None for i in tailor(mini, "groepspraktijk").items)
    assert all(i.hint is None for i in tailor(mini).items)


def test_role_keeps_only_the_criteria_it_acts_on(mini: Leidraad) -> None:
    view = tailor(mini, "stage", "mentor")
    assert [i.id for i in view.items] == ["veiligheid"]
    # Empty questions are dropped from the view.
    assert [q.question.id for p in view.phases for d in p.domains for q in d.questions] == [
        "wat-voorzie-je-structureel"
    ]
    assert view.slug == "stage-mentor"
    assert tailor(mini).slug == "alle-vormen"
    assert tailor(mini, None, "bedrijf").slug == "alle-vormen-bedrijf"


def test_alias_resolves_to_the_form(mini: Leidraad) -> None:
    view = tailor(mini, "stages")
    assert view.form is not None and view.form.slug == "stage"


def test_real_data_every_form_keeps_most_criteria(leidraad: Leidraad) -> None:
    for form in leidraad.forms:
        view = tailor(leidraad, form.slug)
        assert len(view.items) + len(view.not_applicable) == 57
        very = sum(1 for i in view.items if i.importance == "heel-belangrijk")
        assert 0 < very < len(view.items)
