"""What a measure's chart carries besides its numbers: markers, Making Data Count icons,
gaps, trial limits and the rebase suggestion, read from real workbooks."""

from __future__ import annotations

from datetime import date, timedelta

import numpy as np
import pytest

from qidesk.domain.entities import Annotation, DataPoint
from qidesk.domain.enums import AnnotationKind, ImprovementDirection
from qidesk.services import data_points, measures
from qidesk.services.charts import measure_chart
from qidesk.services.demo import write_demo_workbook
from qidesk.services.workbook import open_workbook

MONDAY = date(2026, 1, 5)


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    path = tmp_path_factory.mktemp("demo") / "demo.qidesk"
    write_demo_workbook(path)
    wb = open_workbook(path, "Reader")
    yield wb
    wb.close()


def _weekly(wb, measure_id, figures, start=MONDAY):
    data_points.record_data_points(wb, measure_id, [
        DataPoint(measure_id=measure_id, period=start + timedelta(weeks=k), value=v)
        for k, v in enumerate(figures) if v is not None])


def test_a_missing_week_is_a_gap_and_x_is_midday_utc(wb, ward):
    measure_id = ward.falls
    _weekly(wb, measure_id, [3, 4, None, 2, 5])
    chart = measure_chart(wb, measure_id)
    assert chart.connected.tolist() == [True, False, True, True]
    assert chart.x[0] == 1767614400.0  # 5 Jan 2026 12:00 UTC


def test_an_i_chart_gets_its_icons_from_making_data_count(wb, ward):
    # A 7-point rise within the limits: Making Data Count's trend rule flags it,
    # qicharts2's Anhøj rules (the points' classes) do not.
    measures.update_measure(wb, ward.falls, improvement_direction=ImprovementDirection.UP,
                            target=60.0, chart_choice="i")
    _weekly(wb, ward.falls, [38, 42, 36, 44, 40, 38, 42, 36, 44, 40, 42, 38,
                             36, 37, 38, 39, 40, 41, 42])
    chart = measure_chart(wb, ward.falls)
    assert chart.chart == "i" and chart.classes.classes[-1] == "common_cause"
    assert chart.variation == "improvement_high"
    assert chart.assurance == "fail"  # higher is better, and the target is above the limits


def test_other_charts_read_variation_from_the_last_point_and_assurance_from_the_limits(wb, ward):
    measures.update_measure(wb, ward.falls, improvement_direction=ImprovementDirection.UP,
                            target=8.0, chart_choice="c")
    _weekly(wb, ward.falls, [3, 4, 2, 5, 3, 4, 3, 2, 4, 3, 5, 3, 4, 3])
    chart = measure_chart(wb, ward.falls)
    assert chart.variation == "common_cause"
    lower, upper = chart.result.lcl[-1], chart.result.ucl[-1]
    assert lower < 8.0 < upper and chart.assurance == "inconsistent"


def test_limits_on_fewer_than_12_points_are_trial_limits(wb, ward):
    measures.update_measure(wb, ward.falls, chart_choice="c")
    _weekly(wb, ward.falls, [3, 4, 2, 5, 3, 4, 3, 2])
    assert measure_chart(wb, ward.falls).trial_phases == ((0, 8),)
    _weekly(wb, ward.falls, [4, 3, 5, 3], start=MONDAY + timedelta(weeks=8))
    assert measure_chart(wb, ward.falls).trial_phases == ()


def test_markers_hold_annotations_and_linked_pdsa_cycles_once_each(demo):
    bays = measures.find_measure(demo, "Bays with a member of staff present at spot check")
    chart = measure_chart(demo, bays.id)
    cycles = {c.id: c for c in _linked_cycles_of(demo, bays.id)}
    assert [m.on_date for m in chart.markers] == sorted(m.on_date for m in chart.markers)
    # A marker where each cycle started, and a plain line where each finished one ended.
    starts = [m for m in chart.markers if m.kind == "pdsa"]
    ends = [m for m in chart.markers if m.kind == "pdsa_end"]
    assert len(starts) + len(ends) == len(chart.markers)
    assert sorted(m.pdsa_cycle_id for m in starts) == sorted(cycles)
    assert [m.label[:6] for m in starts] == ["PDSA 1", "PDSA 2", "PDSA 3"]
    assert {m.pdsa_cycle_id: m.on_date for m in ends} == {
        c.id: c.finished_on for c in cycles.values() if c.finished_on is not None}
    assert ends


def test_a_crowded_note_is_shortened_for_its_label_and_kept_whole(wb, ward):
    text = "Norovirus outbreak: bays 2 and 3 closed to admissions for nine days"
    measures.add_annotation(wb, Annotation(measure_id=ward.falls, on_date=MONDAY,
                                           kind=AnnotationKind.EXTERNAL_EVENT, text=text))
    _weekly(wb, ward.falls, [3, 4])
    (marker,) = measure_chart(wb, ward.falls).markers
    assert marker.text == text and marker.label.endswith("…") and len(marker.label) <= 28


def test_the_rebase_suggestion_follows_a_documented_change(demo):
    arrival = measures.find_measure(demo, "Minutes from arrival to first NEWS2 observations")
    suggestion = measure_chart(demo, arrival.id).rebase
    assert suggestion is not None and suggestion.date == date(2025, 12, 1)
    assert "Admission checklist" in suggestion.reason
    assert not np.isnan(measure_chart(demo, arrival.id).result.y).any()


def _linked_cycles_of(wb, measure_id):
    from qidesk.services import drivers, pdsa

    project_id = measures.get_measure(wb, measure_id).project_id
    return [c for idea in drivers.change_ideas(wb, project_id)
            for c in pdsa.list_cycles(wb, idea.id) if measure_id in pdsa.linked_measures(wb, c.id)]
