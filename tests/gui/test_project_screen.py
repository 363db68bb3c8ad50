"""The project page: a new project with a SMART aim, the IHI progress score history, the
family-of-measures check, members, saving with errors beside fields, delete with undo,
and a read-only workbook that offers no editing."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox, QWidget

from qidesk.domain.enums import MeasureKind
from qidesk.domain.periods import format_date
from qidesk.services import measures, projects
from qidesk.services.workbook import open_workbook
from qidesk.ui.project_actions import ProjectActions
from qidesk.ui.screens.project_screen import ProjectScreen

FALLS, NEWS2, DISCHARGES = 1, 2, 3  # the demo workbook's projects


def open_demo(controller, path, name="Joanne Pike"):
    assert controller.open(path, signed_in_as=name)
    return controller.screen


def project_actions(controller) -> ProjectActions:
    return next(g for g in controller.action_groups if isinstance(g, ProjectActions))


def show_project(screen, project_id: int) -> ProjectScreen:
    assert screen.show_item("project", project_id)
    page = screen.current_page()
    assert isinstance(page, ProjectScreen)
    return page


def navigator_titles(screen) -> list[str]:
    model = screen.model
    return [model.index(p, 0, model.index(t, 0)).data()
            for t in range(model.rowCount()) for p in range(model.rowCount(model.index(t, 0)))]


def save_button(dialog):
    return dialog.buttons.button(QDialogButtonBox.StandardButton.Save)


def shown_prompts(page: ProjectScreen) -> list[str]:
    """The SMART helper's lines still asking for something (what the lead sees)."""
    return [label.text() for label in page.form.smart.rows.values()
            if label.isVisible() and label.property("prompt")]


