"""Driving the data-entry grid by keyboard, as a ward nurse would."""

from __future__ import annotations

from datetime import date, timedelta

from PySide6.QtCore import Qt
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import QAbstractItemView

from qidesk.domain.entities import Measure
from qidesk.domain.enums import Frequency, ImprovementDirection, MeasureKind, ValueType
from qidesk.services import data_points, measures
from qidesk.ui.screens.measure_screen import MeasureScreen


def new_measure(wb, project_id, **fields) -> int:
    base = {"project_id": project_id, "name": "Minutes to first observations",
            "kind": MeasureKind.PROCESS, "value_type": ValueType.CONTINUOUS,
            "frequency": Frequency.WEEK, "improvement_direction": ImprovementDirection.DOWN}
    return measures.add_measure(wb, Measure(**{**base, **fields})).id


def open_screen(qtbot, wb, measure_id, stack=None) -> MeasureScreen:
    screen = MeasureScreen(wb, stack or QUndoStack())
    qtbot.addWidget(screen)
    screen.resize(1280, 700)
    screen.show()
    screen.show_measure(measure_id)
    screen.grid.setFocus()
    return screen


def type_cell(qtbot, view, text: str, key=Qt.Key.Key_Return) -> None:
    """Type into the current cell (the first key opens the editor) and press `key`."""
    qtbot.keyClick(view, text[0])
    editor = view.indexWidget(view.currentIndex())
    assert editor is not None, "typing did not open an editor"
    qtbot.keyClicks(editor, text[1:])
    start = view.currentIndex()
    qtbot.keyClick(editor, key)
    if key == Qt.Key.Key_Tab:  # commits and opens the next cell's editor
        qtbot.waitUntil(lambda: view.currentIndex() != start, timeout=3000)
    else:  # Enter commits once the event loop runs (Qt queues it)
        qtbot.waitUntil(lambda: view.state() != QAbstractItemView.State.EditingState,
                        timeout=3000)


def weeks_ago(n: int) -> date:
    today = date.today()
    return today - timedelta(days=today.weekday() + 7 * n)


def stored(wb, measure_id):
    return {p.period: p for p in data_points.list_data_points(wb, measure_id)}
