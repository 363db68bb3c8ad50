"""The Project menu: New project… and Delete project…, also offered on the navigator's team
and project rows. Both go through the workbook's undo stack (a deleted project comes back
with Undo), and the project page's requests for a signed-in name reach the staff session."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt
from PySide6.QtWidgets import QMessageBox

from qidesk.domain.entities import Project, Team
from qidesk.ui.actions import menu_action
from qidesk.ui.models.navigator_model import NavigatorRole

if TYPE_CHECKING:
    from qidesk.ui.workbook_controller import WorkbookController


def ask_delete(parent, project: Project) -> bool:
    answer = QMessageBox.question(
        parent, "Delete project",
        f"Delete the project “{project.title}”?\n\nIt will no longer show, with its measures, "
        "driver diagram and PDSA cycles. Nothing is lost: Edit > Undo brings it back, and "
        "the workbook keeps it for restoring later.",
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
        QMessageBox.StandardButton.Cancel)
    return answer == QMessageBox.StandardButton.Yes


class ProjectActions(QObject):
    def __init__(self, controller: WorkbookController):
        super().__init__(controller)
        self.c = controller
        self.dialog = None  # the NewProjectDialog while it is open
        self.confirm_delete = ask_delete  # a test may answer for the reader
        self._wired_pages: set[int] = set()
        menu = controller.window.menu("&Project")
        self.new_action = menu_action(menu, "&New project…", "Start a project: its title and team, "
                                      "then its aim on the project's page", "Ctrl+Shift+N")
        self.delete_action = menu_action(menu, "&Delete project…", "Delete the chosen project "
                                         "(Undo brings it back)")
        menu.addActions([self.new_action, self.delete_action])
        self.new_action.triggered.connect(lambda: self.new_project())
        self.delete_action.triggered.connect(self._on_delete_action_triggered)
        controller.workbook_opened.connect(self._on_controller_workbook_opened)
        controller.workbook_closed.connect(self.update_actions)
        self.update_actions()

    def _on_controller_workbook_opened(self, _wb) -> None:
        screen = self.c.screen
        screen.row_actions += [
            ("New project…", {"team", "project"},
             lambda _k, entity: self.new_project(_team_id(entity))),
            ("Delete project…", {"project"}, lambda _k, entity: self.delete_project(entity)),
        ]
        screen.navigator.selectionModel().currentChanged.connect(
            self._on_navigator_current_changed)
        self._on_navigator_current_changed()

    def _writable(self) -> bool:
        return self.c.wb is not None and self.c.screen is not None and not self.c.wb.read_only

    def _current(self):
        index = self.c.screen.navigator.currentIndex() if self.c.screen is not None else None
        if index is None or not index.isValid():
            return None, None
        return index.data(NavigatorRole.KIND), index.data(NavigatorRole.ENTITY)

    def update_actions(self, *_args) -> None:
        kind, _entity = self._current()
        self.new_action.setEnabled(self._writable())
        self.delete_action.setEnabled(self._writable() and kind == "project")

    def _on_navigator_current_changed(self, *_args) -> None:
        self.update_actions()
        kind, _entity = self._current()
        if kind == "project":  # the page exists once a project row has been shown
            page = self.c.screen.page_for("project")
            # Asking for a name is not in every page's contract: wire it where offered.
            asks = getattr(page, "sign_in_requested", None)
            if asks is not None and id(page) not in self._wired_pages:
                self._wired_pages.add(id(page))
                asks.connect(self.c.session.ask)

    def new_project(self, team_id: int | None = None):
        """Ask for a title and team, create the project and show its page."""
        from qidesk.ui.dialogs.new_project_dialog import NewProjectDialog

        if not self._writable():
            return None
        if self.c.session.name is None:  # every change records a name: ask for one first
            self.c.session.ask("Pick your name before starting a project.")
            return None
        if team_id is None:
            kind, entity = self._current()
            team_id = _team_id(entity) if kind in ("team", "project") else None
        self.dialog = NewProjectDialog(self.c.wb, self.c.screen.undo_stack, team_id,
                                       self.c.window)
        self.dialog.setWindowModality(Qt.WindowModality.WindowModal)
        self.dialog.finished.connect(self._on_dialog_finished)
        self.dialog.open()
        return self.dialog

    def _on_dialog_finished(self, _result: int) -> None:
        dialog, self.dialog = self.dialog, None
        if dialog is None:
            return
        dialog.deleteLater()
        screen = self.c.screen
        if dialog.project_id is not None and screen is not None:
            screen.reload()
            screen.show_item("project", dialog.project_id)
            page = screen.current_page()
            if hasattr(page, "form"):
                page.form.aim_statement.setFocus()  # the aim is what to write next

    def delete_project(self, project: Project) -> bool:
        from qidesk.domain.errors import ValidationError
        from qidesk.storage.errors import StorageError
        from qidesk.ui.project_commands import DeleteProjectCommand
        from qidesk.ui.undo import push

        if not self._writable():
            return False
        if self.c.session.name is None:
            self.c.session.ask("Pick your name before deleting a project.")
            return False
        if not self.confirm_delete(self.c.window, project):
            return False
        try:
            push(self.c.screen.undo_stack, DeleteProjectCommand(self.c.wb, project))
        except (ValidationError, StorageError) as exc:
            QMessageBox.warning(self.c.window, "Project not deleted", exc.message)
            return False
        self.c.screen.reload()
        return True

    def _on_delete_action_triggered(self) -> None:
        kind, entity = self._current()
        if kind == "project":
            self.delete_project(entity)


def _team_id(entity) -> int | None:
    if isinstance(entity, Team):
        return entity.id
    return entity.team_id if isinstance(entity, Project) else None
