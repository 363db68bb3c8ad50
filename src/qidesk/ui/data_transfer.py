"""Measure > Import data from a file… and Export data…: the file choice, the import
dialog, and the service calls run off the UI thread so the window keeps painting.

The services open their own sessions per call, so the worker threads call them with the
controller's Workbook; the UI thread touches nothing of theirs while they run.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt, QThread, Signal
from PySide6.QtWidgets import QApplication, QFileDialog, QProgressDialog

from qidesk.domain.errors import ValidationError
from qidesk.domain.rules import PidConfirmationRequired
from qidesk.services import measures
from qidesk.services.data_points import ExistingPolicy
from qidesk.services.imports import ImportRejected, export_measure_data, import_measure_data
from qidesk.services.tabular import ColumnMapping
from qidesk.storage.errors import StorageError
from qidesk.ui.actions import menu_action
from qidesk.ui.dialogs.import_dialog import ImportDialog
from qidesk.ui.widgets.pid_prompt import confirm_pid
from qidesk.ui.workers import ServiceWorker

if TYPE_CHECKING:
    from qidesk.ui.workbook_controller import WorkbookController

_log = logging.getLogger(__name__)

IMPORT_FILTER = "Spreadsheets (*.csv *.xlsx);;CSV files (*.csv);;Excel workbooks (*.xlsx)"
EXPORT_FILTERS = {"CSV file (*.csv)": ".csv", "Excel workbook (*.xlsx)": ".xlsx"}


class ImportWorker(QThread):
    """Runs one import_measure_data call (all rows or none) in its own thread."""

    imported = Signal(object)  # ImportResult
    refused = Signal(object)  # the ValidationError / StorageError, shown as it says
    pid_required = Signal(object)  # warnings: ask, then import again with confirm_pid

    def __init__(self, wb, measure_id: int, path: Path, mapping: ColumnMapping,
                 existing: ExistingPolicy, confirm: bool, parent: QObject | None = None):
        super().__init__(parent)
        self.args = (wb, measure_id, path)
        self.options = {"mapping": mapping, "existing": existing, "confirm_pid": confirm}

    def run(self) -> None:
        try:
            result = import_measure_data(*self.args, **self.options)
        except PidConfirmationRequired as exc:
            self.pid_required.emit(exc.warnings)
        except (ValidationError, StorageError) as exc:
            self.refused.emit(exc)
        except Exception as exc:  # noqa: BLE001 - a worker must always report back
            _log.exception("Import failed")
            self.refused.emit(StorageError(f"The import failed unexpectedly ({exc}). "
                                           "Nothing was written."))
        else:
            self.imported.emit(result)


class DataTransfer(QObject):
    """Import and export of the measure on show (or the one right-clicked)."""

    import_finished = Signal(bool)  # True: written and redrawn
    export_finished = Signal(bool)

    def __init__(self, controller: WorkbookController):
        super().__init__(controller)
        self.c = controller
        self.window = controller.window
        self.dialog: ImportDialog | None = None
        self.progress: QProgressDialog | None = None
        self.import_worker: ImportWorker | None = None
        self.export_worker: ServiceWorker | None = None
        self._export_path: Path | None = None
        self.import_action = menu_action(self, "&Import data from a file…", "Read this measure's "
                                         "figures from a CSV or Excel file (checked before writing)")
        self.export_action = menu_action(self, "E&xport data…", "Save this measure's figures as a "
                                         "CSV or Excel file")
        self.window.measure_menu.addSeparator()
        self.window.measure_menu.addActions([self.import_action, self.export_action])
        self._connect_signals()
        self.update_actions()

    def _connect_signals(self) -> None:
        self.import_action.triggered.connect(self._on_import_action_triggered)
        self.export_action.triggered.connect(self._on_export_action_triggered)
        self.c.workbook_opened.connect(self._on_controller_workbook_opened)
        self.c.workbook_closed.connect(self.update_actions)
        self.c.session.signed_out.connect(self._on_session_signed_out)

    @property
    def measure_id(self) -> int | None:
        return self.c.screen.measure_screen.measure_id if self.c.screen is not None else None

    def update_actions(self, *_args) -> None:
        shown = self.c.wb is not None and self.c.screen is not None and self.measure_id is not None
        self.import_action.setEnabled(shown and not self.c.wb.read_only)
        self.export_action.setEnabled(shown)

    # Import

    def choose_import_file(self, measure_id: int | None = None) -> ImportDialog | None:
        measure_id = measure_id or self.measure_id
        if not self._can_write(measure_id):
            return None
        chosen, _ = QFileDialog.getOpenFileName(self.window, "Import data from a file",
                                                str(self.c.data_folder), IMPORT_FILTER)
        return self.import_file(Path(chosen), measure_id) if chosen else None

    def import_file(self, path: Path, measure_id: int | None = None) -> ImportDialog | None:
        """Check `path` and show the import dialog (nothing written until Import)."""
        measure_id = measure_id or self.measure_id
        if not self._can_write(measure_id):
            return None
        measure = measures.get_measure(self.c.wb, measure_id)
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            self.dialog = ImportDialog(self.c.wb, measure, Path(path), self.window)
        finally:
            QApplication.restoreOverrideCursor()
        self.dialog.import_requested.connect(self._on_dialog_import_requested)
        self.dialog.finished.connect(self._on_dialog_finished)
        self.dialog.open()
        return self.dialog

    def _can_write(self, measure_id: int | None) -> bool:
        if self.c.wb is None or self.c.wb.read_only or measure_id is None:
            return False
        if self.c.session.name is None:  # every change records a name: ask for one first
            self.c.session.ask("Pick your name before importing data.")
            return False
        return True

    def _start_import(self, mapping: ColumnMapping, existing: ExistingPolicy,
                      confirm: bool = False) -> None:
        dialog = self.dialog
        self.progress = QProgressDialog(f"Importing {dialog.path.name}…", None, 0, 0, dialog)
        self.progress.setWindowTitle("Importing")
        self.progress.setAccessibleName("Importing the file")
        self.progress.setMinimumDuration(0)
        self.progress.setWindowModality(Qt.WindowModality.WindowModal)
        worker = ImportWorker(self.c.wb, dialog.measure.id, dialog.path, mapping, existing,
                              confirm, self)
        worker.imported.connect(self._on_import_worker_imported)
        worker.refused.connect(self._on_import_worker_refused)
        worker.pid_required.connect(self._on_import_worker_pid_required)
        worker.finished.connect(self._on_import_worker_finished)
        self.import_worker = worker
        self.progress.show()
        worker.start()

    def _close_progress(self) -> None:
        if self.progress is not None:
            self.progress.close()
            self.progress.deleteLater()
            self.progress = None

    def _on_dialog_import_requested(self, mapping, existing) -> None:
        self._start_import(mapping, existing)

    def _on_import_worker_imported(self, result) -> None:
        self._close_progress()
        dialog, self.dialog = self.dialog, None
        batch, measure = result.batch, dialog.measure
        dialog.accept()
        dialog.deleteLater()
        if self.c.screen is not None:
            # Earlier commands would undo over the imported figures: start a fresh history.
            self.c.screen.undo_stack.clear()
            shown = self.c.screen.measure_screen
            if shown.measure_id == measure.id:
                shown.refresh()
                shown.data_grid.reload()
        self.window.statusBar().showMessage(
            f"Imported into {measure.name}: {batch.added} added, {batch.replaced} replaced, "
            f"{batch.skipped + batch.unchanged} left as they were. A backup was taken first.",
            15_000)
        self.import_finished.emit(True)

    def _on_import_worker_refused(self, exc) -> None:
        self._close_progress()
        if self.dialog is not None:
            problems = exc.problems if isinstance(exc, ImportRejected) else None
            self.dialog.show_refusal(exc.message, problems)
        self.import_finished.emit(False)

    def _on_import_worker_pid_required(self, warnings) -> None:
        self._close_progress()
        dialog = self.dialog
        if dialog is None:
            return
        if confirm_pid(dialog, warnings):
            self._start_import(dialog.mapping(), dialog.existing, confirm=True)
            return
        dialog.show_refusal("Not imported: remove the patient details from the file's "
                            "comments, then import it again.", blocked=False)
        self.import_finished.emit(False)

    def _on_import_worker_finished(self) -> None:
        self.import_worker.deleteLater()
        self.import_worker = None

    def _on_dialog_finished(self, _result: int) -> None:
        if self.dialog is not None and self.import_worker is None:
            self.dialog.deleteLater()
            self.dialog = None

    def _on_session_signed_out(self) -> None:
        # The next person must not press Import on the previous person's file.
        if self.dialog is not None and self.progress is None:
            self.dialog.reject()

    # Export

    def choose_export_file(self, measure_id: int | None = None) -> None:
        measure_id = measure_id or self.measure_id
        if self.c.wb is None or measure_id is None:
            return
        name = measures.get_measure(self.c.wb, measure_id).name
        start = str(self.c.data_folder / f"{name}.csv")
        chosen, selected = QFileDialog.getSaveFileName(
            self.window, "Export data", start, ";;".join(EXPORT_FILTERS))
        if not chosen:
            return
        path = Path(chosen)
        if path.suffix.lower() not in (".csv", ".xlsx"):
            path = path.with_name(path.name + EXPORT_FILTERS.get(selected, ".csv"))
        self.export_to(path, measure_id)

    def export_to(self, path: Path, measure_id: int | None = None) -> None:
        """Write the measure's figures to `path` (.csv or .xlsx) off the UI thread."""
        measure_id = measure_id or self.measure_id
        if self.c.wb is None or measure_id is None or self.export_worker is not None:
            return
        wb, self._export_path = self.c.wb, Path(path)
        self.export_worker = ServiceWorker(
            lambda: export_measure_data(wb, measure_id, self._export_path), self)
        self.export_worker.done.connect(self._on_export_worker_done)
        self.export_worker.refused.connect(self._on_export_worker_refused)
        self.export_worker.finished.connect(self._on_export_worker_finished)
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        self.window.statusBar().showMessage(f"Exporting to {Path(path).name}…")
        self.export_worker.start()

    def _on_export_worker_done(self, count: int) -> None:
        self.window.statusBar().showMessage(
            f"Exported {count} row{'s' if count != 1 else ''} to {self._export_path}", 15_000)
        self.export_finished.emit(True)

    def _on_export_worker_refused(self, message: str) -> None:
        self.window.statusBar().showMessage(f"Not exported: {message}", 30_000)
        self.export_finished.emit(False)

    def _on_export_worker_finished(self) -> None:
        QApplication.restoreOverrideCursor()
        self.export_worker.deleteLater()
        self.export_worker = None

    # Wiring

    def _on_controller_workbook_opened(self, _wb) -> None:
        screen = self.c.screen
        screen.row_actions += [
            ("&Import data from a file…", {"measure"},
             lambda _kind, entity: self.choose_import_file(entity.id)),
            ("E&xport data…", {"measure"}, lambda _kind, entity: self.choose_export_file(entity.id),
             True),
        ]
        screen.measure_shown.connect(self.update_actions)
        self.update_actions()

    def _on_import_action_triggered(self) -> None:
        self.choose_import_file()

    def _on_export_action_triggered(self) -> None:
        self.choose_export_file()
