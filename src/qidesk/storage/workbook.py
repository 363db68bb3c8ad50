"""Opening a workbook file safely: check, lease, back up, migrate, then hand out sessions.

The order matters: nothing is written to a file until its header and quick_check say it
is a healthy QIDesk workbook, and nothing is migrated before a verified backup exists.
"""

from __future__ import annotations

import hashlib
import os
import secrets
import shutil
import sqlite3
import tempfile
import time
from pathlib import Path

from sqlalchemy import Engine

import qidesk
from qidesk.paths import app_paths
from qidesk.storage import backup as backups
from qidesk.storage.checks import (
    APPLICATION_ID,
    check_header,
    quick_check,
    stored_app_version,
    stored_revision,
)
from qidesk.storage.engine import fsync_folder, make_engine, writer
from qidesk.storage.errors import StorageError, WorkbookNotFound, translate
from qidesk.storage.lease import Lease, LeaseHeld, LeaseInfo
from qidesk.storage.migrate import head_revision, is_known_revision, upgrade

AUTO_BACKUP_EVERY_S = 30 * 60


def default_backup_folder(workbook: Path) -> Path:
    """Per-workbook folder under the user's backups folder (the path hash keeps two
    workbooks with the same file name apart)."""
    digest = hashlib.sha1(str(workbook.resolve()).encode("utf-8")).hexdigest()[:8]
    return app_paths().backups / f"{workbook.stem}-{digest}"


class WorkbookStore:
    """An open workbook file: its engine, lease, backups and read-only state."""

    def __init__(self, path: Path, backup_folder: Path):
        self.path = path
        self.backup_folder = backup_folder
        self.read_only = False
        self.notice: str | None = None  # why it is read-only, for the banner
        self.lease: Lease | None = None
        self.lease_holder: LeaseInfo | None = None  # who has it, when read-only for that
        self.engine: Engine | None = None
        self.revision: str | None = None
        # Writes counted, not flagged: an auto backup runs on another thread, and a write
        # made while it copies must still count as not backed up.
        self._writes = 0
        self._writes_backed_up = 0
        self._last_backup = time.monotonic()
        self.view_folder: Path | None = None  # an updated copy read in place of the file

    @property
    def write_engine(self) -> Engine:
        return writer(self.engine)

    def set_read_only(self, notice: str) -> None:
        self.read_only = True
        self.notice = notice

    @property
    def changed_since_backup(self) -> bool:
        return self._writes != self._writes_backed_up

    def note_write(self) -> None:
        self._writes += 1

    def backup(self, reason: str = "manual") -> backups.BackupInfo:
        writes = self._writes
        info = backups.make_backup(self.path, self.backup_folder, reason)
        backups.rotate(self.backup_folder, self.path.stem)
        self._last_backup = time.monotonic()
        self._writes_backed_up = writes
        return info

    def backup_if_due(self) -> backups.BackupInfo | None:
        """Back up when something changed and the last backup is 30 minutes old."""
        due = time.monotonic() - self._last_backup >= AUTO_BACKUP_EVERY_S
        if self.read_only or not self.changed_since_backup or not due:
            return None
        return self.backup("auto")

    def heartbeat(self) -> bool:
        """Keep the lease fresh; if someone took it over, continue read-only."""
        if self.read_only or self.lease is None:
            return not self.read_only
        try:
            if self.lease.heartbeat():
                return True
        except OSError:  # share briefly unreachable: try again next minute
            return True
        self._reopen_read_only("Someone else took over this workbook; it is now read-only. "
                               "Your earlier changes are saved.")
        return False

    def _reopen_read_only(self, notice: str) -> None:
        self.engine.dispose()
        self.engine = make_engine(self.path, read_only=True)
        self.set_read_only(notice)

    def close(self) -> None:
        try:
            if not self.read_only and self.changed_since_backup and self.engine is not None:
                self.backup("close")
        finally:
            if self.engine is not None:
                self.engine.dispose()
                self.engine = None
            if self.lease is not None:
                self.lease.release()
            if self.view_folder is not None:
                shutil.rmtree(self.view_folder, ignore_errors=True)
                self.view_folder = None


