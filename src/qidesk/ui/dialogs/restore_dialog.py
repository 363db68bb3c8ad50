"""A damaged workbook: choose one of its backups and put it back in place."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QMessageBox,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from qidesk.services.workbook_files import restore_damaged
from qidesk.storage.backup import BackupInfo
from qidesk.storage.errors import StorageError
from qidesk.ui.models.backup_table_model import BackupColumn, BackupTableModel, made_words


class RestoreDialog(QDialog):
    """Lists the backups of `path` (newest first); `restored` fires once one is in place."""

    restored = Signal(Path)

    def __init__(self, path: Path, backups: list[BackupInfo], problem: str,
                 parent: QWidget | None = None):
        super().__init__(parent)
        self.path = Path(path)
        self.setWindowTitle(f"Restore {self.path.name} from a backup")
        self.setAccessibleName("Restore from a backup")
        self.model = BackupTableModel(backups, self)
        heading = QLabel(f"{self.path.name} cannot be opened")
        heading.setObjectName("dialogHeading")
        explanation = QLabel(
            f"{problem}\n\nChoose a backup to put in its place. The damaged file is kept in "
            "the backups folder, not deleted, in case IT want to look at it. Changes made "
            "after the backup was taken are not in it.")
        explanation.setWordWrap(True)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setAccessibleName("Backups of this workbook")
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(BackupColumn.REASON,
                                                           QHeaderView.ResizeMode.Stretch)
        self.table.resizeColumnsToContents()
        self.error_label = QLabel()
        self.error_label.setObjectName("errorText")
        self.error_label.setWordWrap(True)
        self.error_label.hide()
        buttons = QDialogButtonBox()
        self.restore_button = buttons.addButton("&Restore this backup…",
                                                QDialogButtonBox.ButtonRole.AcceptRole)
        self.restore_button.setAccessibleName("Restore the selected backup")
        self.restore_button.setToolTip("Put the chosen backup in place of the damaged workbook")
        self.cancel_button = buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        layout = QVBoxLayout(self)
        for widget in (heading, explanation, self.table, self.error_label, buttons):
            layout.addWidget(widget)
        self.restore_button.clicked.connect(self._on_restore_button_clicked)
        self.cancel_button.clicked.connect(self.reject)
        if self.model.rowCount():
            self.table.selectRow(0)
        self.table.setFocus(Qt.FocusReason.OtherFocusReason)
        self.resize(620, 420)

    def selected_backup(self) -> BackupInfo | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.backup_at(rows[0].row()) if rows else None

    def _on_restore_button_clicked(self) -> None:
        backup = self.selected_backup()
        if backup is None:
            self._show_error("Choose a backup in the list first.")
            return
        answer = QMessageBox.question(
            self, "Restore this backup?",
            f"Put the backup made {made_words(backup)} in place of {self.path.name}?\n\n"
            "The damaged file is kept in the backups folder.",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No)
        if answer != QMessageBox.StandardButton.Yes:
            return
        try:
            restore_damaged(self.path, backup)
        except StorageError as exc:
            self._show_error(exc.message)
            return
        self.restored.emit(self.path)
        self.accept()

    def _show_error(self, message: str) -> None:
        self.error_label.setText(message)
        self.error_label.show()
