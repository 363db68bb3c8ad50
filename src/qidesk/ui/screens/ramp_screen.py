"""A change idea's ramp: its PDSA cycles in sequence, each with its scale and Act decision."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from qidesk.domain.entities import DriverNode
from qidesk.domain.enums import ChangeIdeaStatus, PdsaDecision
from qidesk.domain.errors import ValidationError
from qidesk.services import pdsa, records
from qidesk.services.workbook import Workbook
from qidesk.storage.errors import StorageError
from qidesk.ui import undo
from qidesk.ui.widgets.pdsa_commands import NewCycleCommand
from qidesk.ui.widgets.pdsa_ramp_model import RampColumn, RampTableModel

STATUS_SENTENCES = {
    ChangeIdeaStatus.UNTESTED: "Not tested yet: plan a first, small cycle.",
    ChangeIdeaStatus.TESTING: "Being tested: each cycle builds on the one before.",
    ChangeIdeaStatus.ADOPTED: "Adopted: this is now how the ward works.",
    ChangeIdeaStatus.ABANDONED: "Abandoned: the ramp is closed.",
}


class RampScreen(QWidget):
    """Shown for the navigator's "change_idea" rows; opens a cycle or starts the next one."""

    open_requested = Signal(str, int)
    records_changed = Signal()

    def __init__(self, wb: Workbook, undo_stack: QUndoStack, parent: QWidget | None = None):
        super().__init__(parent)
        self.wb = wb
        self.undo_stack = undo_stack
        self.idea: DriverNode | None = None
        self.heading = QLabel()
        self.heading.setObjectName("screenHeading")
        self.heading.setWordWrap(True)
        self.subheading = QLabel()
        self.subheading.setWordWrap(True)
        self.closed_note = QLabel()
        self.closed_note.setObjectName("note")
        self.closed_note.setWordWrap(True)
        self.model = RampTableModel(self)
        self.table = QTableView()
        self.table.setAccessibleName("PDSA cycles of this change idea")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setWordWrap(True)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        for column in (RampColumn.TITLE, RampColumn.SCALE, RampColumn.DECISION):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Stretch)
        self.new_button = QPushButton("&New cycle")
        self.new_button.setToolTip("Plan the next PDSA cycle of this change idea")
        self.open_button = QPushButton("&Open cycle")
        self.open_button.setToolTip("Open the chosen cycle's worksheet (or double-click it)")
        self.how = QLabel("Each cycle's Act tab decides what happens next: Adapt or Adopt "
                          "starts the next cycle with the plan carried over; Abandon closes "
                          "the ramp with the reason.")
        self.how.setWordWrap(True)
        self.problem = QLabel()
        self.problem.setStyleSheet("color: #d5281b;")
        self.problem.setWordWrap(True)
        buttons = QHBoxLayout()
        buttons.addWidget(self.problem, 1)
        buttons.addWidget(self.open_button)
        buttons.addWidget(self.new_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 8, 12, 8)
        layout.addWidget(self.heading)
        layout.addWidget(self.subheading)
        layout.addWidget(self.closed_note)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.how)
        layout.addLayout(buttons)
        self._connect_signals()

    def _connect_signals(self) -> None:
        # Enter or a double-click (the platform's "activate") opens the cycle.
        self.table.activated.connect(self._on_table_activated)
        self.open_button.clicked.connect(self._on_open_button_clicked)
        self.new_button.clicked.connect(self._on_new_button_clicked)
        self.undo_stack.indexChanged.connect(self._on_undo_stack_index_changed)

    def show_record(self, _kind: str, idea: DriverNode) -> None:
        self.show_idea(idea.id)

    def show_idea(self, idea_id: int) -> None:
        self.idea = records.get(self.wb, DriverNode, idea_id)
        cycles = pdsa.list_cycles(self.wb, idea_id)
        self.model.set_cycles(cycles)
        self.table.resizeRowsToContents()
        self.heading.setText(self.idea.text)
        count = f"{len(cycles)} PDSA cycle{'s' if len(cycles) != 1 else ''}"
        self.subheading.setText(f"Change idea · {count} · "
                                f"{STATUS_SENTENCES[self.idea.status or ChangeIdeaStatus.UNTESTED]}")
        last = next((c for c in reversed(cycles) if c.decision == PdsaDecision.ABANDON), None)
        closed = self.idea.status == ChangeIdeaStatus.ABANDONED
        self.closed_note.setVisible(closed)
        if closed:
            why = f": {last.next_step}" if last is not None and last.next_step else "."
            after = f" after cycle {last.cycle_number}" if last is not None else ""
            self.closed_note.setText(f"Ramp closed{after}{why}")
        self.new_button.setVisible(not self.wb.read_only)
        self.new_button.setEnabled(not closed)
        self.new_button.setToolTip("This idea was abandoned: its ramp is closed." if closed else
                                   "Plan the next PDSA cycle of this change idea")
        self.open_button.setEnabled(bool(cycles))
        self.problem.clear()
        if cycles:
            self.table.selectRow(len(cycles) - 1)

    def new_cycle(self) -> int | None:
        """Start the next cycle (undoable) and open it; None when it cannot be."""
        if self.idea is None or self.wb.read_only:
            return None
        try:
            command = NewCycleCommand(self.wb, self.idea.id, planned_start=date.today())
            undo.push(self.undo_stack, command)
        except (ValidationError, StorageError) as exc:
            self.problem.setText(exc.message)
            return None
        self.records_changed.emit()
        self.open_requested.emit("pdsa_cycle", command.cycle_id)
        return command.cycle_id

    def _on_new_button_clicked(self) -> None:
        self.new_cycle()

    def _on_open_button_clicked(self) -> None:
        index = self.table.currentIndex()
        if index.isValid():
            self._on_table_activated(index)

    def _on_table_activated(self, index) -> None:
        cycle = index.data(Qt.ItemDataRole.UserRole)
        if cycle is not None:
            self.open_requested.emit("pdsa_cycle", cycle.id)

    def _on_undo_stack_index_changed(self, _index: int) -> None:
        if self.idea is None or self.wb.store.engine is None or not self.isVisible():
            return
        try:
            self.show_idea(self.idea.id)
        except ValidationError:
            self.idea = None
            self.model.set_cycles([])
            self.heading.setText("This change idea has been deleted")
