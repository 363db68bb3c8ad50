"""Hover a chart point for its details; click it to comment, exclude, include, annotate or
start a phase — each saved through services and undoable."""

from __future__ import annotations

import numpy as np

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QContextMenuEvent
from PySide6.QtWidgets import QApplication, QMenu, QToolTip

from qidesk.services import data_points, measures
from qidesk.services.charts import point_at
from qidesk.ui.charts.point_menu import NoteDialog

from chart_helpers import measure_named, open_measure, wb  # noqa: F401

ARRIVAL = "Minutes from arrival to first NEWS2 observations"
OBS = "NEWS2 observations on time"


def _flagged_index(chart) -> int:
    return next(i for i, c in enumerate(chart.classes.classes)
                if c == "improvement" and chart.classes.rules_at(i))


def test_hovering_a_point_shows_period_figures_comment_and_rules(qtbot, wb):
    measure = measure_named(wb, OBS)
    screen = open_measure(qtbot, wb, measure.id)
    chart = screen.current_chart
    index = next(iter(chart.comments))  # a point with a comment
    qtbot.mouseMove(screen.chart.viewport(), screen.chart.point_position(index))
    qtbot.waitUntil(QToolTip.isVisible, timeout=2000)
    text = QToolTip.text()
    point = point_at(wb, measure.id, chart.periods[index])
    assert f"w/c {chart.periods[index].day}" in text
    assert f"{point.numerator:g} of {point.denominator:g}" in text
    assert chart.comments[index] in text
    assert screen.chart.hovered == index


def test_hover_names_the_rules_that_flagged_the_point(qtbot, wb):
    screen = open_measure(qtbot, wb, measure_named(wb, ARRIVAL).id)
    index = _flagged_index(screen.current_chart)
    qtbot.mouseMove(screen.chart.viewport(), screen.chart.point_position(index))
    qtbot.waitUntil(QToolTip.isVisible, timeout=2000)
    assert "Improvement" in QToolTip.text() and "Flagged by:" in QToolTip.text()


def _click_point_then(qtbot, screen, index: int, key: str, fill=None) -> None:
    """Click a point, pick a menu entry by its mnemonic, and fill the dialog it opens."""
    def in_dialog():
        dialog = QApplication.activeModalWidget()
        assert isinstance(dialog, NoteDialog)
        if fill is not None:
            fill(dialog)
        qtbot.keyClick(dialog.text, Qt.Key.Key_Return)

    qtbot.mouseClick(screen.chart.viewport(), Qt.MouseButton.LeftButton,
                     pos=screen.chart.point_position(index))
    qtbot.waitUntil(lambda: QApplication.activePopupWidget() is not None, timeout=2000)
    menu = QApplication.activePopupWidget()
    assert isinstance(menu, QMenu)
    if fill is not None:
        QTimer.singleShot(100, in_dialog)
    qtbot.keyClick(menu, key)


def test_excluding_a_point_from_the_chart_and_including_it_again(qtbot, wb):
    measure = measure_named(wb, ARRIVAL)
    screen = open_measure(qtbot, wb, measure.id)
    period = screen.current_chart.periods[10]

    def reason(dialog):
        qtbot.keyClicks(dialog.text, "Agency staff: times not recorded")

    _click_point_then(qtbot, screen, 10, "e", reason)
    point = point_at(wb, measure.id, period)
    assert point.excluded and point.exclusion_reason == "Agency staff: times not recorded"
    assert screen.current_chart.classes.classes[10] == "excluded"
    assert screen.chart.point_counts["excluded"] == 1
    _click_point_then(qtbot, screen, 10, "i")  # Include again: no dialog
    assert not point_at(wb, measure.id, period).excluded
    screen.undo_stack.undo()
    assert point_at(wb, measure.id, period).excluded
    screen.undo_stack.undo()
    assert not point_at(wb, measure.id, period).excluded


def test_commenting_on_a_point_saves_the_comment(qtbot, wb):
    measure = measure_named(wb, ARRIVAL)
    screen = open_measure(qtbot, wb, measure.id)
    period = screen.current_chart.periods[3]
    _click_point_then(qtbot, screen, 3, "c",
                      lambda d: qtbot.keyClicks(d.text, "Two bank nurses on shift"))
    assert point_at(wb, measure.id, period).comment == "Two bank nurses on shift"
    assert screen.current_chart.comments[3] == "Two bank nurses on shift"


def test_annotating_a_point_draws_a_labelled_marker(qtbot, wb):
    measure = measure_named(wb, "Call bell response time")
    screen = open_measure(qtbot, wb, measure.id)
    period = screen.current_chart.periods[20]

    def note(dialog):
        dialog.kind.setCurrentIndex(2)  # External event
        qtbot.keyClicks(dialog.text, "Fire alarm test all afternoon")

    _click_point_then(qtbot, screen, 20, "a", note)
    notes = [a for a in measures.list_annotations(wb, measure.id) if a.on_date == period]
    assert [(a.kind.value, a.text) for a in notes] == [("external_event", "Fire alarm test all afternoon")]
    labels = [label.toPlainText() for label in screen.chart.drawing.lanes.labels]
    assert "E Fire alarm test all afterno…" in labels
    screen.undo_stack.undo()
    assert not [a for a in measures.list_annotations(wb, measure.id) if a.on_date == period]