def test_new_project_with_a_smart_aim_typed_part_by_part(qtbot, controller, demo_copy):
    screen = open_demo(controller, demo_copy)
    actions = project_actions(controller)
    menu = controller.window.menu("&Project")
    assert [a.text() for a in menu.actions()][:2] == ["&New project…", "&Delete project…"]
    actions.new_action.trigger()
    dialog = actions.dialog
    assert dialog.team.currentText() == "Ward 7 — Elderly Care"
    qtbot.mouseClick(save_button(dialog), Qt.MouseButton.LeftButton)
    assert dialog.errors["title"].text() == "Title is needed."  # nothing saved yet
    qtbot.keyClicks(dialog.title, "Pressure ulcers")
    qtbot.mouseClick(save_button(dialog), Qt.MouseButton.LeftButton)

    page = screen.current_page()
    assert isinstance(page, ProjectScreen)
    assert page.heading.text() == "Pressure ulcers"
    assert "Pressure ulcers" in navigator_titles(screen)
    aim = page.form.aim_statement
    assert aim.hasFocus()  # the aim is what to write next
    assert len(shown_prompts(page)) == 4

    qtbot.keyClicks(aim, "Reduce pressure ulcers")
    assert not any("What will improve" in p for p in shown_prompts(page))
    assert any("By how much? “reduce” on its own is not a figure" in p
               for p in shown_prompts(page))
    qtbot.keyClicks(aim, " from 12 to 6 a month")
    assert [p.split("?")[0].split()[-2:] for p in shown_prompts(page)] == [["By", "when"],
                                                                          ["For", "whom"]]
    qtbot.keyClicks(aim, " by March")
    assert any("“by March” needs a year" in p for p in shown_prompts(page))
    qtbot.keyClicks(aim, " 2027")
    assert len(shown_prompts(page)) == 1 and "For whom?" in shown_prompts(page)[0]
    qtbot.keyClicks(aim, " for patients on Ward 7")
    assert shown_prompts(page) == []
    assert page.form.smart.heading.text().startswith("SMART:")
    assert "✓" in page.form.smart.rows["for_whom"].text()

    assert page.save_state.text() == "Unsaved changes"
    qtbot.keyClick(aim, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert page.save_state.text().startswith("Saved at")
    saved = projects.get_project(controller.wb, page.project.id)
    assert saved.aim_statement == ("Reduce pressure ulcers from 12 to 6 a month by March 2027 "
                                   "for patients on Ward 7")
    assert saved.team_id == 1


def test_progress_score_change_shows_in_history_with_name_and_reason(qtbot, controller,
                                                                      demo_copy):
    screen = open_demo(controller, demo_copy, "Tom Reilly")
    scores = show_project(screen, FALLS).scores
    assert scores.history_rows()[0][1:3] == ("4.5 Sustainable improvement",
                                            "Aim met and sustained")
    scores.level.setFocus()
    qtbot.keyClick(scores.level, Qt.Key.Key_End)  # the top of the scale
    assert scores.level.currentText() == "5.0 Outstanding sustainable results"
    assert "spreading to other wards" in scores.explanation.text()
    qtbot.mouseClick(scores.record_button, Qt.MouseButton.LeftButton)
    assert scores.error.isVisible() and "Say why the score changed" in scores.error.text()
    assert len(projects.score_history(controller.wb, FALLS)) == 4  # nothing saved

    qtbot.keyClicks(scores.reason, "Bay nursing spread to Ward 8")
    qtbot.mouseClick(scores.record_button, Qt.MouseButton.LeftButton)
    assert not scores.error.isVisible()
    assert scores.history_rows()[0] == (format_date(date.today()),
                                        "5.0 Outstanding sustainable results",
                                        "Bay nursing spread to Ward 8", "Tom Reilly")
    assert "5.0" in scores.current.text() and "Outstanding" in scores.current.text()
    assert scores.chart.points[-1] == (date.today(), 5.0) and len(scores.chart.points) == 5

    screen.undo_stack.undo()
    assert scores.history_rows()[0][1] == "4.5 Sustainable improvement"
    screen.undo_stack.redo()
    assert scores.history_rows()[0][3] == "Tom Reilly"


def prompt_texts(page) -> list[str]:
    return page.family.prompts()


def test_family_check_prompts_until_the_missing_measures_are_there(qtbot, controller,
                                                                   demo_copy):
    with open_workbook(demo_copy, "Joanne Pike") as wb:  # a family with gaps
        found = {m.name: m for m in measures.list_measures(wb, DISCHARGES)}
        measures.delete_measure(wb, found["Readmissions within 7 days of discharge"].id)
        undefined = found["Patients who knew their expected discharge date"]
        measures.update_measure(wb, undefined.id, definition="")
    screen = open_demo(controller, demo_copy)
    page = show_project(screen, DISCHARGES)
    assert prompt_texts(page) == [
        "No balancing measure yet: what could get worse because of this change?",
        "“Patients who knew their expected discharge date” (process) has no operational "
        "definition: say exactly what is counted, from which source, and what is left out."]

    qtbot.mouseClick(page.family.button_for("No balancing measure"), Qt.MouseButton.LeftButton)
    dialog = page.measure_dialog
    assert dialog.kind.currentData() == MeasureKind.BALANCING
    qtbot.keyClicks(dialog.name, "Patients waiting for transport after 18:00")
    qtbot.keyClicks(dialog.definition, "Patients discharged today still on the ward at 18:00 "
                                       "waiting for transport, from the bed board.")
    qtbot.mouseClick(save_button(dialog), Qt.MouseButton.LeftButton)
    assert page.measure_dialog is None
    assert len(prompt_texts(page)) == 1 and "Patients who knew" in prompt_texts(page)[0]
    assert any("Patients waiting for transport" in (m.data() or "")
               for m in _measure_rows(screen, DISCHARGES))

    qtbot.mouseClick(page.family.button_for("Patients who knew"), Qt.MouseButton.LeftButton)
    dialog = page.measure_dialog
    assert dialog.name.text() == "Patients who knew their expected discharge date"
    qtbot.keyClicks(dialog.definition, "Patients asked on the day of discharge whether they "
                                       "knew the date the day before.")
    qtbot.mouseClick(save_button(dialog), Qt.MouseButton.LeftButton)
    assert prompt_texts(page) == []
    assert "✓" in page.family.summary.text()
    assert "Balancing 1" in page.family.summary.text()


def _measure_rows(screen, project_id):
    index = screen.model.index_of("project", project_id)
    return [screen.model.index(r, 0, index) for r in range(screen.model.rowCount(index))]


def test_form_errors_show_beside_the_field_and_nothing_invalid_is_saved(qtbot, controller,
                                                                        demo_copy):
    screen = open_demo(controller, demo_copy)
    page = show_project(screen, NEWS2)
    form = page.form
    form.end_date.setFocus()
    qtbot.keyClicks(form.end_date, "1 Jan 2020")
    qtbot.mouseClick(page.save_button, Qt.MouseButton.LeftButton)
    assert form.errors["end_date"].text() == "The end date is before the start date."
    assert form.errors["end_date"].isVisible()
    form.end_date.clear()
    qtbot.keyClicks(form.end_date, "31/13/2026")
    qtbot.mouseClick(page.save_button, Qt.MouseButton.LeftButton)
    assert "there is no month 13" in form.errors["end_date"].text()
    form.title.selectAll()
    qtbot.keyClick(form.title, Qt.Key.Key_Delete)
    form.end_date.clear()
    qtbot.mouseClick(page.save_button, Qt.MouseButton.LeftButton)
    assert form.errors["title"].text() == "Title is needed."
    assert projects.get_project(controller.wb, NEWS2).title == "NEWS2 observations on time"
    assert page.save_state.text() == "Unsaved changes"

    qtbot.keyClicks(form.title, "NEWS2 on time, every time")
    form.status.setFocus()
    qtbot.keyClick(form.status, Qt.Key.Key_End)  # Closed
    qtbot.mouseClick(page.save_button, Qt.MouseButton.LeftButton)
    saved = projects.get_project(controller.wb, NEWS2)
    assert (saved.title, saved.status.value, saved.end_date) == (
        "NEWS2 on time, every time", "closed", None)
    assert "NEWS2 on time, every time" in navigator_titles(screen)
    assert not form.errors["title"].isVisible()
    assert not page.save_button.isEnabled()

    screen.undo_stack.undo()
    assert "NEWS2 observations on time" in navigator_titles(screen)
    assert page.form.title.text() == "NEWS2 observations on time"


def test_revert_and_moving_on_with_unsaved_changes(qtbot, controller, demo_copy):
    screen = open_demo(controller, demo_copy)
    page = show_project(screen, FALLS)
    qtbot.keyClicks(page.form.sponsor, " (Matron)")
    qtbot.mouseClick(page.revert_button, Qt.MouseButton.LeftButton)
    assert page.form.sponsor.text() == "Lisa Duffy" and not page.form.is_dirty()

    qtbot.keyClicks(page.form.sponsor, " (Matron)")
    asked = []
    page.ask_unsaved = lambda _parent, title: asked.append(title) or True  # "Save"
    show_project(screen, NEWS2)
    assert asked == ["Reducing inpatient falls"]
    assert projects.get_project(controller.wb, FALLS).sponsor == "Lisa Duffy (Matron)"
    assert page.form.title.text() == "NEWS2 observations on time"


def test_members_added_changed_and_removed(qtbot, controller, demo_copy):
    screen = open_demo(controller, demo_copy)
    members = show_project(screen, NEWS2).members
    members.add_member()
    dialog = members.dialog
    qtbot.keyClicks(dialog.name, "Grace Mensah")
    qtbot.keyClicks(dialog.role, "HCA champion")
    qtbot.mouseClick(save_button(dialog), Qt.MouseButton.LeftButton)
    assert ("Grace Mensah", "HCA champion") in members.members()

    members.select("Grace Mensah")
    qtbot.mouseClick(members.edit_button, Qt.MouseButton.LeftButton)
    dialog = members.dialog
    dialog.role.selectAll()
    qtbot.keyClicks(dialog.role, "Night HCA champion")
    qtbot.mouseClick(save_button(dialog), Qt.MouseButton.LeftButton)
    assert ("Grace Mensah", "Night HCA champion") in members.members()

    members.select("Grace Mensah")
    qtbot.mouseClick(members.remove_button, Qt.MouseButton.LeftButton)
    assert "Grace Mensah" not in dict(members.members())
    screen.undo_stack.undo()
    assert ("Grace Mensah", "Night HCA champion") in members.members()
    names = [m.name for m in projects.list_members(controller.wb, NEWS2)]
    assert "Grace Mensah" in names


def test_delete_project_from_its_row_and_undo_brings_it_back(qtbot, controller, demo_copy):
    screen = open_demo(controller, demo_copy)
    actions = project_actions(controller)
    actions.confirm_delete = lambda _parent, project: project.title == "NEWS2 observations on time"
    menu = screen.context_menu_for(screen.model.index_of("project", NEWS2))
    labels = [a.text() for a in menu.actions()]
    assert "New project…" in labels and "Delete project…" in labels
    team_menu = screen.context_menu_for(screen.model.index(0, 0))
    assert "New project…" in [a.text() for a in team_menu.actions()]
    next(a for a in menu.actions() if a.text() == "Delete project…").trigger()
    assert "NEWS2 observations on time" not in navigator_titles(screen)
    screen.undo_stack.undo()
    assert "NEWS2 observations on time" in navigator_titles(screen)


def test_read_only_workbook_shows_the_project_but_offers_no_editing(qtbot, controller,
                                                                   demo_copy):
    with open_workbook(demo_copy, "Joanne Pike") as wb:  # a gap, so a prompt shows
        balancing = next(m for m in measures.list_measures(wb, FALLS)
                         if m.kind == MeasureKind.BALANCING)
        measures.delete_measure(wb, balancing.id)
    controller.show_workbook(open_workbook(demo_copy, "Matron Okafor", read_only=True))
    screen = controller.screen
    page = show_project(screen, FALLS)
    assert page.heading.text() == "Reducing inpatient falls"
    form = page.form
    assert all(getattr(form, f).isReadOnly() for f in (
        "title", "lead", "sponsor", "start_date", "end_date", "problem", "aim_statement"))
    assert not form.status.isEnabled()
    assert not page.save_button.isVisible() and not page.revert_button.isVisible()
    assert not page.scores.new_score.isVisible()
    assert len(page.scores.history_rows()) == 4  # history still readable
    assert not page.members.buttons.isVisible() and len(page.members.members()) == 4
    assert page.family.prompts()[0].startswith("No balancing measure yet")
    assert not any(b.isVisible() for b in page.family.findChildren(QWidget)
                   if b.metaObject().className() == "QPushButton")
    qtbot.keyClick(form.title, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(form.title, "x")
    assert projects.get_project(controller.wb, FALLS).title == "Reducing inpatient falls"
    actions = project_actions(controller)
    assert not actions.new_action.isEnabled() and not actions.delete_action.isEnabled()
    menu = screen.context_menu_for(screen.model.index_of("project", FALLS))
    assert all(not a.isEnabled() for a in menu.actions()
               if a.text() in ("New project…", "Delete project…"))
    assert page.add_measure(MeasureKind.BALANCING.value) is None


def test_signed_out_edit_asks_for_a_name_and_saves_nothing(qtbot, controller, demo_copy):
    screen = open_demo(controller, demo_copy)
    page = show_project(screen, FALLS)
    controller.session.sign_out()
    qtbot.keyClicks(page.form.lead, " and Ben Carter")
    qtbot.mouseClick(page.save_button, Qt.MouseButton.LeftButton)
    assert "Nobody is signed in" in page.form.general_error.text()
    assert controller.session.dialog is not None and controller.session.dialog.isVisible()
    assert projects.get_project(controller.wb, FALLS).lead == "Tom Reilly"


def test_moving_on_when_the_changes_cannot_be_saved_goes_back_to_them(qtbot, controller,
                                                                      demo_copy):
    screen = open_demo(controller, demo_copy)
    page = show_project(screen, FALLS)
    page.form.end_date.setFocus()
    qtbot.keyClicks(page.form.end_date, "1 Jan 2020")
    page.ask_unsaved = lambda _parent, _title: True
    screen.show_item("project", NEWS2)
    qtbot.waitUntil(lambda: screen.current_item() == ("project", FALLS))
    assert page.form.errors["end_date"].text() == "The end date is before the start date."
    assert page.form.end_date.text() == "1 Jan 2020" and page.heading.text() == (
        "Reducing inpatient falls")


def test_first_project_of_a_new_workbook_names_its_ward(qtbot, controller, tmp_path):
    from qidesk.services import projects, teams

    open_workbook(tmp_path / "ward9.qidesk", create=True).close()
    screen = open_demo(controller, tmp_path / "ward9.qidesk", "Sam Jones")
    dialog = project_actions(controller).new_project()
    assert dialog.team.isEditable() and dialog.team.count() == 0
    qtbot.keyClicks(dialog.team.lineEdit(), "Ward 9")
    qtbot.mouseClick(save_button(dialog), Qt.MouseButton.LeftButton)
    assert dialog.errors["title"].isVisible()  # no title: nothing saved, not even the ward
    assert teams.list_teams(controller.wb) == []
    dialog.team.lineEdit().clear()
    qtbot.keyClicks(dialog.title, "Mouth care")
    qtbot.mouseClick(save_button(dialog), Qt.MouseButton.LeftButton)
    assert dialog.errors["team_id"].text() == "Say which ward or unit the project belongs to."
    qtbot.keyClicks(dialog.team.lineEdit(), "Ward 9")
    qtbot.mouseClick(save_button(dialog), Qt.MouseButton.LeftButton)
    assert [t.name for t in teams.list_teams(controller.wb)] == ["Ward 9"]
    page = screen.current_page()
    assert page.heading.text() == "Mouth care" and page.form.team.text() == "Ward 9"
    assert [p.split(":")[0] for p in page.family.prompts()] == [
        "No outcome measure yet", "No process measure yet", "No balancing measure yet"]
    assert page.scores.current.text().startswith("<b>No score yet.</b>")
    screen.undo_stack.undo()  # the project and the ward made with it go together
    assert teams.list_teams(controller.wb) == []
    qtbot.waitUntil(lambda: screen.start_page.isVisible())
    screen.undo_stack.redo()
    assert [t.name for t in teams.list_teams(controller.wb)] == ["Ward 9"]
    assert [p.title for p in projects.list_projects(controller.wb, teams.list_teams(
        controller.wb)[0].id)] == ["Mouth care"]
