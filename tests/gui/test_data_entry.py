"""Typing figures into the grid: saved at once, the chart redrawn after every entry,
missing periods shown as missing, bad input refused with the service's message."""

from __future__ import annotations

from datetime import date

import numpy as np
from grid_helpers import new_measure, open_screen, stored, type_cell, weeks_ago
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from qidesk.domain.enums import Frequency, ValueType
from qidesk.domain.periods import format_period
from qidesk.services import data_points, measures
from qidesk.services.workbook import open_workbook
from qidesk.ui.models.data_point_table_model import Column, DataPointTableModel

pytest_plugins = ["grid_fixtures"]  # the wb and project_id fixtures

# Strictly falling figures: every new one moves the median (run chart) and the mean
# (I chart from 12 points), so the centre line must change after each entry.
FALLING = [round(30 - 0.7 * i, 1) for i in range(20)]


def test_twenty_figures_typed_by_keyboard_redraw_the_chart_after_each(qtbot, wb, project_id):
    measure_id = new_measure(wb, project_id)
    screen = open_screen(qtbot, wb, measure_id)
    view, model = screen.grid, screen.data_grid.model
    assert model.rowCount() == 1 and view.currentIndex().column() == 1
    assert not screen.current_chart.has_data

    qtbot.keyClick(view, Qt.Key.Key_Left)  # to the Week cell: say where the series starts
    type_cell(qtbot, view, weeks_ago(19).strftime("%d/%m/%Y"))
    assert model.rowCount() == 20, screen.data_grid.message.text()
    assert model.index(0, 0).data() == format_period(weeks_ago(19), Frequency.WEEK)
    assert (view.currentIndex().row(), view.currentIndex().column()) == (0, 1)

    previous_centre, previous_findings = None, None
    for n, figure in enumerate(FALLING, start=1):
        type_cell(qtbot, view, f"{figure}")
        assert view.currentIndex().row() == n  # Enter saved and moved down
        assert len(stored(wb, measure_id)) == n
        chart = screen.current_chart
        assert sum(screen.chart.point_counts.values()) == n
        assert np.allclose(chart.result.y[~np.isnan(chart.result.y)], FALLING[:n])
        centre = chart.result.cl[-1]
        findings = screen.findings.text()
        assert centre != previous_centre and findings != previous_findings
        assert model.index(n - 1, 1).data() == f"{figure:g}"
        previous_centre, previous_findings = centre, findings
    assert screen.current_chart.chart == "i"  # 12+ points: limits, not a run chart
    assert model.rowCount() == 21  # next week is ready to type
    assert model.index(20, 1).data() == ""


def test_missing_periods_show_as_missing_and_the_model_passes_the_tester(qtbot, qtmodeltester, wb, project_id):
    measure_id = new_measure(wb, project_id)
    for weeks, figure in ((6, 12.0), (2, 9.0)):
        data_points.record_data_point(wb, data_points.DataPoint(
            measure_id=measure_id, period=weeks_ago(weeks), value=figure))
    screen = open_screen(qtbot, wb, measure_id)
    model = screen.data_grid.model
    qtmodeltester.check(model)
    texts = [model.index(r, 1).data() for r in range(model.rowCount())]
    assert texts == ["12", "missing", "missing", "missing", "9", "missing", ""]
    missing = model.index(1, 1)
    assert missing.data(Qt.ItemDataRole.FontRole).italic()
    assert "type it" in missing.data(Qt.ItemDataRole.ToolTipRole)
    assert missing.data(Qt.ItemDataRole.EditRole) == ""  # never a zero
    assert model.index(0, 1).data(Qt.ItemDataRole.UserRole).value == 12.0
    assert screen.data_grid.view.currentIndex().row() == 5  # the first empty period at the end


def test_a_bad_figure_is_refused_keeps_its_text_and_saves_nothing(qtbot, wb, project_id):
    measure_id = new_measure(wb, project_id, value_type=ValueType.COUNT)
    screen = open_screen(qtbot, wb, measure_id)
    view, model, grid = screen.grid, screen.data_grid.model, screen.data_grid
    type_cell(qtbot, view, "2.5")
    assert grid.message.isVisible() and grid.message.text() == "The count must be a whole number."
    cell = model.index(0, 1)
    assert cell.data() == "2.5" and cell.data(Qt.ItemDataRole.EditRole) == "2.5"
    assert cell.data(Qt.ItemDataRole.ToolTipRole) == "The count must be a whole number."
    assert cell.data(Qt.ItemDataRole.BackgroundRole) is not None
    assert view.currentIndex().row() == 0  # stays on the cell to be corrected
    assert stored(wb, measure_id) == {} and screen.undo_stack.count() == 0

    type_cell(qtbot, view, "1,2x")
    assert "isn't a number" in grid.message.text() and cell.data() == "1,2x"
    type_cell(qtbot, view, "3")
    assert not grid.message.isVisible()
    assert [p.value for p in stored(wb, measure_id).values()] == [3.0]
    assert cell.data(Qt.ItemDataRole.BackgroundRole) is None


