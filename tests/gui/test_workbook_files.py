"""Workbook files from the File menu: first start, New, Open, Save As, recent files,
drag-and-drop, and restoring a damaged workbook from its backups."""

from __future__ import annotations

import os
import shutil
import struct

import pytest
from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QApplication

from qidesk.paths import app_paths
from qidesk.services import history, teams
from qidesk.services.workbook import current_holder, open_workbook
from qidesk.services.workbook_files import backups_of
from qidesk.settings import load_settings
from qidesk.ui.application import build_main_window
from qidesk.ui.models.backup_table_model import BackupTableModel
from qidesk.ui.models.navigator_model import NavigatorModel, NavigatorRole

from shared_pc_helpers import ModalAnswers, make_window


def _sign_in(qtbot, controller, name: str) -> None:
    qtbot.waitUntil(lambda: controller.session.dialog is not None
                    and controller.session.dialog.isVisible())
    dialog = controller.session.dialog
    qtbot.keyClicks(dialog.new_name, name)
    qtbot.keyClick(dialog.new_name, Qt.Key.Key_Return)


@pytest.fixture
def opened(qtbot):
    window, controller = make_window(qtbot)
    yield window, controller
    controller.close()


def _choose_file(monkeypatch, which: str, path) -> None:
    """Stand in for the platform's file chooser, which tests cannot drive."""
    monkeypatch.setattr(f"qidesk.ui.workbook_files.QFileDialog.{which}",
                        lambda *args, **kwargs: (str(path), ""))


def test_first_start_writes_the_demo_off_the_ui_thread_then_welcomes_once(qtbot):
    paths = app_paths()
    paths.ensure()
    window, controller = build_main_window(paths)
    qtbot.addWidget(window)
    window.show()
    controller.open_initial()
    assert controller.progress is not None and controller.progress.isVisible()
    assert controller.demo_writer.isRunning()  # the UI thread is free meanwhile
    qtbot.waitUntil(lambda: controller.wb is not None, timeout=60_000)
    assert controller.wb.path.name == "QIDesk demo workbook.qidesk"
    welcome = controller.welcome
    qtbot.waitUntil(welcome.isVisible)
    assert "ward team" in welcome.body.text()
    qtbot.keyClick(welcome.start_button, Qt.Key.Key_Return)
    _sign_in(qtbot, controller, "Sam Jones")  # then "Who is using QIDesk?"
    assert load_settings(paths.settings_file).welcome_shown
    controller.close()

    again, second = build_main_window(paths)
    qtbot.addWidget(again)
    second.open_initial()
    assert second.wb.path.name == "QIDesk demo workbook.qidesk"  # the last workbook
    assert second.welcome is None
    qtbot.waitUntil(lambda: second.session.dialog is not None)
    second.close()


def test_open_with_ctrl_o_and_close_with_ctrl_w(opened, demo_copy, qtbot, monkeypatch):
    window, controller = opened
    _choose_file(monkeypatch, "getOpenFileName", demo_copy)
    window.activateWindow()
    window.setFocus()
    qtbot.keyClick(window, Qt.Key.Key_O, Qt.KeyboardModifier.ControlModifier)
    assert controller.wb is not None and controller.wb.path == demo_copy
    assert current_holder(demo_copy) is not None
    qtbot.keyClick(controller.session.dialog, Qt.Key.Key_Escape)  # "Not now"
    assert controller.session.name is None
    qtbot.keyClick(window, Qt.Key.Key_W, Qt.KeyboardModifier.ControlModifier)
    assert controller.wb is None and window.screens.currentWidget() is window.empty_state
    assert current_holder(demo_copy) is None
    assert window.statusBar().currentMessage() == "No workbook open"


def test_recent_workbooks_newest_first_and_a_missing_one_is_dropped(opened, demo_copy, tmp_path, qtbot):
    window, controller = opened
    other = tmp_path / "ward9.qidesk"
    shutil.copy2(demo_copy, other)
    controller.open(demo_copy)
    controller.open(other)
    actions = window.recent_menu.actions()
    assert [a.data() for a in actions] == [str(other), str(demo_copy)]
    assert actions[0].text().startswith("&1 ward9")
    actions[1].trigger()
    assert controller.wb.path == demo_copy
    controller.close()
    other.unlink()
    answers = ModalAnswers(qtbot, ("button", "OK"))
    next(a for a in window.recent_menu.actions() if a.data() == str(other)).trigger()
    assert answers.done and "no workbook" in answers.seen[0].lower()
    assert [a.data() for a in window.recent_menu.actions()] == [str(demo_copy)]


