"""Checks run before a workbook is used, without changing the file.

The header is read as bytes first, so empty files, other file kinds and other programs'
databases are refused before SQLite even opens them. The integrity check then uses a
read-only (or immutable) connection, so a refused file stays byte-identical.
"""

from __future__ import annotations

import sqlite3
import struct
from pathlib import Path
from urllib.parse import quote

from qidesk.storage.errors import NotAWorkbook, ReadOnlyLocation, WorkbookCorrupt

# PRAGMA application_id of every QIDesk workbook: "QIDk" in ASCII (sqlite.org/fileformat2.html).
APPLICATION_ID = 0x5149446B
SQLITE_MAGIC = b"SQLite format 3\x00"
HEADER_SIZE = 100
SIDE_SUFFIXES = ("-wal", "-shm", "-journal")

DAMAGED = ("{name} is damaged and cannot be opened safely. Restore it from a backup; "
           "the file has not been changed.")


def uri(path: Path, *, read_only: bool = False, immutable: bool = False) -> str:
    """A SQLite URI for `path` (works for UNC and Windows drive paths too)."""
    return _uri_for(path.resolve().as_posix(), read_only=read_only, immutable=immutable)


def _uri_for(posix: str, *, read_only: bool, immutable: bool) -> str:
    """file:///home/x, file:///C:/x, and file:////server/share/x for UNC (sqlite.org/uri.html:
    the authority must stay empty, so a UNC path's leading // goes into the path)."""
    text = quote(posix, safe="/:")
    text = "file://" + ("" if text.startswith("/") else "/") + text
    params = []
    if read_only or immutable:
        params.append("mode=ro")
    if immutable:
        params.append("immutable=1")
    return text + ("?" + "&".join(params) if params else "")


def check_header(path: Path) -> None:
    """Refuse anything that is not, by its first 100 bytes, a whole QIDesk workbook."""
    name = path.name
    try:
        size = path.stat().st_size
        with path.open("rb") as f:
            header = f.read(HEADER_SIZE)
    except PermissionError as exc:
        raise ReadOnlyLocation(f"QIDesk is not allowed to read {name}.") from exc
    except IsADirectoryError as exc:
        raise NotAWorkbook(f"{name} is a folder, not a QIDesk workbook.") from exc
    except OSError as exc:
        raise NotAWorkbook(f"{name} could not be read ({exc.strerror or exc}).") from exc
    if size == 0:
        raise NotAWorkbook(f"{name} is empty (0 bytes), so it is not a QIDesk workbook.")
    if len(header) < HEADER_SIZE or not header.startswith(SQLITE_MAGIC):
        raise NotAWorkbook(f"{name} is not a QIDesk workbook (it is not a database file).")
    page_size, = struct.unpack(">H", header[16:18])
    page_size = 65536 if page_size == 1 else page_size
    if page_size < 512 or page_size & (page_size - 1):
        raise WorkbookCorrupt(DAMAGED.format(name=name))
    app_id, = struct.unpack(">I", header[68:72])
    if app_id != APPLICATION_ID:
        raise NotAWorkbook(f"{name} is a database made by another program, "
                           "not a QIDesk workbook. It has not been changed.")
    change_counter, page_count, valid_for = (
        struct.unpack(">I", header[24:28])[0], struct.unpack(">I", header[28:32])[0],
        struct.unpack(">I", header[92:96])[0])
    if size % page_size or (change_counter == valid_for and size < page_count * page_size):
        raise WorkbookCorrupt(f"{name} is incomplete (the file was cut short). "
                              "Restore it from a backup; the file has not been changed.")


def has_side_files(path: Path) -> bool:
    return any(Path(str(path) + s).exists() for s in SIDE_SUFFIXES)


def quick_check(path: Path) -> None:
    """Run SQLite's quick_check read-only; raise WorkbookCorrupt if it finds damage.

    With no -wal/-journal beside the file nobody is writing it, so an immutable
    connection reads it without creating any file. Otherwise a read-only connection
    sees the committed state; a hot journal left by a crash needs a writable connection
    to roll back, which SQLite does itself (our own workbook, so that is allowed).
    """
    if not has_side_files(path):
        if _run_check(uri(path, immutable=True), path) == "ok":
            return
        if not has_side_files(path):  # nobody started writing meanwhile: real damage
            raise WorkbookCorrupt(DAMAGED.format(name=path.name))
    try:
        result = _run_check(uri(path, read_only=True), path)
    except _NeedsRecovery:
        result = _run_check(uri(path), path)
    if result != "ok":
        raise WorkbookCorrupt(DAMAGED.format(name=path.name))


class _NeedsRecovery(Exception):
    pass


def _run_check(database_uri: str, path: Path) -> str:
    from qidesk.storage.engine import map_for_reading  # engine imports this module

    try:
        conn = sqlite3.connect(database_uri, uri=True, isolation_level=None)
    except sqlite3.Error as exc:
        raise ReadOnlyLocation(f"The workbook could not be opened ({exc}).") from exc
    try:
        conn.execute("PRAGMA busy_timeout = 5000")
        map_for_reading(conn, path)  # the check reads every page
        rows = conn.execute("PRAGMA quick_check").fetchall()
        return "ok" if rows == [("ok",)] else "damaged"
    except sqlite3.OperationalError as exc:
        if "readonly" in str(exc).lower():
            raise _NeedsRecovery() from exc
        if "locked" in str(exc).lower() or "busy" in str(exc).lower():
            raise
        return "damaged"
    except sqlite3.DatabaseError:
        return "damaged"
    finally:
        conn.close()


def _reader_uri(path: Path) -> str:
    """Immutable when nobody has the file open (creates no side files), else read-only."""
    return uri(path, read_only=True, immutable=not has_side_files(path))


def stored_revision(path: Path) -> str | None:
    """The Alembic revision recorded in the workbook (None for an empty new file)."""
    conn = sqlite3.connect(_reader_uri(path), uri=True)
    try:
        has_table = conn.execute("SELECT 1 FROM sqlite_master WHERE type='table' "
                                 "AND name='alembic_version'").fetchone()
        if not has_table:
            return None
        row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
        return row[0] if row else None
    finally:
        conn.close()


def stored_app_version(path: Path) -> str | None:
    """The QIDesk version that last migrated the workbook, if it recorded one."""
    conn = sqlite3.connect(_reader_uri(path), uri=True)
    try:
        has_table = conn.execute("SELECT 1 FROM sqlite_master WHERE type='table' "
                                 "AND name='workbook_info'").fetchone()
        if not has_table:
            return None
        row = conn.execute("SELECT value FROM workbook_info WHERE key='app_version'").fetchone()
        return row[0] if row else None
    finally:
        conn.close()
