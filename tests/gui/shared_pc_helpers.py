"""Helpers for the opening and sign-in tests: a main window with its controller, and
answering the modal boxes (QMessageBox, QInputDialog) a flow opens with exec()."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QInputDialog,
    QLineEdit,
    QMessageBox,
)

from qidesk.paths import app_paths
from qidesk.settings import Settings
from qidesk.ui.main_window import MainWindow
from qidesk.ui.workbook_controller import WorkbookController


def make_window(qtbot, settings: Settings | None = None):
    """A shown main window and its controller, in the test's isolated folders."""
    window = MainWindow()
    qtbot.addWidget(window)
    window.resize(1200, 800)
    window.show()
    paths = app_paths()
    paths.ensure()
    controller = WorkbookController(window, paths, settings or Settings(welcome_shown=True))
    return window, controller


class ModalAnswers:
    """Answers the next modal boxes in order, each by keys or a click, as a user would.

    Each answer is ("button", text) to click the button with that text, or
    ("type", text) to type into an input dialog's line edit and press Enter.
    `seen` keeps each box's text so a test can check what the user was told.
    """

    def __init__(self, qtbot, *answers):
        self.qtbot = qtbot
        self.answers = list(answers)
        self.seen: list[str] = []
        QTimer.singleShot(50, self._answer)

    def _answer(self) -> None:
        if not self.answers:
            return
        box = QApplication.activeModalWidget()
        if not isinstance(box, (QMessageBox, QInputDialog)):
            QTimer.singleShot(50, self._answer)  # not shown yet
            return
        how, text = self.answers.pop(0)
        self.seen.append(box.text() if isinstance(box, QMessageBox) else box.labelText())
        if how == "type":
            edit = box.findChild(QLineEdit)
            edit.selectAll()
            self.qtbot.keyClicks(edit, text)
            self.qtbot.keyClick(edit, Qt.Key.Key_Return)
        else:
            button = next(b for b in box.findChildren(QAbstractButton)
                          if b.text().replace("&", "") == text)
            self.qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
        QTimer.singleShot(50, self._answer)

    @property
    def done(self) -> bool:
        return not self.answers
