"""The review board as a matron uses it: tiles of every measure, filters and sorting,
news since her last review, signing off through the dialog, and review mode."""

from __future__ import annotations

import shutil
import time
from datetime import timedelta

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication

from qidesk.domain.entities import DataPoint
from qidesk.domain.enums import ReviewSubject
from qidesk.reports.mdc_icons import icon_text
from qidesk.services import data_points, history, reviews, series
from qidesk.services.charts import measure_chart
from qidesk.storage.lease import lease_path
from qidesk.ui.dialogs.sign_off_dialog import SignOffDialog
from qidesk.ui.models.board_model import BoardRole
from qidesk.ui.screens.review_board import ChartView
from shared_pc_helpers import make_window


def _signed_in(qtbot, demo_copy, name="Lisa Duffy"):
    window, controller = make_window(qtbot)
    controller.open(demo_copy)
    dialog = controller.session.dialog
    qtbot.keyClicks(dialog.new_name, name)
    qtbot.keyClick(dialog.new_name, Qt.Key.Key_Return)
    return window, controller


def _review(controller):
    return next(g for g in controller.action_groups if type(g).__name__ == "ReviewActions")


def _open_board(qtbot, window, controller):
    qtbot.keyClick(window, Qt.Key.Key_B, Qt.KeyboardModifier.ControlModifier)
    board = _review(controller).board
    qtbot.addWidget(board)
    qtbot.waitExposed(board)
    return board


def _choose(qtbot, combo, text):
    """Pick a combo entry by keyboard, as a user would (focus, Home, then Down)."""
    combo.setFocus()
    qtbot.keyClick(combo, Qt.Key.Key_Home)
    for _ in range(combo.count()):
        if combo.currentText() == text:
            return
        qtbot.keyClick(combo, Qt.Key.Key_Down)
    raise AssertionError(f"{text!r} not offered: {[combo.itemText(i) for i in range(combo.count())]}")


def test_every_demo_tile_shows_the_live_charts_icons(qtbot, demo_copy):
    window, controller = _signed_in(qtbot, demo_copy)
    board = _open_board(qtbot, window, controller)
    assert board.proxy.rowCount() == 14
    assert "Showing 14 of 14 measures" in board.count.text()
    for row in range(board.proxy.rowCount()):
        index = board.proxy.index(row, 0)
        tile = index.data(BoardRole.TILE)
        live = measure_chart(controller.wb, tile.measure.id)
        assert (tile.chart.variation, tile.chart.assurance) == (live.variation, live.assurance)
        words = index.data(Qt.ItemDataRole.ToolTipRole)
        for name in (live.variation, live.assurance):
            if name:
                assert icon_text(name) in words
    qtbot.waitUntil(lambda: len(board.delegate.painted) > 0)  # tiles in sight are drawn
    assert board.delegate.cache  # with their small charts
    controller.close()


def test_filters_and_sorting_change_the_tiles_shown(qtbot, demo_copy):
    window, controller = _signed_in(qtbot, demo_copy)
    board = _open_board(qtbot, window, controller)
    _choose(qtbot, board.kind, "Balancing")
    shown = board.visible_tiles()
    assert shown and {t.measure.kind.value for t in shown} == {"balancing"}
    assert f"Showing {len(shown)} of 14" in board.count.text()
    _choose(qtbot, board.kind, "All kinds")
    _choose(qtbot, board.signal, "Special cause: improvement")
    shown = board.visible_tiles()
    assert shown and all(t.chart.variation.startswith("improvement") for t in shown)
    _choose(qtbot, board.signal, "Any signal")
    first_project = board.project.itemText(1)
    _choose(qtbot, board.project, first_project)
    assert {t.project_title for t in board.visible_tiles()} == {first_project}
    _choose(qtbot, board.project, "All projects")
    _choose(qtbot, board.sort, "Measure name")
    names = [t.measure.name for t in board.visible_tiles()]
    assert names == sorted(names, key=str.casefold) and len(names) == 14
    _choose(qtbot, board.sort, "Signal status (concerns first)")
    signals = [t.signal for t in board.visible_tiles()]
    assert signals.index("improvement") < signals.index("common_cause")
    controller.close()


def _sign_off_by_dialog(qtbot, button, comment):
    seen = {}

    def fill_in():
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, SignOffDialog):
            QTimer.singleShot(50, fill_in)
            return
        seen["heading"] = dialog.findChildren(type(dialog.details))[0].text()
        qtbot.keyClicks(dialog.comment, comment)
        qtbot.mouseClick(dialog.sign_button, Qt.MouseButton.LeftButton)

    QTimer.singleShot(50, fill_in)
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    return seen


