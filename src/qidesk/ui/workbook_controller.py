"""Opening, switching and closing workbooks for the main window, and their timers."""

from __future__ import annotations

import logging
from datetime import datetime
from pathlib import Path

from PySide6.QtCore import QObject, Qt, QThread, QTimer, Signal
from PySide6.QtWidgets import QMessageBox, QProgressDialog

from qidesk.domain.errors import ValidationError
from qidesk.paths import AppPaths
from qidesk.process_clock import process_age_ms
from qidesk.services.workbook import Workbook, current_holder, open_workbook
from qidesk.services.workbook_files import backups_of
from qidesk.settings import LAYOUT_FILE, Settings, save_settings
from qidesk.storage.errors import StorageError, WorkbookCorrupt, WorkbookNotFound
from qidesk.ui import undo
from qidesk.ui.actions import action_groups
from qidesk.ui.data_transfer import DataTransfer
from qidesk.ui.dialogs.restore_dialog import RestoreDialog
from qidesk.ui.dialogs.settings_dialog import SettingsDialog
from qidesk.ui.dialogs.welcome_dialog import WelcomeDialog
from qidesk.ui.main_window import MainWindow
from qidesk.ui.measure_actions import MeasureActions
from qidesk.ui.screens.workbook_screen import WorkbookScreen
from qidesk.ui.staff_session import StaffSession
from qidesk.ui.window_layout import WindowLayout
from qidesk.ui.workbook_files import WorkbookFiles, busy
from qidesk.ui.workers import ServiceWorker

_log = logging.getLogger(__name__)

DEMO_NAME = "QIDesk demo workbook.qidesk"
HEARTBEAT_MS = 60_000  # the lease counts as stale after 10 minutes without one
BACKUP_CHECK_MS = 5 * 60_000  # backs up when changed and 30 minutes have passed
SPLITTER = "workbook"


