"""Driver diagrams: aim -> primary drivers -> secondary drivers -> change ideas."""

from __future__ import annotations

import dataclasses

from sqlmodel import select

from qidesk.domain.changes import ChangeSet
from qidesk.domain.entities import DriverNode, Project
from qidesk.domain.enums import ChangeIdeaStatus, DriverLevel
from qidesk.domain.errors import ValidationError
from qidesk.domain.rules import check_driver_node
from qidesk.services import records
from qidesk.services.mapping import TABLE_OF, coerce, to_entity, to_values
from qidesk.services.unit import Unit, writing
from qidesk.services.workbook import Workbook

# Which level may hang under which: secondary drivers are optional (ideas may sit
# directly under a primary driver, as many ward diagrams draw them).
ALLOWED_PARENT = {
    DriverLevel.PRIMARY: {DriverLevel.AIM},
    DriverLevel.SECONDARY: {DriverLevel.PRIMARY},
    DriverLevel.CHANGE_IDEA: {DriverLevel.PRIMARY, DriverLevel.SECONDARY},
}
LEVEL_WORDS = {DriverLevel.AIM: "aim", DriverLevel.PRIMARY: "primary driver",
               DriverLevel.SECONDARY: "secondary driver", DriverLevel.CHANGE_IDEA: "change idea"}


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


def _siblings(unit: Unit, project_id: int, parent_id: int | None, leaving: int | None = None):
    """Live rows under `parent_id` in drawing order, without the row that is moving."""
    table = TABLE_OF[DriverNode]
    query = (select(table).where(table.deleted_at.is_(None), table.project_id == project_id,
                                 table.parent_id == parent_id)
             .order_by(table.position, table.id))
    return [row for row in unit.session.exec(query) if row.id != leaving]


def _renumber(unit: Unit, rows) -> None:
    for position, row in enumerate(rows):
        unit.update(row, {"position": position})


def _branch_rows(unit: Unit, node_id: int):
    """The live row of `node_id` and every live row under it, top first."""
    table = TABLE_OF[DriverNode]
    found, pending = [], [records.live_row(unit.session, DriverNode, node_id)]
    while pending:
        row = pending.pop(0)
        found.append(row)
        pending.extend(unit.session.exec(select(table).where(
            table.deleted_at.is_(None), table.parent_id == row.id)))
    return found


def add_node_at(wb: Workbook, node: DriverNode, index: int | None = None, *,
                confirm_pid: bool = False) -> ChangeSet:
    """Add a box as the `index`-th under its parent (last when None); the first id in
    the result is the new box."""
    node = coerce(_with_status(node))
    with writing(wb) as unit:
        pid = records.validate(unit, node, check_driver_node, _fits_the_tree, confirm_pid)
        row = TABLE_OF[DriverNode](**to_values(node))
        unit.insert(row, pid)
        rows = _siblings(unit, node.project_id, node.parent_id, leaving=row.id)
        rows.insert(len(rows) if index is None else max(0, min(index, len(rows))), row)
        _renumber(unit, rows)
    return unit.result()


def level_under(node: DriverNode, parent: DriverNode) -> DriverLevel:
    """The level a box takes under a new parent: drivers go one column right of it,
    change ideas stay change ideas."""
    if node.level == DriverLevel.AIM:
        raise ValidationError("The aim stays at the root of the diagram.", field="parent_id")
    if node.level == DriverLevel.CHANGE_IDEA:
        return node.level
    below = {DriverLevel.AIM: DriverLevel.PRIMARY, DriverLevel.PRIMARY: DriverLevel.SECONDARY}
    if parent.level not in below:
        raise ValidationError(f"A driver cannot sit under a {LEVEL_WORDS[parent.level]}: only "
                              "change ideas can.", field="parent_id")
    return below[parent.level]


def move_node(wb: Workbook, node_id: int, parent_id: int, index: int) -> ChangeSet:
    """Put a box (and everything under it) `index`-th under `parent_id`: reorders within
    one parent, re-parents, promotes or demotes. Drivers take the level their new parent
    implies; a move that would break the aim → driver → change idea order is refused."""
    with writing(wb) as unit:
        branch = _branch_rows(unit, node_id)
        row = branch[0]
        node = to_entity(DriverNode, row)
        parent = to_entity(DriverNode, records.require(unit.session, DriverNode, parent_id,
                                                       "parent_id"))
        if parent.project_id != node.project_id:
            raise ValidationError("That box belongs to another project.", field="parent_id")
        if parent.id in {r.id for r in branch} and node.level != DriverLevel.AIM:
            raise ValidationError("A box cannot move under itself or a box below it.",
                                  field="parent_id")
        level = level_under(node, parent)
        if parent.level not in ALLOWED_PARENT[level]:
            raise ValidationError(f"A {LEVEL_WORDS[level]} cannot sit under the "
                                  f"{LEVEL_WORDS[parent.level]}.", field="parent_id")
        if level == DriverLevel.SECONDARY and any(
                r.level != DriverLevel.CHANGE_IDEA for r in branch[1:]):
            raise ValidationError(f"“{node.text}” has secondary drivers under it, which cannot "
                                  "go one level further right. Move them first.",
                                  field="parent_id")
        old_parent = row.parent_id
        unit.update(row, {"parent_id": parent.id, "level": str(level)})
        if old_parent != parent.id:
            _renumber(unit, _siblings(unit, node.project_id, old_parent, leaving=row.id))
        rows = _siblings(unit, node.project_id, parent.id, leaving=row.id)
        rows.insert(max(0, min(index, len(rows))), row)
        _renumber(unit, rows)
    return unit.result()


def delete_branch(wb: Workbook, node_id: int) -> ChangeSet:
    """Soft delete a box and every box under it in one step (restore_branch undoes it)."""
    with writing(wb) as unit:
        for row in _branch_rows(unit, node_id):
            unit.soft_delete(row)
    return unit.result()


def restore_branch(wb: Workbook, node_ids: list[int]) -> ChangeSet:
    """Bring back the boxes delete_branch removed (its result's ids), parents first."""
    table = TABLE_OF[DriverNode]
    with writing(wb) as unit:
        for node_id in node_ids:
            row = unit.session.get(table, node_id)
            if row is None or row.deleted_at is None:
                raise ValidationError("That box is not deleted any more.", field="id")
            unit.restore(row)
    return unit.result()