def test_sign_off_through_the_dialog_is_recorded_audited_shown_and_news_highlighted(
        qtbot, demo_copy):
    window, controller = _signed_in(qtbot, demo_copy)
    board = _open_board(qtbot, window, controller)
    _choose(qtbot, board.sort, "Measure name")
    board.tiles.setCurrentIndex(board.proxy.index(0, 0))
    tile = board.current_tile()[1]
    seen = _sign_off_by_dialog(qtbot, board.sign_measure, "Seen at the safety huddle.")
    assert tile.measure.name in seen["heading"]
    signed = reviews.list_reviews(controller.wb, ReviewSubject.MEASURE, tile.measure.id)
    assert (signed[0].reviewer, signed[0].comment) == ("Lisa Duffy", "Seen at the safety huddle.")
    event = history.audit_trail(controller.wb, "review", limit=1)[0]
    assert event.staff_name == "Lisa Duffy" and event.record_id == signed[0].id
    new_tile = board.current_tile()[1]  # the board re-read itself
    assert new_tile.measure.id == tile.measure.id and new_tile.since.reviewed_at is not None
    assert not new_tile.since.anything
    # The measure's own chart shows the sign-off in its history line.
    controller.screen.show_item("measure", tile.measure.id)
    about = controller.screen.measure_screen.chart_panel.about.text()
    assert "Last signed off" in about and "Seen at the safety huddle." in about
    # A ward nurse adds two weeks of figures after the review: the tile says so.
    time.sleep(0.01)
    last = series.load_series(controller.wb, [tile.measure.id])[tile.measure.id].periods[-1]
    step = timedelta(days=7) if tile.measure.frequency.value == "week" else None
    assert step is not None, "the first demo measure by name is weekly"
    for k in (1, 2):
        value = {"value": 50} if not tile.measure.value_type.has_denominator else {
            "numerator": 9, "denominator": 10}
        data_points.record_data_point(controller.wb, DataPoint(
            measure_id=tile.measure.id, period=last + k * step, **value))
    board.reload()
    _choose(qtbot, board.signal, "New since my review")
    shown = board.visible_tiles()
    assert [t.measure.id for t in shown] == [tile.measure.id]
    assert shown[0].since.new_points == 2
    assert "Since then: 2 points" in board.proxy.index(0, 0).data(Qt.ItemDataRole.ToolTipRole)
    # Undo withdraws the sign-off.
    window.undo_action.trigger()
    assert reviews.list_reviews(controller.wb, ReviewSubject.MEASURE, tile.measure.id) == []
    controller.close()


def test_review_mode_opens_two_workbooks_read_only_without_leases(qtbot, demo_copy, tmp_path):
    window, controller = _signed_in(qtbot, demo_copy)
    ward9, ward10 = tmp_path / "Ward 9.qidesk", tmp_path / "Ward 10.qidesk"
    shutil.copy2(demo_copy, ward9)
    shutil.copy2(demo_copy, ward10)
    assert lease_path(demo_copy).exists()  # the main window's own workbook holds one
    board = _review(controller).open_review([ward9, ward10])
    qtbot.addWidget(board)
    assert not lease_path(ward9).exists() and not lease_path(ward10).exists()
    assert board.model.rowCount() == 28 and board.model.show_labels
    teams = [board.team.itemText(i) for i in range(board.team.count())]
    assert any(t.startswith("Ward 9 · ") for t in teams) and any(t.startswith("Ward 10 · ")
                                                                  for t in teams)
    board.tiles.setCurrentIndex(board.proxy.index(0, 0))
    assert not board.sign_measure.isEnabled() and "read-only" in board.sign_measure.toolTip()
    qtbot.keyClick(board.tiles, Qt.Key.Key_Return)  # open the full chart, read-only
    view = _review(controller).chart_views[-1]
    qtbot.addWidget(view)
    assert isinstance(view, ChartView) and view.screen.current_chart is not None
    assert view.screen.wb.read_only
    _review(controller)._close_board()
    assert not lease_path(ward9).exists() and not lease_path(ward10).exists()
    controller.close()


def test_opening_a_tile_of_the_open_workbook_selects_it_in_the_navigator(qtbot, demo_copy):
    window, controller = _signed_in(qtbot, demo_copy)
    board = _open_board(qtbot, window, controller)
    index = board.proxy.index(5, 0)
    board.tiles.setCurrentIndex(index)
    qtbot.keyClick(board.tiles, Qt.Key.Key_Return)
    assert controller.screen.current_item() == ("measure", index.data(BoardRole.TILE).measure.id)
    controller.close()


def test_figures_typed_in_the_main_window_reach_the_board_when_the_reviewer_returns(
        qtbot, demo_copy):
    from qidesk.ui import undo

    window, controller = _signed_in(qtbot, demo_copy)
    board = _open_board(qtbot, window, controller)
    tile = next(t for t in (board.proxy.index(r, 0).data(BoardRole.TILE)
                            for r in range(board.proxy.rowCount()))
                if t.measure.frequency.value == "week" and t.measure.value_type.value == "count")
    day = tile.latest_period + timedelta(days=7)
    undo.push(controller.screen.undo_stack, undo.RecordDataPointCommand(
        controller.wb, DataPoint(measure_id=tile.measure.id, period=day, value=42), "test"))
    window.activateWindow()
    board.activateWindow()
    qtbot.waitUntil(lambda: _tile_of(board, tile.measure.id).latest_period == day)
    assert _tile_of(board, tile.measure.id).latest_value == 42
    controller.close()


def _tile_of(board, measure_id):
    for row in range(board.proxy.rowCount()):
        tile = board.proxy.index(row, 0).data(BoardRole.TILE)
        if tile.measure.id == measure_id:
            return tile
    raise AssertionError(f"no tile for measure {measure_id}")
