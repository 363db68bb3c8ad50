"""Driver diagrams: aim -> primary drivers -> secondary drivers -> change ideas."""

from __future__ import annotations

import dataclasses

from qidesk.domain.changes import ChangeSet
from qidesk.domain.entities import DriverNode, Project
from qidesk.domain.enums import ChangeIdeaStatus, DriverLevel
from qidesk.domain.errors import ValidationError
from qidesk.domain.rules import check_driver_node
from qidesk.services import records
from qidesk.services.unit import Unit
from qidesk.services.workbook import Workbook

# Which level may hang under which: secondary drivers are optional (ideas may sit
# directly under a primary driver, as many ward diagrams draw them).
ALLOWED_PARENT = {
    DriverLevel.PRIMARY: {DriverLevel.AIM},
    DriverLevel.SECONDARY: {DriverLevel.PRIMARY},
    DriverLevel.CHANGE_IDEA: {DriverLevel.PRIMARY, DriverLevel.SECONDARY},
}


def _fits_the_tree(unit: Unit, node: DriverNode) -> None:
    records.require(unit.session, Project, node.project_id, "project_id")
    if node.parent_id is None:
        return
    parent = records.require(unit.session, DriverNode, node.parent_id, "parent_id")
    if parent.project_id != node.project_id:
        raise ValidationError("That box belongs to another project.", field="parent_id")
    if parent.level not in ALLOWED_PARENT[node.level]:
        raise ValidationError(f"A {str(node.level).replace('_', ' ')} cannot sit under "
                              f"a {parent.level.replace('_', ' ')}.", field="parent_id")


def _with_status(node: DriverNode) -> DriverNode:
    if node.level == DriverLevel.CHANGE_IDEA and node.status is None:
        return dataclasses.replace(node, status=ChangeIdeaStatus.UNTESTED)
    return node


def driver_diagram(wb: Workbook, project_id: int) -> list[DriverNode]:
    """Every box of the project's diagram, ordered by level then position."""
    order = list(DriverLevel)
    nodes = records.list_live(wb, DriverNode, "position", project_id=project_id)
    return sorted(nodes, key=lambda n: (order.index(n.level), n.parent_id or 0, n.position))


def change_ideas(wb: Workbook, project_id: int) -> list[DriverNode]:
    return [n for n in driver_diagram(wb, project_id) if n.level == DriverLevel.CHANGE_IDEA]


def add_node(wb: Workbook, node: DriverNode, *, confirm_pid: bool = False) -> ChangeSet:
    """Add a box (aim, driver or change idea; change ideas start 'untested')."""
    return records.create(wb, _with_status(node), rule=check_driver_node, check=_fits_the_tree,
                          confirm_pid=confirm_pid)


def update_node(wb: Workbook, node_id: int, *, confirm_pid: bool = False,
                **changes) -> ChangeSet:
    """Edit, move (parent_id, position) or set a change idea's status."""
    return records.update(wb, DriverNode, node_id, changes, rule=check_driver_node,
                          check=_fits_the_tree, confirm_pid=confirm_pid)


def set_change_idea_status(wb: Workbook, node_id: int, status: ChangeIdeaStatus) -> ChangeSet:
    return update_node(wb, node_id, status=status)


def delete_node(wb: Workbook, node_id: int) -> ChangeSet:
    """Soft delete one box; the boxes under it reappear when it is restored."""
    return records.delete(wb, DriverNode, node_id)
