"""The SQLAlchemy engine for one workbook file, with QIDesk's SQLite settings.

This is the only module that speaks SQLite-specific SQL (pragmas and BEGIN IMMEDIATE);
everything above it stays dialect-neutral for the later PostgreSQL option.
"""

from __future__ import annotations

import os
import sqlite3
import sys
from pathlib import Path

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.pool import QueuePool

from qidesk.storage.checks import uri

BUSY_TIMEOUT_MS = 5_000
WRITE_OPTION = "qidesk_write"
MMAP_BYTES = 256 * 2**20
# Linux file systems on which SQLite's WAL (shared memory) and locks are unreliable.
NETWORK_FS = {"nfs", "nfs4", "cifs", "smb", "smb2", "smb3", "smbfs", "fuse.sshfs",
              "sshfs", "9p", "afs", "ncpfs", "davfs", "fuse.davfs2", "glusterfs", "ceph"}


def is_network_path(path: Path) -> bool:
    """True for UNC paths, mapped network drives and network mounts (WAL is unsafe there)."""
    resolved = str(path.resolve())
    if resolved.startswith(("\\\\", "//")):
        return True
    if sys.platform == "win32":
        return _windows_drive_is_remote(resolved)
    return _mount_type(resolved) in NETWORK_FS


def _windows_drive_is_remote(resolved: str) -> bool:
    import ctypes

    drive_remote = 4  # GetDriveTypeW: DRIVE_REMOTE
    root = resolved[:3] if resolved[1:2] == ":" else resolved
    return ctypes.windll.kernel32.GetDriveTypeW(root) == drive_remote


def _mount_type(resolved: str) -> str:
    """File system type of the longest /proc/mounts mount point holding `resolved`."""
    try:
        with open("/proc/mounts", encoding="utf-8") as f:
            mounts = [line.split()[1:3] for line in f if len(line.split()) >= 3]
    except OSError:
        return ""
    best, fs_type = "", ""
    for mount_point, kind in mounts:
        mount_point = mount_point.replace("\\040", " ")
        inside = resolved == mount_point or resolved.startswith(mount_point.rstrip("/") + "/")
        if inside and len(mount_point) >= len(best):
            best, fs_type = mount_point, kind
    return fs_type


def journal_mode_for(path: Path) -> str:
    return "DELETE" if is_network_path(path) else "WAL"


def map_for_reading(conn: sqlite3.Connection, path: Path) -> None:
    """Let a connection map a local workbook instead of copying its pages: reading every
    page (the integrity check at open, a trust's review board) costs about a tenth less.
    Not on network shares: a dropped share would fault the process."""
    if not is_network_path(path):
        conn.execute(f"PRAGMA mmap_size = {MMAP_BYTES}")


def make_engine(path: Path, *, read_only: bool) -> Engine:
    """An engine whose write transactions start with BEGIN IMMEDIATE.

    pysqlite's own transaction handling is switched off (isolation_level=None) so the
    `begin` hook decides how every transaction starts (SQLAlchemy SQLite dialect docs,
    "Serializable isolation / Savepoints / Transactional DDL").
    """
    database_uri = uri(path, read_only=read_only)
    journal_mode = journal_mode_for(path)
    local = journal_mode == "WAL"

    def connect() -> sqlite3.Connection:
        conn = sqlite3.connect(database_uri, uri=True, isolation_level=None,
                               check_same_thread=False, timeout=BUSY_TIMEOUT_MS / 1000)
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        conn.execute("PRAGMA foreign_keys = ON")
        conn.execute("PRAGMA synchronous = FULL")
        conn.execute("PRAGMA cache_size = -32000")  # 32 MB: big imports spill less
        if local:
            # Reads map the file (see map_for_reading): a trust's board reads ~100 MB.
            conn.execute(f"PRAGMA mmap_size = {MMAP_BYTES}")
        if not read_only:
            conn.execute(f"PRAGMA journal_mode = {journal_mode}")
        return conn

    engine = create_engine("sqlite+pysqlite://", creator=connect, poolclass=QueuePool,
                           pool_size=2, max_overflow=4)

    @event.listens_for(engine, "begin")
    def _begin(conn) -> None:
        immediate = conn.get_execution_options().get(WRITE_OPTION) and not read_only
        conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")

    return engine


def writer(engine: Engine) -> Engine:
    """The same engine, but its transactions take the write lock up front."""
    return engine.execution_options(**{WRITE_OPTION: True})


def fsync_folder(folder: Path) -> None:
    """Make a rename inside `folder` durable (no-op where folders cannot be opened)."""
    if os.name == "nt":
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
