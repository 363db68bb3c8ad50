"""The workbook screen: the navigator on the left, the chosen measure on the right."""

from __future__ import annotations

import logging

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import QLabel, QSplitter, QTreeView, QVBoxLayout, QWidget

from qidesk.services.workbook import Workbook
from qidesk.ui.models.navigator_model import NavigatorModel, NavigatorRole
from qidesk.ui.screens.measure_screen import MeasureScreen

_log = logging.getLogger(__name__)


class WorkbookScreen(QWidget):
    """Browse an open workbook's teams, projects and measures and see each chart."""

    measure_shown = Signal(int)

    def __init__(self, wb: Workbook, *, rule_set: str = "anhoej", parent: QWidget | None = None):
        super().__init__(parent)
        self.wb = wb
        self.rule_set = rule_set
        self.banner = QLabel()
        self.banner.setObjectName("banner")
        self.banner.setWordWrap(True)
        self.banner.setAccessibleName("Read-only notice")
        self.banner.setVisible(bool(wb.read_only))
        self.banner.setText(f"Read-only: {wb.notice}" if wb.read_only and wb.notice else "Read-only.")
        self.model = NavigatorModel(self)
        self.navigator = QTreeView()
        self.navigator.setAccessibleName("Teams, projects and measures")
        self.navigator.setModel(self.model)
        self.navigator.setHeaderHidden(True)
        # One history per open workbook: Edit > Undo / Redo act on it.
        self.undo_stack = QUndoStack(self)
        self.measure_screen = MeasureScreen(wb, self.undo_stack, rule_set=rule_set)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(self.navigator)
        splitter.addWidget(self.measure_screen)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([300, 900])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.banner)
        layout.addWidget(splitter, 1)
        self._connect_signals()
        self.reload()

    def _connect_signals(self) -> None:
        self.navigator.selectionModel().currentChanged.connect(self._on_navigator_current_changed)

    def reload(self) -> None:
        self.model.load(self.wb)
        self.navigator.expandAll()
        first = self.model.first_measure_index()
        if first is not None:
            self.navigator.setCurrentIndex(first)

    def _on_navigator_current_changed(self, current, _previous) -> None:
        if current.data(NavigatorRole.KIND) != "measure":
            return
        measure = current.data(NavigatorRole.ENTITY)
        self.measure_screen.show_measure(measure.id)
        self.measure_shown.emit(measure.id)