def _drop(window, path) -> tuple[bool, bool]:
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(path))])
    enter = QDragEnterEvent(QPoint(50, 50), Qt.DropAction.CopyAction, mime,
                            Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(window, enter)
    drop = QDropEvent(QPointF(50, 50), Qt.DropAction.CopyAction, mime,
                      Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(window, drop)
    return enter.isAccepted(), drop.isAccepted()


def test_dropping_a_workbook_on_the_window_opens_it(opened, demo_copy, tmp_path, qtbot):
    window, controller = opened
    notes = tmp_path / "notes.txt"
    notes.write_text("not a workbook")
    assert _drop(window, notes) == (False, False)
    assert controller.wb is None
    assert _drop(window, demo_copy) == (True, True)
    assert controller.wb is not None and controller.wb.path == demo_copy
    assert window.screens.currentWidget() is controller.screen


def test_new_workbook_asks_for_the_first_team_and_records_who_created_it(
        opened, tmp_path, qtbot, monkeypatch):
    window, controller = opened
    target = tmp_path / "Stroke unit"
    _choose_file(monkeypatch, "getSaveFileName", target)
    answers = ModalAnswers(qtbot, ("type", ""), ("button", "OK"), ("type", "Stroke Unit"))
    window.new_action.trigger()
    assert answers.done and "name" in answers.seen[1].lower()  # the empty name was refused
    assert controller.wb.path == tmp_path / "Stroke unit.qidesk"
    _sign_in(qtbot, controller, "Dr Okafor")
    assert [t.name for t in teams.list_teams(controller.wb)] == ["Stroke Unit"]
    assert history.audit_trail(controller.wb, table="team", limit=1)[0].staff_name == "Dr Okafor"
    model = controller.screen.model
    assert model.item(0).text() == "Stroke Unit"
    # No project yet: the right-hand side says how to start, not an empty chart.
    screen = controller.screen
    assert screen.current_page() is screen.start_page
    assert "New project" in screen.start_page.text()


def test_new_workbook_never_overwrites_an_existing_file(opened, demo_copy, qtbot, monkeypatch):
    window, controller = opened
    before = demo_copy.read_bytes()
    _choose_file(monkeypatch, "getSaveFileName", demo_copy)
    answers = ModalAnswers(qtbot, ("button", "OK"))
    window.new_action.trigger()
    assert answers.done and "already exists" in answers.seen[0]
    assert controller.wb is None and demo_copy.read_bytes() == before


def test_save_as_copies_through_a_verified_backup_and_carries_on_in_the_copy(
        opened, demo_copy, tmp_path, qtbot, monkeypatch):
    window, controller = opened
    controller.open(demo_copy)
    _sign_in(qtbot, controller, "Sam Jones")
    folder = tmp_path / "shared drive"
    folder.mkdir()
    _choose_file(monkeypatch, "getSaveFileName", folder / "Ward 7 2027.qidesk")
    window.save_as_action.trigger()
    copy = folder / "Ward 7 2027.qidesk"
    assert controller.wb.path == copy and not controller.wb.read_only
    assert controller.session.name == "Sam Jones"  # the same person carries on
    assert current_holder(demo_copy) is None  # the original was closed
    left = {p.name for p in folder.iterdir()} - {"Ward 7 2027.qidesk-wal", "Ward 7 2027.qidesk-shm"}
    assert left == {"Ward 7 2027.qidesk", "Ward 7 2027.qidesk.lease"}  # no temporary copies
    with open_workbook(demo_copy, read_only=True) as original:
        assert [t.name for t in teams.list_teams(original)] == \
               [t.name for t in teams.list_teams(controller.wb)]
    assert window.windowTitle().startswith("Ward 7 2027")


def _damage(path) -> None:
    data = bytearray(path.read_bytes())
    page = struct.unpack(">H", data[16:18])[0]
    for start in range(2 * page, len(data) - page, 3 * page):
        data[start:start + 200] = os.urandom(200)
    path.write_bytes(bytes(data))


def test_a_damaged_workbook_offers_its_backups_and_opens_the_restored_copy(
        opened, demo_copy, qtbot):
    window, controller = opened
    with open_workbook(demo_copy, "Sam") as wb:
        wb.backup_now("manual")
        team_names = [t.name for t in teams.list_teams(wb)]
    _damage(demo_copy)
    assert not controller.open(demo_copy)
    dialog = controller.restore_dialog
    qtbot.waitUntil(dialog.isVisible)
    backups = backups_of(demo_copy)
    assert dialog.model.rowCount() == len(backups) >= 1
    assert dialog.model.index(0, 2).data().endswith("kB")
    assert dialog.model.index(0, 1).data() == "Made by hand"
    answers = ModalAnswers(qtbot, ("button", "No"))
    qtbot.mouseClick(dialog.restore_button, Qt.MouseButton.LeftButton)
    assert answers.done and controller.wb is None  # nothing happens without a yes
    answers = ModalAnswers(qtbot, ("button", "Yes"))
    qtbot.mouseClick(dialog.restore_button, Qt.MouseButton.LeftButton)
    assert answers.done
    assert controller.wb is not None and controller.wb.path == demo_copy
    assert not controller.wb.read_only
    assert [t.name for t in teams.list_teams(controller.wb)] == team_names
    kept = list(controller.wb.backup_folder.glob("*.qidesk-damaged"))
    assert len(kept) == 1  # the damaged file is kept for IT, not deleted


def test_a_damaged_workbook_without_backups_is_refused_plainly(opened, demo_copy, qtbot):
    _, controller = opened
    _damage(demo_copy)
    answers = ModalAnswers(qtbot, ("button", "OK"))
    assert not controller.open(demo_copy)
    assert answers.done and "No backups" in answers.seen[0]


def test_item_models_pass_the_model_tester(qtmodeltester, opened, demo_copy):
    _, controller = opened
    controller.open(demo_copy)
    navigator = NavigatorModel()
    assert navigator.load(controller.wb)
    assert not navigator.load(controller.wb)  # nothing changed: no rebuild
    qtmodeltester.check(navigator)
    kinds = set()
    pending = [navigator.item(r) for r in range(navigator.rowCount())]
    while pending:
        item = pending.pop()
        kinds.add(item.data(NavigatorRole.KIND))
        pending += [item.child(r) for r in range(item.rowCount())]
    assert {"team", "project", "measure", "driver_diagram", "change_idea",
            "pdsa_cycles", "pdsa_cycle"} <= kinds
    controller.wb.backup_now("manual")
    backups = BackupTableModel(backups_of(demo_copy))
    qtmodeltester.check(backups)
    assert backups.headerData(0, Qt.Orientation.Horizontal) == "Made"


def test_the_half_hourly_backup_runs_off_the_ui_thread_and_close_waits_for_it(
        qtbot, controller, demo_copy, monkeypatch):
    """Copying and checking a trust-sized workbook takes seconds: the window must keep
    painting while it runs, and closing must not pull the file from under it."""
    import threading

    from qidesk.domain.entities import Team
    from qidesk.storage import backup as storage_backup

    assert controller.open(demo_copy, signed_in_as="Joanne Pike")
    teams.add_team(controller.wb, Team(name="Ward 12"))
    store = controller.wb.store
    copying, carry_on, threads = threading.Event(), threading.Event(), []
    real_make_backup = storage_backup.make_backup

    def slow_make_backup(*args):
        threads.append(threading.current_thread())
        copying.set()
        carry_on.wait(10)
        return real_make_backup(*args)

    monkeypatch.setattr(storage_backup, "make_backup", slow_make_backup)
    store._last_backup -= 31 * 60  # 30 minutes since the last backup
    controller._on_backup_timeout()  # what the 5-minute timer calls
    assert copying.wait(10)  # started, and the UI thread is free meanwhile
    assert threads[0] is not threading.main_thread()
    teams.add_team(controller.wb, Team(name="Ward 14"))  # typed while it copies
    carry_on.set()
    qtbot.waitUntil(lambda: controller._backup_worker is None)
    assert [b.reason for b in backups_of(demo_copy)] == ["auto"]
    assert store.changed_since_backup  # Ward 14 may not be in that copy: still counts
    controller._on_backup_timeout()  # not due for another 30 minutes: nothing now
    qtbot.waitUntil(lambda: controller._backup_worker is None)
    assert len(backups_of(demo_copy)) == 1
    store._last_backup -= 31 * 60
    copying.clear()
    carry_on.clear()
    controller._on_backup_timeout()
    assert copying.wait(10)
    finish = threading.Timer(0.3, carry_on.set)  # close while it is still copying
    finish.start()
    controller.close()
    assert [b.reason for b in backups_of(demo_copy)] == ["auto", "auto"]  # waited for it
    finish.join()
