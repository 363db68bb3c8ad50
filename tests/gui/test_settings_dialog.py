"""Settings: changed in their dialog, saved in one typed file, applied at once; the window
layout kept apart in an INI file."""

from __future__ import annotations

import configparser

import pytest
from PySide6.QtCore import Qt

from qidesk.paths import app_paths
from qidesk.settings import LAYOUT_FILE, Settings, load_settings
from qidesk.ui.application import build_main_window
from qidesk.ui.models.navigator_model import NavigatorRole

from shared_pc_helpers import make_window

RUN_CHART_MEASURE = "Patients who knew their expected discharge date"


@pytest.fixture
def opened(qtbot, demo_copy):
    window, controller = make_window(qtbot)
    controller.open(demo_copy)
    qtbot.keyClick(controller.session.dialog, Qt.Key.Key_Escape)  # look without signing in
    yield window, controller
    controller.close()


def _show_measure(controller, name: str) -> None:
    model = controller.screen.model
    for row in range(model.rowCount()):
        pending = [model.item(row)]
        while pending:
            item = pending.pop()
            entity = item.data(NavigatorRole.ENTITY)
            if item.data(NavigatorRole.KIND) == "measure" and entity.name == name:
                controller.screen.navigator.setCurrentIndex(item.index())
                return
            pending += [item.child(r) for r in range(item.rowCount())]
    raise AssertionError(f"no measure {name}")


def test_changing_the_rule_set_redraws_the_run_chart_with_it(opened, qtbot):
    window, controller = opened
    _show_measure(controller, RUN_CHART_MEASURE)
    shown = controller.screen.measure_screen
    assert shown.current_chart.chart == "run" and shown.current_chart.rule_set == "anhoej"
    window.settings_action.trigger()
    dialog = controller.settings_dialog
    qtbot.waitUntil(lambda: dialog.focusWidget() is dialog.rule_set_combo)
    qtbot.keyClick(dialog.rule_set_combo, Qt.Key.Key_Down)  # Anhøj -> IHI
    qtbot.keyClick(dialog.rule_set_combo, Qt.Key.Key_Tab)
    assert dialog.focusWidget() is dialog.idle_spin
    dialog.idle_spin.selectAll()
    qtbot.keyClicks(dialog.idle_spin, "5")
    qtbot.keyClick(dialog.idle_spin, Qt.Key.Key_Tab)
    qtbot.keyClick(dialog.frequency_combo, Qt.Key.Key_Down)  # Weekly -> Monthly
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert not dialog.isVisible()
    assert shown.current_chart.rule_set == "ihi"
    assert "IHI run chart rules" in shown.findings.text()
    saved = load_settings(app_paths().settings_file)
    assert (saved.run_chart_rules, saved.idle_sign_out_minutes, saved.default_frequency) == \
           ("ihi", 5, "month")
    assert controller.session.idle.interval_ms == 5 * 60_000


def test_cancel_changes_nothing(opened, qtbot):
    window, controller = opened
    window.settings_action.trigger()
    dialog = controller.settings_dialog
    qtbot.keyClick(dialog.rule_set_combo, Qt.Key.Key_Down)
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert controller.settings.run_chart_rules == "anhoej"
    assert controller.screen.measure_screen.current_chart.rule_set == "anhoej"


def test_a_data_folder_that_does_not_exist_is_refused_in_the_dialog(opened, qtbot, tmp_path):
    window, controller = opened
    window.settings_action.trigger()
    dialog = controller.settings_dialog
    qtbot.keyClicks(dialog.folder_edit, str(tmp_path / "nowhere"))
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert dialog.isVisible() and "There is no folder" in dialog.error_label.text()
    dialog.folder_edit.clear()
    qtbot.keyClicks(dialog.folder_edit, str(tmp_path))
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert not dialog.isVisible()
    assert controller.data_folder == tmp_path
    assert load_settings(app_paths().settings_file).data_folder == str(tmp_path)


def test_window_layout_is_kept_in_an_ini_file_and_restored(qtbot, demo_copy):
    paths = app_paths()
    paths.ensure()
    window, controller = build_main_window(paths)
    qtbot.addWidget(window)
    window.show()
    window.resize(777, 555)
    controller.settings = Settings(welcome_shown=True)
    controller.open(demo_copy)
    controller.screen.splitter.setSizes([310, 467])
    navigator_width = controller.screen.splitter.sizes()[0]
    controller.layout.save_window(window)
    controller.close()
    ini = configparser.ConfigParser()
    ini.read(paths.settings / LAYOUT_FILE)
    assert {"window", "splitters"} <= set(ini.sections())

    again, second = build_main_window(paths)
    qtbot.addWidget(again)
    again.show()
    assert (again.width(), again.height()) == (777, 555)
    second.open(demo_copy)
    assert second.screen.splitter.sizes()[0] == navigator_width
    second.close()
