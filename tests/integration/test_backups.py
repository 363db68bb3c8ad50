"""Backups: verified copies, rotation, restore after backing up the current state."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from qidesk.domain.entities import DataPoint
from qidesk.services import backups, data_points, history
from qidesk.storage import backup as storage_backup
from qidesk.storage.backup import BackupInfo, backups_to_keep
from qidesk.storage.errors import BackupFailed
from integration_helpers import monday


def test_backup_is_a_verified_standalone_workbook(wb, ward):
    data_points.record_data_point(wb, data_point(ward, 0))
    info = backups.backup_now(wb)
    assert info.path.exists() and not Path(str(info.path) + "-wal").exists()
    conn = sqlite3.connect(info.path)
    assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    assert conn.execute("SELECT count(*) FROM data_point").fetchone() == (1,)
    conn.close()
    assert [b.path for b in backups.list_backups(wb)] == [info.path]
    assert not list(info.path.parent.glob("*.tmp"))


def data_point(ward, week, value=1.0):
    return DataPoint(measure_id=ward.falls, period=monday(week), value=value)


def test_close_backs_up_only_when_changed(tmp_path, wb, ward):
    folder = wb.backup_folder
    wb.close()
    assert [b.reason for b in storage_backup.list_backups(folder)] == ["close"]
    from qidesk.services.workbook import open_workbook

    with open_workbook(wb.path, "Sam", backup_folder=folder):
        pass
    assert len(storage_backup.list_backups(folder)) == 1


def test_auto_backup_every_30_minutes_when_changed(wb, ward, monkeypatch):
    assert wb.backup_if_due() is None  # nothing changed since opening
    data_points.record_data_point(wb, data_point(ward, 0))
    assert wb.backup_if_due() is None  # changed, but not 30 minutes yet
    wb.store._last_backup -= 31 * 60
    assert wb.backup_if_due().reason == "auto"
    assert wb.backup_if_due() is None


def test_restore_backs_up_current_then_restores_and_audits(wb, ward):
    data_points.record_data_point(wb, data_point(ward, 0, 1))
    first = backups.backup_now(wb)
    data_points.record_data_point(wb, data_point(ward, 1, 2))
    change = backups.restore_backup(wb, first)
    assert change.kinds == {"workbook"}
    assert [p.value for p in data_points.list_data_points(wb, ward.falls)] == [1.0]
    reasons = [b.reason for b in backups.list_backups(wb)]
    assert "before-restore" in reasons
    before_restore = next(b for b in backups.list_backups(wb) if b.reason == "before-restore")
    conn = sqlite3.connect(before_restore.path)
    assert conn.execute("SELECT count(*) FROM data_point").fetchone() == (2,)
    conn.close()
    assert history.audit_trail(wb, "workbook")[0].action == "restored-backup"
    data_points.record_data_point(wb, data_point(ward, 5))  # still writable afterwards


def test_damaged_backup_is_refused(wb, ward, tmp_path):
    info = backups.backup_now(wb)
    data = bytearray(info.path.read_bytes())
    data[5000:9000] = b"\x00" * 4000
    info.path.write_bytes(bytes(data))
    with pytest.raises(BackupFailed):
        backups.restore_backup(wb, info)


def _info(created: datetime) -> BackupInfo:
    return BackupInfo(Path(created.isoformat()), created, "auto", 1)


def test_rotation_keeps_last_10_plus_daily_weekly_monthly():
    now = datetime(2026, 6, 30, 12, tzinfo=UTC)
    hourly_today = [_info(now - timedelta(minutes=30 * i)) for i in range(20)]
    daily = [_info(now - timedelta(days=d, hours=1)) for d in range(1, 60)]
    monthly = [_info(now - timedelta(days=31 * m)) for m in range(2, 12)]
    keep = backups_to_keep(hourly_today + daily + monthly)
    assert all(b.path in keep for b in hourly_today[:10])
    assert not any(b.path in keep for b in hourly_today[10:])  # same day, older
    kept_days = {b.created.date() for b in daily if b.path in keep}
    assert len(kept_days) >= 6  # the previous days (today counts as one of the 7)
    assert len(keep) <= 10 + 7 + 4 + 6
    oldest_kept = min(b.created for b in hourly_today + daily + monthly if b.path in keep)
    assert oldest_kept < now - timedelta(days=150)  # monthly copies reach back ~6 months


def test_rotation_deletes_files_beyond_the_rules(wb):
    for _ in range(14):
        backups.backup_now(wb)
    assert len(backups.list_backups(wb)) == 10
