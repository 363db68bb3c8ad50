"""Shared PCs: idle sign-out, workbooks held by another PC, newer workbooks."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime, timedelta

import pytest
from PySide6.QtCore import QPoint, Qt

from qidesk.domain.entities import Team
from qidesk.services import history, teams
from qidesk.services.workbook import current_holder
from qidesk.storage.errors import WorkbookReadOnly
from qidesk.storage.lease import LeaseInfo, lease_path

from shared_pc_helpers import ModalAnswers, make_window


def _sign_in(qtbot, controller, name: str) -> None:
    qtbot.waitUntil(lambda: controller.session.dialog is not None
                    and controller.session.dialog.isVisible())
    dialog = controller.session.dialog
    qtbot.keyClicks(dialog.new_name, name)
    qtbot.keyClick(dialog.new_name, Qt.Key.Key_Return)
    assert controller.session.name == name


def _lease_from_another_pc(workbook, *, quiet_for: timedelta) -> LeaseInfo:
    """A lease as another ward PC leaves it, last heard from `quiet_for` ago."""
    heard = datetime.now(UTC) - quiet_for
    info = LeaseInfo("Sister Jones", "ward7", "WARD7-PC-03", 4242, heard - timedelta(hours=1),
                     heard, "0123456789abcdef")
    lease_path(workbook).write_text(info.to_json(), encoding="utf-8")
    return info


@pytest.fixture
def window_and_controller(qtbot):
    window, controller = make_window(qtbot)
    yield window, controller
    controller.close()


def test_idle_sign_out_asks_again_and_nothing_is_written_under_the_old_name(
        window_and_controller, demo_copy, qtbot):
    window, controller = window_and_controller
    controller.session.idle.set_interval_ms(400)
    controller.open(demo_copy)
    _sign_in(qtbot, controller, "Sam Jones")
    teams.add_team(controller.wb, Team(name="Ward 8"))
    qtbot.waitUntil(lambda: controller.session.name is None, timeout=3000)
    assert window.user_label.text() == "Nobody signed in"
    dialog = controller.session.dialog
    qtbot.waitUntil(lambda: dialog.isVisible())
    assert "signed out" in dialog.reason_label.text() and dialog.reason_label.isVisible()
    assert dialog.chosen_name() == ""  # the next person must pick; nobody is preselected
    with pytest.raises(WorkbookReadOnly, match="Nobody is signed in"):
        teams.add_team(controller.wb, Team(name="Ward 9"))
    latest = history.audit_trail(controller.wb, table="team", limit=1)[0]
    assert (latest.staff_name, latest.changes["name"][1]) == ("Sam Jones", "Ward 8")
    assert "Ward 9" not in [t.name for t in teams.list_teams(controller.wb)]
    qtbot.keyClicks(dialog.new_name, "Tom Reilly")
    qtbot.keyClick(dialog.new_name, Qt.Key.Key_Return)
    teams.add_team(controller.wb, Team(name="Ward 9"))
    assert history.audit_trail(controller.wb, table="team", limit=1)[0].staff_name == "Tom Reilly"


def test_keyboard_and_mouse_activity_keep_the_user_signed_in(window_and_controller, demo_copy, qtbot):
    window, controller = window_and_controller
    controller.session.idle.set_interval_ms(1500)
    controller.open(demo_copy)
    _sign_in(qtbot, controller, "Sam Jones")
    navigator = controller.screen.navigator
    for step in range(10):  # 10 x 300 ms of use: twice the idle time
        qtbot.wait(300)
        if step % 2:
            qtbot.keyClick(navigator, Qt.Key.Key_Shift)
        else:
            qtbot.mouseMove(navigator.viewport(), navigator.viewport().rect().topLeft()
                            + QPoint(5 + step, 5))
    assert controller.session.name == "Sam Jones"
    qtbot.waitUntil(lambda: controller.session.name is None, timeout=5000)


def test_idle_minutes_come_from_the_settings(qtbot):
    from qidesk.settings import Settings

    _, controller = make_window(qtbot, Settings(idle_sign_out_minutes=7, welcome_shown=True))
    assert controller.session.idle.interval_ms == 7 * 60_000


def test_a_read_only_workbook_asks_nobody_to_sign_in(window_and_controller, demo_copy, qtbot):
    window, controller = window_and_controller
    _lease_from_another_pc(demo_copy, quiet_for=timedelta(seconds=20))
    controller.open(demo_copy)
    assert controller.wb.read_only
    assert controller.session.dialog is None
    assert not window.switch_user_action.isEnabled()
    assert window.read_only_label.isVisible() and window.read_only_label.text() == "Read-only"


def test_a_fresh_lease_from_another_pc_offers_no_take_over(window_and_controller, demo_copy, qtbot):
    _, controller = window_and_controller
    _lease_from_another_pc(demo_copy, quiet_for=timedelta(seconds=20))
    controller.open(demo_copy)
    banner = controller.screen.banner
    assert banner.isVisible()
    assert "Sister Jones" in banner.text() and "WARD7-PC-03" in banner.text()
    assert not banner.take_over_button.isVisible()


def test_a_stale_lease_is_taken_over_only_after_confirmation(window_and_controller, demo_copy, qtbot):
    window, controller = window_and_controller
    _lease_from_another_pc(demo_copy, quiet_for=timedelta(minutes=25))
    controller.open(demo_copy)
    banner = controller.screen.banner
    assert controller.wb.read_only and banner.take_over_button.isVisible()
    assert "over 10 minutes" in banner.text()

    answers = ModalAnswers(qtbot, ("button", "Cancel"))
    qtbot.mouseClick(banner.take_over_button, Qt.MouseButton.LeftButton)
    assert answers.done and "WARD7-PC-03" in answers.seen[0] and "25 minutes" in answers.seen[0]
    assert controller.wb.read_only
    assert current_holder(demo_copy).computer == "WARD7-PC-03"

    answers = ModalAnswers(qtbot, ("button", "Take over"))
    qtbot.mouseClick(controller.screen.banner.take_over_button, Qt.MouseButton.LeftButton)
    assert answers.done
    assert not controller.wb.read_only
    assert not controller.screen.banner.isVisible()
    assert current_holder(demo_copy).computer != "WARD7-PC-03"
    _sign_in(qtbot, controller, "Sam Jones")
    teams.add_team(controller.wb, Team(name="Ward 8"))


def test_the_banner_offers_take_over_once_the_holder_goes_quiet(window_and_controller, demo_copy, qtbot):
    _, controller = window_and_controller
    _lease_from_another_pc(demo_copy, quiet_for=timedelta(minutes=2))
    controller.open(demo_copy)
    assert not controller.screen.banner.take_over_button.isVisible()
    _lease_from_another_pc(demo_copy, quiet_for=timedelta(minutes=12))
    controller._heartbeat.timeout.emit()  # the minute timer fires
    assert controller.screen.banner.take_over_button.isVisible()


def test_a_workbook_from_a_newer_qidesk_opens_read_only_with_the_reason(
        window_and_controller, demo_copy, qtbot):
    window, controller = window_and_controller
    conn = sqlite3.connect(demo_copy)
    conn.execute("UPDATE alembic_version SET version_num = '0099'")
    conn.execute("UPDATE workbook_info SET value = '9.1.0' WHERE key = 'app_version'")
    conn.commit()
    conn.close()
    controller.open(demo_copy)
    assert controller.wb.read_only
    banner = controller.screen.banner
    assert banner.isVisible() and "QIDesk 9.1.0" in banner.text()
    assert "install the newer QIDesk" in banner.text()
    assert not banner.take_over_button.isVisible()
    assert controller.session.dialog is None
    assert "QIDesk 9.1.0" in window.read_only_label.toolTip()


def test_losing_the_lease_switches_to_read_only_and_stops_sign_in(window_and_controller, demo_copy, qtbot):
    window, controller = window_and_controller
    controller.open(demo_copy)
    _sign_in(qtbot, controller, "Sam Jones")
    _lease_from_another_pc(demo_copy, quiet_for=timedelta(seconds=1))  # someone took over
    controller._heartbeat.timeout.emit()
    assert controller.wb.read_only
    assert controller.screen.banner.isVisible() and "took over" in controller.screen.banner.text()
    assert window.read_only_label.isVisible()
    assert not controller.session.idle.watching


def test_another_pc_is_told_the_signed_in_name_not_the_shared_login(
        window_and_controller, demo_copy, qtbot):
    _, controller = window_and_controller
    controller.open(demo_copy)
    _sign_in(qtbot, controller, "Sam Jones")
    assert current_holder(demo_copy).staff_name == "Sam Jones"


def test_idle_sign_out_closes_the_previous_persons_half_filled_measure_form(
        window_and_controller, demo_copy, qtbot):
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from qidesk.services import measures
    from qidesk.ui.dialogs.measure_dialog import MeasureDialog

    window, controller = window_and_controller
    controller.open(demo_copy)
    _sign_in(qtbot, controller, "Sam Jones")
    project = controller.screen.model.item(0).child(0).data(Qt.ItemDataRole.UserRole + 1)
    controller.screen.navigator.setCurrentIndex(controller.screen.model.item(0).child(0).index())
    controller.session.idle.set_interval_ms(400)
    controller.session.idle.start()
    seen = {}

    def half_fill():
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, MeasureDialog):
            QTimer.singleShot(50, half_fill)
            return
        dialog.name.setText("Sam's draft measure")  # no key presses: the PC is left idle
        seen["dialog"] = dialog

    QTimer.singleShot(50, half_fill)
    window.new_measure_action.trigger()  # returns once the form has been closed
    assert "dialog" in seen and controller.session.name is None
    assert "Sam's draft measure" not in [m.name for m in measures.list_measures(controller.wb, project.id)]


def test_when_the_other_pc_closes_the_workbook_it_can_be_opened_for_changes(
        window_and_controller, demo_copy, qtbot):
    _, controller = window_and_controller
    _lease_from_another_pc(demo_copy, quiet_for=timedelta(seconds=30))
    controller.open(demo_copy)
    lease_path(demo_copy).unlink()  # Sister Jones closed QIDesk on her PC
    controller._heartbeat.timeout.emit()
    button = controller.screen.banner.take_over_button
    assert button.isVisible() and button.text() == "&Open for changes"
    assert "closed this workbook" in controller.screen.banner.text()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)  # nobody to confirm against
    assert not controller.wb.read_only
