"""Start the desktop app: QApplication, look and feel, crash hook, main window."""

from __future__ import annotations

import logging
import sys
from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication

from qidesk.paths import AppPaths, resource
from qidesk.process_clock import process_age_ms
from qidesk.settings import load_settings
from qidesk.ui.dialogs.crash_dialog import install_crash_hook
from qidesk.ui.main_window import MainWindow
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


def build_main_window(paths: AppPaths) -> tuple[MainWindow, WorkbookController]:
    """The main window with its controller, laid out as the user last left it."""
    window = MainWindow()
    controller = WorkbookController(window, paths, load_settings(paths.settings_file))
    if not controller.layout.restore_window(window):
        window.fit_to_screen()
    return window, controller


def run_desktop(paths: AppPaths, *, workbook: Path | None = None, demo: bool = False) -> int:
    """Show the main window and run until it closes; returns the exit code."""
    app = create_application()
    install_crash_hook()
    window, controller = build_main_window(paths)

    def _on_window_first_painted() -> None:
        _log.info("First window painted %.0f ms after process start", process_age_ms())
        # Open the workbook once the window is on screen, so the user sees QIDesk at once.
        QTimer.singleShot(0, lambda: controller.open_initial(workbook, demo=demo))

    window.first_painted.connect(_on_window_first_painted)
    window.show()
    code = app.exec()
    controller.shutdown()
    return code
