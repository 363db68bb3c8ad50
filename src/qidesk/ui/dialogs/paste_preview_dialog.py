"""Before a paste is written: each pasted row, what it would do, and what is wrong with it."""

from __future__ import annotations

from enum import IntEnum

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from qidesk.domain.enums import Frequency
from qidesk.domain.periods import format_date, format_period
from qidesk.services.data_entry import PasteLine, PastePlan

Index = QModelIndex | QPersistentModelIndex
ACTION_WORDS = {"new": "New", "replaced": "Replaces", "unchanged": "Unchanged (skipped)",
                "problem": "Not written"}
PROBLEM_TINT = QColor("#fbe3e1")
REPLACE_TINT = QColor("#fff4d6")  # warm yellow: an existing figure will change


class PreviewColumn(IntEnum):
    ROW = 0
    PERIOD = 1
    ACTION = 2
    BEFORE = 3
    AFTER = 4
    PROBLEM = 5


HEADINGS = {PreviewColumn.ROW: "Row", PreviewColumn.PERIOD: "Period",
            PreviewColumn.ACTION: "What happens", PreviewColumn.BEFORE: "Now",
            PreviewColumn.AFTER: "Pasted", PreviewColumn.PROBLEM: "Problem"}


class PastePreviewModel(QAbstractTableModel):
    """The lines of a PastePlan, read-only; UserRole returns the PasteLine."""

    def __init__(self, plan: PastePlan, parent=None):
        super().__init__(parent)
        self.plan = plan

    def rowCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.plan.lines)

    def columnCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(PreviewColumn)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole):
        if (role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal
                and 0 <= section < len(PreviewColumn)):
            return HEADINGS[PreviewColumn(section)]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or index.row() >= len(self.plan.lines):
            return None
        line = self.plan.lines[index.row()]
        column = PreviewColumn(index.column())
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(line, column)
        if role == Qt.ItemDataRole.ToolTipRole and column == PreviewColumn.PROBLEM:
            return line.message or None
        if role == Qt.ItemDataRole.BackgroundRole:
            tint = {"problem": PROBLEM_TINT, "replaced": REPLACE_TINT}.get(line.action)
            return QBrush(tint) if tint else None
        if role == Qt.ItemDataRole.UserRole:
            return line
        return None

    def _text(self, line: PasteLine, column: PreviewColumn) -> str:
        if column == PreviewColumn.ROW:
            return str(line.row_number)
        if column == PreviewColumn.PERIOD:
            if line.period is None:
                return ""
            frequency = self.plan.measure.frequency
            return (format_date(line.period) if frequency == Frequency.EVENT
                    else format_period(line.period, frequency))
        return {PreviewColumn.ACTION: ACTION_WORDS[line.action], PreviewColumn.BEFORE: line.before,
                PreviewColumn.AFTER: line.after, PreviewColumn.PROBLEM: line.message}[column]


def summary(plan: PastePlan) -> str:
    parts = [f"{plan.count('new')} new", f"{plan.count('replaced')} replaced",
             f"{plan.count('unchanged')} unchanged"]
    text = "Pasting writes " + ", ".join(parts) + " period figures."
    problems = plan.count("problem")
    if problems:
        text += (f" {problems} row{'s have' if problems != 1 else ' has'} problems and "
                 "will not be written: fix them in Excel and paste again, or write the rest.")
    return text


class PastePreviewDialog(QDialog):
    """Shows a PastePlan; Accepted means 'write the new and replaced periods'."""

    def __init__(self, plan: PastePlan, parent: QWidget | None = None):
        super().__init__(parent)
        self.plan = plan
        self.setWindowTitle(f"Paste into {plan.measure.name}")
        self.summary = QLabel(summary(plan))
        self.summary.setWordWrap(True)
        self.summary.setAccessibleName("What the paste will do")
        self.model = PastePreviewModel(plan, self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setAccessibleName("Pasted rows")
        self.table.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        count = len(plan.points)
        self.write_button = self.buttons.addButton(
            f"&Write {count} period{'s' if count != 1 else ''}",
            QDialogButtonBox.ButtonRole.AcceptRole)
        self.write_button.setAccessibleName("Write the pasted figures")
        self.write_button.setEnabled(count > 0)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.buttons)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        # Enter writes; set once the button is inside the dialog, or Qt ignores it.
        self.write_button.setDefault(count > 0)
        self.table.setFocus()
        self.resize(760, 420)
