"""The audit trail, and restoring soft-deleted records."""

from __future__ import annotations

import json

from sqlalchemy import select

from qidesk.domain.changes import ChangeSet
from qidesk.domain.entities import AuditEvent, DeletedRecord
from qidesk.services import data_points, records, teams
from qidesk.services.unit import reading
from qidesk.services.workbook import Workbook
from qidesk.storage.tables import AuditEventRow, StaffRow

# Rules a restored record must still pass (another record may have taken its place).
_RESTORE_CHECKS = {
    "data_point": data_points._point_rules,
    "team": teams.unique_team_name,
    "staff": teams._unique_name(StaffRow, "person"),
}


def audit_trail(wb: Workbook, table: str | None = None, record_id: int | None = None,
                limit: int = 500) -> list[AuditEvent]:
    """Newest audit events first, optionally of one table or one record."""
    a = AuditEventRow
    query = select(a).order_by(a.id.desc()).limit(limit)
    if table is not None:
        query = query.where(a.table_name == table)
    if record_id is not None:
        query = query.where(a.record_id == record_id)
    with reading(wb) as session:
        return [AuditEvent(id=r.id, at=r.at, staff_name=r.staff_name, os_user=r.os_user,
                           computer=r.computer, app_version=r.app_version, action=r.action,
                           table_name=r.table_name, record_id=r.record_id,
                           changes=json.loads(r.changes or "{}"),
                           pid_warnings=json.loads(r.pid_warnings or "{}"))
                for r in session.scalars(query)]


def deleted_records(wb: Workbook, kind: str | None = None) -> list[DeletedRecord]:
    return records.list_deleted(wb, kind)


def restore_record(wb: Workbook, kind: str, record_id: int) -> ChangeSet:
    """Undo a soft delete (kind is the table name, e.g. "data_point")."""
    return restore_records(wb, [(kind, record_id)])


def restore_records(wb: Workbook, targets: list[tuple[str, int]]) -> ChangeSet:
    """Undo several soft deletes in one transaction, in order (a team before its project)."""
    return records.restore(wb, [(kind, record_id, _RESTORE_CHECKS.get(kind))
                                for kind, record_id in targets])
