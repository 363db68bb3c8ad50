"""Phases and baseline of one measure: list, add and remove phases; freeze a baseline.

Every change is an undo command, so the chart behind the dialog redraws at once.
"""

from __future__ import annotations

from enum import IntEnum

from PySide6.QtCore import QAbstractTableModel, QDate, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from qidesk.domain.entities import Phase
from qidesk.domain.periods import format_date, period_start
from qidesk.services import measures
from qidesk.services.workbook import Workbook
from qidesk.ui.charts.chart_commands import AddPhaseCommand, DeletePhaseCommand, SetBaselineCommand
from qidesk.ui.charts.point_menu import PointActions


class PhaseColumn(IntEnum):
    START = 0
    REASON = 1


class PhaseTableModel(QAbstractTableModel):
    """A measure's phases; UserRole gives the Phase."""

    HEADERS = ("Starts", "Reason")

    def __init__(self, parent=None):
        super().__init__(parent)
        self.phases: list[Phase] = []

    def set_phases(self, phases: list[Phase]) -> None:
        self.beginResetModel()
        self.phases = list(phases)
        self.endResetModel()

    def rowCount(self, parent=QModelIndex()) -> int:  # noqa: N802 (Qt's name)
        return 0 if parent.isValid() else len(self.phases)

    def columnCount(self, parent=QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(PhaseColumn)

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):  # noqa: N802
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.HEADERS[section]
        return None

    def data(self, index: QModelIndex | QPersistentModelIndex, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        phase = self.phases[index.row()]
        if role == Qt.ItemDataRole.UserRole:
            return phase
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            if index.column() == PhaseColumn.START:
                return format_date(phase.start_date)
            return phase.reason
        return None


class PhaseDialog(QDialog):
    """Phases and baseline of the measure `measure_id`, edited through `undo_stack`."""

    def __init__(self, wb: Workbook, undo_stack: QUndoStack, measure_id: int,
                 parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("Phases and baseline")
        self.setMinimumWidth(480)
        self.wb, self.undo_stack, self.measure_id = wb, undo_stack, measure_id
        self.actions = PointActions(self, wb, undo_stack)
        self.model = PhaseTableModel(self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setAccessibleName("Phases")
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.table.verticalHeader().hide()
        self.start_date = QDateEdit(QDate.currentDate())
        self.start_date.setCalendarPopup(True)
        self.start_date.setDisplayFormat("d MMM yyyy")
        self.start_date.setAccessibleName("New phase starts")
        self.reason = QLineEdit()
        self.reason.setAccessibleName("Reason for the new phase")
        self.reason.setPlaceholderText("e.g. Bay nursing adopted on all bays")
        self.add = QPushButton("&Add phase")
        self.remove = QPushButton("&Remove phase")
        self.baseline = QSpinBox()
        self.baseline.setRange(0, 10_000)
        self.baseline.setSpecialValueText("Not frozen")
        self.baseline.setAccessibleName("Baseline points")
        self.apply_baseline = QPushButton("&Freeze baseline")
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.setLayout(self._build())
        self._connect_signals()
        self.reload()

    def _build(self) -> QVBoxLayout:
        layout = QVBoxLayout()
        phases = QGroupBox("Phases: the centre line and limits start again at each")
        box = QVBoxLayout(phases)
        box.addWidget(self.table)
        box.addWidget(self.remove)
        form = QFormLayout()
        form.addRow("&Starts:", self.start_date)
        form.addRow("Reaso&n:", self.reason)
        box.addLayout(form)
        box.addWidget(self.add)
        baseline = QGroupBox("Baseline: freeze the centre line and limits on the first points")
        row = QHBoxLayout(baseline)
        label = QLabel("First &points:")
        label.setBuddy(self.baseline)
        row.addWidget(label)
        row.addWidget(self.baseline)
        row.addWidget(self.apply_baseline)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        for part in (phases, baseline, self.message, buttons):
            layout.addWidget(part)
        return layout

    def _connect_signals(self) -> None:
        self.add.clicked.connect(self._on_add_clicked)
        self.remove.clicked.connect(self._on_remove_clicked)
        self.apply_baseline.clicked.connect(self._on_apply_baseline_clicked)
        self.undo_stack.indexChanged.connect(self._on_undo_stack_index_changed)

    def reload(self) -> None:
        self.model.set_phases(measures.list_phases(self.wb, self.measure_id))
        measure = measures.get_measure(self.wb, self.measure_id)
        self.frequency = measure.frequency
        self.baseline.setValue(measure.baseline_points or 0)
        self.remove.setEnabled(bool(self.model.phases))
        self.message.setText("A frozen baseline is not used while the chart has phases "
                             "(as in qicharts2)." if self.model.phases else "")

    def _on_undo_stack_index_changed(self, _index: int) -> None:
        self.reload()

    def _on_add_clicked(self) -> None:
        start = period_start(self.start_date.date().toPython(), self.frequency)
        phase = Phase(measure_id=self.measure_id, start_date=start, reason=self.reason.text())
        if self.actions.push(lambda ok: AddPhaseCommand(self.wb, phase, confirm_pid=ok)):
            self.reason.clear()

    def _on_remove_clicked(self) -> None:
        rows = self.table.selectionModel().selectedRows()
        row = rows[0].row() if rows else len(self.model.phases) - 1
        if row >= 0:
            phase = self.model.phases[row]
            self.actions.push(lambda _ok: DeletePhaseCommand(self.wb, phase))

    def _on_apply_baseline_clicked(self) -> None:
        old = measures.get_measure(self.wb, self.measure_id).baseline_points
        new = self.baseline.value() or None
        if new != old:
            self.actions.push(lambda _ok: SetBaselineCommand(self.wb, self.measure_id, old, new))
