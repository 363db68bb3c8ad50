"""Read-only tables for the import dialog: the rows as they would be written, and the
problems found in the file (row number, column, message)."""

from __future__ import annotations

from enum import IntEnum

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from qidesk.domain.entities import Measure
from qidesk.domain.enums import Frequency
from qidesk.domain.periods import format_date, format_period
from qidesk.services.tabular import ParsedRow, RowProblem

Index = QModelIndex | QPersistentModelIndex
PREVIEW_ROWS = 200  # the first rows are enough to check a mapping; all are imported


class RowColumn(IntEnum):
    ROW = 0
    PERIOD = 1
    VALUE = 2
    NUMERATOR = 3
    DENOMINATOR = 4
    COMMENT = 5


ROW_HEADINGS = {RowColumn.ROW: "Row", RowColumn.PERIOD: "Period", RowColumn.VALUE: "Value",
                RowColumn.NUMERATOR: "Numerator", RowColumn.DENOMINATOR: "Denominator",
                RowColumn.COMMENT: "Comment"}


def _number(value: float | None) -> str:
    return "" if value is None else f"{value:g}"


class _ReadOnlyTable(QAbstractTableModel):
    """Shared plumbing: a list of frozen records, one per row; UserRole returns it."""

    headings: dict = {}

    def __init__(self, parent=None):
        super().__init__(parent)
        self.items: list = []

    def set_items(self, items: list) -> None:
        self.beginResetModel()
        self.items = list(items)
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.items)

    def columnCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.headings)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole):
        if (role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal
                and 0 <= section < len(self.headings)):
            return list(self.headings.values())[section]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or not 0 <= index.row() < len(self.items):
            return None
        item = self.items[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return self.text(item, index.column())
        if role == Qt.ItemDataRole.UserRole:
            return item
        return None

    def text(self, item, column: int) -> str:
        raise NotImplementedError


class ImportRowsModel(_ReadOnlyTable):
    """The first PREVIEW_ROWS rows of the file as data points (UserRole: the ParsedRow)."""

    headings = ROW_HEADINGS

    def __init__(self, measure: Measure, parent=None):
        super().__init__(parent)
        self.measure = measure

    def set_rows(self, rows: list[ParsedRow]) -> None:
        self.set_items(rows[:PREVIEW_ROWS])

    def text(self, row: ParsedRow, column: int) -> str:
        column = RowColumn(column)
        if column == RowColumn.ROW:
            return str(row.row_number)
        if column == RowColumn.PERIOD:
            frequency = self.measure.frequency
            return (format_date(row.period) if frequency == Frequency.EVENT
                    else format_period(row.period, frequency))
        if column == RowColumn.COMMENT:
            return row.comment or ""
        return _number({RowColumn.VALUE: row.value, RowColumn.NUMERATOR: row.numerator,
                        RowColumn.DENOMINATOR: row.denominator}[column])


class ProblemColumn(IntEnum):
    ROW = 0
    COLUMN = 1
    MESSAGE = 2


class ImportProblemsModel(_ReadOnlyTable):
    """Every problem found in the file (UserRole: the RowProblem)."""

    headings = {ProblemColumn.ROW: "Row", ProblemColumn.COLUMN: "Column",
                ProblemColumn.MESSAGE: "Problem"}

    def text(self, problem: RowProblem, column: int) -> str:
        column = ProblemColumn(column)
        if column == ProblemColumn.ROW:
            return str(problem.row_number) if problem.row_number else ""
        return problem.column if column == ProblemColumn.COLUMN else problem.message
