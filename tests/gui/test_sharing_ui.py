"""Share menu: export a project to a bundle, take it to another ward's workbook, import it
through the dialog (conflicts shown first) and find it in the navigator; damaged bundles
are refused with the reason and change nothing."""

from __future__ import annotations

import json
import zipfile
from datetime import date

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox

from qidesk.domain.entities import Annotation, Team
from qidesk.domain.enums import AnnotationKind
from qidesk.services import data_points, history, measures, projects, sharing, teams
from qidesk.services.sharing_format import BundleRejected
from qidesk.services.workbook import open_workbook
from qidesk.ui.models.navigator_model import NavigatorRole
from qidesk.ui.sharing_actions import SharingActions

FALLS = "Reducing inpatient falls"
WARD9 = "Ward 9 — Respiratory"
WAIT_MS = 30_000


@pytest.fixture
def sharing_ui(controller, demo_copy, tmp_path) -> SharingActions:
    assert controller.open(demo_copy, signed_in_as="Lisa Duffy")
    group = next(g for g in controller.action_groups if isinstance(g, SharingActions))
    group.proposed = []

    def save_to(_parent, proposed):
        group.proposed.append(proposed)
        return tmp_path / proposed.name

    group.choose_save_path = save_to
    return group


@pytest.fixture
def ward9(tmp_path):
    """Another ward's workbook, with its own team and nothing else."""
    path = tmp_path / "ward9.qidesk"
    with open_workbook(path, "Ola Nowak", create=True) as wb:
        teams.add_team(wb, Team(name=WARD9))
    return path


def falls_id(wb) -> int:
    return next(p.id for t in teams.list_teams(wb) for p in projects.list_projects(wb, t.id)
                if p.title == FALLS)


def all_titles(wb) -> list[str]:
    return sorted(p.title for t in teams.list_teams(wb) for p in projects.list_projects(wb, t.id))


def audit_count(wb) -> int:
    return len(history.audit_trail(wb, limit=10**7))


def select_project(controller, title: str) -> None:
    screen = controller.screen
    wanted = next(p for t in teams.list_teams(controller.wb)
                  for p in projects.list_projects(controller.wb, t.id) if p.title == title)
    assert screen.show_item("project", wanted.id)


def export_falls(qtbot, group, controller):
    """Share > Export project… with the falls project chosen in the navigator."""
    select_project(controller, FALLS)
    assert group.export_action.isEnabled()
    with qtbot.waitSignal(group.export_finished, timeout=WAIT_MS) as finished:
        group.export_action.trigger()
    assert finished.args == [True]


def children_of_current(screen) -> list[str]:
    index = screen.navigator.currentIndex()
    model = screen.model
    return [model.index(row, 0, index).data(NavigatorRole.ENTITY).name
            for row in range(model.rowCount(index))
            if model.index(row, 0, index).data(NavigatorRole.KIND) == "measure"]


def press_import(qtbot, group, dialog) -> list:
    assert dialog.import_button.isEnabled()
    with qtbot.waitSignal(group.import_finished, timeout=WAIT_MS) as finished:
        qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    return finished.args


def test_share_menu_and_row_actions(sharing_ui, controller, window):
    menu = window.menu("&Share")
    assert [a.text() for a in menu.actions()] == ["&Export project for another ward…",
                                                  "&Import project from another ward…"]
    select_project(controller, FALLS)
    labels = [a.text() for a in controller.screen.context_menu_for(
        controller.screen.navigator.currentIndex()).actions()]
    assert "Export project for another ward…" in labels
    team_row = controller.screen.navigator.currentIndex().parent()
    labels = [a.text() for a in controller.screen.context_menu_for(team_row).actions()]
    assert "Import project from another ward…" in labels


