"""Opening, switching and closing workbooks for the main window, and their timers."""

from __future__ import annotations

import logging
from datetime import datetime
from pathlib import Path

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtWidgets import QFileDialog, QMessageBox

from qidesk.domain.errors import ValidationError
from qidesk.paths import AppPaths
from qidesk.services.demo import write_demo_workbook
from qidesk.services.workbook import Workbook, open_workbook
from qidesk.settings import Settings, save_settings
from qidesk.storage.errors import StorageError
from qidesk.ui.main_window import MainWindow
from qidesk.ui.screens.workbook_screen import WorkbookScreen

_log = logging.getLogger(__name__)

WORKBOOK_FILTER = "QIDesk workbooks (*.qidesk);;All files (*)"
DEMO_NAME = "QIDesk demo workbook.qidesk"
HEARTBEAT_MS = 60_000  # the lease counts as stale after 10 minutes without one
BACKUP_CHECK_MS = 5 * 60_000  # backs up when changed and 30 minutes have passed


class WorkbookController(QObject):
    """Owns the open Workbook (never a database session) and the screen showing it."""

    workbook_opened = Signal(object)
    workbook_closed = Signal()

    def __init__(self, window: MainWindow, paths: AppPaths, settings: Settings):
        super().__init__(window)
        self.window = window
        self.paths = paths
        self.settings = settings
        self.wb: Workbook | None = None
        self.screen: WorkbookScreen | None = None
        self._heartbeat = QTimer(self, interval=HEARTBEAT_MS)
        self._backup = QTimer(self, interval=BACKUP_CHECK_MS)
        self._connect_signals()

    def _connect_signals(self) -> None:
        self.window.open_requested.connect(self._on_window_open_requested)
        self.window.demo_requested.connect(self._on_window_demo_requested)
        self._heartbeat.timeout.connect(self._on_heartbeat_timeout)
        self._backup.timeout.connect(self._on_backup_timeout)

    def open_initial(self, workbook: Path | None = None, *, demo: bool = False) -> None:
        """First screen: the named workbook, a fresh demo, the last one used, or the demo."""
        if workbook is not None:
            self.open(workbook)
        elif demo:
            self.open_demo(fresh=True)
        elif self.settings.last_workbook and Path(self.settings.last_workbook).exists():
            self.open(Path(self.settings.last_workbook))
        else:
            self.open_demo()

    def open_demo(self, *, fresh: bool = False) -> bool:
        """Open the demo workbook, writing it first if needed (a new copy when `fresh`)."""
        name = f"QIDesk demo {datetime.now():%Y-%m-%d %H%M%S}.qidesk" if fresh else DEMO_NAME
        path = self.paths.data / name
        if not path.exists():
            try:
                write_demo_workbook(path)
            except (StorageError, ValidationError) as exc:
                self._refuse(path, exc.message)
                return False
        return self.open(path)

    def open(self, path: Path) -> bool:
        """Open `path` (read-only with a banner if someone else holds it); False if refused."""
        self.close()
        try:
            wb = open_workbook(Path(path))
        except StorageError as exc:
            self._refuse(Path(path), exc.message)
            return False
        self.wb = wb
        self.screen = WorkbookScreen(wb, rule_set=self.settings.run_chart_rules)
        self.window.show_screen(self.screen)
        self.window.setWindowTitle(f"{wb.path.stem} — QIDesk")
        state = "read-only" if wb.read_only else "changes save as you go"
        self.window.statusBar().showMessage(f"{wb.path}  ·  {state}")
        self.settings.remember_workbook(wb.path)
        save_settings(self.settings, self.paths.settings_file)
        self._heartbeat.start()
        self._backup.start()
        _log.info("Workbook screen ready: %s (read-only: %s)", wb.path, wb.read_only)
        self.workbook_opened.emit(wb)
        return True

    def close(self) -> None:
        """Back up if changed, release the lease, and go back to the empty state."""
        self._heartbeat.stop()
        self._backup.stop()
        if self.screen is not None:
            self.window.screens.removeWidget(self.screen)
            self.screen.deleteLater()
            self.screen = None
        if self.wb is not None:
            try:
                self.wb.close()
            except StorageError as exc:
                _log.warning("Closing %s: %s", self.wb.path, exc.message)
            self.wb = None
            self.window.setWindowTitle("QIDesk")
            self.window.statusBar().showMessage("No workbook open")
            self.workbook_closed.emit()

    def _refuse(self, path: Path, message: str) -> None:
        _log.warning("Could not open %s: %s", path, message)
        QMessageBox.warning(self.window, "QIDesk cannot open this workbook", f"{path.name}\n\n{message}")

    def _on_window_open_requested(self) -> None:
        start = str(Path(self.settings.last_workbook).parent) if self.settings.last_workbook else str(self.paths.data)
        chosen, _ = QFileDialog.getOpenFileName(self.window, "Open a workbook", start, WORKBOOK_FILTER)
        if chosen:
            self.open(Path(chosen))

    def _on_window_demo_requested(self) -> None:
        self.open_demo()

    def _on_heartbeat_timeout(self) -> None:
        if self.wb is not None and not self.wb.heartbeat():
            self.window.statusBar().showMessage(f"{self.wb.path}  ·  read-only: {self.wb.notice}")

    def _on_backup_timeout(self) -> None:
        if self.wb is None or self.wb.read_only:
            return
        try:
            self.wb.backup_if_due()
        except StorageError as exc:
            self.window.statusBar().showMessage(f"Backup failed: {exc.message}")
