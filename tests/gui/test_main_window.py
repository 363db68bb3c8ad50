"""The main window a user meets first, and the crash dialog."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication

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
    body = window.empty_state.body
    assert "drag a workbook" in body.text()
    assert body.height() >= body.heightForWidth(body.width())  # every line shows


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


def _menu_texts(window):
    for menu_action in window.menuBar().actions():
        yield menu_action.text()
        for action in menu_action.menu().actions():
            if not action.isSeparator():
                yield action.text()


def test_every_menu_and_menu_item_has_a_mnemonic_and_the_standard_shortcuts(qtbot):
    window = MainWindow()
    qtbot.addWidget(window)
    texts = list(_menu_texts(window))
    assert [t for t in texts if "&" not in t] == []
    assert window.open_action.shortcut().toString() == "Ctrl+O"
    assert window.new_action.shortcut().toString() == "Ctrl+N"
    assert window.undo_action.shortcut().toString() == "Ctrl+Z"
    assert "Ctrl+Y" in [k.toString() for k in window.redo_action.shortcuts()]
    assert window.quit_action.shortcut().toString() == "Ctrl+Q"


def test_every_control_has_an_accessible_name_or_text_and_a_tooltip(qtbot, demo_copy):
    from PySide6.QtWidgets import QAbstractButton, QAbstractItemView, QComboBox, QLineEdit, QWidget

    from shared_pc_helpers import make_window

    window, controller = make_window(qtbot)
    controller.open(demo_copy)
    dialogs = [controller.session.dialog]
    window.settings_action.trigger()
    dialogs.append(controller.settings_dialog)
    unnamed = []
    for top in [window, *dialogs]:
        for widget in top.findChildren(QWidget):
            controls = (QAbstractButton, QAbstractItemView, QComboBox, QLineEdit)
            if (not isinstance(widget, controls) or not widget.isVisibleTo(top)
                    or widget.inherits("QHeaderView") or widget.objectName().startswith("qt_")
                    or widget.parent().inherits("QComboBox")):
                continue
            name = widget.accessibleName() or getattr(widget, "text", lambda: "")()
            if not name.replace("&", "").strip():
                unnamed.append(f"{type(widget).__name__} {widget.objectName()}")
    assert unnamed == []
    for action in (window.open_action, window.switch_user_action, window.settings_action,
                   window.save_as_action, window.new_action):
        assert action.toolTip() and not action.toolTip().startswith(action.text())
    controller.close()


def test_tab_reaches_the_navigator_and_the_switch_user_button(qtbot, demo_copy):
    from shared_pc_helpers import make_window

    window, controller = make_window(qtbot)
    controller.open(demo_copy)
    qtbot.keyClick(controller.session.dialog, Qt.Key.Key_Escape)
    navigator = controller.screen.navigator
    first = window.toolbar.widgetForAction(window.open_action)
    first.setFocus()
    qtbot.waitUntil(first.hasFocus)
    reached = []
    for _ in range(6):  # toolbar first, then the navigator, as the eye reads the window
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
        reached.append(QApplication.focusWidget())
    assert window.switch_user_button in reached and navigator in reached
    assert reached.index(window.switch_user_button) < reached.index(navigator)
    controller.close()


SCALED_LAYOUT = r"""
import json, os, sys
from pathlib import Path
from PySide6.QtWidgets import QApplication, QLabel, QAbstractButton, QLineEdit, QComboBox, QWidget
from qidesk.paths import app_paths
from qidesk.settings import Settings
from qidesk.ui.application import build_main_window, create_application

app = create_application()
paths = app_paths(sys.argv[1]); paths.ensure()
window, controller = build_main_window(paths)
controller.settings = Settings(welcome_shown=True)
window.resize(960, 540)  # a 1920x1080 screen at 200%
window.show()
controller.open(Path(sys.argv[2]))
controller.session.dialog.reject()
controller.session.sign_in_as("Staff Nurse Bernadette Featherstonehaugh")
for _ in range(20):
    app.processEvents()
clipped = []
for widget in window.findChildren(QWidget):
    if not isinstance(widget, (QLabel, QAbstractButton, QLineEdit, QComboBox)):
        continue
    if not widget.isVisible() or widget.width() == 0:
        continue
    need = widget.minimumSizeHint()
    if widget.width() < need.width() or widget.height() < need.height():
        clipped.append(f"{type(widget).__name__}:{widget.accessibleName() or widget.objectName()}")
bar = window.menuBar()
hidden_menus = [a.text() for a in bar.actions() if not bar.actionGeometry(a).isValid()
                or bar.actionGeometry(a).right() > bar.width()]
print(json.dumps({"ratio": window.devicePixelRatio(), "size": [window.width(), window.height()],
                  "minimum": [window.minimumSizeHint().width(), window.minimumSizeHint().height()],
                  "clipped": clipped, "hidden_menus": hidden_menus}))
