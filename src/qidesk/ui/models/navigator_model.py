"""The navigator's tree: team → projects → measures, driver diagram and PDSA cycles."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import IntEnum

from PySide6.QtCore import Qt
from PySide6.QtGui import QStandardItem, QStandardItemModel

from qidesk.services import drivers, measures, pdsa, projects, teams
from qidesk.services.workbook import Workbook

# Measure kinds as a ward names them in the tree, so the family of measures shows at a glance.
KIND_LABELS = {"outcome": "Outcome", "process": "Process", "balancing": "Balancing"}
IDEA_STATUS = {"untested": "not tested yet", "testing": "testing", "adopted": "adopted",
               "abandoned": "abandoned"}


class NavigatorRole(IntEnum):
    ENTITY = Qt.ItemDataRole.UserRole + 1  # the Team, Project, Measure... behind a row
    KIND = Qt.ItemDataRole.UserRole + 2  # "team", "project", "measure", "change_idea"...


@dataclass(frozen=True)
class Node:
    """One row of the tree before it becomes items (compared to skip needless rebuilds)."""

    text: str
    kind: str
    entity: object = None
    tip: str = ""
    children: tuple[Node, ...] = field(default=())


class NavigatorModel(QStandardItemModel):
    """Read-only tree of the workbook; UserRole + 1 gives the domain record of a row."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self._tree: tuple[Node, ...] | None = None
        self.setHorizontalHeaderLabels(["Teams, projects and measures"])

    def load(self, wb: Workbook) -> bool:
        """Read the workbook again; rebuilds (and returns True) only if something changed."""
        tree = tuple(_team_node(wb, team) for team in teams.list_teams(wb))
        if tree == self._tree:
            return False
        self._tree = tree
        self.clear()
        self.setHorizontalHeaderLabels(["Teams, projects and measures"])
        for node in tree:
            self.appendRow(_item(node))
        return True

    def first_measure_index(self):
        """Index of the first measure in tree order (what to show on opening)."""
        return self.first_index("measure")

    def first_index(self, kind: str):
        """Index of the first row of `kind` in tree order, or None."""
        return self._find(lambda item: item.data(NavigatorRole.KIND) == kind)

    def index_of(self, kind: str, record_id: int):
        """Index of the row showing record `record_id` of `kind`, or None."""
        def wanted(item: QStandardItem) -> bool:
            entity = item.data(NavigatorRole.ENTITY)
            return (item.data(NavigatorRole.KIND) == kind and entity is not None
                    and getattr(entity, "id", None) == record_id)
        return self._find(wanted)

    def _find(self, wanted):
        pending = [self.item(row) for row in range(self.rowCount())]
        while pending:
            item = pending.pop(0)
            if wanted(item):
                return item.index()
            pending[:0] = [item.child(row) for row in range(item.rowCount())]
        return None


def _team_node(wb: Workbook, team) -> Node:
    return Node(team.name, "team", team, f"Ward or unit: {team.name}",
                tuple(_project_node(wb, p) for p in projects.list_projects(wb, team.id)))


def _project_node(wb: Workbook, project) -> Node:
    children = [Node(f"{m.name}  ·  {KIND_LABELS[m.kind.value]}", "measure", m,
                     f"{KIND_LABELS[m.kind.value]} measure: {m.name}")
                for m in measures.list_measures(wb, project.id)]
    ideas = drivers.change_ideas(wb, project.id)
    children.append(Node(
        f"Driver diagram  ·  {len(ideas)} change idea{'s' if len(ideas) != 1 else ''}",
        "driver_diagram", project, "The change ideas this project is testing",
        tuple(Node(f"{idea.text}  ·  {IDEA_STATUS.get(idea.status.value, '')}", "change_idea",
                   idea, idea.text) for idea in ideas)))
    by_idea: dict[int, list] = {}
    for cycle in pdsa.project_cycles(wb, project.id):
        by_idea.setdefault(cycle.change_idea_id, []).append(cycle)
    cycles = [(idea, cycle) for idea in ideas for cycle in by_idea.get(idea.id, [])]
    children.append(Node(
        f"PDSA cycles  ·  {len(cycles)}", "pdsa_cycles", project,
        "Plan-Do-Study-Act cycles of this project's change ideas",
        tuple(Node(f"Cycle {c.cycle_number}: {c.title or idea.text}  ·  {c.status.value}",
                   "pdsa_cycle", c, f"{idea.text}: cycle {c.cycle_number}")
              for idea, c in cycles)))
    return Node(project.title, "project", project, f"Project: {project.title}", tuple(children))


def _item(node: Node) -> QStandardItem:
    item = QStandardItem(node.text)
    item.setEditable(False)
    item.setData(node.entity, NavigatorRole.ENTITY)
    item.setData(node.kind, NavigatorRole.KIND)
    item.setToolTip(node.tip or node.text)
    for child in node.children:
        item.appendRow(_item(child))
    return item
