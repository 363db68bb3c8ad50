"""Measure > Import data from a file… and Export data…: the mapping guessed and changed,
the preview and its problems, all-or-nothing writes off the UI thread, skip or replace
for periods already filled in, and exports that read back."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QFileDialog, QMessageBox

from qidesk.services import data_points, measures, projects, teams
from qidesk.services.tabular import read_table
from qidesk.storage.lease import LeaseInfo, lease_path
from qidesk.ui import data_transfer
from qidesk.ui.dialogs.sign_in_dialog import SignInDialog
from qidesk.ui.models.import_preview_model import (
    ImportProblemsModel,
    ImportRowsModel,
    ProblemColumn,
    RowColumn,
)

MEASURE = "Readmissions within 7 days of discharge"  # a monthly count in the demo


def _measure(wb):
    for team in teams.list_teams(wb):
        for project in projects.list_projects(wb, team.id):
            for measure in measures.list_measures(wb, project.id):
                if measure.name.startswith(MEASURE):
                    return measure
    raise AssertionError("demo measure missing")


@pytest.fixture
def opened(controller, demo_copy):
    """The demo open, signed in, with the readmissions measure on show."""
    assert controller.open(demo_copy, signed_in_as="Staff Nurse Patel")
    measure = _measure(controller.wb)
    assert controller.screen.show_item("measure", measure.id)
    assert controller.screen.measure_screen.measure_id == measure.id
    return measure


def _values(wb, measure_id):
    return {p.period: p.value for p in data_points.list_data_points(wb, measure_id)}


def _open_dialog(qtbot, window, controller, monkeypatch, path):
    """Measure > Import data from a file…, the file chosen in the file dialog."""
    monkeypatch.setattr(QFileDialog, "getOpenFileName",
                        staticmethod(lambda *a, **k: (str(path), "")))
    action = controller.transfer.import_action
    assert action in window.measure_menu.actions() and action.isEnabled()
    action.trigger()
    dialog = controller.transfer.dialog
    assert dialog is not None
    qtbot.waitExposed(dialog)
    return dialog


def _import(qtbot, controller, dialog):
    with qtbot.waitSignal(controller.transfer.import_finished, timeout=15000) as done:
        qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    return done.args[0]


def _cell(model, row, column):
    return model.index(row, column).data()


def test_a_good_csv_is_imported_and_the_chart_and_grid_show_it(
        qtbot, window, controller, opened, tmp_path, monkeypatch):
    path = tmp_path / "readmissions.csv"
    path.write_text("Month,Readmissions,Comments\n01/08/2024,3,\n01/09/2024,2,new pharmacist\n"
                    "01/10/2024,4,\n", encoding="utf-8")
    before = _values(controller.wb, opened.id)
    dialog = _open_dialog(qtbot, window, controller, monkeypatch, path)
    assert dialog.combos["period"].currentText() == "Month"
    assert dialog.combos["value"].currentText() == "Readmissions"
    assert dialog.combos["comment"].currentText() == "Comments"
    rows = dialog.rows_model
    assert rows.rowCount() == 3
    assert _cell(rows, 1, RowColumn.ROW) == "3"
    assert _cell(rows, 1, RowColumn.VALUE) == "2"
    assert _cell(rows, 1, RowColumn.COMMENT) == "new pharmacist"
    assert dialog.problems_model.rowCount() == 0 and not dialog.problems_view.isVisible()
    assert "3 rows ready" in dialog.summary.text()
    assert _values(controller.wb, opened.id) == before  # nothing written by looking

    assert _import(qtbot, controller, dialog) is True
    after = _values(controller.wb, opened.id)
    assert len(after) == len(before) + 3
    assert after[date(2024, 8, 1)] == 3 and after[date(2024, 10, 1)] == 4
    shown = controller.screen.measure_screen
    assert shown.current_chart.periods[0] == date(2024, 8, 1)
    grid = shown.grid.model()
    grid_periods = {grid.index(r, 0).data(Qt.ItemDataRole.UserRole).period
                    for r in range(grid.rowCount())
                    if grid.index(r, 0).data(Qt.ItemDataRole.UserRole) is not None}
    assert date(2024, 9, 1) in grid_periods
    assert "3 added" in window.statusBar().currentMessage()
    assert controller.transfer.dialog is None  # closed (and deleted) once written


def test_a_bad_row_is_listed_with_its_row_number_and_nothing_is_written(
        qtbot, window, controller, opened, tmp_path, monkeypatch):
    path = tmp_path / "readmissions.csv"
    path.write_text("Month,Readmissions count\n01/08/2024,3\n01/09/2024,lots\n01/10/2024,4\n",
                    encoding="utf-8")
    before = _values(controller.wb, opened.id)
    dialog = _open_dialog(qtbot, window, controller, monkeypatch, path)
    problems = dialog.problems_model
    assert problems.rowCount() == 1
    assert _cell(problems, 0, ProblemColumn.ROW) == "3"
    assert _cell(problems, 0, ProblemColumn.COLUMN) == "Readmissions count"
    assert _cell(problems, 0, ProblemColumn.MESSAGE)
    assert dialog.problems_view.isVisible()
    assert "1 problem found" in dialog.summary.text()
    assert not dialog.import_button.isEnabled()
    qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    qtbot.keyClick(dialog, Qt.Key.Key_Return)
    assert controller.transfer.import_worker is None
    assert _values(controller.wb, opened.id) == before


def test_a_wrong_guess_is_put_right_with_the_column_box(
        qtbot, window, controller, opened, tmp_path, monkeypatch):
    path = tmp_path / "audit.csv"
    path.write_text("Month,Audit score,Readmits\n01/08/2024,80,3\n01/09/2024,90,1\n",
                    encoding="utf-8")
    dialog = _open_dialog(qtbot, window, controller, monkeypatch, path)
    value = dialog.combos["value"]
    assert value.currentText() == "Audit score"
    assert _cell(dialog.rows_model, 0, RowColumn.VALUE) == "80"
    value.setFocus()
    qtbot.keyClick(value, Qt.Key.Key_Down)  # Audit score -> Readmits
    assert value.currentText() == "Readmits"
    assert _cell(dialog.rows_model, 0, RowColumn.VALUE) == "3"
    assert _import(qtbot, controller, dialog) is True
    assert _values(controller.wb, opened.id)[date(2024, 9, 1)] == 1


def test_periods_already_filled_in_are_skipped_or_replaced_as_chosen(
        qtbot, window, controller, opened, tmp_path, monkeypatch):
    october = date(2026, 10, 1)
    was = _values(controller.wb, opened.id)[october]
    path = tmp_path / "readmissions.csv"
    path.write_text(f"Month,Readmissions\n01/10/2024,5\n01/10/2026,{was + 7:g}\n",
                    encoding="utf-8")
    dialog = _open_dialog(qtbot, window, controller, monkeypatch, path)
    assert "1 of the file's periods already has" in dialog.existing_label.text()
    assert dialog.skip_radio.isChecked()
    assert _import(qtbot, controller, dialog) is True
    values = _values(controller.wb, opened.id)
    assert values[october] == was and values[date(2024, 10, 1)] == 5
    assert "1 left as they were" in window.statusBar().currentMessage()

    dialog = _open_dialog(qtbot, window, controller, monkeypatch, path)
    qtbot.mouseClick(dialog.replace_radio, Qt.MouseButton.LeftButton)
    assert dialog.replace_radio.isChecked()
    assert _import(qtbot, controller, dialog) is True
    assert _values(controller.wb, opened.id)[october] == was + 7
    assert "1 replaced" in window.statusBar().currentMessage()


def _answer_pid_question(qtbot, button):
    """Press `button` on the patient-data question once it is up."""
    def press():
        box = QApplication.activeModalWidget()
        if isinstance(box, QMessageBox) and box.button(button) is not None:
            box.button(button).click()
        else:
            QTimer.singleShot(50, press)
    QTimer.singleShot(50, press)


def test_a_comment_that_may_identify_a_patient_is_imported_only_when_confirmed(
        qtbot, window, controller, opened, tmp_path, monkeypatch):
    path = tmp_path / "readmissions.csv"
    path.write_text("Month,Readmissions,Comments\n01/08/2024,3,Mr X NN1 1AA\n",
                    encoding="utf-8")
    dialog = _open_dialog(qtbot, window, controller, monkeypatch, path)
    _answer_pid_question(qtbot, QMessageBox.StandardButton.Cancel)
    assert _import(qtbot, controller, dialog) is False
    assert date(2024, 8, 1) not in _values(controller.wb, opened.id)
    assert "patient details" in dialog.summary.text() and dialog.import_button.isEnabled()

    _answer_pid_question(qtbot, QMessageBox.StandardButton.Save)
    assert _import(qtbot, controller, dialog) is True
    assert _values(controller.wb, opened.id)[date(2024, 8, 1)] == 3


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_export_writes_a_file_that_reads_back(qtbot, window, controller, opened, tmp_path,
                                              monkeypatch, suffix):
    target = tmp_path / "readmissions"  # the suffix comes from the chosen file type
    chosen = next(f for f, s in data_transfer.EXPORT_FILTERS.items() if s == suffix)
    monkeypatch.setattr(QFileDialog, "getSaveFileName",
                        staticmethod(lambda *a, **k: (str(target), chosen)))
    with qtbot.waitSignal(controller.transfer.export_finished, timeout=15000) as done:
        controller.transfer.export_action.trigger()
    assert done.args == [True]
    path = target.with_suffix(suffix)
    table = read_table(path)
    points = data_points.list_data_points(controller.wb, opened.id)
    assert table.headers[:2] == ["period", "value"]
    assert len(table.rows) == len(points)
    assert float(table.rows[-1][1]) == points[-1].value
    assert str(path) in window.statusBar().currentMessage()


def test_the_navigator_menu_imports_into_the_measure_right_clicked(
        qtbot, window, controller, opened, tmp_path, monkeypatch):
    other = next(m for m in measures.list_measures(controller.wb, opened.project_id)
                 if m.id != opened.id and not m.value_type.has_denominator)
    index = controller.screen.model.index_of("measure", other.id)
    menu = controller.screen.context_menu_for(index)
    action = next(a for a in menu.actions() if a.text() == "&Import data from a file…")
    path = tmp_path / "other.csv"
    path.write_text("Date,Count\n01/08/2024,3\n", encoding="utf-8")
    monkeypatch.setattr(QFileDialog, "getOpenFileName",
                        staticmethod(lambda *a, **k: (str(path), "")))
    action.trigger()
    dialog = controller.transfer.dialog
    assert dialog.measure.id == other.id and other.name in dialog.windowTitle()
    dialog.reject()


def test_nobody_signed_in_is_asked_who_they_are_before_importing(
        qtbot, window, controller, demo_copy, tmp_path, monkeypatch):
    assert controller.open(demo_copy)  # opens with "Who is using QIDesk?"
    controller.session.dialog.reject()
    assert controller.session.name is None
    path = tmp_path / "readmissions.csv"
    path.write_text("Month,Readmissions\n01/08/2024,3\n", encoding="utf-8")
    monkeypatch.setattr(QFileDialog, "getOpenFileName",
                        staticmethod(lambda *a, **k: (str(path), "")))
    controller.transfer.import_action.trigger()
    assert controller.transfer.dialog is None
    assert isinstance(controller.session.dialog, SignInDialog)
    assert controller.session.dialog.isVisible()


def test_a_read_only_workbook_offers_export_but_not_import(qtbot, window, controller, demo_copy):
    heard = datetime.now(UTC) - timedelta(seconds=20)  # another ward PC holds it
    info = LeaseInfo("Sister Jones", "ward7", "WARD7-PC-03", 4242, heard - timedelta(hours=1),
                     heard, "0123456789abcdef")
    lease_path(demo_copy).write_text(info.to_json(), encoding="utf-8")
    assert controller.open(demo_copy) and controller.wb.read_only
    assert controller.screen.measure_screen.measure_id is not None
    assert not controller.transfer.import_action.isEnabled()
    assert controller.transfer.export_action.isEnabled()
    assert controller.transfer.import_file(demo_copy) is None
    # The measure's right-click menu agrees: exporting changes nothing, importing would.
    screen = controller.screen
    menu = screen.context_menu_for(screen.navigator.currentIndex())
    enabled = {a.text(): a.isEnabled() for a in menu.actions()}
    assert enabled["E&xport data…"] and not enabled["&Import data from a file…"]
    assert not enabled["&Edit measure…"]


def test_the_import_models_pass_the_model_tester(qtmodeltester, opened, controller, tmp_path):
    from qidesk.services.imports import preview_import

    path = tmp_path / "mixed.csv"
    path.write_text("Month,Count\n01/08/2024,3\n01/09/2024,x\n", encoding="utf-8")
    preview = preview_import(controller.wb, opened.id, path)
    rows = ImportRowsModel(opened)
    rows.set_rows(preview.rows)
    problems = ImportProblemsModel()
    problems.set_items(preview.problems)
    assert rows.rowCount() == 1 and problems.rowCount() == 1
    qtmodeltester.check(rows)
    qtmodeltester.check(problems)