def open_store(path: Path, *, staff_name: str = "", create: bool = False,
               read_only: bool = False, take_over_stale: bool = False,
               backup_folder: Path | None = None) -> WorkbookStore:
    """Open (or create) the workbook at `path`; see module docstring for the order."""
    path = Path(path).absolute()
    store = WorkbookStore(path, backup_folder or default_backup_folder(path))
    try:
        if not path.exists():
            if not create:
                raise WorkbookNotFound(f"There is no workbook at {path}.")
            try:
                create_workbook_file(path)
            except WorkbookExists:
                pass  # someone created it a moment ago: open theirs
        check_header(path)
        quick_check(path)
        store.revision = stored_revision(path)
        _decide_access(store, staff_name, read_only, take_over_stale)
        if not store.read_only and store.revision != head_revision():
            store.backup("before-migration")  # forced and verified, or we stop here
            upgrade(_migration_engine(store))
            store.revision = head_revision()
        elif store.read_only and _older_but_known(store.revision):
            _open_updated_copy(store)
        if store.engine is None:
            store.engine = make_engine(path, read_only=store.read_only)
        return store
    except BaseException as exc:
        store.close()
        known = translate(exc)
        if known is not None and known is not exc:
            raise known from exc
        raise


def _older_but_known(revision: str | None) -> bool:
    return is_known_revision(revision) and revision != head_revision()


def _open_updated_copy(store: WorkbookStore) -> None:
    """Read an older workbook that may not be changed here (another PC holds it, or it
    was asked for read-only) through a migrated private copy: this QIDesk's queries need
    the current schema, and the file itself is updated only when opened for changes."""
    store.view_folder = Path(tempfile.mkdtemp(prefix="qidesk-view-"))
    copy = backups.make_backup(store.path, store.view_folder, "read-only-view").path
    engine = make_engine(copy, read_only=False)
    try:
        upgrade(writer(engine))
    finally:
        engine.dispose()
    store.engine = make_engine(copy, read_only=True)
    store.notice = (f"{store.notice} It was last saved by an older QIDesk, so you are "
                    f"reading an updated copy made at {time.strftime('%H:%M')}; the file is "
                    "updated when it is next opened for changes.")


def _migration_engine(store: WorkbookStore) -> Engine:
    store.engine = make_engine(store.path, read_only=False)
    return store.write_engine


def _decide_access(store: WorkbookStore, staff_name: str, read_only: bool,
                   take_over_stale: bool) -> None:
    if not is_known_revision(store.revision):
        store.set_read_only(_newer_version_notice(store))
        return
    if read_only:
        store.set_read_only("Opened read-only, as asked.")
        return
    if not os.access(store.path, os.W_OK) or not os.access(store.path.parent, os.W_OK):
        store.set_read_only("This workbook or its folder cannot be written, so it is "
                            "open read-only.")
        return
    lease = Lease(store.path, staff_name)
    try:
        lease.acquire(take_over_stale=take_over_stale)
    except LeaseHeld as held:
        store.set_read_only(str(held))
        store.lease_holder = held.holder
        return
    except PermissionError:
        store.set_read_only("QIDesk may not write in this workbook's folder, so it is "
                            "open read-only.")
        return
    store.lease = lease


def _newer_version_notice(store: WorkbookStore) -> str:
    theirs = stored_app_version(store.path)
    made_by = f"QIDesk {theirs}" if theirs else "a newer QIDesk"
    return (f"This workbook was last updated by {made_by} (schema {store.revision}); this is "
            f"QIDesk {qidesk.__version__} (schema {head_revision()}). It is open read-only "
            "so nothing is lost: install the newer QIDesk to change it.")


class WorkbookExists(StorageError):
    pass


def create_workbook_file(path: Path) -> None:
    """Create an empty, fully migrated workbook at `path`, appearing there all at once.

    application_id is set while still in rollback-journal mode so it is in the main file
    from the first moment (a crash can never leave a workbook that looks foreign).
    """
    if not path.parent.is_dir():
        raise WorkbookNotFound(f"The folder {path.parent} does not exist.")
    temp = path.with_name(f".{path.name}.{secrets.token_hex(4)}.creating")
    try:
        conn = sqlite3.connect(temp, isolation_level=None)
        conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
        conn.close()
        engine = make_engine(temp, read_only=False)
        try:
            upgrade(writer(engine))
        finally:
            engine.dispose()  # last close checkpoints the WAL into the main file
        _publish(temp, path)
    finally:
        for suffix in ("", "-wal", "-shm", "-journal"):
            Path(str(temp) + suffix).unlink(missing_ok=True)


def _publish(temp: Path, path: Path) -> None:
    fd = os.open(temp, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
    try:
        os.link(temp, path)  # never replaces a file someone created meanwhile
    except FileExistsError as exc:
        raise WorkbookExists(f"{path.name} already exists; choose another name.") from exc
    except OSError:
        if path.exists():
            raise WorkbookExists(f"{path.name} already exists; choose another name.") from None
        os.replace(temp, path)
    fsync_folder(path.parent)

