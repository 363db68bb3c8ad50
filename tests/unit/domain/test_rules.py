"""Value rules a ward team meets when typing figures in: each names the field at fault."""

from __future__ import annotations

import math
from datetime import date

import pytest

from qidesk.domain.changes import Change, ChangeAction, ChangeSet
from qidesk.domain.data_rules import check_data_point
from qidesk.domain.entities import (
    DataPoint,
    DriverNode,
    Measure,
    PdsaCycle,
    ProgressScore,
    Project,
    Team,
)
from qidesk.domain.enums import DriverLevel, Frequency, ValueType, ChangeIdeaStatus
from qidesk.domain.errors import ValidationError
from qidesk.domain.rules import (
    check_driver_node,
    check_measure,
    check_pdsa_cycle,
    check_progress_score,
    check_project,
    check_text,
    pid_findings,
)

MONDAY = date(2024, 3, 4)


def measure(value_type=ValueType.COUNT, frequency=Frequency.WEEK) -> Measure:
    return Measure(id=1, project_id=1, name="m", value_type=value_type, frequency=frequency)


def point(**kw) -> DataPoint:
    return DataPoint(measure_id=1, period=kw.pop("period", MONDAY), **kw)


def field_of(call) -> str:
    with pytest.raises(ValidationError) as info:
        call()
    assert info.value.message  # always a sentence for the user
    return info.value.field


@pytest.mark.parametrize("kw, field", [
    ({"numerator": 5, "denominator": 4}, "numerator"),
    ({"numerator": 1, "denominator": 0}, "denominator"),
    ({"numerator": 1, "denominator": -3}, "denominator"),
    ({"numerator": -1, "denominator": 3}, "numerator"),
    ({"numerator": 1.5, "denominator": 3}, "numerator"),
    ({"numerator": 1}, "denominator"),
    ({"value": 0.5}, "value"),
    ({"numerator": math.nan, "denominator": 3}, "numerator"),
])
def test_proportion_rules(kw, field):
    assert field_of(lambda: check_data_point(point(**kw), measure(ValueType.PROPORTION))) == field


def test_good_proportion_and_rate_pass():
    check_data_point(point(numerator=3, denominator=3), measure(ValueType.PROPORTION))
    check_data_point(point(numerator=2, denominator=812.5),
                     measure(ValueType.RATE, Frequency.WEEK))


def test_rate_numerator_may_exceed_exposure_but_exposure_must_be_positive():
    check_data_point(point(numerator=7, denominator=2), measure(ValueType.RATE))
    assert field_of(lambda: check_data_point(point(numerator=1, denominator=0),
                                             measure(ValueType.RATE))) == "denominator"


@pytest.mark.parametrize("value", [-1, 2.5, math.inf, -math.inf, math.nan, None, 1e300])
def test_counts_are_whole_finite_and_not_negative(value):
    assert field_of(lambda: check_data_point(point(value=value), measure())) == "value"


def test_continuous_values_may_be_negative_but_must_be_finite():
    check_data_point(point(value=-3.25), measure(ValueType.CONTINUOUS))
    assert field_of(lambda: check_data_point(point(value=math.nan),
                                             measure(ValueType.CONTINUOUS))) == "value"


def test_period_must_fit_the_frequency():
    tuesday = date(2024, 3, 5)
    assert field_of(lambda: check_data_point(point(value=1, period=tuesday),
                                             measure())) == "period"
    assert field_of(lambda: check_data_point(point(value=1, period=tuesday),
                                             measure(frequency=Frequency.MONTH))) == "period"


def test_per_event_measures_take_any_date():
    check_data_point(point(value=12, period=date(2024, 3, 7)),
                     measure(ValueType.DAYS_BETWEEN, Frequency.EVENT))
    assert field_of(lambda: check_data_point(point(value=2.5, period=date(2024, 3, 7)),
                    measure(ValueType.CASES_BETWEEN, Frequency.EVENT))) == "value"


def test_exclusion_needs_a_reason_and_comment_has_a_limit():
    assert field_of(lambda: check_data_point(point(value=1, excluded=True),
                                             measure())) == "exclusion_reason"
    assert field_of(lambda: check_data_point(point(value=1, comment="x" * 2001),
                                             measure())) == "comment"


@pytest.mark.parametrize("score", [0.5, 1.0, 2.5, 5.0])
def test_ihi_scores_in_half_steps_pass(score):
    check_progress_score(ProgressScore(project_id=1, score=score, scored_on=MONDAY))


@pytest.mark.parametrize("score", [0.0, 0.25, 1.3, 5.5, -1, math.nan])
def test_ihi_scores_off_the_scale_fail(score):
    bad = ProgressScore(project_id=1, score=score, scored_on=MONDAY)
    assert field_of(lambda: check_progress_score(bad)) == "score"


def test_text_required_and_too_long():
    assert field_of(lambda: check_text(Team(name="  "))) == "name"
    assert field_of(lambda: check_text(Team(name="x" * 121))) == "name"
    check_text(Team(name="Ward 7"))


def test_project_dates_in_order():
    bad = Project(team_id=1, title="t", start_date=date(2024, 5, 1), end_date=date(2024, 4, 1))
    assert field_of(lambda: check_project(bad)) == "end_date"


def test_pdsa_prediction_needs_measure_and_value():
    base = dict(change_idea_id=1, cycle_number=1)
    assert field_of(lambda: check_pdsa_cycle(PdsaCycle(**base, prediction_value=80.0))) \
        == "prediction_measure_id"
    assert field_of(lambda: check_pdsa_cycle(PdsaCycle(**base, prediction_measure_id=2))) \
        == "prediction_value"
    assert field_of(lambda: check_pdsa_cycle(PdsaCycle(change_idea_id=1, cycle_number=0))) \
        == "cycle_number"
    check_pdsa_cycle(PdsaCycle(**base, prediction_measure_id=2, prediction_value=80.0,
                               prediction_by=date(2024, 6, 1)))


def test_driver_tree_shape():
    assert field_of(lambda: check_driver_node(DriverNode(
        project_id=1, level=DriverLevel.PRIMARY, text="x"))) == "parent_id"
    assert field_of(lambda: check_driver_node(DriverNode(
        project_id=1, parent_id=3, level=DriverLevel.AIM, text="x"))) == "parent_id"
    assert field_of(lambda: check_driver_node(DriverNode(
        project_id=1, parent_id=3, level=DriverLevel.PRIMARY, text="x",
        status=ChangeIdeaStatus.TESTING))) == "status"


def test_measure_frequency_matches_value_type():
    assert field_of(lambda: check_measure(measure(ValueType.DAYS_BETWEEN, Frequency.WEEK))) \
        == "frequency"
    assert field_of(lambda: check_measure(measure(ValueType.COUNT, Frequency.EVENT))) \
        == "frequency"
    assert field_of(lambda: check_measure(Measure(project_id=1, name="m",
                                                  rate_multiplier=0))) == "rate_multiplier"


def test_pid_findings_name_the_field_not_the_text():
    found = pid_findings(point(value=1, comment="Mrs X 943 476 5919 fell"))
    assert list(found) == ["comment"]
    assert all("943" not in reason for reason in found["comment"])
    assert pid_findings(point(value=1, comment="Bay 3 short of staff")) == {}


def test_change_set_reports_ids_by_kind():
    changes = ChangeSet((Change("data_point", 4, ChangeAction.CREATED),
                         Change("measure", 2, ChangeAction.UPDATED)))
    assert changes.id == 4 and changes.ids("measure") == [2] and bool(changes)
    assert changes.kinds == {"data_point", "measure"}
    assert not ChangeSet()
