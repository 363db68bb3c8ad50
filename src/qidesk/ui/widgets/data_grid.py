"""The data-entry grid: type a figure and press Enter to save it and move down.

Keyboard first: typing starts editing, Enter saves and moves to the next period, Tab
moves across, Delete clears, Ctrl+V pastes a block copied from Excel (after a preview),
Ctrl+C copies the selected cells. The service's message for a refused entry shows
under the grid and on the tinted cell, which keeps what was typed.
"""

from __future__ import annotations

from PySide6.QtCore import QItemSelectionModel, Qt, Signal
from PySide6.QtGui import QGuiApplication, QKeySequence, QUndoStack
from PySide6.QtWidgets import (
    QAbstractItemDelegate,
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from qidesk.domain.enums import Frequency
from qidesk.domain.errors import ValidationError
from qidesk.domain.rules import PidConfirmationRequired
from qidesk.services.data_entry import PastePlan, plan_paste
from qidesk.services.data_points import list_data_points
from qidesk.services.workbook import Workbook
from qidesk.storage.errors import StorageError
from qidesk.ui import undo
from qidesk.ui.dialogs.paste_preview_dialog import PastePreviewDialog
from qidesk.ui.models.data_point_table_model import Column, DataPointTableModel
from qidesk.ui.models.grid_rows import NEW_EVENT
from qidesk.ui.widgets.pid_prompt import confirm_pid

_Hint = QAbstractItemDelegate.EndEditHint


class DataGridView(QTableView):
    """A table that moves down on Enter and clears on Delete, like a spreadsheet."""

    paste_requested = Signal()

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setEditTriggers(QAbstractItemView.EditTrigger.AnyKeyPressed
                             | QAbstractItemView.EditTrigger.DoubleClicked
                             | QAbstractItemView.EditTrigger.EditKeyPressed)
        self.setSelectionMode(QAbstractItemView.SelectionMode.ContiguousSelection)
        self.setAlternatingRowColors(True)
        self.setTabKeyNavigation(True)
        self.setWordWrap(False)
        self.verticalHeader().setDefaultSectionSize(26)
        self.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.verticalHeader().hide()  # the period is the row's name; the width goes to figures
        self._current: tuple | None = None
        self._was_reset = False

    def setModel(self, model) -> None:
        super().setModel(model)
        model.modelAboutToBeReset.connect(self._on_model_about_to_be_reset)
        model.modelReset.connect(self._on_model_reset)

    def keyPressEvent(self, event) -> None:
        if self.state() != QAbstractItemView.State.EditingState:
            if event.matches(QKeySequence.StandardKey.Paste):
                self.paste_requested.emit()
                return
            if event.matches(QKeySequence.StandardKey.Copy):
                self.copy_selection()
                return
            if event.key() in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace):
                self.clear_selection()
                return
            if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                self.move_down()
                return
        super().keyPressEvent(event)

    def commitData(self, editor) -> None:
        self._was_reset = False
        super().commitData(editor)

    def closeEditor(self, editor, hint) -> None:
        row = self.currentIndex().row()
        super().closeEditor(editor, hint)
        if self._was_reset:
            return  # the rows were rebuilt: the current cell was placed on purpose
        if hint == _Hint.SubmitModelCache and self.model().error_at(row) is None:
            self.move_down()

    def move_down(self) -> None:
        current = self.currentIndex()
        if not current.isValid():
            return
        model = self.model()
        if model.measure.frequency == Frequency.EVENT and current.row() == model.rowCount() - 1:
            return  # the new-event row: it stays ready for the next event
        below = model.index(min(current.row() + 1, model.rowCount() - 1), current.column())
        self.setCurrentIndex(below)
        self.scrollTo(below)

    def clear_selection(self) -> None:
        model = self.model()
        indexes = self.selectionModel().selectedIndexes() or [self.currentIndex()]
        for index in sorted(indexes, key=lambda i: (i.row(), i.column())):
            if index.isValid() and model.flags(index) & (Qt.ItemFlag.ItemIsEditable
                                                         | Qt.ItemFlag.ItemIsUserCheckable):
                model.clear(model.index(index.row(), index.column()))

    def copy_selection(self) -> None:
        """Selected cells as tab-separated lines, which Excel pastes as a block."""
        indexes = self.selectionModel().selectedIndexes()
        if not indexes:
            return
        rows = sorted({i.row() for i in indexes})
        columns = sorted({i.column() for i in indexes})
        lines = ["\t".join(self.model().index(r, c).data() or "" for c in columns) for r in rows]
        QGuiApplication.clipboard().setText("\n".join(lines))

    def _on_model_about_to_be_reset(self) -> None:
        index = self.currentIndex()
        model = self.model()
        if index.isValid() and index.row() < len(model.rows):
            self._current = (model.rows[index.row()].key, index.column())

    def _on_model_reset(self) -> None:
        model = self.model()
        if not model.rows:
            return
        self._was_reset = True
        key, column = self._current or (None, 1)
        rows = [r.key for r in model.rows]
        row = rows.index(key) if key in rows else 0
        column = min(column, model.columnCount() - 1)
        self.selectionModel().setCurrentIndex(
            model.index(row, column), QItemSelectionModel.SelectionFlag.ClearAndSelect)
        self._current = None


