"""The live chart explains itself: icons, key, findings and guide, chart type, baseline,
trial limits, gaps, stacked labels, the table view, phases and the rebase suggestion."""

from __future__ import annotations

import itertools
from datetime import date, timedelta

import numpy as np
import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication

from qidesk.domain.entities import Annotation, DataPoint, Measure
from qidesk.domain.enums import AnnotationKind, Frequency, ImprovementDirection, MeasureKind, ValueType
from qidesk.services import data_points, measures
from qidesk.ui.charts.chart_table_model import ChartColumn
from qidesk.ui.dialogs.phase_dialog import PhaseDialog

from chart_helpers import first_project, measure_named, open_measure, wb  # noqa: F401

ARRIVAL = "Minutes from arrival to first NEWS2 observations"


def _new_measure(wb, figures, start=date(2026, 1, 5), **fields) -> int:
    base = dict(project_id=first_project(wb), name="Pressure ulcer checks on time",
                kind=MeasureKind.PROCESS, value_type=ValueType.CONTINUOUS,
                frequency=Frequency.WEEK, improvement_direction=ImprovementDirection.UP)
    measure_id = measures.add_measure(wb, Measure(**{**base, **fields})).id
    points = [DataPoint(measure_id=measure_id, period=start + timedelta(weeks=k), value=v)
              for k, v in enumerate(figures) if v is not None]
    data_points.record_data_points(wb, measure_id, points)
    return measure_id


def test_header_icons_key_findings_and_guide_say_what_the_chart_shows(qtbot, wb):
    screen = open_measure(qtbot, wb, measure_named(wb, ARRIVAL).id)
    header = screen.chart_panel.header
    assert header.variation.property("icon_name") == "improvement_low"
    assert header.variation.accessibleDescription() == "Special cause variation: improvement (lower)"
    assert header.assurance.property("icon_name") == "fail"
    assert header.assurance.accessibleDescription().startswith("Assurance: fail")
    assert not header.variation.pixmap().isNull()
    labels = [e.label for e in screen.chart_panel.legend.entries]
    assert "Special cause: improvement" in labels and "Target" in labels and "C Change" in labels
    spoken = screen.chart.accessibleDescription()
    assert spoken.startswith("I chart (individuals) of 104 points, 4 Nov 2024 to 26 Oct 2026. "
                             "Special cause variation: improvement (lower). Assurance: fail")
    text = screen.findings.text()
    assert "What this chart says" in text and "Anhøj" in text
    assert "Reading the chart" in text and "centre line" in text


def test_assurance_reads_inconsistent_when_the_target_is_inside_the_limits(qtbot, wb):
    screen = open_measure(qtbot, wb, measure_named(wb, "NEWS2 observations on time").id)
    assurance = screen.chart_panel.header.assurance
    assert assurance.property("icon_name") == "inconsistent"
    assert "Assurance: inconsistent — the target lies within the limits" in assurance.accessibleDescription()


def test_chart_type_is_switched_from_the_combo_by_keyboard(qtbot, wb):
    screen = open_measure(qtbot, wb, measure_named(wb, ARRIVAL).id)
    combo = screen.chart_panel.header.chart_type
    assert screen.current_chart.chart == "i"
    assert [combo.itemData(i) for i in range(combo.count())] == ["run", "i", "mr"]
    combo.setFocus()
    qtbot.keyClick(combo, Qt.Key.Key_Up)  # from I chart up to Run chart
    assert screen.current_chart.chart == "run"
    drawing = screen.chart.drawing
    assert drawing.upper.xData is None or not np.isfinite(drawing.upper.yData).any()
    assert "Run chart" in screen.subheading.text()
    screen.refresh()  # a later edit keeps the reader's choice
    assert screen.current_chart.chart == "run"


def test_baseline_is_shaded_over_the_frozen_points(qtbot, wb):
    measure = measure_named(wb, "Discharges before noon")
    screen = open_measure(qtbot, wb, measure.id)
    drawing = screen.chart.drawing
    assert measure.baseline_points == 26 and drawing.baseline.isVisible()
    low, high = drawing.baseline.getRegion()
    x = drawing.x
    assert low < x[0] < x[25] < high < x[26]
    assert "Baseline (frozen)" in [e.label for e in screen.chart_panel.legend.entries]


