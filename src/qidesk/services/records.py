"""Create, update, soft-delete and restore any entity, with validation before writing.

Entity services call these with their own `check` (rules needing other records); the
order is always: text rules, entity rules, checks, patient-data guard, then write.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable

from sqlmodel import Session, select

from qidesk.domain.changes import ChangeSet
from qidesk.domain.entities import DeletedRecord
from qidesk.domain.errors import ValidationError
from qidesk.domain.rules import PidConfirmationRequired, check_text, pid_findings
from qidesk.services.mapping import ENTITY_OF_TABLE, TABLE_OF, coerce, to_entity, to_values
from qidesk.services.unit import Unit, reading, writing  # noqa: F401 (reading re-exported)
from qidesk.services.workbook import Workbook
from qidesk.storage.tables import RECORD_TABLES, Record

Check = Callable[[Unit, object], None]


def validate(unit: Unit, entity, rule, check, confirm_pid: bool,
             only: set[str] | None = None) -> dict:
    """Run every rule on a (coerced) record; returns its patient-data findings, or raises
    PidConfirmationRequired when there are some and the user has not confirmed."""
    check_text(entity)
    if rule is not None:
        rule(entity)
    if check is not None:
        check(unit, entity)
    pid = pid_findings(entity, only)
    if pid and not confirm_pid:
        raise PidConfirmationRequired(pid)
    return pid


def create(wb: Workbook, entity, *, rule=None, check: Check | None = None,
           confirm_pid: bool = False) -> ChangeSet:
    with writing(wb) as unit:
        create_in(unit, entity, rule=rule, check=check, confirm_pid=confirm_pid)
    return unit.result()


def create_in(unit: Unit, entity, *, rule=None, check: Check | None = None,
              confirm_pid: bool = False) -> int:
    """create()'s work inside an open unit, so one service call can make several records
    in one transaction; returns the new record's id."""
    if entity.id is not None:
        raise ValueError("create() takes a new record (id=None)")
    entity = coerce(entity)
    pid = validate(unit, entity, rule, check, confirm_pid)
    return unit.insert(TABLE_OF[type(entity)](**to_values(entity)), pid)


def update(wb: Workbook, cls: type, record_id: int, changes: dict, *, rule=None,
           check: Check | None = None, confirm_pid: bool = False) -> ChangeSet:
    """Change some fields of one record; unknown field names are a programming error."""
    unknown = set(changes) - {f.name for f in dataclasses.fields(cls)} | ({"id"} & set(changes))
    if unknown:
        raise TypeError(f"{cls.__name__} has no changeable field(s) {sorted(unknown)}")
    with writing(wb) as unit:
        row = live_row(unit.session, cls, record_id)
        entity = coerce(dataclasses.replace(to_entity(cls, row), **changes))
        changed = {k for k, v in to_values(entity).items() if getattr(row, k) != v}
        pid = validate(unit, entity, rule, check, confirm_pid, only=changed)
        unit.update(row, to_values(entity), pid)
    return unit.result()


def delete(wb: Workbook, cls: type, record_id: int) -> ChangeSet:
    return delete_all(wb, [(cls, record_id)])


def delete_all(wb: Workbook, targets: list[tuple[type, int]]) -> ChangeSet:
    """Soft-delete (entity class, id) records in one transaction."""
    with writing(wb) as unit:
        for cls, record_id in targets:
            unit.soft_delete(live_row(unit.session, cls, record_id))
    return unit.result()


def restore(wb: Workbook, targets: list[tuple[str, int, Check | None]]) -> ChangeSet:
    """Undo soft deletes of (kind, id, check) in order, in one transaction: a restored
    record must pass its check (another may have taken its place)."""
    with writing(wb) as unit:
        for kind, record_id, check in targets:
            row = unit.session.get(RECORD_TABLES[kind], record_id)
            if row is None or row.deleted_at is None:
                raise ValidationError("There is no deleted record to restore.", field="id")
            if check is not None:
                check(unit, to_entity(ENTITY_OF_TABLE[kind], row))
            unit.restore(row)
    return unit.result()


def live_row(session: Session, cls: type, record_id: int) -> Record:
    """The row of a record that exists and is not deleted, else a ValidationError."""
    row = session.get(TABLE_OF[cls], record_id)
    if row is None or row.deleted_at is not None:
        name = cls.__name__.lower() if cls.__name__ != "PdsaCycle" else "PDSA cycle"
        raise ValidationError(f"That {name} no longer exists (it may have been deleted).",
                              field="id")
    return row


def require(session: Session, cls: type, record_id: int | None, field: str) -> Record:
    """Like live_row, but the error names the field that points at the missing record."""
    try:
        return live_row(session, cls, record_id)
    except ValidationError as exc:
        raise ValidationError(exc.message, field=field) from None


def get(wb: Workbook, cls: type, record_id: int):
    with reading(wb) as session:
        return to_entity(cls, live_row(session, cls, record_id))


def list_live(wb: Workbook, cls: type, *order_by, **equal_to) -> list:
    """Live records whose fields equal the given values, in the given column order."""
    table = TABLE_OF[cls]
    query = select(table).where(table.deleted_at.is_(None))
    for name, value in equal_to.items():
        query = query.where(getattr(table, name) == value)
    query = query.order_by(*[getattr(table, n) for n in order_by], table.id)
    with reading(wb) as session:
        return [to_entity(cls, row) for row in session.exec(query)]


def list_deleted(wb: Workbook, kind: str | None = None) -> list[DeletedRecord]:
    """Soft-deleted records, newest deletion first, for a restore dialog."""
    found = []
    with reading(wb) as session:
        for name, table in RECORD_TABLES.items():
            if kind is not None and name != kind:
                continue
            for row in session.exec(select(table).where(table.deleted_at.is_not(None))):
                found.append(DeletedRecord(name, row.id, _label(row), row.deleted_at))
    return sorted(found, key=lambda d: d.deleted_at, reverse=True)


def _label(row: Record) -> str:
    for name in ("name", "title", "text", "reason", "comment"):
        value = getattr(row, name, None)
        if value:
            return str(value)[:80]
    period = getattr(row, "period", None)
    return f"{row.__tablename__.replace('_', ' ')} {period or row.id}"
