"""A workbook's backups as a table: when each was made, why, and how big it is."""

from __future__ import annotations

from enum import IntEnum

from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt

from qidesk.storage.backup import BackupInfo

REASON_WORDS = {
    "auto": "Automatic (every 30 minutes with changes)",
    "close": "When the workbook was closed",
    "manual": "Made by hand",
    "before-migration": "Before an upgrade of the workbook",
    "before-restore": "Before a restore",
    "before-import": "Before an import",
    "save-as": "Save As copy",
}


class BackupColumn(IntEnum):
    MADE = 0
    REASON = 1
    SIZE = 2


HEADERS = {BackupColumn.MADE: "Made", BackupColumn.REASON: "Why", BackupColumn.SIZE: "Size"}


def size_words(size: int) -> str:
    """1,234,567 -> '1.2 MB' (decimal units, as Windows Explorer's neighbours show)."""
    for unit, scale in (("GB", 1e9), ("MB", 1e6), ("kB", 1e3)):
        if size >= scale:
            return f"{size / scale:.1f} {unit}"
    return f"{size} bytes"


def made_words(backup: BackupInfo) -> str:
    local = backup.created.astimezone()
    return f"{local.day} {local:%b %Y}, {local:%H:%M}"


class BackupTableModel(QAbstractTableModel):
    """Newest first, as services.backups lists them; UserRole gives the BackupInfo."""

    def __init__(self, backups: list[BackupInfo], parent=None):
        super().__init__(parent)
        self._backups = list(backups)

    def rowCount(self, parent: QModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._backups)

    def columnCount(self, parent: QModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(BackupColumn)

    def data(self, index: QModelIndex, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or not 0 <= index.row() < len(self._backups):
            return None
        backup = self._backups[index.row()]
        column = BackupColumn(index.column())
        if role == Qt.ItemDataRole.DisplayRole:
            if column == BackupColumn.MADE:
                return made_words(backup)
            if column == BackupColumn.REASON:
                return REASON_WORDS.get(backup.reason, backup.reason)
            return size_words(backup.size)
        if role == Qt.ItemDataRole.ToolTipRole:
            return str(backup.path)
        if role == Qt.ItemDataRole.TextAlignmentRole and column == BackupColumn.SIZE:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.UserRole:
            return backup
        return None

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole):
        if (role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal
                and 0 <= section < len(BackupColumn)):
            return HEADERS[BackupColumn(section)]
        return None

    def backup_at(self, row: int) -> BackupInfo:
        return self._backups[row]