def test_limits_from_fewer_than_12_points_are_labelled_trial_limits(qtbot, wb):
    measure_id = _new_measure(wb, [40, 42, 39, 45, 41, 38, 44, 43])
    screen = open_measure(qtbot, wb, measure_id)
    screen.chart_panel.header.chart_type.setCurrentIndex(1)
    screen.chart_panel.header.chart_type.activated.emit(1)  # the I chart
    assert screen.current_chart.chart == "i"
    shown = [t for t in screen.chart.drawing.trial_labels if t.isVisible()]
    assert len(shown) == 1 and shown[0].toPlainText() == "trial limits"
    more = [DataPoint(measure_id=measure_id, period=date(2026, 1, 5) + timedelta(weeks=k),
                      value=40.0 + k % 3) for k in range(8, 14)]
    data_points.record_data_points(wb, measure_id, more)
    screen.refresh()
    assert not any(t.isVisible() for t in screen.chart.drawing.trial_labels)


def test_a_missing_week_leaves_a_gap_in_the_line(qtbot, wb):
    measure_id = _new_measure(wb, [40, 42, 39, None, 41, 38])
    screen = open_measure(qtbot, wb, measure_id)
    y = screen.chart.drawing.value_curve.yData
    assert np.isnan(y).tolist() == [False, False, False, True, False, False]  # a break after week 3
    assert list(screen.current_chart.connected) == [True, True, False, True, True]


def _overlaps(rects) -> list:
    return [(a, b) for a, b in itertools.combinations(rects, 2) if a.intersects(b)]


