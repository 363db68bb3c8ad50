""""Who is using QIDesk?": pick or add your name; each change then records it."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel

from qidesk.domain.entities import Team
from qidesk.services import history, teams
from qidesk.storage.errors import WorkbookReadOnly
from qidesk.ui.dialogs.sign_in_dialog import SELF_DECLARED
from qidesk.ui.models.staff_list_model import StaffListModel

from shared_pc_helpers import make_window


@pytest.fixture
def opened(qtbot, demo_copy):
    window, controller = make_window(qtbot)
    assert controller.open(demo_copy)
    yield window, controller
    controller.close()


def _dialog(qtbot, controller):
    qtbot.waitUntil(lambda: controller.session.dialog is not None
                    and controller.session.dialog.isVisible())
    return controller.session.dialog


def _add_team_as_ui_user(controller, name: str) -> None:
    teams.add_team(controller.wb, Team(name=name))


def test_the_dialog_says_names_are_self_declared_and_nothing_is_written_before_sign_in(opened, qtbot):
    window, controller = opened
    dialog = _dialog(qtbot, controller)
    assert dialog.windowTitle() == "Who is using QIDesk?"
    assert any(SELF_DECLARED in label.text() for label in dialog.findChildren(QLabel))
    assert "not a security check" in SELF_DECLARED and "audit trail" in SELF_DECLARED
    assert window.user_label.text() == "Nobody signed in"
    with pytest.raises(WorkbookReadOnly, match="Nobody is signed in"):
        _add_team_as_ui_user(controller, "Ward 8")


def test_pick_a_name_by_keyboard_and_the_next_change_records_it(opened, qtbot):
    window, controller = opened
    dialog = _dialog(qtbot, controller)
    names = [dialog.model.index(r, 0).data() for r in range(dialog.model.rowCount())]
    assert "Ben Carter" in names
    dialog.staff_list.setFocus()
    qtbot.keyClicks(dialog.staff_list, "Ben")  # type-ahead jumps to the name
    assert dialog.chosen_name() == "Ben Carter"
    qtbot.keyClick(dialog.staff_list, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not dialog.isVisible())
    assert controller.session.name == "Ben Carter"
    assert window.user_label.text() == "Signed in: Ben Carter"
    _add_team_as_ui_user(controller, "Ward 8")
    latest = history.audit_trail(controller.wb, table="team", limit=1)[0]
    assert latest.staff_name == "Ben Carter" and latest.changes["name"][1] == "Ward 8"


def test_add_a_new_name_by_typing_it(opened, qtbot):
    window, controller = opened
    dialog = _dialog(qtbot, controller)
    qtbot.keyClicks(dialog.new_name, "Priya Natarajan")
    qtbot.keyClick(dialog.new_name, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not dialog.isVisible())
    assert "Priya Natarajan" in [s.name for s in teams.list_staff(controller.wb)]
    added = history.audit_trail(controller.wb, table="staff", limit=1)[0]
    assert added.staff_name == "Priya Natarajan"  # the person added their own name
    assert window.user_label.text() == "Signed in: Priya Natarajan"
    _add_team_as_ui_user(controller, "Ward 9")
    assert history.audit_trail(controller.wb, table="team", limit=1)[0].staff_name == "Priya Natarajan"


def test_typing_an_existing_name_in_another_case_signs_in_without_a_duplicate(opened, qtbot):
    _, controller = opened
    dialog = _dialog(qtbot, controller)
    before = len(teams.list_staff(controller.wb))
    qtbot.keyClicks(dialog.new_name, "  ben carter ")
    qtbot.mouseClick(dialog.sign_in_button, Qt.MouseButton.LeftButton)
    assert controller.session.name == "Ben Carter"
    assert len(teams.list_staff(controller.wb)) == before


def test_no_choice_or_a_refused_name_keeps_the_dialog_open_with_the_reason(opened, qtbot):
    _, controller = opened
    dialog = _dialog(qtbot, controller)
    qtbot.mouseClick(dialog.sign_in_button, Qt.MouseButton.LeftButton)
    assert dialog.isVisible() and "Pick your name" in dialog.error_label.text()
    qtbot.keyClicks(dialog.new_name, "x" * 300)
    qtbot.keyClick(dialog.new_name, Qt.Key.Key_Return)
    assert dialog.isVisible() and dialog.error_label.isVisible()
    assert dialog.new_name.text() == "x" * 300  # kept, to be corrected
    assert controller.session.name is None
    with pytest.raises(WorkbookReadOnly):
        _add_team_as_ui_user(controller, "Ward 8")


def test_not_now_leaves_nobody_signed_in_and_switch_user_asks_again(opened, qtbot):
    window, controller = opened
    dialog = _dialog(qtbot, controller)
    qtbot.mouseClick(dialog.not_now_button, Qt.MouseButton.LeftButton)
    assert controller.session.name is None
    assert "Switch user" in window.statusBar().currentMessage()
    qtbot.mouseClick(window.switch_user_button, Qt.MouseButton.LeftButton)
    dialog = _dialog(qtbot, controller)
    qtbot.keyClicks(dialog.new_name, "Sam Jones")
    qtbot.keyClick(dialog.new_name, Qt.Key.Key_Return)
    assert controller.session.name == "Sam Jones"


def test_switch_user_signs_the_previous_person_out_at_once(opened, qtbot):
    window, controller = opened
    dialog = _dialog(qtbot, controller)
    qtbot.keyClicks(dialog.new_name, "Sam Jones")
    qtbot.keyClick(dialog.new_name, Qt.Key.Key_Return)
    window.switch_user_action.trigger()
    dialog = _dialog(qtbot, controller)
    assert window.user_label.text() == "Nobody signed in"
    with pytest.raises(WorkbookReadOnly):
        _add_team_as_ui_user(controller, "Ward 8")
    qtbot.keyClicks(dialog.new_name, "Tom Reilly")
    qtbot.mouseClick(dialog.sign_in_button, Qt.MouseButton.LeftButton)
    _add_team_as_ui_user(controller, "Ward 8")
    assert history.audit_trail(controller.wb, table="team", limit=1)[0].staff_name == "Tom Reilly"


def test_staff_list_model_passes_the_model_tester(qtmodeltester, opened, qtbot):
    _, controller = opened
    model = StaffListModel(teams.list_staff(controller.wb))
    qtmodeltester.check(model)
    assert model.row_of("  AMARA okafor") == 0
    assert model.index(0, 0).data(Qt.ItemDataRole.UserRole).name == "Amara Okafor"
    assert model.index(0, 0).data() == "Amara Okafor — Staff nurse"  # the demo's role
    assert model.name_at(0) == "Amara Okafor"


def test_add_a_name_with_a_role_by_keyboard_and_the_list_shows_it(opened, qtbot):
    window, controller = opened
    dialog = _dialog(qtbot, controller)
    dialog.new_name.setFocus()
    qtbot.keyClicks(dialog.new_name, "Priya Natarajan")
    qtbot.keyClick(dialog.new_name, Qt.Key.Key_Tab)  # the role sits next in the tab order
    assert dialog.new_role.hasFocus()
    qtbot.keyClicks(dialog.new_role, "Staff nurse")
    qtbot.keyClick(dialog.new_role, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not dialog.isVisible())
    assert controller.session.name == "Priya Natarajan"
    staff = {s.name: s.role for s in teams.list_staff(controller.wb)}
    assert staff["Priya Natarajan"] == "Staff nurse"
    window.switch_user_action.trigger()
    dialog = _dialog(qtbot, controller)
    shown = [dialog.model.index(r, 0).data() for r in range(dialog.model.rowCount())]
    assert "Priya Natarajan \u2014 Staff nurse" in shown
    assert "Ben Carter" in shown  # no role: the name alone
    dialog.staff_list.setFocus()
    qtbot.keyClicks(dialog.staff_list, "Priya N")  # type-ahead still finds the name
    assert dialog.chosen_name() == "Priya Natarajan"
    qtbot.keyClick(dialog.staff_list, Qt.Key.Key_Return)
    assert controller.session.name == "Priya Natarajan"  # the name, not "Name — Role"


def test_a_role_typed_beside_an_existing_name_changes_it(opened, qtbot):
    _, controller = opened
    dialog = _dialog(qtbot, controller)
    before = len(teams.list_staff(controller.wb))
    qtbot.keyClicks(dialog.new_name, "ben carter")
    qtbot.keyClicks(dialog.new_role, "HCA")
    qtbot.mouseClick(dialog.sign_in_button, Qt.MouseButton.LeftButton)
    assert controller.session.name == "Ben Carter"
    staff = teams.list_staff(controller.wb)
    assert len(staff) == before and {s.name: s.role for s in staff}["Ben Carter"] == "HCA"
    assert history.audit_trail(controller.wb, table="staff", limit=1)[0].staff_name == "Ben Carter"


def test_a_refused_role_keeps_the_dialog_open_with_the_reason(opened, qtbot):
    _, controller = opened
    dialog = _dialog(qtbot, controller)
    qtbot.keyClicks(dialog.new_name, "Sam Jones")
    qtbot.keyClicks(dialog.new_role, "r" * 80)
    qtbot.keyClick(dialog.new_role, Qt.Key.Key_Return)
    assert dialog.isVisible() and dialog.error_label.isVisible()
    assert "Role" in dialog.error_label.text() and dialog.new_role.hasFocus()
    assert controller.session.name is None
    assert "Sam Jones" not in [s.name for s in teams.list_staff(controller.wb)]
