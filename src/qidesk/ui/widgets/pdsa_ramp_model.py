"""The cycles of one change idea's ramp as a table: number, title, scale, dates, decision."""

from __future__ import annotations

from enum import IntEnum

from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt

from qidesk.domain.entities import PdsaCycle
from qidesk.domain.periods import format_date

DECISION_WORDS = {"adopt": "Adopt", "adapt": "Adapt", "abandon": "Abandon"}
STATUS_WORDS = {"planned": "Planned", "doing": "Testing", "studying": "Studying",
                "done": "Done"}


class RampColumn(IntEnum):
    CYCLE = 0
    TITLE = 1
    SCALE = 2
    DATES = 3
    STATUS = 4
    DECISION = 5


HEADERS = {RampColumn.CYCLE: "Cycle", RampColumn.TITLE: "Test", RampColumn.SCALE: "Scale of test",
           RampColumn.DATES: "Dates", RampColumn.STATUS: "Stage",
           RampColumn.DECISION: "Act decision"}


class RampTableModel(QAbstractTableModel):
    """Read-only; UserRole gives the PdsaCycle of a row."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.cycles: list[PdsaCycle] = []

    def set_cycles(self, cycles: list[PdsaCycle]) -> None:
        self.beginResetModel()
        self.cycles = list(cycles)
        self.endResetModel()

    def rowCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.cycles)

    def columnCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(RampColumn)

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return HEADERS[RampColumn(section)]
        return None

    def data(self, index: QModelIndex, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        cycle = self.cycles[index.row()]
        if role == Qt.ItemDataRole.UserRole:
            return cycle
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return _text(cycle, RampColumn(index.column()), role)
        return None


def _text(cycle: PdsaCycle, column: RampColumn, role) -> str:
    if column == RampColumn.CYCLE:
        return str(cycle.cycle_number)
    if column == RampColumn.TITLE:
        return cycle.title or "(no title yet)"
    if column == RampColumn.SCALE:
        return cycle.scale
    if column == RampColumn.DATES:
        start = cycle.started_on or cycle.planned_start
        end = cycle.finished_on or cycle.planned_end
        if start is None:
            return "not dated"
        return f"{format_date(start)} – {format_date(end)}" if end else f"from {format_date(start)}"
    if column == RampColumn.STATUS:
        return STATUS_WORDS[cycle.status.value]
    if cycle.decision is None:
        return ""
    word = DECISION_WORDS[cycle.decision.value]
    if not cycle.next_step:
        return word
    if cycle.next_step.lower().startswith(word.lower()):
        return cycle.next_step  # "Adapt: add a break buddy" already says the decision
    return f"{word}: {cycle.next_step}"