@pytest.mark.parametrize("width", [1280, 700])
def test_fifteen_annotations_within_two_months_never_overlap(qtbot, wb, width):
    measure = measure_named(wb, "Call bell response time")
    kinds = list(AnnotationKind)
    for k in range(15):
        measures.add_annotation(wb, Annotation(
            measure_id=measure.id, on_date=date(2026, 3, 2) + timedelta(days=4 * k),
            kind=kinds[k % 4], text=f"Note {k + 1}: bay {k % 4 + 1} huddle moved"))
    screen = open_measure(qtbot, wb, measure.id, size=(width, 720))
    lane = screen.chart.drawing.lanes
    assert len(lane.labels) >= 15
    rects = [label.sceneBoundingRect() for label in lane.labels]
    assert not _overlaps(rects)
    assert max(lane.rows) >= 3  # they really were crowded: stacked in rows
    assert lane.compact  # so crowded that only their letters show on the chart...
    assert "Marked on the chart" in screen.findings.text()  # ...and the words below it
    assert "Note 15: bay 3 huddle moved" in screen.findings.text()
    pens = {m.kind: lane.lines[i].pen.style() for i, m in enumerate(lane.markers)}
    assert len(set(pens.values())) == 4  # each kind has its own line style
    texts = {m.kind: lane.labels[i].toPlainText()[0] for i, m in enumerate(lane.markers)}
    assert texts == {"change": "C", "pdsa": "P", "external_event": "E", "data_issue": "D"}
    screen.resize(width // 2 + 200, 720)  # narrower: labels re-stack, still apart
    qtbot.wait(50)
    assert not _overlaps([label.sceneBoundingRect() for label in lane.labels])


def test_show_as_table_gives_every_point_with_its_lines_and_reading(qtbot, qtmodeltester, wb):
    screen = open_measure(qtbot, wb, measure_named(wb, ARRIVAL).id)
    panel = screen.chart_panel
    qtbot.mouseClick(panel.header.table, Qt.MouseButton.LeftButton)
    assert panel.views.currentWidget() is panel.table
    model = panel.table_model
    qtmodeltester.check(model)
    chart = screen.current_chart
    assert model.rowCount() == len(chart.periods)
    last = model.rowCount() - 1
    assert model.index(last, ChartColumn.PERIOD).data() == "w/c 26 Oct 2026"
    assert model.index(last, ChartColumn.VALUE).data() == "56.4"
    assert model.index(last, ChartColumn.UPPER).data() == f"{chart.result.ucl[-1]:.2f}".rstrip("0")
    flagged = next(i for i, c in enumerate(chart.classes.classes) if c == "improvement")
    assert model.index(flagged, ChartColumn.CLASS).data() == "Improvement"
    assert model.index(flagged, ChartColumn.RULES).data()
    assert model.index(0, 0).data(Qt.ItemDataRole.UserRole) == chart.periods[0]
    qtbot.mouseClick(panel.header.table, Qt.MouseButton.LeftButton)
    assert panel.views.currentWidget() is panel.chart


def test_rebase_suggestion_is_offered_and_only_applied_when_asked(qtbot, wb):
    measure = measure_named(wb, ARRIVAL)
    screen = open_measure(qtbot, wb, measure.id)
    bar = screen.chart_panel.rebase_bar
    assert bar.isVisible() and "A new phase could start on 1 Dec 2025" in bar.message.text()
    assert measures.list_phases(wb, measure.id) == []  # never applied by itself
    qtbot.mouseClick(bar.start, Qt.MouseButton.LeftButton)
    phases = measures.list_phases(wb, measure.id)
    assert [p.start_date for p in phases] == [date(2025, 12, 1)]
    assert screen.current_chart.phase_starts and not bar.isVisible()
    screen.undo_stack.undo()
    assert measures.list_phases(wb, measure.id) == []
    assert bar.isVisible()
    qtbot.mouseClick(bar.later, Qt.MouseButton.LeftButton)
    screen.refresh()
    assert not bar.isVisible() and measures.list_phases(wb, measure.id) == []


def test_phase_dialog_adds_and_removes_phases_and_freezes_a_baseline(qtbot, qtmodeltester, wb):
    measure = measure_named(wb, "Call bell response time")
    screen = open_measure(qtbot, wb, measure.id)
    dialog = PhaseDialog(wb, screen.undo_stack, measure.id, screen)
    dialog.show()
    qtmodeltester.check(dialog.model)
    dialog.start_date.setDate(date(2026, 3, 4))  # a Wednesday: the phase starts that week
    qtbot.keyClicks(dialog.reason, "Bay nursing adopted")
    qtbot.mouseClick(dialog.add, Qt.MouseButton.LeftButton)
    assert [(p.start_date, p.reason) for p in measures.list_phases(wb, measure.id)] == [
        (date(2026, 3, 2), "Bay nursing adopted")]
    assert dialog.model.index(0, 0).data() == "2 Mar 2026"
    assert screen.current_chart.phase_starts  # the chart behind redrew
    dialog.table.selectRow(0)
    qtbot.mouseClick(dialog.remove, Qt.MouseButton.LeftButton)
    assert measures.list_phases(wb, measure.id) == [] and dialog.model.rowCount() == 0
    dialog.baseline.selectAll()
    qtbot.keyClicks(dialog.baseline, "20")
    qtbot.mouseClick(dialog.apply_baseline, Qt.MouseButton.LeftButton)
    assert measures.get_measure(wb, measure.id).baseline_points == 20
    assert screen.chart.drawing.baseline.isVisible()
    screen.undo_stack.undo()
    assert measures.get_measure(wb, measure.id).baseline_points is None


def test_phases_button_opens_the_dialog(qtbot, wb):
    screen = open_measure(qtbot, wb, measure_named(wb, ARRIVAL).id)
    seen = []

    def close_it():
        dialog = QApplication.activeModalWidget()
        seen.append(type(dialog).__name__)
        dialog.reject()

    QTimer.singleShot(200, close_it)
    qtbot.mouseClick(screen.chart_panel.header.phases, Qt.MouseButton.LeftButton)
    assert seen == ["PhaseDialog"]


def test_the_key_names_the_runs_signal_centre_line_only_when_one_is_drawn(qtbot, wb):
    random_then_shift = [5, 7, 4, 8, 6, 3, 7, 5, 8, 4, 6, 7] + [5.0] * 11 + [9.0] * 11
    screen = open_measure(qtbot, wb, _new_measure(wb, random_then_shift, chart_choice="run"))
    labels = [e.label for e in screen.chart_panel.legend.entries]
    assert "Centre line of a phase with a runs signal" in labels
    assert "Centre line" not in labels  # one phase, and it signals: no plain centre line drawn
    steady = _new_measure(wb, [5, 7, 4, 8, 6, 3, 7, 5, 8, 4, 6, 7, 5, 6],
                          name="Steady checks", chart_choice="run")
    screen = open_measure(qtbot, wb, steady)
    labels = [e.label for e in screen.chart_panel.legend.entries]
    assert "Centre line" in labels and "Centre line of a phase with a runs signal" not in labels
