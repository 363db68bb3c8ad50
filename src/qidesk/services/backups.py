"""Listing backups and restoring one (after backing up the current state)."""

from __future__ import annotations

from pathlib import Path

from qidesk.domain.changes import Change, ChangeAction, ChangeSet
from qidesk.storage import backup as storage_backup
from qidesk.storage.backup import BackupInfo
from qidesk.storage.checks import stored_revision
from qidesk.storage.engine import make_engine
from qidesk.storage.errors import BackupFailed
from qidesk.storage.migrate import head_revision, is_known_revision, upgrade
from qidesk.services.unit import writing
from qidesk.services.workbook import Workbook


def list_backups(wb: Workbook) -> list[BackupInfo]:
    """This workbook's backups, newest first."""
    return storage_backup.list_backups(wb.backup_folder, wb.path.stem)


def backup_now(wb: Workbook) -> BackupInfo:
    return wb.backup_now("manual")


def restore_backup(wb: Workbook, backup: Path | BackupInfo) -> ChangeSet:
    """Replace the workbook's content by a backup's, keeping a backup of the current
    content first; the restore itself is written to the audit trail."""
    wb.require_writable()
    path = backup.path if isinstance(backup, BackupInfo) else Path(backup)
    storage_backup.verify(path)
    revision = stored_revision(path)
    if not is_known_revision(revision):
        raise BackupFailed("That backup was made by a newer QIDesk and cannot be restored here.")
    store = wb.store
    store.backup("before-restore")
    store.engine.dispose()
    try:
        storage_backup.copy_into(path, store.path)
    finally:
        store.engine = make_engine(store.path, read_only=False)
    if revision != head_revision():
        upgrade(store.write_engine)
    store.revision = head_revision()
    with writing(wb) as unit:
        unit.audit("restored-backup", "workbook", None, {"backup": (None, path.name)})
        unit.changes.append(Change("workbook", 0, ChangeAction.RESTORED))  # refresh all
    store.note_write()
    return unit.result()