def test_numerator_then_tab_then_denominator_saves_one_proportion(qtbot, wb, project_id):
    measure_id = new_measure(wb, project_id, value_type=ValueType.PROPORTION)
    screen = open_screen(qtbot, wb, measure_id)
    view, model = screen.grid, screen.data_grid.model
    assert [model.headerData(c, Qt.Orientation.Horizontal) for c in range(4)] == [
        "Week", "Numerator", "Denominator", "%"]
    type_cell(qtbot, view, "18", Qt.Key.Key_Tab)
    assert "Nothing is saved for this period until both are typed" in screen.data_grid.message.text()
    assert stored(wb, measure_id) == {}
    assert view.currentIndex().column() == 2  # Tab moved across to the denominator
    editor = view.indexWidget(view.currentIndex())  # Tab opened the next cell's editor
    qtbot.keyClicks(editor, "24")
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: len(stored(wb, measure_id)) == 1)
    point = next(iter(stored(wb, measure_id).values()))
    assert (point.numerator, point.denominator) == (18, 24)
    assert model.index(0, 3).data() == "75.0%"
    assert not model.flags(model.index(0, 3)) & Qt.ItemFlag.ItemIsEditable


def test_excluding_a_point_asks_for_the_reason_and_delete_clears_a_period(qtbot, wb, project_id):
    measure_id = new_measure(wb, project_id)
    data_points.record_data_point(wb, data_points.DataPoint(
        measure_id=measure_id, period=weeks_ago(1), value=14.0))
    screen = open_screen(qtbot, wb, measure_id)
    view, model = screen.grid, screen.data_grid.model
    excluded = model.index(0, model.column_index(Column.EXCLUDED))
    view.setCurrentIndex(excluded)
    qtbot.keyClick(view, Qt.Key.Key_Space)  # tick Excluded
    assert excluded.data(Qt.ItemDataRole.CheckStateRole) == Qt.CheckState.Checked
    assert screen.data_grid.message.text() == "Say why this point is left out of the calculations."
    assert not stored(wb, measure_id)[weeks_ago(1)].excluded
    view.setCurrentIndex(model.index(0, model.column_index(Column.REASON)))
    type_cell(qtbot, view, "Ward closed for deep clean")
    point = stored(wb, measure_id)[weeks_ago(1)]
    assert point.excluded and point.exclusion_reason == "Ward closed for deep clean"
    assert screen.current_chart.classes.classes[0] == "excluded"

    view.setCurrentIndex(model.index(0, 1))
    qtbot.keyClick(view, Qt.Key.Key_Delete)
    assert stored(wb, measure_id) == {}
    assert not screen.current_chart.has_data


def test_a_comment_that_looks_like_patient_data_is_saved_only_after_confirming(qtbot, wb, project_id, monkeypatch):
    measure_id = new_measure(wb, project_id)
    data_points.record_data_point(wb, data_points.DataPoint(
        measure_id=measure_id, period=weeks_ago(0), value=14.0))
    answers = [QMessageBox.StandardButton.Cancel, QMessageBox.StandardButton.Save]
    asked = []
    monkeypatch.setattr(QMessageBox, "question",
                        lambda *a, **k: asked.append(a[2]) or answers[len(asked) - 1])
    screen = open_screen(qtbot, wb, measure_id)
    view, model = screen.grid, screen.data_grid.model
    comment = model.index(0, model.column_index(Column.COMMENT))
    view.setCurrentIndex(comment)
    type_cell(qtbot, view, "Fall: NHS no 943 476 5919")
    assert len(asked) == 1 and stored(wb, measure_id)[weeks_ago(0)].comment == ""
    assert comment.data() == "Fall: NHS no 943 476 5919"  # kept to be changed
    view.setCurrentIndex(comment)
    type_cell(qtbot, view, "Fall: NHS no 943 476 5919")
    assert len(asked) == 2
    assert stored(wb, measure_id)[weeks_ago(0)].comment == "Fall: NHS no 943 476 5919"


