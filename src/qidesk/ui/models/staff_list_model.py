"""The workbook's staff names, for the sign-in list."""

from __future__ import annotations

from PySide6.QtCore import QAbstractListModel, QModelIndex, Qt

from qidesk.domain.entities import Staff


def staff_label(person: Staff) -> str:
    """"Name — Role", or the name alone when no role is given."""
    return f"{person.name} — {person.role}" if person.role else person.name


class StaffListModel(QAbstractListModel):
    """One row per person, shown with their role if any; UserRole gives the Staff record."""

    def __init__(self, staff: list[Staff] | None = None, parent=None):
        super().__init__(parent)
        self._staff: list[Staff] = list(staff or [])

    def set_staff(self, staff: list[Staff]) -> None:
        self.beginResetModel()
        self._staff = list(staff)
        self.endResetModel()

    def rowCount(self, parent: QModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._staff)

    def data(self, index: QModelIndex, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or not 0 <= index.row() < len(self._staff):
            return None
        person = self._staff[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return staff_label(person)
        if role == Qt.ItemDataRole.ToolTipRole:
            return f"Sign in as {person.name}"
        if role == Qt.ItemDataRole.UserRole:
            return person
        return None

    def row_of(self, name: str) -> int | None:
        """Row of a name, ignoring case and spaces at either end (as the service does)."""
        wanted = name.strip().casefold()
        for row, person in enumerate(self._staff):
            if person.name.strip().casefold() == wanted:
                return row
        return None

    def name_at(self, row: int) -> str:
        """The bare name on a row (the display text may carry the role too)."""
        return self._staff[row].name
