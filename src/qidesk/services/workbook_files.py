"""Workbook files as a whole: save a copy elsewhere, and rescue a damaged workbook.

Both go through verified backup copies (storage.backup), so a half-written or damaged
file never appears under a workbook's name.
"""

from __future__ import annotations

import os
import shutil
from datetime import UTC, datetime
from pathlib import Path

from qidesk.services.workbook import Workbook
from qidesk.storage import backup as storage_backup
from qidesk.storage.backup import BackupInfo
from qidesk.storage.checks import SIDE_SUFFIXES, stored_revision
from qidesk.storage.engine import fsync_folder
from qidesk.storage.errors import BackupFailed, StorageError
from qidesk.storage.lease import Lease, LeaseHeld
from qidesk.storage.migrate import is_known_revision
from qidesk.storage.workbook import default_backup_folder


def save_copy_as(wb: Workbook, target: str | Path) -> Path:
    """Copy the open workbook to `target` (which must not exist yet) as a verified
    backup, renamed into place only once complete. Returns the new file's path."""
    target = Path(target).absolute()
    if target.resolve() == wb.path.resolve():
        raise StorageError("That is this workbook's own file; choose another name.")
    if target.exists():
        raise StorageError(f"{target.name} already exists; choose another name.")
    if not target.parent.is_dir():
        raise StorageError(f"The folder {target.parent} does not exist.")
    copy = storage_backup.make_backup(wb.path, target.parent, "save-as")
    try:
        _publish(copy.path, target)
    finally:
        copy.path.unlink(missing_ok=True)
    return target


def backups_of(path: str | Path) -> list[BackupInfo]:
    """Backups of a workbook that may not open (damaged), newest first."""
    path = Path(path).absolute()
    return storage_backup.list_backups(default_backup_folder(path), path.stem)


def restore_damaged(path: str | Path, backup: BackupInfo, staff_name: str = "") -> Path:
    """Put `backup` in place of the damaged workbook at `path`.

    The damaged file (and any journal beside it, which must never be replayed onto the
    restored copy) is moved into the backups folder, not deleted: IT may still want it.
    Returns where the damaged file went. Refuses while someone else holds the workbook.
    """
    path = Path(path).absolute()
    storage_backup.verify(backup.path)
    if not is_known_revision(stored_revision(backup.path)):
        raise BackupFailed("That backup was made by a newer QIDesk and cannot be restored here.")
    lease = Lease(path, staff_name)
    try:
        lease.acquire()
    except LeaseHeld as held:
        raise StorageError(str(held).replace("Opened read-only: ", "Not restored: ")) from None
    temp = path.with_name(f".{path.name}.restoring")
    try:
        shutil.copyfile(backup.path, temp)  # copied and checked before anything moves
        storage_backup.verify(temp)
        aside = _move_aside(path, default_backup_folder(path))
        _publish(temp, path)
        return aside
    finally:
        temp.unlink(missing_ok=True)
        lease.release()


def _move_aside(path: Path, folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    aside = folder / f"{path.stem}__damaged-{stamp}.qidesk-damaged"
    if path.exists():
        shutil.move(path, aside)
    for suffix in SIDE_SUFFIXES:
        side = Path(str(path) + suffix)
        if side.exists():
            shutil.move(side, Path(str(aside) + suffix))
    fsync_folder(path.parent)
    return aside


def _publish(temp: Path, target: Path) -> None:
    """Rename a complete, fsynced file into place without replacing anything there."""
    fd = os.open(temp, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
    try:
        os.link(temp, target)
    except FileExistsError:
        raise StorageError(f"{target.name} already exists; choose another name.") from None
    except OSError:  # file systems without hard links (some network shares)
        if target.exists():
            raise StorageError(f"{target.name} already exists; choose another name.") from None
        os.replace(temp, target)
    else:
        temp.unlink(missing_ok=True)
    fsync_folder(target.parent)
