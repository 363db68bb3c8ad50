"""Undo and redo (Ctrl+Z, Ctrl+Y, Ctrl+Shift+Z) put the workbook, the grid and the chart
back exactly, through services: a cleared period is restored, not typed in again."""

from __future__ import annotations

from grid_helpers import new_measure, open_screen, stored, type_cell, weeks_ago
from PySide6.QtCore import Qt
from PySide6.QtGui import QUndoStack
from shared_pc_helpers import make_window

from qidesk.domain.entities import DataPoint
from qidesk.services import data_points, history
from qidesk.ui.models.grid_rows import MISSING
from qidesk.ui.screens.measure_screen import MeasureScreen
from qidesk.ui.undo import reporter

pytest_plugins = ["grid_fixtures"]  # the wb and project_id fixtures


def _points(wb, measure_id):
    return {d: (p.value, p.comment) for d, p in stored(wb, measure_id).items()}


def _choose_measure(workbook_screen, name):
    model = workbook_screen.model
    found = model.match(model.index(0, 0), Qt.ItemDataRole.DisplayRole, name, 1,
                        Qt.MatchFlag.MatchRecursive | Qt.MatchFlag.MatchContains)
    assert found, f"no measure called {name}"
    workbook_screen.navigator.setCurrentIndex(found[0])
    assert workbook_screen.measure_screen.heading.text() == name


def _state(screen: MeasureScreen):
    chart = screen.current_chart
    return (sum(screen.chart.point_counts.values()), chart.result.cl.tolist() if chart.has_data
            else [], screen.findings.text())


def test_ctrl_z_and_ctrl_y_in_the_main_window_undo_and_redo_typed_figures(qtbot, demo_copy):
    window, controller = make_window(qtbot)
    assert controller.open(demo_copy, signed_in_as="Staff Nurse Patel")
    wb = controller.wb
    _choose_measure(controller.screen, "Falls per week")
    screen = controller.screen.measure_screen
    measure_id = screen.measure_id
    view, model = screen.grid, screen.data_grid.model
    window.activateWindow()
    qtbot.waitUntil(lambda: window.isActiveWindow())
    view.setFocus()
    ready = view.currentIndex().row()
    before_db, before_chart = _points(wb, measure_id), _state(screen)

    type_cell(qtbot, view, "7")
    after_one_db, after_one_chart = _points(wb, measure_id), _state(screen)
    type_cell(qtbot, view, "9")
    after_two_db, after_two_chart = _points(wb, measure_id), _state(screen)
    assert len(after_two_db) == len(before_db) + 2
    assert model.index(ready + 1, 1).data() == "9"

    qtbot.keyClick(view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert _points(wb, measure_id) == after_one_db and _state(screen) == after_one_chart
    assert model.index(ready + 1, 1).data() in ("", MISSING)
    qtbot.keyClick(view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert _points(wb, measure_id) == before_db and _state(screen) == before_chart
    assert model.index(ready, 1).data() in ("", MISSING)
    qtbot.keyClick(view, Qt.Key.Key_Y, Qt.KeyboardModifier.ControlModifier)
    assert _points(wb, measure_id) == after_one_db and _state(screen) == after_one_chart
    assert model.index(ready, 1).data() == "7"
    qtbot.keyClick(view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier
                   | Qt.KeyboardModifier.ShiftModifier)
    assert _points(wb, measure_id) == after_two_db and _state(screen) == after_two_chart
    assert window.undo_action.isEnabled() and not window.redo_action.isEnabled()


def test_undo_of_a_change_and_of_a_cleared_period_uses_the_same_records(qtbot, wb, project_id):
    measure_id = new_measure(wb, project_id)
    point_id = data_points.record_data_point(wb, DataPoint(
        measure_id=measure_id, period=weeks_ago(1), value=14.0)).id
    stack = QUndoStack()
    screen = open_screen(qtbot, wb, measure_id, stack)
    view, model = screen.grid, screen.data_grid.model
    view.setCurrentIndex(model.index(0, 1))
    type_cell(qtbot, view, "15")
    view.setCurrentIndex(model.index(0, 2))
    type_cell(qtbot, view, "Two agency nurses")
    view.setCurrentIndex(model.index(0, 1))
    qtbot.keyClick(view, Qt.Key.Key_Delete)
    assert stored(wb, measure_id) == {} and stack.count() == 3
    assert model.index(0, 1).data() == MISSING

    stack.undo()  # the cleared period comes back as the same record, with its comment
    assert _points(wb, measure_id) == {weeks_ago(1): (15.0, "Two agency nurses")}
    assert stored(wb, measure_id)[weeks_ago(1)].id == point_id
    assert model.index(0, 1).data() == "15" and model.index(0, 2).data() == "Two agency nurses"
    stack.undo()
    stack.undo()
    assert _points(wb, measure_id) == {weeks_ago(1): (14.0, "")}
    assert sum(screen.chart.point_counts.values()) == 1 and screen.current_chart.result.y[0] == 14.0
    actions = [e.action for e in history.audit_trail(wb, "data_point", point_id)]
    assert actions.count("deleted") == 1 and actions.count("restored") == 1
    stack.redo()
    stack.redo()
    stack.redo()
    assert stored(wb, measure_id) == {}


def test_an_undo_the_workbook_refuses_is_reported_and_dropped(qtbot, wb, project_id):
    measure_id = new_measure(wb, project_id)
    stack = QUndoStack()
    screen = open_screen(qtbot, wb, measure_id, stack)
    type_cell(qtbot, screen.grid, "12")
    wb.sign_out()  # idle sign-out on a shared PC: nothing may be written under no name
    with qtbot.waitSignal(reporter.failed) as failed:
        stack.undo()
    assert "Nobody is signed in" in failed.args[0]
    assert "Nobody is signed in" in screen.data_grid.message.text()
    assert len(stored(wb, measure_id)) == 1  # still there: nothing was undone
    assert stack.count() == 0

