"""Bundle content written into a workbook as new records: new ids, links pointing at the
new records, and an audit event for each, in the caller's transaction.
"""

from __future__ import annotations

import json
from dataclasses import replace

from qidesk.domain.changes import ChangeAction
from qidesk.domain.enums import ReviewSubject
from qidesk.services.mapping import TABLE_OF, audit_value, to_values
from qidesk.services.sharing_format import KINDS, LINKS, ProjectContent, parents_first
from qidesk.services.unit import Unit
from qidesk.storage.bulk import insert_many_with_ids
from qidesk.storage.tables import DataPointRow, PdsaMeasureRow, ProjectRow

_ROW_OF = {**{kind: TABLE_OF[cls] for kind, cls in KINDS.items() if cls in TABLE_OF},
           "pdsa_measure": PdsaMeasureRow}


def write_content(unit: Unit, content: ProjectContent, flagged: dict) -> int:
    """Insert every record with new ids, links remapped; returns the new project's id."""
    project = content.project
    row = ProjectRow(**to_values(replace(project, id=None)))
    new: dict[str, dict[int, int]] = {"project": {
        project.id: unit.insert(row, flagged.get(id(project)))}}
    for kind in KINDS:
        new[kind] = {}
        entities = content.records[kind]
        if kind == "data_point":  # nothing links to data points
            _insert_points(unit, [(p, _remap(kind, p, new)) for p in entities], flagged)
            continue
        if kind == "driver_node":  # parents before their children
            entities = parents_first(entities)
        for entity in entities:
            moved = _remap(kind, entity, new)
            if moved is not None:
                row_id = unit.insert(_ROW_OF[kind](**to_values(moved)), flagged.get(id(entity)))
                new[kind][getattr(entity, "id", row_id)] = row_id
    return new["project"][project.id]


def _remap(kind: str, entity, new: dict[str, dict[int, int]]):
    """The entity with a new-record id and its links pointing at the new records; None for
    a record that cannot stand without a link the bundle does not carry."""
    changes: dict = {"id": None} if hasattr(entity, "id") else {}
    for name, target in LINKS[kind].items():
        old = getattr(entity, name)
        if old is None:
            continue
        changes[name] = new[target].get(old)
        if changes[name] is None:  # an optional link (check_content refused the rest)
            if kind == "pdsa_measure":
                return None
            if name == "prediction_measure_id":  # the prediction needs its measure
                changes.update(prediction_value=None, prediction_by=None)
    if kind == "review":
        target = "project" if entity.subject == ReviewSubject.PROJECT else "measure"
        changes["subject_id"] = new[target].get(entity.subject_id)
        if changes["subject_id"] is None:
            return None
    return replace(entity, **changes)


def _insert_points(unit: Unit, points: list[tuple], flagged: dict) -> None:
    """All data points (bundle's, remapped) in one driver-level insert, each with its own
    audit event as record_data_points writes them: a daily measure over years is thousands."""
    rows = [to_values(moved) for _, moved in points]
    if not rows:
        return
    columns = {name: [row[name] for row in rows] for name in rows[0]}
    ids = insert_many_with_ids(unit.session.connection(), DataPointRow.__table__, columns,
                               {"deleted_at": None})
    for (point, _), row_id, row in zip(points, ids, rows, strict=True):
        changes = {k: (None, v) for k, v in row.items() if v not in (None, "")}
        found = flagged.get(id(point))
        if found:
            unit.audit(ChangeAction.CREATED, "data_point", row_id, changes, found)
        else:
            unit.audit_created("data_point", row_id, json.dumps(
                {k: [None, audit_value(v)] for k, (_, v) in changes.items()}))