controller.close()
"""


def test_main_window_lays_out_without_clipping_at_200_percent(tmp_path, demo_copy):
    import json
    import os
    import subprocess
    import sys

    env = {**os.environ, "QT_SCALE_FACTOR": "2", "QT_QPA_PLATFORM": "offscreen"}
    out = subprocess.run([sys.executable, "-c", SCALED_LAYOUT, str(tmp_path / "data"),
                          str(demo_copy)], env=env, capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr[-2000:]
    result = json.loads(out.stdout.strip().splitlines()[-1])
    assert result["ratio"] == 2.0
    assert result["minimum"][0] <= 960 and result["minimum"][1] <= 540
    assert result["clipped"] == []
    assert result["hidden_menus"] == []


def _select_row(screen, kind: str, index: int = 0):
    from qidesk.ui.models.navigator_model import NavigatorRole

    found = []
    pending = [screen.model.item(r) for r in range(screen.model.rowCount())]
    while pending:
        item = pending.pop(0)
        if item.data(NavigatorRole.KIND) == kind:
            found.append(item)
        pending[:0] = [item.child(r) for r in range(item.rowCount())]
    screen.navigator.setCurrentIndex(found[index].index())
    return found[index]


def test_new_measure_from_the_measure_menu_is_saved_shown_and_undoable(qtbot, demo_copy):
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QDialogButtonBox

    from qidesk.services import measures
    from qidesk.settings import Settings
    from qidesk.ui.dialogs.measure_dialog import MeasureDialog

    from shared_pc_helpers import make_window

    window, controller = make_window(qtbot, Settings(welcome_shown=True, default_frequency="month"))
    controller.open(demo_copy)
    dialog = controller.session.dialog
    qtbot.keyClicks(dialog.new_name, "Sam Jones")
    qtbot.keyClick(dialog.new_name, Qt.Key.Key_Return)
    project = _select_row(controller.screen, "project").data(Qt.ItemDataRole.UserRole + 1)
    assert window.new_measure_action.isEnabled() and not window.edit_measure_action.isEnabled()
    seen = {}

    def fill_in():
        measure_dialog = QApplication.activeModalWidget()
        if not isinstance(measure_dialog, MeasureDialog):
            QTimer.singleShot(50, fill_in)
            return
        seen["frequency"] = measure_dialog.frequency.currentData()
        qtbot.keyClicks(measure_dialog.name, "Pressure ulcers")
        qtbot.keyClicks(measure_dialog.definition, "New category 2+ pressure ulcers on the ward")
        save = measure_dialog.buttons.button(QDialogButtonBox.StandardButton.Save)
        qtbot.mouseClick(save, Qt.MouseButton.LeftButton)

    QTimer.singleShot(50, fill_in)
    window.new_measure_action.trigger()
    assert seen["frequency"] == "month"  # the default frequency from the settings
    assert "Pressure ulcers" in [m.name for m in measures.list_measures(controller.wb, project.id)]
    assert controller.screen.measure_screen.heading.text() == "Pressure ulcers"
    assert controller.screen.current_item()[0] == "measure"
    assert window.edit_measure_action.isEnabled()
    menu = controller.screen.context_menu_for(controller.screen.navigator.currentIndex())
    offered = [a.text() for a in menu.actions()]
    assert offered[:4] == ["&New measure in this project…", "&Edit measure…",
                           "&Import data from a file…", "E&xport data…"]
    assert "&Sign off this measure…" in offered
    window.undo_action.trigger()
    assert "Pressure ulcers" not in [m.name for m in measures.list_measures(controller.wb, project.id)]
    assert all(item.text() != "Pressure ulcers  ·  Outcome"
               for item in controller.screen.model.findItems("Pressure ulcers", Qt.MatchFlag.MatchStartsWith
                                                            | Qt.MatchFlag.MatchRecursive))
    window.redo_action.trigger()
    assert "Pressure ulcers" in [m.name for m in measures.list_measures(controller.wb, project.id)]
    window.switch_user_action.trigger()  # the next person cannot undo Sam's work
    assert not window.undo_action.isEnabled() and not window.redo_action.isEnabled()
    assert "Pressure ulcers" in [m.name for m in measures.list_measures(controller.wb, project.id)]
    controller.close()


def test_new_measure_with_nobody_signed_in_asks_who_is_using_qidesk_first(qtbot, demo_copy):
    from shared_pc_helpers import make_window

    window, controller = make_window(qtbot)
    controller.open(demo_copy)
    qtbot.keyClick(controller.session.dialog, Qt.Key.Key_Escape)
    _select_row(controller.screen, "measure")
    window.new_measure_action.trigger()
    dialog = controller.session.dialog
    qtbot.waitUntil(dialog.isVisible)
    assert "before changing measures" in dialog.reason_label.text()
    controller.close()


def test_a_new_menu_goes_before_tools_and_asking_again_gives_the_same_menu(qtbot):
    from qidesk.ui.main_window import MainWindow

    window = MainWindow()
    qtbot.addWidget(window)
    project = window.menu("&Project")
    assert window.menu("&Project") is project
    assert window.menu("&Measure") is window.measure_menu
    titles = [a.text() for a in window.menuBar().actions()]
    assert titles.index("&Project") == titles.index("&Tools") - 1