class DemoWriter(QThread):
    """Writes the demo workbook off the UI thread (a few seconds on a ward PC).

    The services open their own engine and sessions in this thread; nothing the UI
    thread holds is touched.
    """

    written = Signal(Path)
    failed = Signal(str)

    def __init__(self, path: Path, parent: QObject | None = None):
        super().__init__(parent)
        self.path = path

    def run(self) -> None:
        from qidesk.services.demo import write_demo_workbook  # only ever needed here

        try:
            write_demo_workbook(self.path)
        except (StorageError, ValidationError) as exc:
            self.failed.emit(exc.message)
            return
        self.written.emit(self.path)


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
        self.session = StaffSession(window, settings.idle_sign_out_minutes)
        self.layout = WindowLayout(paths.settings / LAYOUT_FILE)
        self.welcome: WelcomeDialog | None = None
        self.restore_dialog: RestoreDialog | None = None
        self.demo_writer: DemoWriter | None = None
        self.progress: QProgressDialog | None = None
        self._heartbeat = QTimer(self, interval=HEARTBEAT_MS)
        self._backup = QTimer(self, interval=BACKUP_CHECK_MS)
        self._backup_worker: ServiceWorker | None = None
        self.settings_dialog: SettingsDialog | None = None
        self.files = WorkbookFiles(self)
        self.measures = MeasureActions(self)
        self.transfer = DataTransfer(self)  # Measure > Import / Export data
        self.action_groups = action_groups(self)  # projects, PDSA cycles, reviews...
        self.window.set_recent_workbooks(settings.recent_workbooks)
        self._connect_signals()

    def _connect_signals(self) -> None:
        self.window.open_requested.connect(self.files.choose_and_open)
        self.window.new_requested.connect(self.files.new_workbook)
        self.window.save_as_requested.connect(self.files.save_as)
        self.window.settings_requested.connect(self.edit_settings)
        self.window.demo_requested.connect(self._on_window_demo_requested)
        self.window.recent_requested.connect(self.open)
        self.window.workbook_dropped.connect(self.open)
        self.window.close_requested.connect(self.close)
        self.window.switch_user_requested.connect(self._on_window_switch_user_requested)
        self.window.welcome_requested.connect(self.show_welcome)
        self.session.signed_out.connect(self._on_session_signed_out)
        undo.reporter.failed.connect(self._on_undo_reporter_failed)
        self._heartbeat.timeout.connect(self._on_heartbeat_timeout)
        self._backup.timeout.connect(self._on_backup_timeout)

    @property
    def data_folder(self) -> Path:
        """Where new workbooks and the demo go: the chosen folder if it still exists."""
        chosen = Path(self.settings.data_folder) if self.settings.data_folder else None
        return chosen if chosen is not None and chosen.is_dir() else self.paths.data

    def open_initial(self, workbook: Path | None = None, *, demo: bool = False) -> None:
        """First screen: the named workbook, a fresh demo, the last one used, or the demo
        (with the welcome, the very first time)."""
        if workbook is not None:
            self.open(workbook)
        elif demo:
            self.open_demo(fresh=True)
        elif self.settings.last_workbook and Path(self.settings.last_workbook).exists():
            self.open(Path(self.settings.last_workbook))
        else:
            self.open_demo()

    def open_demo(self, *, fresh: bool = False) -> None:
        """Open the demo workbook, writing it first (off the UI thread) if needed."""
        name = f"QIDesk demo {datetime.now():%Y-%m-%d %H%M%S}.qidesk" if fresh else DEMO_NAME
        path = self.data_folder / name
        if path.exists():
            self.open(path)
            return
        self.progress = QProgressDialog("Writing the demo workbook…", None, 0, 0, self.window)
        self.progress.setWindowTitle("QIDesk")
        self.progress.setAccessibleName("Writing the demo workbook")
        self.progress.setMinimumDuration(0)
        self.progress.setWindowModality(Qt.WindowModality.WindowModal)
        self.demo_writer = DemoWriter(path, self)
        self.demo_writer.written.connect(self._on_demo_writer_written)
        self.demo_writer.failed.connect(self._on_demo_writer_failed)
        self.demo_writer.finished.connect(self._on_demo_writer_finished)
        self.progress.show()
        self.demo_writer.start()

    def open(self, path: Path, *, take_over_stale: bool = False,
             signed_in_as: str | None = None) -> bool:
        """Open `path` (read-only with a banner if someone else holds it); False if refused.

        A damaged workbook with backups offers the restore dialog instead.
        """
        path = Path(path)
        self.close()
        try:
            with busy(self.window, f"Opening {path.name}…"):
                wb = open_workbook(path, take_over_stale=take_over_stale)
        except WorkbookCorrupt as exc:
            self.offer_restore(path, exc.message)
            return False
        except StorageError as exc:
            if isinstance(exc, WorkbookNotFound):
                self.settings.forget_workbook(path)
                self._save_settings()
            self._refuse(path, exc.message)
            return False
        self.show_workbook(wb, signed_in_as=signed_in_as)
        return True

    def show_workbook(self, wb: Workbook, *, signed_in_as: str | None = None) -> None:
        """Put an opened workbook on screen and ask who is using it (if writable)."""
        self.wb = wb
        self.session.attach(wb)
        self.screen = WorkbookScreen(wb, rule_set=self.settings.run_chart_rules)
        self.layout.restore_splitter(SPLITTER, self.screen.splitter)
        self.window.show_screen(self.screen)
        self.window.undo_group.addStack(self.screen.undo_stack)
        self.window.undo_group.setActiveStack(self.screen.undo_stack)
        self.window.set_workbook_state(wb.path.stem, read_only=wb.read_only, notice=wb.notice)
        self.screen.undo_stack.indexChanged.connect(self._on_undo_stack_index_changed)
        self.screen.take_over_requested.connect(self.files.take_over)
        self.measures.attach(self.screen)
        self.settings.remember_workbook(wb.path)
        self._save_settings()
        self._heartbeat.start()
        self._backup.start()
        _log.info("Workbook screen ready %.0f ms after process start: %s (read-only: %s)",
                  process_age_ms(), wb.path, wb.read_only)
        self.workbook_opened.emit(wb)
        if signed_in_as:
            self.session.sign_in_as(signed_in_as)
        elif not self.settings.welcome_shown:
            self.show_welcome()
        else:
            self.session.ask()

    def show_welcome(self) -> WelcomeDialog:
        """What QIDesk is for; then "Who is using QIDesk?" if nobody is signed in."""
        self.welcome = WelcomeDialog(self.window)
        self.welcome.finished.connect(self._on_welcome_finished)
        self.welcome.open()
        return self.welcome

    def offer_restore(self, path: Path, problem: str) -> RestoreDialog | None:
        backups = backups_of(path)
        if not backups:
            self._refuse(path, f"{problem}\n\nNo backups of it were found on this PC. Ask IT "
                               "whether the drive it is on keeps earlier versions.")
            return None
        self.restore_dialog = RestoreDialog(path, backups, problem, self.window)
        self.restore_dialog.restored.connect(self._on_restore_dialog_restored)
        self.restore_dialog.open()
        return self.restore_dialog

    def close(self) -> None:
        """Back up if changed, release the lease, and go back to the empty state."""
        self._heartbeat.stop()
        self._backup.stop()
        self._wait_for_backup()
        self.session.detach()
        if self.screen is not None:
            self.layout.save_splitter(SPLITTER, self.screen.splitter)
            self.window.undo_group.removeStack(self.screen.undo_stack)
            self.window.screens.removeWidget(self.screen)
            self.screen.deleteLater()
            self.screen = None
        if self.wb is not None:
            try:
                self.wb.close()
            except StorageError as exc:
                _log.warning("Closing %s: %s", self.wb.path, exc.message)
            self.wb = None
            self.window.set_workbook_state(None)
            self.window.set_recent_workbooks(self.settings.recent_workbooks)
            self.workbook_closed.emit()

    def edit_settings(self) -> SettingsDialog:
        self.settings_dialog = SettingsDialog(self.settings, default_data_folder=self.paths.data,
                                              parent=self.window)
        self.settings_dialog.accepted.connect(self._on_settings_dialog_accepted)
        self.settings_dialog.open()
        return self.settings_dialog

    def _on_settings_dialog_accepted(self) -> None:
        self.apply_settings(self.settings_dialog.result_settings())

    def shutdown(self) -> None:
        """QIDesk is closing: let a demo being written finish, keep the layout, close."""
        if self.demo_writer is not None:
            self.demo_writer.wait()
        self.layout.save_window(self.window)
        self.close()

    def apply_settings(self, settings: Settings) -> None:
        """New preferences take effect at once: the chart redraws with the rule set."""
        changed_rules = settings.run_chart_rules != self.settings.run_chart_rules
        self.settings = settings
        self._save_settings()
        self.session.set_idle_minutes(settings.idle_sign_out_minutes)
        if changed_rules and self.screen is not None:
            self.screen.set_rule_set(settings.run_chart_rules)

    def _save_settings(self) -> None:
        try:
            save_settings(self.settings, self.paths.settings_file)
        except OSError as exc:
            _log.warning("Settings not saved: %s", exc)
        self.window.set_recent_workbooks(self.settings.recent_workbooks)

    def _refuse(self, path: Path, message: str) -> None:
        _log.warning("Could not open %s: %s", path, message)
        QMessageBox.warning(self.window, "QIDesk cannot open this workbook", f"{path.name}\n\n{message}")

    def _on_window_demo_requested(self) -> None:
        self.open_demo()

    def _on_window_switch_user_requested(self) -> None:
        self.session.switch_user()

    def _on_session_signed_out(self) -> None:
        # A half-filled form is the previous person's: the next one must not save it; and
        # the next person's Ctrl+Z must not undo the previous person's work.
        if self.measures.dialog is not None:
            self.measures.dialog.reject()
        if self.screen is not None:
            self.screen.undo_stack.clear()

    def _on_undo_reporter_failed(self, message: str) -> None:
        self.window.statusBar().showMessage(message, 15_000)

    def _on_welcome_finished(self, _result: int) -> None:
        if not self.settings.welcome_shown:
            self.settings.welcome_shown = True
            self._save_settings()
        if self.session.name is None:
            self.session.ask()

    def _on_demo_writer_written(self, path: Path) -> None:
        self.open(path)

    def _on_demo_writer_failed(self, message: str) -> None:
        self._refuse(self.demo_writer.path, message)

    def _on_demo_writer_finished(self) -> None:
        if self.progress is not None:
            self.progress.close()
            self.progress.deleteLater()
            self.progress = None
        self.demo_writer.deleteLater()
        self.demo_writer = None

    def _on_restore_dialog_restored(self, path: Path) -> None:
        self.open(path)

    def _on_undo_stack_index_changed(self, _index: int) -> None:
        # A command's service call has committed by the time the index moves.
        self.window.set_saved("All changes saved")
        self.window.saved_label.setToolTip(f"Last change saved at {datetime.now():%H:%M}")

    def _on_heartbeat_timeout(self) -> None:
        if self.wb is None:
            return
        if self.wb.read_only:
            if self.wb.lease_holder is not None and self.screen is not None:
                holder = current_holder(self.wb.path)
                if holder is None:
                    self.screen.banner.holder_left()
                else:
                    self.screen.banner.offer_take_over(holder.is_stale())
            return
        if not self.wb.heartbeat():
            self.session.stop()
            self.window.set_workbook_state(self.wb.path.stem, read_only=True, notice=self.wb.notice)
            if self.screen is not None:
                self.screen.banner.show_notice(self.wb.notice, None)
                self.screen.banner.show()

    def _on_backup_timeout(self) -> None:
        """Back up when due, off the UI thread: copying and checking a trust-sized
        workbook takes seconds, and someone may be typing a figure."""
        if self.wb is None or self.wb.read_only or self._backup_worker is not None:
            return
        self._backup_worker = ServiceWorker(self.wb.backup_if_due, self)
        self._backup_worker.refused.connect(self._on_backup_worker_refused)
        self._backup_worker.finished.connect(self._on_backup_worker_finished)
        self._backup_worker.start()

    def _on_backup_worker_refused(self, message: str) -> None:
        self.window.statusBar().showMessage(f"Backup failed: {message}")

    def _on_backup_worker_finished(self) -> None:
        worker, self._backup_worker = self._backup_worker, None
        if worker is not None:
            worker.deleteLater()

    def _wait_for_backup(self) -> None:
        """Let a running auto backup finish before the workbook closes under it."""
        if self._backup_worker is not None:
            self._backup_worker.wait()
