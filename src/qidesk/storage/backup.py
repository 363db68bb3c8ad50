"""Verified, rotating workbook backups made with SQLite's online backup API.

Each copy is written under a temporary name, integrity-checked, fsynced and only then
renamed into place, so the backups folder never holds a half-written copy.
"""

from __future__ import annotations

import os
import re
import secrets
import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from qidesk.storage.checks import APPLICATION_ID, check_header, uri
from qidesk.storage.engine import fsync_folder
from qidesk.storage.errors import BackupFailed, StorageError, translate

KEEP_LAST = 10
KEEP_DAILY = 7
KEEP_WEEKLY = 4
KEEP_MONTHLY = 6
_NAME = re.compile(r"^(?P<stem>.+)__(?P<stamp>\d{8}T\d{6}\d{6}Z)__(?P<reason>[a-z-]+)\.qidesk$")


@dataclass(frozen=True)
class BackupInfo:
    path: Path
    created: datetime  # UTC
    reason: str  # auto, close, manual, before-migration, before-restore, before-import
    size: int


def backup_name(stem: str, created: datetime, reason: str) -> str:
    return f"{stem}__{created:%Y%m%dT%H%M%S%f}Z__{reason}.qidesk"


def make_backup(workbook: Path, folder: Path, reason: str) -> BackupInfo:
    """Copy `workbook` (which may be open and in use) to a new verified backup."""
    folder.mkdir(parents=True, exist_ok=True)
    created = datetime.now(UTC)
    final = folder / backup_name(workbook.stem, created, reason)
    temp = folder / f".{final.name}.{secrets.token_hex(4)}.tmp"
    try:
        _copy(uri(workbook, read_only=True), temp)
        verify(temp)
        _fsync_file(temp)
        os.replace(temp, final)
        fsync_folder(folder)
    except BaseException as exc:
        temp.unlink(missing_ok=True)
        if isinstance(exc, StorageError):
            raise
        known = translate(exc)
        if known is not None:
            raise BackupFailed(f"The backup could not be made: {known.message}") from exc
        raise
    return BackupInfo(final, created, reason, final.stat().st_size)


def _copy(source_uri: str, target: Path) -> None:
    source = sqlite3.connect(source_uri, uri=True)
    try:
        source.execute("PRAGMA busy_timeout = 5000")
        copy = sqlite3.connect(target, isolation_level=None)
        try:
            source.backup(copy)
            # A backup is a self-contained file: no -wal beside it.
            copy.execute("PRAGMA journal_mode = DELETE")
        finally:
            copy.close()
    finally:
        source.close()


def verify(path: Path) -> None:
    """Raise BackupFailed unless `path` is a complete QIDesk workbook that passes
    SQLite's full integrity_check. Opens it immutable: the file is not touched."""
    try:
        check_header(path)
    except StorageError as exc:
        raise BackupFailed(f"The backup {path.name} is not usable: {exc.message}") from exc
    conn = sqlite3.connect(uri(path, immutable=True), uri=True)
    try:
        result = conn.execute("PRAGMA integrity_check").fetchall()
        app_id = conn.execute("PRAGMA application_id").fetchone()[0]
    except sqlite3.DatabaseError as exc:
        raise BackupFailed(f"The backup {path.name} is damaged ({exc}).") from exc
    finally:
        conn.close()
    if result != [("ok",)] or app_id != APPLICATION_ID:
        raise BackupFailed(f"The backup {path.name} failed its integrity check.")


def _fsync_file(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def list_backups(folder: Path, stem: str | None = None) -> list[BackupInfo]:
    """Backups in `folder` (of workbooks named `stem`), newest first."""
    found = []
    if not folder.is_dir():
        return found
    for path in folder.iterdir():
        match = _NAME.match(path.name)
        if not match or (stem is not None and match["stem"] != stem):
            continue
        created = datetime.strptime(match["stamp"], "%Y%m%dT%H%M%S%fZ").replace(tzinfo=UTC)
        found.append(BackupInfo(path, created, match["reason"], path.stat().st_size))
    return sorted(found, key=lambda b: b.created, reverse=True)


def backups_to_keep(backups: list[BackupInfo]) -> set[Path]:
    """Last 10, plus the newest of each of the last 7 days, 4 weeks and 6 months."""
    newest_first = sorted(backups, key=lambda b: b.created, reverse=True)
    keep = {b.path for b in newest_first[:KEEP_LAST]}
    buckets = (
        (KEEP_DAILY, lambda d: d.date()),
        (KEEP_WEEKLY, lambda d: d.isocalendar()[:2]),
        (KEEP_MONTHLY, lambda d: (d.year, d.month)),
    )
    for how_many, bucket_of in buckets:
        seen = []
        for backup in newest_first:
            bucket = bucket_of(backup.created.astimezone())
            if bucket not in seen:
                seen.append(bucket)
                if len(seen) > how_many:
                    break
                keep.add(backup.path)
    return keep


def rotate(folder: Path, stem: str) -> list[Path]:
    """Delete backups beyond the keeping rules; returns what was removed."""
    backups = list_backups(folder, stem)
    keep = backups_to_keep(backups)
    removed = []
    for backup in backups:
        if backup.path not in keep:
            backup.path.unlink(missing_ok=True)
            removed.append(backup.path)
    return removed


def copy_into(backup: Path, workbook: Path) -> None:
    """Overwrite the (closed) workbook's content with the backup's, page by page, through
    SQLite so the live file is changed in one transaction and never left half-written."""
    verify(backup)
    source = sqlite3.connect(uri(backup, immutable=True), uri=True)
    try:
        target = sqlite3.connect(workbook, isolation_level=None)
        try:
            target.execute("PRAGMA busy_timeout = 5000")
            source.backup(target)
        finally:
            target.close()
    finally:
        source.close()
