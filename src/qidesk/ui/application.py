"""Start the desktop app: QApplication, look and feel, crash hook, main window."""

from __future__ import annotations

import logging
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QTimer
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication

from qidesk.paths import AppPaths, resource
from qidesk.process_clock import process_age_ms
from qidesk.settings import LAYOUT_FILE, Settings, load_settings
from qidesk.ui.dialogs.crash_dialog import install_crash_hook
from qidesk.ui.main_window import MainWindow
from qidesk.ui.window_layout import WindowLayout

if TYPE_CHECKING:
    from qidesk.ui.workbook_controller import WorkbookController

_log = logging.getLogger(__name__)


def create_application(argv: list[str] | None = None) -> QApplication:
    """The one QApplication, with QIDesk's name, icon and style sheet."""
    app = QApplication.instance() or QApplication(argv or sys.argv[:1])
    app.setApplicationName("QIDesk")
    app.setOrganizationName("QIDesk")
    app.setWindowIcon(QIcon(str(resource("icons/qidesk.png"))))
    app.setStyleSheet(resource("style.qss").read_text(encoding="utf-8"))
    return app


def laid_out_window(paths: AppPaths) -> MainWindow:
    """The main window, where the user last left it (Qt only: quick to show)."""
    window = MainWindow()
    if not WindowLayout(paths.settings / LAYOUT_FILE).restore_window(window):
        window.fit_to_screen()
    return window


def attach_controller(window: MainWindow, paths: AppPaths, settings: Settings) -> WorkbookController:
    """Wire the workbook side to the window: this imports the database and chart code."""
    from qidesk.ui.workbook_controller import WorkbookController

    return WorkbookController(window, paths, settings)


def build_main_window(paths: AppPaths) -> tuple[MainWindow, WorkbookController]:
    """The main window with its controller, laid out as the user last left it."""
    window = laid_out_window(paths)
    return window, attach_controller(window, paths, load_settings(paths.settings_file))


def run_desktop(paths: AppPaths, *, workbook: Path | None = None, demo: bool = False) -> int:
    """Show the main window and run until it closes; returns the exit code."""
    app = create_application()
    install_crash_hook()
    settings = load_settings(paths.settings_file)
    window = laid_out_window(paths)
    window.statusBar().showMessage("Opening…")
    controllers: list[WorkbookController] = []

    def _on_window_first_painted() -> None:
        _log.info("First window painted %.0f ms after process start", process_age_ms())
        QTimer.singleShot(0, _open_workbook_side)

    def _open_workbook_side() -> None:
        # The database, migration and chart libraries take most of start-up: load them once
        # the window is on screen, so a ward PC shows QIDesk at once.
        controller = attach_controller(window, paths, settings)
        controllers.append(controller)
        controller.open_initial(workbook, demo=demo)

    window.first_painted.connect(_on_window_first_painted)
    window.show()
    code = app.exec()
    for controller in controllers:
        controller.shutdown()
    return code