def test_export_then_import_into_another_ward_shows_the_project_with_its_measures(
        qtbot, sharing_ui, controller, ward9, tmp_path):
    group = sharing_ui
    source = controller.wb
    expected_measures = sorted(m.name for m in measures.list_measures(source, falls_id(source)))
    points = sum(len(data_points.list_data_points(source, m.id))
                 for m in measures.list_measures(source, falls_id(source)))
    source_team = teams.get_team(source, projects.get_project(source, falls_id(source))
                                 .team_id).name
    export_falls(qtbot, group, controller)
    [proposed] = group.proposed
    assert proposed.name == f"{FALLS} {date.today().isoformat()}.qidesk-project"
    bundle = tmp_path / proposed.name
    assert bundle.exists()
    told = group.message_box.text()
    assert f"'{FALLS}' was saved to" in told and str(bundle) in told
    assert f"{len(expected_measures)} measures" in told and "data points" in told
    assert f"{points:,} data points" in told
    group.message_box.accept()

    assert controller.open(ward9, signed_in_as="Ola Nowak")
    assert all_titles(controller.wb) == []
    dialog = group.import_project(path=bundle)
    assert dialog.isVisible()
    assert FALLS in dialog.heading.text()
    assert dialog.source_label.text() == f"{source_team} — ward7.qidesk"
    assert "Lisa Duffy" in dialog.exported_label.text()
    assert f"{len(expected_measures)} measures" in dialog.contents_label.text()
    assert dialog.team.currentText() == WARD9
    assert dialog.title.text() == FALLS
    before = audit_count(controller.wb)

    assert press_import(qtbot, group, dialog) == [True]
    assert not dialog.isVisible()
    wb = controller.wb
    assert all_titles(wb) == [FALLS]
    assert audit_count(wb) > before
    screen = controller.screen
    assert screen.current_item() == ("project", falls_id(wb))
    assert sorted(children_of_current(screen)) == expected_measures
    assert FALLS in window_status(controller)


def window_status(controller) -> str:
    return controller.window.statusBar().currentMessage()


def _tamper(bundle) -> None:
    """Change one measure's name without a new checksum, as a hand edit would."""
    with zipfile.ZipFile(bundle) as z:
        manifest, payload = z.read("manifest.json"), json.loads(z.read("project.json"))
    payload["measure"][0]["name"] = "Edited by hand"
    with zipfile.ZipFile(bundle, "w") as z:
        z.writestr("manifest.json", manifest)
        z.writestr("project.json", json.dumps(payload))


def test_a_tampered_bundle_is_refused_with_its_reason_and_nothing_changes(
        qtbot, sharing_ui, controller, ward9, tmp_path):
    group = sharing_ui
    export_falls(qtbot, group, controller)
    bundle = tmp_path / group.proposed[-1].name
    group.message_box.accept()
    _tamper(bundle)
    with pytest.raises(BundleRejected) as rejected:
        sharing.inspect_bundle(bundle)
    assert controller.open(ward9, signed_in_as="Ola Nowak")
    wb = controller.wb
    before = (audit_count(wb), all_titles(wb))

    dialog = group.import_project(path=bundle)
    assert dialog.refusal.isVisible()
    assert dialog.refusal.text() == rejected.value.message
    assert "changed or damaged since it was exported" in dialog.refusal.text()
    assert not dialog.import_button.isEnabled()
    assert not dialog.report_box.isVisible()
    assert dialog.buttons.button(QDialogButtonBox.StandardButton.Cancel).text() == "Close"
    qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)  # disabled: no effect
    dialog.reject()
    assert (audit_count(wb), all_titles(wb)) == before


def test_a_bundle_damaged_after_checking_is_refused_when_importing(
        qtbot, sharing_ui, controller, ward9, tmp_path):
    group = sharing_ui
    export_falls(qtbot, group, controller)
    bundle = tmp_path / group.proposed[-1].name
    group.message_box.accept()
    assert controller.open(ward9, signed_in_as="Ola Nowak")
    wb = controller.wb
    before = (audit_count(wb), all_titles(wb))
    dialog = group.import_project(path=bundle)
    assert not dialog.refusal.isVisible()
    _tamper(bundle)  # e.g. the USB stick's copy was overwritten meanwhile

    assert press_import(qtbot, group, dialog) == [False]
    assert dialog.isVisible()
    assert dialog.refusal.text().startswith("Nothing was imported. This bundle has been "
                                            "changed or damaged")
    assert (audit_count(wb), all_titles(wb)) == before