def test_starting_a_new_phase_at_a_point_splits_the_limits(qtbot, wb):
    measure = measure_named(wb, "Call bell response time")
    screen = open_measure(qtbot, wb, measure.id)
    assert screen.current_chart.phase_starts == []
    period = screen.current_chart.periods[60]
    _click_point_then(qtbot, screen, 60, "p",
                      lambda d: qtbot.keyClicks(d.text, "Bay nursing on all bays"))
    assert [(p.start_date, p.reason) for p in measures.list_phases(wb, measure.id)] == [
        (period, "Bay nursing on all bays")]
    assert screen.current_chart.phase_starts == [60]
    assert screen.undo_stack.undoText() == f"new phase from {period.day} {period:%b %Y}"
    # A phase whose runs analysis signals draws its centre line apart (dashed orange).
    drawing = screen.chart.drawing
    centre = np.concatenate([drawing.centre.yData, drawing.centre_signal.yData])
    assert len(set(centre[np.isfinite(centre)].round(6))) == 2  # two centre lines
    screen.undo_stack.undo()
    assert measures.list_phases(wb, measure.id) == []


def test_an_empty_exclusion_reason_is_refused_with_the_service_message(qtbot, wb, monkeypatch):
    measure = measure_named(wb, ARRIVAL)
    screen = open_measure(qtbot, wb, measure.id)
    shown = []
    monkeypatch.setattr("qidesk.ui.charts.point_menu.QMessageBox.warning",
                        lambda parent, title, text: shown.append(text))
    _click_point_then(qtbot, screen, 5, "e", lambda d: None)
    assert shown == ["Say why this point is left out of the calculations."]
    assert not data_points.list_data_points(wb, measure.id)[5].excluded
    assert screen.undo_stack.count() == 0


def test_the_point_menu_opens_from_the_table_by_keyboard(qtbot, wb):
    measure = measure_named(wb, ARRIVAL)
    screen = open_measure(qtbot, wb, measure.id)
    panel = screen.chart_panel
    qtbot.mouseClick(panel.header.table, Qt.MouseButton.LeftButton)
    panel.table.setFocus()
    panel.table.setCurrentIndex(panel.table_model.index(7, 0))
    # What Qt's window delivers for the Menu key or Shift+F10 (QTest cannot send it offscreen).
    centre = panel.table.visualRect(panel.table.currentIndex()).center()
    QApplication.sendEvent(panel.table.viewport(),
                           QContextMenuEvent(QContextMenuEvent.Reason.Keyboard, centre,
                                             panel.table.viewport().mapToGlobal(centre)))
    qtbot.waitUntil(lambda: QApplication.activePopupWidget() is not None, timeout=2000)
    menu = QApplication.activePopupWidget()
    assert [a.text() for a in menu.actions()] == [
        "&Comment…", "&Exclude from calculations…", "&Annotate…", "Start a new &phase here…",
        "Freeze the &baseline up to here"]
    menu.close()


def test_freezing_the_baseline_at_a_point_shades_it_and_undo_unfreezes(qtbot, wb):
    measure = measure_named(wb, "Call bell response time")
    screen = open_measure(qtbot, wb, measure.id)
    assert not screen.chart.drawing.baseline.isVisible()
    _click_point_then(qtbot, screen, 19, "b")
    assert measures.get_measure(wb, measure.id).baseline_points == 20
    assert screen.chart.drawing.baseline.isVisible() and screen.chart.drawing.baseline_points == 20
    screen.undo_stack.undo()
    assert measures.get_measure(wb, measure.id).baseline_points is None
    assert not screen.chart.drawing.baseline.isVisible()


def test_a_note_that_looks_like_patient_data_is_saved_only_after_confirming(qtbot, wb, monkeypatch):
    measure = measure_named(wb, "Call bell response time")
    screen = open_measure(qtbot, wb, measure.id)
    asked = []
    answers = iter([False, True])
    monkeypatch.setattr("qidesk.ui.charts.point_menu.confirm_pid",
                        lambda parent, warnings: asked.append(warnings) or next(answers))

    def comment(dialog):
        qtbot.keyClicks(dialog.text, "Call from 943 476 5919's daughter")

    period = screen.current_chart.periods[4]
    _click_point_then(qtbot, screen, 4, "c", comment)  # Cancel: nothing saved
    assert len(asked) == 1 and point_at(wb, measure.id, period).comment == ""
    _click_point_then(qtbot, screen, 4, "c", comment)  # Save anyway
    assert point_at(wb, measure.id, period).comment == "Call from 943 476 5919's daughter"
    assert screen.undo_stack.count() == 1
