"""services.data_entry: a paste's preview, and undoing/redoing a paste in one transaction."""

from __future__ import annotations

import pytest
from integration_helpers import monday

from qidesk.domain.changes import ChangeAction
from qidesk.domain.entities import DataPoint
from qidesk.domain.errors import ValidationError
from qidesk.services import data_points, history, measures
from qidesk.services.data_entry import plan_paste, rewrite_data_points
from qidesk.services.data_points import ExistingPolicy


def _points(wb, measure_id):
    return {p.period: (p.value, p.comment, p.excluded) for p in
            data_points.list_data_points(wb, measure_id)}


def test_a_paste_is_undone_and_redone_in_one_transaction(wb, ward):
    data_points.record_data_point(wb, DataPoint(measure_id=ward.falls, period=monday(0), value=3,
                                                comment="night shift"))
    before = _points(wb, ward.falls)
    result = data_points.record_data_points(
        wb, ward.falls, [DataPoint(measure_id=ward.falls, period=monday(0), value=5),
                         DataPoint(measure_id=ward.falls, period=monday(1), value=2)],
        existing=ExistingPolicy.REPLACE)
    created = result.changes.ids("data_point", ChangeAction.CREATED)
    replaced = result.changes.ids("data_point", ChangeAction.UPDATED)
    after = _points(wb, ward.falls)
    undo = rewrite_data_points(wb, delete=created,
                               values={replaced[0]: {"value": 3.0, "comment": "night shift"}})
    assert _points(wb, ward.falls) == before
    assert {c.action for c in undo.changes} == {ChangeAction.DELETED, ChangeAction.UPDATED}
    rewrite_data_points(wb, restore=created, values={replaced[0]: {"value": 5.0}})
    assert _points(wb, ward.falls) == after
    assert [e.action for e in history.audit_trail(wb, "data_point", created[0])][:2] == [
        "restored", "deleted"]


def test_a_rewrite_that_breaks_a_rule_writes_nothing(wb, ward):
    first = data_points.record_data_point(
        wb, DataPoint(measure_id=ward.falls, period=monday(0), value=3)).id
    second = data_points.record_data_point(
        wb, DataPoint(measure_id=ward.falls, period=monday(1), value=4)).id
    data_points.delete_data_point(wb, first)
    data_points.record_data_point(wb, DataPoint(measure_id=ward.falls, period=monday(0), value=9))
    with pytest.raises(ValidationError, match="already a data point"):
        rewrite_data_points(wb, values={second: {"value": 6.0}}, restore=[first])
    assert _points(wb, ward.falls)[monday(1)][0] == 4.0  # the update before it rolled back


def test_plan_paste_sorts_rows_into_new_replaced_unchanged_and_problems(wb, ward):
    data_points.record_data_point(wb, DataPoint(measure_id=ward.falls, period=monday(0), value=3))
    data_points.record_data_point(wb, DataPoint(measure_id=ward.falls, period=monday(1), value=4))
    measure = measures.get_measure(wb, ward.falls)
    text = ("Week\tFalls\n01/01/2024\t3\n08/01/2024\t6\n15/01/2024\t1,200\n"
            "22/01/2024\t-1\n23/01/2024\t2\n")
    plan = plan_paste(measure, data_points.list_data_points(wb, ward.falls), text)
    assert [(line.row_number, line.action) for line in plan.lines] == [
        (2, "unchanged"), (3, "replaced"), (4, "new"), (5, "problem"), (6, "problem")]
    assert plan.lines[1].before == "4" and plan.lines[1].after == "6"
    assert "negative" in plan.lines[3].message and plan.lines[3].message.startswith("Falls: ")
    assert [(p.period, p.value) for p in plan.points] == [(monday(1), 6.0), (monday(2), 1200.0)]
    assert _points(wb, ward.falls) == {monday(0): (3.0, "", False), monday(1): (4.0, "", False)}


def test_figures_only_follow_the_grid_and_per_event_pastes_need_dates(wb, ward):
    measure = measures.get_measure(wb, ward.minutes)
    plan = plan_paste(measure, [], "12.5\n14\n", first_period=monday(0).replace(day=1))
    assert [(p.period.month, p.value) for p in plan.points] == [(1, 12.5), (2, 14.0)]
    events = measures.get_measure(wb, ward.between)
    with pytest.raises(ValidationError):
        plan_paste(events, [], "41\n12\n", first_period=monday(0))


def test_a_figure_column_with_a_few_bad_cells_lists_those_rows(wb, ward):
    measure = measures.get_measure(wb, ward.falls)
    plan = plan_paste(measure, [], "01/01/2024\t3\n08/01/2024\tn/a\n15/01/2024\tnone\n")
    assert [line.action for line in plan.lines] == ["new", "problem", "problem"]
    assert "isn't a number" in plan.lines[1].message
