"""Share menu: export a project to one bundle file for another ward, and import a bundle
from another ward (conflicts shown first), with no network: the file travels on a USB
stick or a shared drive.

The service calls run off the UI thread (a project over years is thousands of points);
the services open their own sessions, so the workers only share the Workbook. The steps
that ask the reader for a file are attributes a test can replace: `choose_save_path`,
`choose_bundle`.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QFileDialog, QMessageBox, QProgressDialog

from qidesk.ui.actions import menu_action
from qidesk.ui.report_actions import documents_folder
from qidesk.ui.workers import ServiceWorker

if TYPE_CHECKING:
    from qidesk.ui.workbook_controller import WorkbookController

BUNDLE_FILTER = "QIDesk project bundles (*.qidesk-project)"
SUFFIX = ".qidesk-project"


def ask_save_path(parent, proposed: Path) -> Path | None:
    chosen, _ = QFileDialog.getSaveFileName(parent, "Export project for another ward",
                                            str(proposed), BUNDLE_FILTER)
    if not chosen:
        return None
    path = Path(chosen)
    return path if path.name.lower().endswith(SUFFIX) else path.with_name(path.name + SUFFIX)


def ask_bundle(parent) -> Path | None:
    chosen, _ = QFileDialog.getOpenFileName(parent, "Import project from another ward",
                                            str(documents_folder()),
                                            f"{BUNDLE_FILTER};;All files (*)")
    return Path(chosen) if chosen else None


class SharingActions(QObject):
    """Share menu and the project / team row actions for the controller's workbook."""

    export_finished = Signal(bool)
    import_finished = Signal(bool)

    def __init__(self, controller: WorkbookController):
        super().__init__(controller)
        self.c = controller
        self.window = controller.window
        self.choose_save_path = ask_save_path
        self.choose_bundle = ask_bundle
        self.dialog = None  # ShareImportDialog while one is open
        self.worker: ServiceWorker | None = None
        self.progress: QProgressDialog | None = None
        self.message_box: QMessageBox | None = None
        self.export_action = menu_action(self, "&Export project for another ward…", "Save the "
                                         "chosen project, its measures, data and PDSA cycles as "
                                         "one file to take to another ward")
        self.import_action = menu_action(self, "&Import project from another ward…", "Add a "
                                         "project from another ward's exported file to this "
                                         "workbook (clashes shown first)")
        self.window.menu("&Share").addActions([self.export_action, self.import_action])
        self._connect_signals()
        self.update_actions()

    def _connect_signals(self) -> None:
        self.export_action.triggered.connect(lambda: self.export_project())
        self.import_action.triggered.connect(lambda: self.import_project())
        self.c.workbook_opened.connect(self._on_controller_workbook_opened)
        self.c.workbook_closed.connect(self.update_actions)
        self.c.session.signed_out.connect(self._on_session_signed_out)

    def _on_controller_workbook_opened(self, _wb) -> None:
        screen = self.c.screen
        screen.row_actions += [
            ("Export project for another ward…", {"project"},
             lambda _k, entity: self.export_project(entity.id), True),
            ("Import project from another ward…", {"team"},
             lambda _k, entity: self.import_project(team_id=entity.id)),
        ]
        screen.navigator.selectionModel().currentChanged.connect(self.update_actions)
        self.update_actions()

    def update_actions(self, *_args) -> None:
        opened = self.c.wb is not None and self.c.screen is not None
        self.export_action.setEnabled(opened and self.current_project_id() is not None)
        self.import_action.setEnabled(opened and not self.c.wb.read_only)

    def current_project_id(self) -> int | None:
        """The project of the navigator's current row (or of the row above it)."""
        return self.c.screen.current_id_of("project") if self.c.screen is not None else None

    def current_team_id(self) -> int | None:
        return self.c.screen.current_id_of("team") if self.c.screen is not None else None

    # Export

    def export_project(self, project_id: int | None = None) -> bool:
        """Ask where to save, then write the bundle off the UI thread; False if not started."""
        from qidesk.services import projects
        from qidesk.services.sharing import bundle_file_name

        project_id = project_id or self.current_project_id()
        if self.c.wb is None or project_id is None or self.worker is not None:
            return False
        if not self.c.wb.read_only and self.c.session.name is None:
            # The bundle says who exported it: the other ward may want to ask them.
            self.c.session.ask("Pick your name before exporting a project.")
            return False
        title = projects.get_project(self.c.wb, project_id).title
        path = self.choose_save_path(self.window, documents_folder()
                                     / bundle_file_name(title, date.today()))
        if path is None:
            return False
        from qidesk.services.sharing import export_project

        wb = self.c.wb
        self._run(f"Exporting {title}…", lambda: export_project(wb, project_id, path),
                  self._on_exported, self._on_export_refused)
        return True

    def _on_exported(self, summary) -> None:
        from qidesk.ui.dialogs.share_import_dialog import contents_sentence

        notes = "".join(f"\n\nNote: {note}" for note in summary.notes)
        self._inform("Project exported",
                     f"'{summary.project_title}' was saved to\n{summary.path}\n\nIt holds "
                     f"{contents_sentence(summary.counts)}.\n\nTake the file to the other "
                     "ward (USB stick or shared drive) and choose Share > Import project "
                     f"from another ward… there.{notes}", QMessageBox.Icon.Information)
        self.window.statusBar().showMessage(f"Exported to {summary.path}", 15_000)
        self.export_finished.emit(True)

    def _on_export_refused(self, message: str) -> None:
        self._inform("Project not exported", message, QMessageBox.Icon.Warning)
        self.export_finished.emit(False)

    # Import

    def import_project(self, path: Path | None = None, team_id: int | None = None):
        """Choose a bundle (unless given) and show what importing it would do."""
        if self.c.wb is None or self.c.wb.read_only or self.worker is not None:
            return None
        if self.c.session.name is None:  # every change records a name: ask for one first
            self.c.session.ask("Pick your name before importing a project.")
            return None
        path = path or self.choose_bundle(self.window)
        if path is None:
            return None
        from qidesk.ui.dialogs.share_import_dialog import ShareImportDialog
        from qidesk.ui.workbook_files import busy

        with busy(self.window, f"Checking {Path(path).name}…"):
            self.dialog = ShareImportDialog(self.c.wb, path, team_id or self.current_team_id(),
                                            self.window)
        self.dialog.import_requested.connect(self._on_dialog_import_requested)
        self.dialog.finished.connect(self._on_dialog_finished)
        self.dialog.open()
        return self.dialog

    def _on_dialog_import_requested(self, team_id: int, title: str, confirmed: bool) -> None:
        from qidesk.services.sharing import import_project

        if self.worker is not None:  # already importing: a second press changes nothing
            return
        wb, path = self.c.wb, self.dialog.path
        self._run(f"Importing {title}…", lambda: import_project(
            wb, path, team_id, as_title=title, confirm_pid=confirmed),
            self._on_imported, self._on_import_refused, parent=self.dialog)

    def _on_imported(self, change) -> None:
        dialog, self.dialog = self.dialog, None
        title = dialog.title.text().strip() if dialog is not None else ""
        if dialog is not None:
            dialog.accept()
            dialog.deleteLater()
        screen = self.c.screen
        if screen is not None:
            screen.reload()
            screen.show_item("project", change.id)
        self.window.statusBar().showMessage(
            f"Imported '{title}'. A backup of the workbook was taken first.", 15_000)
        self.import_finished.emit(True)

    def _on_import_refused(self, message: str) -> None:
        if self.dialog is not None:
            self.dialog.show_refusal(f"Nothing was imported. {message}")
        self.import_finished.emit(False)

    def _on_dialog_finished(self, _result: int) -> None:
        if self.dialog is not None and self.worker is None:
            self.dialog.deleteLater()
            self.dialog = None

    def _on_session_signed_out(self) -> None:
        # The next person must not press Import on the previous person's choice.
        if self.dialog is not None and self.worker is None:
            self.dialog.reject()

    # Shared steps

    def _run(self, message: str, call, on_done, on_refused, parent=None) -> None:
        self.progress = QProgressDialog(message, None, 0, 0, parent or self.window)
        self.progress.setWindowTitle("Sharing")
        self.progress.setAccessibleName(message.rstrip("…"))
        self.progress.setMinimumDuration(0)
        self.progress.setWindowModality(Qt.WindowModality.WindowModal)
        self.worker = ServiceWorker(call, self)
        # Slots run in the order connected: the progress closes before the result shows.
        for signal, slot in ((self.worker.done, on_done), (self.worker.refused, on_refused)):
            signal.connect(self._close_progress)
            signal.connect(slot)
        self.worker.finished.connect(self._on_worker_finished)
        self.progress.show()
        self.worker.start()

    def _close_progress(self, *_args) -> None:
        if self.progress is not None:
            self.progress.close()
            self.progress.deleteLater()
            self.progress = None

    def _on_worker_finished(self) -> None:
        self._close_progress()
        self.worker.deleteLater()
        self.worker = None

    def _inform(self, title: str, text: str, icon) -> None:
        self.message_box = QMessageBox(icon, title, text, QMessageBox.StandardButton.Ok,
                                       self.window)
        self.message_box.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.message_box.open()
