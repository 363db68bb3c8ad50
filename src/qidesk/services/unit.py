"""One service call = one transaction = one audit event per changed record.

`writing(wb)` opens a BEGIN IMMEDIATE transaction; the Unit collects changes and audit
events and writes the events in the same transaction just before it commits.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from itertools import repeat

from sqlalchemy import insert
from sqlalchemy.exc import DBAPIError
from sqlmodel import Session

import qidesk
from qidesk.domain.changes import Change, ChangeAction, ChangeSet
from qidesk.services.mapping import audit_value
from qidesk.services.workbook import Workbook
from qidesk.storage.bulk import insert_many
from qidesk.storage.errors import translate
from qidesk.storage.tables import AuditEventRow, Record

# Shown in the audit trail instead of text the patient-data guard flagged, so the
# append-only trail never keeps patient data even after the record is corrected.
WITHHELD = "[not kept: patient-data warning shown]"


class Unit:
    """The open transaction of one service call."""

    def __init__(self, wb: Workbook, session: Session):
        self.wb = wb
        self.session = session
        self.now = datetime.now(UTC)
        self.changes: list[Change] = []
        self.pid_warnings: dict[str, list[str]] = {}
        self._events: list[dict] = []
        self._created: list[tuple[str, list[int], list[str]]] = []  # audit_created_many's

    def audit(self, action: ChangeAction | str, table: str, record_id: int | None,
              changes: dict, pid: dict[str, list[str]] | None = None) -> None:
        pid = pid or {}
        safe = {name: ([WITHHELD, WITHHELD] if name in pid else
                       [audit_value(old), audit_value(new)])
                for name, (old, new) in changes.items()}
        self._events.append(dict(
            at=self.now, staff_name=self.wb.staff_name, os_user=self.wb.os_user,
            computer=self.wb.computer, app_version=qidesk.__version__, action=str(action),
            table_name=table, record_id=record_id, changes=json.dumps(safe),
            pid_warnings=json.dumps(pid)))
        if record_id is not None and action in set(ChangeAction):
            self.changes.append(Change(table, record_id, ChangeAction(action)))
        for name, reasons in pid.items():
            self.pid_warnings.setdefault(name, reasons)

    def audit_created(self, table: str, record_id: int, changes_json: str) -> None:
        """The audit event of a new record whose changes JSON the caller built (quick
        enough for 100,000-row imports); same content as audit() would write."""
        self.audit_created_many(table, [record_id], [changes_json])

    def audit_created_many(self, table: str, record_ids: list[int],
                           changes_json: list[str]) -> None:
        """audit_created for many new records of one table at once."""
        self._created.append((table, record_ids, changes_json))
        self.changes.extend(map(Change, repeat(table), record_ids,
                                repeat(ChangeAction.CREATED)))

    def insert(self, row: Record, pid: dict | None = None) -> int:
        self.session.add(row)
        self.session.flush()
        values = {k: (None, v) for k, v in row.model_dump().items()
                  if k not in ("id", "deleted_at") and v not in (None, "")}
        self.audit(ChangeAction.CREATED, row.__tablename__, row.id, values, pid)
        return row.id

    def update(self, row: Record, values: dict, pid: dict | None = None) -> bool:
        """Set the fields that differ; False (and no audit event) when none do."""
        diff = {k: (getattr(row, k), v) for k, v in values.items() if getattr(row, k) != v}
        if not diff:
            return False
        for name, (_, new) in diff.items():
            setattr(row, name, new)
        self.session.add(row)
        self.audit(ChangeAction.UPDATED, row.__tablename__, row.id, diff, pid)
        return True

    def soft_delete(self, row: Record) -> None:
        row.deleted_at = self.now
        self.session.add(row)
        self.audit(ChangeAction.DELETED, row.__tablename__, row.id,
                   {"deleted_at": (None, self.now)})

    def restore(self, row: Record) -> None:
        old = row.deleted_at
        row.deleted_at = None
        self.session.add(row)
        self.audit(ChangeAction.RESTORED, row.__tablename__, row.id, {"deleted_at": (old, None)})

    def write_audit(self) -> None:
        """Write the collected events (in the transaction, just before commit)."""
        self.session.flush()
        table = AuditEventRow.__table__
        if self._events:
            self.session.connection().execute(insert(table), self._events)
        if self._created:
            who = dict(at=self.now, staff_name=self.wb.staff_name, os_user=self.wb.os_user,
                       computer=self.wb.computer, app_version=qidesk.__version__,
                       action=ChangeAction.CREATED.value, pid_warnings="{}")
            columns = {"table_name": [], "record_id": [], "changes": []}
            for kind, record_ids, changes in self._created:
                columns["table_name"] += [kind] * len(record_ids)
                columns["record_id"] += record_ids
                columns["changes"] += changes
            insert_many(self.session.connection(), table, columns, who)
        self._events, self._created = [], []

    def result(self) -> ChangeSet:
        return ChangeSet(tuple(self.changes), dict(self.pid_warnings))


@contextmanager
def writing(wb: Workbook) -> Iterator[Unit]:
    """A write transaction; refuses read-only workbooks and translates disk failures."""
    wb.require_writable()
    store = wb.store
    try:
        with Session(store.write_engine, expire_on_commit=False) as session:
            with session.begin():
                unit = Unit(wb, session)
                yield unit
                unit.write_audit()
    except (DBAPIError, OSError) as exc:
        known = translate(exc)
        if known is None:
            raise
        raise known from exc
    if unit.changes:
        store.note_write()


@contextmanager
def reading(wb: Workbook) -> Iterator[Session]:
    """A read transaction: one consistent snapshot for the whole call."""
    try:
        with Session(wb.store.engine, expire_on_commit=False) as session:
            with session.begin():
                yield session
    except DBAPIError as exc:
        known = translate(exc)
        if known is None:
            raise
        raise known from exc
