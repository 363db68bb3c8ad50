"""The dialog shown when QIDesk itself has a bug: plain words, details to copy for IT."""

from __future__ import annotations

import logging
import platform
import sys
import traceback
from types import TracebackType

from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from qidesk import __version__

_log = logging.getLogger(__name__)


def crash_details(exc_type: type[BaseException], exc: BaseException, tb: TracebackType | None) -> str:
    """The text IT needs: versions and the traceback (no workbook content)."""
    header = f"QIDesk {__version__} on Python {platform.python_version()}, {platform.platform()}\n\n"
    return header + "".join(traceback.format_exception(exc_type, exc, tb))


class CrashDialog(QDialog):
    """Says what happened, that data saved so far is safe, and offers the details to copy."""

    def __init__(self, details: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("QIDesk has hit a problem")
        self.setAccessibleName("Problem report")
        message = QLabel(
            "Something went wrong inside QIDesk. Everything you saved before this is safe in the "
            "workbook. Please copy the details below and send them to your IT service desk."
        )
        message.setWordWrap(True)
        self.details = QPlainTextEdit(details)
        self.details.setReadOnly(True)
        self.details.setAccessibleName("Problem details")
        self.copy_button = QPushButton("&Copy details")
        self.copy_button.clicked.connect(self._on_copy_button_clicked)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.addButton(self.copy_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(message)
        layout.addWidget(self.details)
        layout.addWidget(buttons)
        self.resize(640, 420)

    def _on_copy_button_clicked(self) -> None:
        QGuiApplication.clipboard().setText(self.details.toPlainText())


def install_crash_hook() -> None:
    """Route uncaught exceptions to the log and a crash dialog instead of a silent exit."""

    def hook(exc_type, exc, tb):
        if issubclass(exc_type, KeyboardInterrupt):
            sys.__excepthook__(exc_type, exc, tb)
            return
        details = crash_details(exc_type, exc, tb)
        _log.critical("Uncaught exception\n%s", details)
        if QApplication.instance() is not None:
            CrashDialog(details).exec()

    sys.excepthook = hook
