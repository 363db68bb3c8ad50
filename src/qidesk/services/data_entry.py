"""Undoing and redoing a paste of many data points, in one transaction like the paste."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable

from qidesk.domain.changes import ChangeSet
from qidesk.domain.entities import DataPoint
from qidesk.domain.errors import ValidationError
from qidesk.domain.rules import pid_findings
from qidesk.services import data_points, records
from qidesk.services.mapping import to_entity, to_values
from qidesk.services.unit import writing
from qidesk.services.workbook import Workbook
from qidesk.storage.tables import DataPointRow


def rewrite_data_points(wb: Workbook, *, delete: Iterable[int] = (), restore: Iterable[int] = (),
                        values: dict[int, dict] | None = None) -> ChangeSet:
    """Soft-delete, restore and set figures of data points: all of it or none.

    Each point must still pass the data rules (a restored period may since have been
    typed in again). Text the patient-data guard flags is withheld from the audit trail,
    as when it was first written; it was confirmed then, so it is not asked again.
    """
    with writing(wb) as unit:
        for point_id in delete:
            unit.soft_delete(records.live_row(unit.session, DataPoint, point_id))
        for point_id in restore:
            row = unit.session.get(DataPointRow, point_id)
            if row is None or row.deleted_at is None:
                raise ValidationError("That data point is no longer deleted.", field="id")
            data_points._point_rules(unit, to_entity(DataPoint, row))
            unit.restore(row)
        for point_id, changes in (values or {}).items():
            row = records.live_row(unit.session, DataPoint, point_id)
            point = dataclasses.replace(to_entity(DataPoint, row), **changes)
            data_points._point_rules(unit, point)
            unit.update(row, to_values(point), pid_findings(point, set(changes)))
    return unit.result()