def test_a_title_clash_shows_the_conflict_and_imports_under_the_offered_title(
        qtbot, sharing_ui, controller, tmp_path):
    group = sharing_ui
    export_falls(qtbot, group, controller)
    bundle = tmp_path / group.proposed[-1].name
    group.message_box.accept()
    wb = controller.wb
    team = teams.get_team(wb, projects.get_project(wb, falls_id(wb)).team_id)

    dialog = group.import_project(path=bundle)  # back into the ward it came from
    assert dialog.team.currentText() == team.name
    report = dialog.report.toPlainText()
    assert f"{team.name} already has a project called '{FALLS}'" in report
    assert f"'{FALLS} (copy)'" in report
    assert "already exists in this workbook" in report  # its measure names are in use
    assert dialog.title.text() == f"{FALLS} (copy)"

    dialog.title.clear()
    qtbot.keyClicks(dialog.title, FALLS)
    assert not dialog.import_button.isEnabled()
    assert dialog.title_problem.isVisible()
    assert "choose another title" in dialog.title_problem.text()
    dialog.title.clear()
    qtbot.keyClicks(dialog.title, f"{FALLS} (copy)")
    assert not dialog.title_problem.isVisible()

    assert press_import(qtbot, group, dialog) == [True]
    titles = all_titles(wb)
    assert titles.count(FALLS) == 1 and titles.count(f"{FALLS} (copy)") == 1
    copy_id = next(p.id for p in projects.list_projects(wb, team.id)
                   if p.title == f"{FALLS} (copy)")
    assert controller.screen.current_item() == ("project", copy_id)
    assert len(children_of_current(controller.screen)) == len(
        measures.list_measures(wb, falls_id(wb)))


def test_patient_like_text_must_be_confirmed_before_importing(qtbot, sharing_ui, controller,
                                                              ward9, tmp_path):
    group = sharing_ui
    source = controller.wb
    measure = measures.list_measures(source, falls_id(source))[0]
    measures.add_annotation(source, Annotation(
        measure_id=measure.id, on_date=date(2026, 1, 5), kind=AnnotationKind.DATA_ISSUE,
        text="Fall of patient NHS 943 476 5919 on bay 2"), confirm_pid=True)
    export_falls(qtbot, group, controller)
    bundle = tmp_path / group.proposed[-1].name
    group.message_box.accept()
    assert controller.open(ward9, signed_in_as="Ola Nowak")

    dialog = group.import_project(path=bundle)
    assert "Chart annotation" in dialog.report.toPlainText()
    assert dialog.pid_check.isVisible()
    assert not dialog.import_button.isEnabled()
    qtbot.mouseClick(dialog.pid_check, Qt.MouseButton.LeftButton)
    assert dialog.import_button.isEnabled()
    assert press_import(qtbot, group, dialog) == [True]
    assert all_titles(controller.wb) == [FALLS]


def test_read_only_workbook_offers_export_but_not_import(qtbot, sharing_ui, controller,
                                                         demo_copy):
    controller.close()
    with open_workbook(demo_copy, "Someone Else"):  # holds the lease: we open read-only
        assert controller.open(demo_copy)
        assert controller.wb.read_only
        group = sharing_ui
        assert not group.import_action.isEnabled()
        assert group.import_project() is None
        select_project(controller, FALLS)
        assert group.export_action.isEnabled()
        team_row = controller.screen.navigator.currentIndex().parent()
        [action] = [a for a in controller.screen.context_menu_for(team_row).actions()
                    if a.text() == "Import project from another ward…"]
        assert not action.isEnabled()
