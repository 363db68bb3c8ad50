"""New project: its title and team, saved through an undo command; the page then shows it."""

from __future__ import annotations

from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from qidesk.domain.entities import Project, Team
from qidesk.domain.errors import ValidationError
from qidesk.services import teams
from qidesk.services.workbook import Workbook
from qidesk.storage.errors import StorageError
from qidesk.ui.project_commands import AddProjectCommand, push_confirmed
from qidesk.ui.widgets.members_editor import error_label


class NewProjectDialog(QDialog):
    """Asks for the title and team; `project_id` is the new project's id after Save."""

    def __init__(self, wb: Workbook, undo_stack: QUndoStack | None, team_id: int | None = None,
                 parent: QWidget | None = None):
        super().__init__(parent)
        self.wb, self.undo_stack = wb, undo_stack
        self.project_id: int | None = None
        self.setWindowTitle("New project")
        self.title = QLineEdit()
        self.title.setAccessibleName("Project title")
        self.title.setPlaceholderText("e.g. Reducing inpatient falls")
        self.team = QComboBox()
        self.team.setAccessibleName("Team")
        for team in teams.list_teams(wb):
            self.team.addItem(team.name, team.id)
        if self.team.count() == 0:  # a new workbook: the first project names its ward
            self.team.setEditable(True)
            self.team.lineEdit().setPlaceholderText("Ward or unit, e.g. Ward 7")
        elif team_id is not None:
            self.team.setCurrentIndex(max(0, self.team.findData(team_id)))
        self.errors = {"title": error_label(), "team_id": error_label(), "general": error_label()}
        intro = QLabel("Give the project a short title the ward will recognise. You can write "
                       "the problem and the aim on the project's page next.")
        intro.setWordWrap(True)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save
                                        | QDialogButtonBox.StandardButton.Cancel)
        form = QFormLayout()
        title_label, team_label = QLabel("&Title"), QLabel("T&eam")
        title_label.setBuddy(self.title)
        team_label.setBuddy(self.team)
        form.addRow(title_label, self.title)
        form.addRow("", self.errors["title"])
        form.addRow(team_label, self.team)
        form.addRow("", self.errors["team_id"])
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.errors["general"])
        layout.addWidget(self.buttons)
        self.setMinimumWidth(460)
        self.buttons.accepted.connect(self._on_buttons_accepted)
        self.buttons.rejected.connect(self.reject)

    def _team(self) -> tuple[int, Team | None]:
        """The chosen ward's id, or (0, the new ward to make with the project)."""
        if self.team.currentData() is not None and not self.team.isEditable():
            return self.team.currentData(), None
        name = self.team.currentText().strip()
        if not name:
            raise ValidationError("Say which ward or unit the project belongs to.", field="team_id")
        return 0, Team(name=name)

    def _on_buttons_accepted(self) -> None:
        for label in self.errors.values():
            label.hide()
        new_team = None
        try:
            team_id, new_team = self._team()
            project = Project(team_id=team_id, title=self.title.text().strip())
            command = push_confirmed(self, self.undo_stack, lambda ok: AddProjectCommand(
                self.wb, project, new_team=new_team, confirm_pid=ok))
        except (ValidationError, StorageError) as exc:
            field = getattr(exc, "field", None)
            if new_team is not None and field == "name":
                field = "team_id"  # the new ward's name, typed in the team box
            label = self.errors.get(field or "general", self.errors["general"])
            label.setText(exc.message)
            label.show()
            return
        if command is not None:
            self.project_id = command.project_id
            self.accept()
