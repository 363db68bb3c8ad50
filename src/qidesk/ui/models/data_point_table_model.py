"""The data-entry grid's model: one row per period of a measure (or per event).

Every period from the first data point to the current one is a row, so a missing
period shows as missing instead of silently vanishing; the next period is ready to
type. What a user types is kept in the row ("pending") until the service accepts it:
an invalid figure stays in its cell with the service's message beside it, and nothing
is saved. Accepted edits are saved at once as undo commands (ui/undo.py), made from what
was typed by grid_edits.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QBrush, QColor, QFont, QUndoStack

from qidesk.domain.entities import Measure
from qidesk.domain.enums import Frequency, ValueType
from qidesk.domain.errors import ValidationError
from qidesk.domain.periods import (
    format_date,
    format_period,
    parse_uk_date,
    period_start,
)
from qidesk.domain.rules import PidConfirmationRequired
from qidesk.services import data_points, measures
from qidesk.services.workbook import Workbook
from qidesk.storage.errors import StorageError
from qidesk.ui import palette, undo
from qidesk.ui.models.grid_edits import edit_command, refusal_text
from qidesk.ui.models.grid_rows import (
    COLUMN_OF,
    FIELD_OF,
    FIGURES,
    MISSING,
    NEW_EVENT,
    PERIOD_HEADINGS,
    VALUE_HEADINGS,
    Column,
    GridRow,
    columns_for,
    grid_rows,
    number_text,
    result_text,
)

Index = QModelIndex | QPersistentModelIndex
NEW_EVENT_HINT = "New event…"
ERROR_TINT = QColor("#fbe3e1")  # a pale NHS red behind a cell the service refused
ERROR_TEXT = QColor("#d5281b")


@dataclass
class RowError:
    column: Column
    message: str


class DataPointTableModel(QAbstractTableModel):
    """Rows of a measure's periods; editing a cell saves through the undo stack."""

    error_changed = Signal(str)  # the message to show under the grid ("" when none)
    saved = Signal(object)  # the row key just saved
    start_chosen = Signal()  # a measure without data now starts at another period

    def __init__(self, wb: Workbook, undo_stack: QUndoStack, parent=None):
        super().__init__(parent)
        self.wb = wb
        self.undo_stack = undo_stack
        self.measure: Measure | None = None
        self.columns: list[Column] = []
        self.rows: list[GridRow] = []
        self.pending: dict[tuple, dict[Column, object]] = {}
        self.errors: dict[tuple, RowError] = {}
        self.start: date | None = None  # first period offered while a measure has no data
        self.today: Callable[[], date] = date.today
        # Asked before saving text that looks patient-identifiable; the grid sets a dialog.
        self.confirm_pid: Callable[[dict], bool] = lambda warnings: False

    # Loading ---------------------------------------------------------------------------

    def load(self, measure_id: int | None) -> None:
        """Read the measure and its points again, keeping what is typed but not saved."""
        if measure_id is None:
            self.beginResetModel()
            self.measure, self.columns, self.rows = None, [], []
            self.endResetModel()
            return
        measure = measures.get_measure(self.wb, measure_id)
        same = self.measure is not None and self.measure.id == measure.id
        if not same:
            self.pending, self.errors, self.start = {}, {}, None
        points = data_points.list_data_points(self.wb, measure.id)
        if same and not points and any(r.point for r in self.rows) and self.rows[0].period:
            self.start = self.rows[0].period  # the last figure went: keep the rows in place
        rows = grid_rows(measure, points, self.today(), self.start)
        self._replace_rows(measure, columns_for(measure), rows)

    def reload(self) -> None:
        self.load(self.measure.id if self.measure else None)

    def _replace_rows(self, measure: Measure, columns: list[Column], rows: list[GridRow]) -> None:
        """Update in place when only the end of the list changed, so an open editor and
        the current cell survive a save; otherwise reset."""
        old_keys = [r.key for r in self.rows]
        new_keys = [r.key for r in rows]
        shared = min(len(old_keys), len(new_keys))
        same_shape = (self.measure is not None and self.measure.id == measure.id
                      and columns == self.columns and old_keys[:shared] == new_keys[:shared])
        if not same_shape:
            self.beginResetModel()
            self.measure, self.columns, self.rows = measure, columns, rows
            self.endResetModel()
            return
        self.measure = measure
        if len(rows) < len(self.rows):
            self.beginRemoveRows(QModelIndex(), len(rows), len(self.rows) - 1)
            self.rows = self.rows[:len(rows)]
            self.endRemoveRows()
        self.rows[:shared] = rows[:shared]
        if shared:
            self.dataChanged.emit(self.index(0, 0), self.index(shared - 1, len(columns) - 1))
        if len(rows) > shared:
            self.beginInsertRows(QModelIndex(), shared, len(rows) - 1)
            self.rows.extend(rows[shared:])
            self.endInsertRows()

    # Reading ---------------------------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.columns)

    def column(self, index: Index) -> Column:
        return self.columns[index.column()]

    def column_index(self, column: Column) -> int:
        return self.columns.index(column)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole):
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Vertical:
            return str(section + 1) if 0 <= section < len(self.rows) else None
        if not 0 <= section < len(self.columns):
            return None
        return self._heading(self.columns[section])

    def _heading(self, column: Column) -> str:
        m = self.measure
        if column == Column.PERIOD:
            return PERIOD_HEADINGS[m.frequency]
        if column == Column.VALUE:
            return VALUE_HEADINGS.get(m.value_type) or (m.unit.capitalize() if m.unit else "Value")
        if column == Column.RESULT:
            return "%" if m.value_type == ValueType.PROPORTION else "Rate"
        return {Column.NUMERATOR: "Numerator", Column.DENOMINATOR: "Denominator",
                Column.COMMENT: "Comment", Column.EXCLUDED: "Excluded",
                Column.REASON: "Reason excluded"}[column]

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or index.row() >= len(self.rows):
            return None
        row, column = self.rows[index.row()], self.column(index)
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            return self._text(row, column, role == Qt.ItemDataRole.EditRole)
        if role == Qt.ItemDataRole.CheckStateRole and column == Column.EXCLUDED:
            if row.point is None and Column.EXCLUDED not in self.pending.get(row.key, {}):
                return None  # nothing to leave out yet: no box to tick
            return Qt.CheckState.Checked if self._excluded(row) else Qt.CheckState.Unchecked
        if role == Qt.ItemDataRole.UserRole:
            return row.point
        error = self.errors.get(row.key)
        in_error = error is not None and error.column == column
        if role == Qt.ItemDataRole.BackgroundRole and in_error:
            return QBrush(ERROR_TINT)
        if role == Qt.ItemDataRole.ForegroundRole:
            if in_error:
                return QBrush(ERROR_TEXT)
            if self._is_missing(row, column) or column == Column.RESULT:
                return QBrush(QColor(palette.NHS_MID_GREY))
        if role == Qt.ItemDataRole.FontRole and self._is_missing(row, column):
            font = QFont()
            font.setItalic(True)
            return font
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(row, column, error.message if in_error else None)
        if role == Qt.ItemDataRole.TextAlignmentRole and column in (*FIGURES, Column.RESULT):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def _text(self, row: GridRow, column: Column, editing: bool) -> str:
        typed = self.pending.get(row.key, {})
        if column in typed and column != Column.EXCLUDED:
            return str(typed[column])
        point = row.point
        if column == Column.PERIOD:
            if row.period is None:
                return "" if editing else NEW_EVENT_HINT
            if self.measure.frequency == Frequency.EVENT:
                return format_date(row.period)
            return format_period(row.period, self.measure.frequency)
        if column in FIGURES:
            if point is None:
                return "" if editing or not self._is_missing(row, column) else MISSING
            return number_text(getattr(point, FIELD_OF[column]))
        if column == Column.RESULT:
            return "" if point is None else result_text(point, self.measure)
        if column in (Column.COMMENT, Column.REASON):
            return "" if point is None else getattr(point, FIELD_OF[column])
        return ""

    def _excluded(self, row: GridRow) -> bool:
        typed = self.pending.get(row.key, {})
        if Column.EXCLUDED in typed:
            return bool(typed[Column.EXCLUDED])
        return bool(row.point and row.point.excluded)

    def _is_missing(self, row: GridRow, column: Column) -> bool:
        """A past period with no figure: shown as 'missing', never as a blank or zero."""
        return (column in FIGURES and row.point is None and row.period is not None
                and column not in self.pending.get(row.key, {})
                and self.measure.frequency != Frequency.EVENT and row.period < self._now())

    def _now(self) -> date:
        return period_start(self.today(), self.measure.frequency)

    def _tooltip(self, row: GridRow, column: Column, error: str | None) -> str | None:
        if error:
            return error
        if row.key == NEW_EVENT and column == Column.PERIOD:
            return "Type the date of a new event (day/month/year, e.g. 03/03/2026), then its figure."
        if self._is_missing(row, column):
            return "No figure for this period yet: type it (0 if there were none)."
        if column == Column.RESULT:
            return "Worked out from the numerator and denominator."
        if column in FIGURES and row.point is not None:
            point = row.point
            return (f"Entered by {point.entered_by or 'unknown'}"
                    + (f" on {format_date(point.entered_at.date())}" if point.entered_at else "")
                    + ". Delete clears this period's figures.")
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if self.wb.read_only:
            return flags
        column, row = self.column(index), self.rows[index.row()]
        if column == Column.EXCLUDED:
            return flags | Qt.ItemFlag.ItemIsUserCheckable
        if column == Column.RESULT:
            return flags
        if column == Column.PERIOD and not self._period_editable(row):
            return flags
        return flags | Qt.ItemFlag.ItemIsEditable

    def _period_editable(self, row: GridRow) -> bool:
        if self.measure.frequency == Frequency.EVENT:
            return True
        # Before the first figure, the first row's period says where the series starts.
        return row is self.rows[0] and not any(r.point for r in self.rows)

    def error_at(self, row: int) -> RowError | None:
        return self.errors.get(self.rows[row].key) if 0 <= row < len(self.rows) else None

    # Editing ---------------------------------------------------------------------------

    def setData(self, index: Index, value, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if not index.isValid() or not (self.flags(index) & (Qt.ItemFlag.ItemIsEditable
                                                           | Qt.ItemFlag.ItemIsUserCheckable)):
            return False
        column, row = self.column(index), self.rows[index.row()]
        if role == Qt.ItemDataRole.CheckStateRole and column == Column.EXCLUDED:
            value = Qt.CheckState(value) == Qt.CheckState.Checked
        elif role != Qt.ItemDataRole.EditRole or column == Column.EXCLUDED:
            return False
        else:
            value = str(value or "").strip()
        if column == Column.PERIOD and self.measure.frequency != Frequency.EVENT:
            return self._set_start(index, value)
        typed = {**self.pending.get(row.key, {}), column: value}
        self._commit(row, column, typed)
        self._changed(index.row())
        return True

    def clear(self, index: Index) -> bool:
        """Delete key: an empty cell; on a figure of a saved period, the period's figures."""
        if self.column(index) == Column.EXCLUDED:
            return self.setData(index, Qt.CheckState.Unchecked.value, Qt.ItemDataRole.CheckStateRole)
        return self.setData(index, "")

    def _set_start(self, index: Index, text: str) -> bool:
        try:
            self.start = period_start(parse_uk_date(text), self.measure.frequency) if text else None
        except ValidationError as exc:
            self._set_error(self.rows[index.row()].key, Column.PERIOD, exc.message)
            return True
        self.errors.pop(self.rows[index.row()].key, None)
        self.error_changed.emit("")
        self.reload()
        self.start_chosen.emit()
        return True

    def _commit(self, row: GridRow, column: Column, typed: dict[Column, object]) -> None:
        if row.point is None and not any(typed.values()):
            self.pending.pop(row.key, None)  # everything typed was rubbed out again
            self.errors.pop(row.key, None)
            self.error_changed.emit("")
            return
        self.pending[row.key] = typed
        try:
            label = self._text(row, Column.PERIOD, False) if row.period else "new event"
            command = edit_command(self.wb, self.measure, self.columns, row, column, typed,
                                   label)
            if command is not None:
                self._push(row, command)
            else:
                self.pending.pop(row.key, None)
            self.errors.pop(row.key, None)
            self.error_changed.emit("")
        except ValidationError as exc:
            where = COLUMN_OF.get(exc.field or "", column)
            self._set_error(row.key, where if where in self.columns else column,
                            refusal_text(row, exc))
        except PidConfirmationRequired:
            self._set_error(row.key, column, "Not saved: the text may identify a patient. "
                            "Change it, or type it again and confirm.")
        except StorageError as exc:
            self._set_error(row.key, column, f"Not saved: {exc.message}")

    def _set_error(self, key: tuple, column: Column, message: str) -> None:
        self.errors[key] = RowError(column, message)
        self.error_changed.emit(message)

    def _changed(self, row: int) -> None:
        if 0 <= row < len(self.rows):
            self.dataChanged.emit(self.index(row, 0), self.index(row, len(self.columns) - 1))

    def _push(self, row: GridRow, command: undo.ServiceCommand) -> None:
        try:
            self._run(row, command)
        except PidConfirmationRequired as exc:
            if not self.confirm_pid(exc.warnings):
                raise
            command.confirm_pid = True
            self._run(row, command)

    def _run(self, row: GridRow, command: undo.ServiceCommand) -> None:
        # Forget what was typed before the stack redraws, so the saved figures show.
        typed, error = self.pending.pop(row.key, None), self.errors.pop(row.key, None)
        try:
            undo.push(self.undo_stack, command)
        except BaseException:
            if typed is not None:
                self.pending[row.key] = typed
            if error is not None:
                self.errors[row.key] = error
            raise
        self.saved.emit(row.key)
