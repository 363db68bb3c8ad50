"""The family-of-measures check prompts for each missing kind and each undefined measure."""

from __future__ import annotations

from qidesk.domain.entities import Measure
from qidesk.domain.enums import MeasureKind
from qidesk.services.family import check_measures


def measure(name, kind, definition="Counted from Datix, excluding near misses.", id_=1):
    return Measure(id=id_, project_id=1, name=name, kind=kind, definition=definition)


def test_no_measures_prompts_for_all_three_kinds_in_order():
    check = check_measures([])
    assert [p.kind for p in check.prompts] == [MeasureKind.OUTCOME, MeasureKind.PROCESS,
                                               MeasureKind.BALANCING]
    assert check.prompts[2].text == ("No balancing measure yet: what could get worse because "
                                     "of this change?")
    assert check.prompts[2].action == "Add a balancing measure…"
    assert check.summary() == "Outcome 0 · Process 0 · Balancing 0"


def test_a_full_defined_family_has_no_prompts():
    check = check_measures([measure("Falls", MeasureKind.OUTCOME),
                            measure("Huddles held", MeasureKind.PROCESS, id_=2),
                            measure("Call bell time", MeasureKind.BALANCING, id_=3)])
    assert check.complete and check.prompts == ()


def test_an_undefined_measure_is_named_and_offers_to_define_it():
    check = check_measures([measure("Falls", MeasureKind.OUTCOME, definition="  ", id_=7),
                            measure("Huddles held", MeasureKind.PROCESS, id_=2),
                            measure("Call bell time", MeasureKind.BALANCING, id_=3)])
    [prompt] = check.prompts
    assert prompt.measure_id == 7
    assert prompt.text.startswith("“Falls” (outcome) has no operational definition")
    assert prompt.action == "Write its definition…"
