"""The measure dialog: a new measure typed in by keyboard, errors beside their fields,
the chart suggestion with its reason, and saving through the undo history."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import QMessageBox

from qidesk.domain.enums import ChartChoice, Frequency, MeasureKind, ValueType
from qidesk.services import measures, projects, teams
from qidesk.services.workbook import open_workbook
from qidesk.ui.dialogs.measure_dialog import DEFINITION_NEEDED, MeasureDialog


@pytest.fixture
def wb(demo_copy):
    workbook = open_workbook(demo_copy, "Staff Nurse Patel")
    yield workbook
    workbook.close()


@pytest.fixture
def project_id(wb):
    team = teams.list_teams(wb)[0]
    return projects.list_projects(wb, team.id)[0].id


def _names(wb, project_id):
    return [m.name for m in measures.list_measures(wb, project_id)]


def _dialog(qtbot, wb, project_id, stack, measure=None):
    dialog = MeasureDialog(wb, project_id, stack, measure)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    return dialog


def _type_into_focus(qtbot, dialog, text):
    qtbot.keyClicks(dialog.focusWidget(), text)


def test_a_new_measure_typed_in_by_keyboard_is_saved_and_undoable(qtbot, wb, project_id):
    stack = QUndoStack()
    dialog = _dialog(qtbot, wb, project_id, stack)
    assert dialog.focusWidget() is dialog.name
    _type_into_focus(qtbot, dialog, "Pressure ulcers")
    qtbot.keyClick(dialog.focusWidget(), Qt.Key.Key_Tab)  # kind: Outcome
    assert dialog.focusWidget() is dialog.kind
    qtbot.keyClick(dialog.focusWidget(), Qt.Key.Key_Return)  # Save with no definition
    assert dialog.errors["definition"].isVisible()
    assert dialog.errors["definition"].text() == DEFINITION_NEEDED
    assert dialog.isVisible() and "Pressure ulcers" not in _names(wb, project_id)

    dialog.definition.setFocus()
    _type_into_focus(qtbot, dialog, "New category 2+ pressure ulcers found on the ward")
    qtbot.keyClick(dialog.focusWidget(), Qt.Key.Key_Tab)
    _type_into_focus(qtbot, dialog, "Datix")
    qtbot.keyClick(dialog.focusWidget(), Qt.Key.Key_Tab)
    _type_into_focus(qtbot, dialog, "ulcers")
    qtbot.keyClick(dialog.focusWidget(), Qt.Key.Key_Tab)
    assert dialog.focusWidget() is dialog.value_type
    qtbot.keyClick(dialog.value_type, Qt.Key.Key_Down)  # Count
    assert dialog.value_type.currentData() == ValueType.COUNT
    assert "c chart" in dialog.suggestion.text().lower()
    assert "Counts with the same opportunity" in dialog.suggestion.text()
    qtbot.keyClick(dialog.focusWidget(), Qt.Key.Key_Tab)
    qtbot.keyClick(dialog.frequency, Qt.Key.Key_Down)  # Monthly
    qtbot.keyClick(dialog.focusWidget(), Qt.Key.Key_Tab)
    qtbot.keyClick(dialog.direction, Qt.Key.Key_Up)  # from Neither to Lower is better
    qtbot.keyClick(dialog.focusWidget(), Qt.Key.Key_Tab)
    assert dialog.focusWidget() is dialog.target
    _type_into_focus(qtbot, dialog, "1,5")
    qtbot.keyClick(dialog.focusWidget(), Qt.Key.Key_Return)
    assert dialog.errors["target"].isVisible()
    assert "full stop" in dialog.errors["target"].text()
    assert not dialog.errors["definition"].isVisible()
    dialog.target.selectAll()
    _type_into_focus(qtbot, dialog, "2")
    qtbot.keyClick(dialog.focusWidget(), Qt.Key.Key_Return)

    assert not dialog.isVisible() and dialog.result() == MeasureDialog.DialogCode.Accepted
    saved = measures.get_measure(wb, dialog.saved_measure_id)
    assert (saved.name, saved.kind, saved.value_type, saved.frequency) == (
        "Pressure ulcers", MeasureKind.OUTCOME, ValueType.COUNT, Frequency.MONTH)
    assert saved.improvement_direction.value == "down" and saved.target == 2
    assert saved.unit == "ulcers" and saved.data_source == "Datix"
    assert stack.count() == 1
    stack.undo()
    assert "Pressure ulcers" not in _names(wb, project_id)
    stack.redo()
    assert measures.get_measure(wb, dialog.saved_measure_id).name == "Pressure ulcers"


def test_editing_shows_the_suggestion_for_the_data_and_undo_restores_the_settings(qtbot, wb, project_id):
    measure = measures.list_measures(wb, project_id)[0]
    stack = QUndoStack()
    dialog = _dialog(qtbot, wb, project_id, stack, measure)
    assert dialog.name.text() == measure.name
    assert dialog.suggestion.text().startswith("Suggested" if measure.chart_choice == ChartChoice.AUTO
                                               else "Suggestion (not used)")
    dialog.chart_choice.setFocus()
    qtbot.keyClick(dialog.chart_choice, Qt.Key.Key_Down)  # Run chart
    assert dialog.suggestion.text().startswith("Suggestion (not used)")
    dialog.baseline_points.setFocus()
    dialog.baseline_points.selectAll()
    qtbot.keyClicks(dialog.baseline_points, "1")
    qtbot.keyClick(dialog.baseline_points, Qt.Key.Key_Return)
    assert dialog.errors["baseline_points"].isVisible()  # the domain's rule: at least 2
    assert "Baseline points" in dialog.errors["baseline_points"].text()
    dialog.baseline_points.selectAll()
    qtbot.keyClicks(dialog.baseline_points, "12")
    qtbot.keyClick(dialog.baseline_points, Qt.Key.Key_Return)
    changed = measures.get_measure(wb, measure.id)
    assert changed.chart_choice == ChartChoice.RUN and changed.baseline_points == 12
    stack.undo()
    restored = measures.get_measure(wb, measure.id)
    assert (restored.chart_choice, restored.baseline_points) == (measure.chart_choice,
                                                                 measure.baseline_points)


def test_a_definition_that_looks_like_patient_data_asks_first(qtbot, wb, project_id, monkeypatch):
    asked = []
    answer = [QMessageBox.StandardButton.Cancel]
    monkeypatch.setattr(QMessageBox, "question",
                        lambda *args, **kw: asked.append(args[2]) or answer[0])
    stack = QUndoStack()
    dialog = _dialog(qtbot, wb, project_id, stack)
    qtbot.keyClicks(dialog.name, "Falls at night")
    dialog.definition.setPlainText("Falls like Mrs Smith's, NHS number 943 476 5919")
    qtbot.keyClick(dialog.name, Qt.Key.Key_Return)
    assert asked and "may identify a patient" in asked[0]
    assert dialog.isVisible() and "Falls at night" not in _names(wb, project_id)
    answer[0] = QMessageBox.StandardButton.Save
    qtbot.keyClick(dialog.name, Qt.Key.Key_Return)
    assert not dialog.isVisible()
    assert "Falls at night" in _names(wb, project_id) and stack.count() == 1


def test_the_service_refuses_a_new_value_type_under_existing_data_beside_the_field(qtbot, wb, project_id):
    measure = next(m for m in measures.list_measures(wb, project_id)
                   if m.value_type == ValueType.PROPORTION)
    dialog = _dialog(qtbot, wb, project_id, QUndoStack(), measure)
    dialog.value_type.setFocus()
    qtbot.keyClick(dialog.value_type, Qt.Key.Key_Up)  # Count of events
    qtbot.keyClick(dialog.value_type, Qt.Key.Key_Return)
    assert dialog.errors["value_type"].isVisible()
    assert "already has data" in dialog.errors["value_type"].text()
    assert measures.get_measure(wb, measure.id).value_type == ValueType.PROPORTION
