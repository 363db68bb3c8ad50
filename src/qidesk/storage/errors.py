"""Failures the user's environment causes, each with a plain message to show as it is.

Anything not translated here is a QIDesk bug and should reach the crash dialog.
"""

from __future__ import annotations

import errno
import sqlite3

from sqlalchemy.exc import DBAPIError


class StorageError(Exception):
    """A workbook problem the user (or IT) can act on; `message` is plain English."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class WorkbookNotFound(StorageError):
    pass


class NotAWorkbook(StorageError):
    """Empty, not a database, or a database some other program made."""


class WorkbookCorrupt(StorageError):
    pass


class WorkbookLocked(StorageError):
    """Another program is writing the file and did not let go in time."""


class DiskFull(StorageError):
    pass


class ReadOnlyLocation(StorageError):
    """The file or its folder cannot be written (permissions, read-only share, media)."""


class WorkbookReadOnly(StorageError):
    """A write was attempted on a workbook opened read-only."""


class BackupFailed(StorageError):
    pass


_SQLITE_MESSAGES = (
    ("database or disk is full", DiskFull,
     "The disk holding the workbook is full. Nothing was saved; free some space and try again."),
    ("database is locked", WorkbookLocked,
     "The workbook is busy: another program is writing to it. Nothing was saved; try again."),
    ("readonly", ReadOnlyLocation,
     "The workbook cannot be written here (read-only file or folder). Nothing was saved."),
    ("unable to open database", ReadOnlyLocation,
     "The workbook could not be opened: check the file still exists and you may use its folder."),
    ("malformed", WorkbookCorrupt,
     "The workbook is damaged. Restore it from a backup (File > Backups)."),
    ("not a database", WorkbookCorrupt,
     "The workbook is damaged. Restore it from a backup (File > Backups)."),
    ("disk i/o error", WorkbookCorrupt,
     "The disk reported an error while using the workbook. Nothing was saved; check the drive."),
)


def translate(exc: BaseException) -> StorageError | None:
    """The plain-language StorageError for a database or OS failure, else None."""
    if isinstance(exc, StorageError):
        return exc
    if isinstance(exc, DBAPIError) and exc.orig is not None:
        exc = exc.orig
    if isinstance(exc, OSError):
        return _translate_os_error(exc)
    if not isinstance(exc, sqlite3.Error):
        return None
    text = str(exc).lower()
    for needle, kind, message in _SQLITE_MESSAGES:
        if needle in text:
            return kind(message)
    return None


def _translate_os_error(exc: OSError) -> StorageError | None:
    if exc.errno == errno.ENOSPC:
        return DiskFull("The disk is full. Nothing was saved; free some space and try again.")
    if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return ReadOnlyLocation(f"QIDesk may not write to {exc.filename or 'this folder'}.")
    return None