class DataGrid(QWidget):
    """A measure's figures, typed or pasted; every accepted edit is one undo step."""

    def __init__(self, wb: Workbook, undo_stack: QUndoStack, parent: QWidget | None = None):
        super().__init__(parent)
        self.wb = wb
        self.undo_stack = undo_stack
        self.model = DataPointTableModel(wb, undo_stack, self)
        self.model.confirm_pid = self._confirm_pid
        self.view = DataGridView()
        self.view.setModel(self.model)
        self.view.setAccessibleName("Data entry grid")
        self.view.setToolTip("Type a figure and press Enter; Tab moves across; Delete clears; "
                             "Ctrl+V pastes from Excel")
        self.read_only_note = QLabel()
        self.read_only_note.setObjectName("banner")
        self.read_only_note.setWordWrap(True)
        self.read_only_note.setAccessibleName("Why the figures cannot be changed")
        self.paste_button = QPushButton("&Paste from Excel…")
        self.paste_button.setAccessibleName("Paste figures copied from Excel")
        self.paste_button.setToolTip("Copy the cells in Excel (dates and figures, or just the "
                                     "figures), then paste them here: you see a preview first")
        self.message = QLabel()
        self.message.setObjectName("fieldError")
        self.message.setStyleSheet("color: #d5281b;")
        self.message.setWordWrap(True)
        self.message.setAccessibleName("Data entry message")
        self.message.hide()
        bar = QHBoxLayout()
        title = QLabel("Data")
        title.setObjectName("sectionHeading")
        bar.addWidget(title)
        bar.addStretch(1)
        bar.addWidget(self.paste_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(bar)
        layout.addWidget(self.read_only_note)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.message)
        self._connect_signals()
        self._show_read_only()

    def _connect_signals(self) -> None:
        self.model.error_changed.connect(self._on_model_error_changed)
        self.model.modelReset.connect(self._on_model_reset)
        self.model.start_chosen.connect(self._on_model_start_chosen)
        self.view.paste_requested.connect(self.paste_from_clipboard)
        self.paste_button.clicked.connect(self.paste_from_clipboard)
        undo.reporter.failed.connect(self._on_model_error_changed)

    def _show_read_only(self) -> None:
        read_only = self.wb.read_only
        self.read_only_note.setVisible(read_only)
        self.paste_button.setEnabled(not read_only)
        if read_only:
            # The banner above the screen gives the whole reason; a second copy here only
            # crowds the grid, so the note stays short and the reason is its tooltip.
            why = self.wb.notice or "This workbook is open read-only."
            self.read_only_note.setText("Read-only: the figures can't be changed here "
                                        "(the notice at the top says why).")
            self.read_only_note.setToolTip(why)

    def show_measure(self, measure_id: int | None) -> None:
        self.message.hide()
        self.model.load(measure_id)
        self._select_ready_row()

    def reload(self) -> None:
        self.model.reload()

    def _on_model_reset(self) -> None:
        header = self.view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        # Width from the rows in sight and a few more, not from every row: a measure with
        # years of daily data still opens at once (labels of one column are alike).
        header.setResizeContentsPrecision(60)
        for column in range(self.model.columnCount()):
            self.view.resizeColumnToContents(column)
            # No column wider than a period label needs: the figures stay in sight.
            self.view.setColumnWidth(column, min(self.view.columnWidth(column), 150))
        if Column.COMMENT in self.model.columns:
            self.view.setColumnWidth(self.model.column_index(Column.COMMENT), 140)
        header.setStretchLastSection(True)

    def _on_model_start_chosen(self) -> None:
        self.view.setCurrentIndex(self.model.index(0, 1))

    def _select_ready_row(self) -> None:
        """The first period without a figure at the end: where this week's number goes."""
        rows = self.model.rows
        if not rows:
            return
        row = len(rows) - 1
        while row > 0 and rows[row - 1].point is None and rows[row].key != NEW_EVENT:
            row -= 1
        column = 0 if rows[row].key == NEW_EVENT else 1  # an event starts with its date
        index = self.model.index(row, column)
        self.view.horizontalScrollBar().setValue(0)  # the period column always in sight
        self.view.setCurrentIndex(index)
        self.view.scrollTo(index)

    def _on_model_error_changed(self, message: str) -> None:
        self.message.setText(message)
        self.message.setVisible(bool(message))

    def _confirm_pid(self, warnings: dict) -> bool:
        return confirm_pid(self, warnings)

    def paste_from_clipboard(self) -> None:
        """Preview a block copied from Excel; write it in one go when the user agrees."""
        if self.wb.read_only or self.model.measure is None:
            return
        measure = self.model.measure
        current = self.view.currentIndex()
        rows = self.model.rows
        first = rows[current.row()].period if current.isValid() and rows else None
        try:
            plan = plan_paste(measure, list_data_points(self.wb, measure.id),
                              QGuiApplication.clipboard().text(), first)
        except ValidationError as exc:
            self._on_model_error_changed(exc.message)
            return
        dialog = PastePreviewDialog(plan, self)
        if dialog.exec() == PastePreviewDialog.DialogCode.Accepted:
            self.write_plan(plan)

    def write_plan(self, plan: PastePlan) -> bool:
        """Write a previewed paste as one undo step; the message says what went wrong."""
        if not plan.points:
            return False
        command = undo.PasteDataPointsCommand(self.wb, self.model.measure.id, plan.points)
        try:
            try:
                undo.push(self.undo_stack, command)
            except PidConfirmationRequired as exc:
                if not self._confirm_pid(exc.warnings):
                    self._on_model_error_changed("Nothing was pasted: a comment may identify "
                                                 "a patient.")
                    return False
                command.confirm_pid = True
                undo.push(self.undo_stack, command)
        except (ValidationError, StorageError) as exc:
            self._on_model_error_changed(f"Nothing was pasted: {exc.message}")
            return False
        self._on_model_error_changed("")
        return True

