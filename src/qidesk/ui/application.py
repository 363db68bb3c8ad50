"""Start the desktop app: QApplication, look and feel, crash hook, main window."""

from __future__ import annotations

import logging
import sys
from pathlib import Path

from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication

from qidesk.paths import AppPaths, resource
from qidesk.ui.dialogs.crash_dialog import install_crash_hook
from qidesk.ui.main_window import MainWindow

_log = logging.getLogger(__name__)


def create_application(argv: list[str] | None = None) -> QApplication:
    """The one QApplication, with QIDesk's name, icon and style sheet."""
    app = QApplication.instance() or QApplication(argv or sys.argv[:1])
    app.setApplicationName("QIDesk")
    app.setOrganizationName("QIDesk")
    app.setWindowIcon(QIcon(str(resource("icons/qidesk.png"))))
    app.setStyleSheet(resource("style.qss").read_text(encoding="utf-8"))
    return app


def run_desktop(paths: AppPaths, *, workbook: Path | None = None, demo: bool = False) -> int:
    """Show the main window and run until it closes; returns the exit code."""
    app = create_application()
    install_crash_hook()
    window = MainWindow()
    window.show()
    _log.info("Main window shown")
    return app.exec()
