"""The main window a user meets first, and the crash dialog."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication

from qidesk.ui.dialogs.crash_dialog import CrashDialog, crash_details
from qidesk.ui.main_window import MainWindow


def test_main_window_says_what_to_do_first(qtbot):
    window = MainWindow()
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: window.has_painted)
    assert window.windowTitle() == "QIDesk"
    assert window.screens.currentWidget() is window.empty_state
    assert window.empty_state.open_button.isVisible()
    assert window.empty_state.demo_button.accessibleName() == "Open the demo workbook"
    assert window.statusBar().currentMessage() == "No workbook open"


def test_demo_button_asks_for_the_demo(qtbot):
    window = MainWindow()
    qtbot.addWidget(window)
    window.show()
    with qtbot.waitSignal(window.demo_requested, timeout=1000):
        qtbot.mouseClick(window.empty_state.demo_button, Qt.MouseButton.LeftButton)


def test_crash_dialog_copies_its_details(qtbot):
    try:
        raise RuntimeError("boom in a slot")
    except RuntimeError as exc:
        details = crash_details(type(exc), exc, exc.__traceback__)
    dialog = CrashDialog(details)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.mouseClick(dialog.copy_button, Qt.MouseButton.LeftButton)
    copied = QGuiApplication.clipboard().text()
    assert "RuntimeError: boom in a slot" in copied
    assert copied.startswith("QIDesk ")