def test_per_event_measures_take_a_date_then_the_figure_in_the_empty_row(qtbot, wb, project_id):
    measure_id = new_measure(wb, project_id, value_type=ValueType.DAYS_BETWEEN,
                             frequency=Frequency.EVENT)
    screen = open_screen(qtbot, wb, measure_id)
    view, model = screen.grid, screen.data_grid.model
    assert model.rowCount() == 1 and model.index(0, 0).data() == "New event…"
    assert (view.currentIndex().row(), view.currentIndex().column()) == (0, 0)
    type_cell(qtbot, view, "3 March 2026", Qt.Key.Key_Tab)
    assert screen.data_grid.message.text().startswith("Now type the figure for this event")
    assert stored(wb, measure_id) == {} and model.index(0, 0).data() == "3 March 2026"
    editor = view.indexWidget(view.currentIndex())
    qtbot.keyClicks(editor, "41")
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: len(stored(wb, measure_id)) == 1)
    assert [(p.period, p.value) for p in stored(wb, measure_id).values()] == [(date(2026, 3, 3), 41.0)]
    assert model.rowCount() == 2 and model.index(0, 0).data() == "3 Mar 2026"
    qtbot.waitUntil(lambda: view.currentIndex().row() == 1)  # the empty row, for the next event

    type_cell(qtbot, view, "12")  # figure first: the date is asked for, the figure kept
    assert screen.data_grid.message.text() == "Type the date of the event first."
    qtbot.keyClick(view, Qt.Key.Key_Left)
    type_cell(qtbot, view, "01/04/2026")
    assert sorted((p.period, p.value) for p in data_points.list_data_points(wb, measure_id)) == [
        (date(2026, 3, 3), 41.0), (date(2026, 4, 1), 12.0)]
    view.setCurrentIndex(model.index(1, 0))  # an event's date can be corrected
    type_cell(qtbot, view, "02/04/2026")
    assert sorted(p.period for p in data_points.list_data_points(wb, measure_id)) == [
        date(2026, 3, 3), date(2026, 4, 2)]


def test_a_read_only_workbook_shows_the_figures_but_will_not_edit_them(qtbot, wb, project_id, demo_copy):
    measure_id = measures.list_measures(wb, project_id)[0].id
    reader = open_workbook(demo_copy, "Matron Okafor", read_only=True)
    try:
        screen = open_screen(qtbot, reader, measure_id)
        grid = screen.data_grid
        assert grid.read_only_note.isVisible() and "can't be changed" in grid.read_only_note.text()
        assert not grid.paste_button.isEnabled()
        model = grid.model
        for column in range(model.columnCount()):
            assert not model.flags(model.index(0, column)) & Qt.ItemFlag.ItemIsEditable
        before = model.index(0, 1).data()
        qtbot.keyClick(grid.view, "7")
        assert grid.view.indexWidget(grid.view.currentIndex()) is None
        assert model.index(0, 1).data() == before
        assert isinstance(model, DataPointTableModel)
    finally:
        reader.close()


def test_proportion_and_per_event_grids_pass_the_model_tester(qtbot, qtmodeltester, wb, project_id):
    for fields in ({"value_type": ValueType.PROPORTION},
                   {"value_type": ValueType.CASES_BETWEEN, "frequency": Frequency.EVENT}):
        measure_id = new_measure(wb, project_id, name=f"Measure {fields['value_type']}", **fields)
        point = (data_points.DataPoint(measure_id=measure_id, period=weeks_ago(1),
                                       numerator=3, denominator=4)
                 if fields["value_type"] == ValueType.PROPORTION else
                 data_points.DataPoint(measure_id=measure_id, period=date(2026, 3, 3), value=12))
        data_points.record_data_point(wb, point)
        screen = open_screen(qtbot, wb, measure_id)
        qtmodeltester.check(screen.data_grid.model)
        shown = screen.data_grid.model.index(0, 1).data(Qt.ItemDataRole.UserRole)
        assert (shown.period, shown.value, shown.numerator) == (point.period, point.value,
                                                                point.numerator)


def test_ctrl_c_copies_the_selected_cells_as_a_block_excel_pastes(qtbot, wb, project_id):
    from PySide6.QtCore import QItemSelection, QItemSelectionModel
    from PySide6.QtGui import QGuiApplication

    measure_id = new_measure(wb, project_id)
    for weeks, figure in ((2, 12.0), (1, 1234.5)):
        data_points.record_data_point(wb, data_points.DataPoint(
            measure_id=measure_id, period=weeks_ago(weeks), value=figure))
    screen = open_screen(qtbot, wb, measure_id)
    view, model = screen.grid, screen.data_grid.model
    view.selectionModel().select(QItemSelection(model.index(0, 0), model.index(1, 1)),
                                 QItemSelectionModel.SelectionFlag.ClearAndSelect)
    qtbot.keyClick(view, Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier)
    assert QGuiApplication.clipboard().text() == (
        f"{format_period(weeks_ago(2), Frequency.WEEK)}\t12\n"
        f"{format_period(weeks_ago(1), Frequency.WEEK)}\t1,234.5")


def test_after_idle_sign_out_a_typed_figure_is_kept_but_not_saved(qtbot, wb, project_id):
    measure_id = new_measure(wb, project_id)
    screen = open_screen(qtbot, wb, measure_id)
    wb.sign_out()
    type_cell(qtbot, screen.grid, "12")
    assert "Nobody is signed in" in screen.data_grid.message.text()
    assert screen.data_grid.model.index(0, 1).data() == "12"
    assert stored(wb, measure_id) == {} and screen.undo_stack.count() == 0
    wb.sign_in("Staff Nurse Patel")
    type_cell(qtbot, screen.grid, "12")
    assert [p.value for p in stored(wb, measure_id).values()] == [12.0]
