"""Failures the user's environment causes reach the user as plain messages, and leave
the workbook as it was."""

from __future__ import annotations

import sqlite3

import pytest
from sqlalchemy import event

from qidesk.domain.entities import DataPoint
from qidesk.services import data_points, history
from qidesk.storage.errors import (
    DiskFull,
    ReadOnlyLocation,
    WorkbookCorrupt,
    WorkbookLocked,
    translate,
)
from integration_helpers import monday


def test_disk_full_during_a_batch_saves_nothing(wb, ward):
    data_points.record_data_point(wb, DataPoint(measure_id=ward.falls, period=monday(0),
                                                value=1))
    events = len(history.audit_trail(wb, limit=10_000))
    with wb.store.engine.connect() as conn:
        pages = conn.exec_driver_sql("PRAGMA page_count").scalar()
    wb.store.engine.dispose()
    # SQLite reports a database that may not grow as SQLITE_FULL, like a full disk.
    event.listen(wb.store.engine, "connect",
                 lambda dbapi, _: dbapi.execute(f"PRAGMA max_page_count = {pages + 2}"))
    points = [DataPoint(measure_id=ward.falls, period=monday(w), value=w,
                        comment="a long note " * 100) for w in range(1, 400)]
    with pytest.raises(DiskFull) as info:
        data_points.record_data_points(wb, ward.falls, points)
    assert "full" in info.value.message and "Nothing was saved" in info.value.message
    assert len(data_points.list_data_points(wb, ward.falls)) == 1
    assert len(history.audit_trail(wb, limit=10_000)) == events


@pytest.mark.parametrize("text, kind", [
    ("database or disk is full", DiskFull),
    ("database is locked", WorkbookLocked),
    ("attempt to write a readonly database", ReadOnlyLocation),
    ("database disk image is malformed", WorkbookCorrupt),
    ("file is not a database", WorkbookCorrupt),
])
def test_sqlite_failures_become_plain_messages(text, kind):
    error = translate(sqlite3.OperationalError(text))
    assert isinstance(error, kind) and error.message.endswith((".", ")"))
    assert "sqlite" not in error.message.lower()


def test_our_own_bugs_are_not_disguised():
    assert translate(sqlite3.OperationalError("no such column: nonsense")) is None
    assert translate(ValueError("bug")) is None


def test_locked_workbook_reports_busy(wb, ward, workbook_path):
    blocker = sqlite3.connect(workbook_path, timeout=0, isolation_level=None)
    blocker.execute("BEGIN IMMEDIATE")
    wb.store.engine.dispose()
    event.listen(wb.store.engine, "connect",
                 lambda dbapi, _: dbapi.execute("PRAGMA busy_timeout = 50"))
    try:
        with pytest.raises(WorkbookLocked):
            data_points.record_data_point(wb, DataPoint(measure_id=ward.falls,
                                                        period=monday(0), value=1))
    finally:
        blocker.execute("ROLLBACK")
        blocker.close()
    data_points.record_data_point(wb, DataPoint(measure_id=ward.falls, period=monday(0),
                                                value=1))
