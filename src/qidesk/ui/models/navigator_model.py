"""The navigator's tree: team → projects → measures, read once from the services."""

from __future__ import annotations

from enum import IntEnum

from PySide6.QtCore import Qt
from PySide6.QtGui import QStandardItem, QStandardItemModel

from qidesk.domain.entities import Measure, Project, Team
from qidesk.services import measures, projects, teams
from qidesk.services.workbook import Workbook

# Measure kinds as a ward names them in the tree, so the family of measures shows at a glance.
KIND_LABELS = {"outcome": "Outcome", "process": "Process", "balancing": "Balancing"}


class NavigatorRole(IntEnum):
    ENTITY = Qt.ItemDataRole.UserRole + 1  # the Team, Project or Measure behind a row
    KIND = Qt.ItemDataRole.UserRole + 2  # "team", "project" or "measure"


class NavigatorModel(QStandardItemModel):
    """Read-only tree of the workbook's teams, projects and measures."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setHorizontalHeaderLabels(["Teams, projects and measures"])

    def load(self, wb: Workbook) -> None:
        self.clear()
        self.setHorizontalHeaderLabels(["Teams, projects and measures"])
        for team in teams.list_teams(wb):
            team_item = _item(team.name, team, "team")
            for project in projects.list_projects(wb, team.id):
                project_item = _item(project.title, project, "project")
                for measure in measures.list_measures(wb, project.id):
                    label = f"{measure.name}  ·  {KIND_LABELS[measure.kind.value]}"
                    project_item.appendRow(_item(label, measure, "measure"))
                team_item.appendRow(project_item)
            self.appendRow(team_item)

    def first_measure_index(self):
        """Index of the first measure in tree order (what to show on opening)."""
        for team_row in range(self.rowCount()):
            team = self.item(team_row)
            for project_row in range(team.rowCount()):
                project = team.child(project_row)
                if project.rowCount():
                    return project.child(0).index()
        return None


def _item(text: str, entity: Team | Project | Measure, kind: str) -> QStandardItem:
    item = QStandardItem(text)
    item.setEditable(False)
    item.setData(entity, NavigatorRole.ENTITY)
    item.setData(kind, NavigatorRole.KIND)
    item.setToolTip(text)
    return item
