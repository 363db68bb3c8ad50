"""One writer per workbook: a small JSON lease file beside it, kept fresh by a heartbeat.

SQLite's locks stay as the second line of defence; the lease is what lets QIDesk tell a
second person *who* has the workbook open and since when, instead of failing on save.
"""

from __future__ import annotations

import getpass
import json
import os
import platform
import secrets
import sys
import time
from dataclasses import asdict, dataclass, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

LEASE_SUFFIX = ".lease"
STALE_AFTER = timedelta(minutes=10)
HEARTBEAT_EVERY = timedelta(minutes=1)


def os_user() -> str:
    try:
        return getpass.getuser()
    except Exception:  # no login name on some locked-down sessions
        return "unknown"


def computer_name() -> str:
    return platform.node() or "unknown"


@dataclass(frozen=True)
class LeaseInfo:
    staff_name: str
    os_user: str
    computer: str
    pid: int
    started: datetime
    heartbeat: datetime
    token: str

    def is_stale(self, now: datetime | None = None) -> bool:
        return (now or datetime.now(UTC)) - self.heartbeat > STALE_AFTER

    def describe(self) -> str:
        """E.g. 'Sam Jones (user sjones on WARD-PC-12) since 14:05 on 26 Nov 2026'."""
        who = self.staff_name or self.os_user
        local = self.started.astimezone()
        return (f"{who} (user {self.os_user} on {self.computer}) since "
                f"{local:%H:%M} on {local.day} {local:%b %Y}")

    def to_json(self) -> str:
        data = asdict(self)
        data["started"] = self.started.isoformat()
        data["heartbeat"] = self.heartbeat.isoformat()
        return json.dumps(data, indent=1)

    @classmethod
    def from_json(cls, text: str) -> LeaseInfo:
        data = json.loads(text)
        data["started"] = datetime.fromisoformat(data["started"])
        data["heartbeat"] = datetime.fromisoformat(data["heartbeat"])
        data["pid"] = int(data["pid"])
        return cls(**data)


class LeaseHeld(Exception):
    """Someone else has the workbook open for writing."""

    def __init__(self, holder: LeaseInfo):
        self.holder = holder
        self.stale = holder.is_stale()
        extra = (" Nothing has been heard from it for over 10 minutes, so you may take it "
                 "over if you are sure they have finished." if self.stale else "")
        super().__init__(f"Opened read-only: {holder.describe()} has this workbook open "
                         f"for changes.{extra}")


def lease_path(workbook: Path) -> Path:
    return workbook.with_name(workbook.name + LEASE_SUFFIX)


def read_lease(workbook: Path) -> LeaseInfo | None:
    """The current lease, or None when there is none (or it is unreadable)."""
    try:
        return LeaseInfo.from_json(lease_path(workbook).read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    except (OSError, ValueError, KeyError, TypeError):
        return None


def process_alive(pid: int) -> bool:
    """Whether a process with this id runs on this computer (zombies count as dead)."""
    if pid <= 0:
        return False
    if sys.platform == "win32":
        return _windows_process_alive(pid)
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as f:
            return f.read().rsplit(")", 1)[1].split()[0] != "Z"
    except (OSError, IndexError):
        return True


def _windows_process_alive(pid: int) -> bool:
    import ctypes

    query_limited, still_active = 0x1000, 259
    kernel32 = ctypes.windll.kernel32
    handle = kernel32.OpenProcess(query_limited, False, pid)
    if not handle:
        return kernel32.GetLastError() == 5  # access denied: it exists
    try:
        code = ctypes.c_ulong()
        kernel32.GetExitCodeProcess(handle, ctypes.byref(code))
        return code.value == still_active
    finally:
        kernel32.CloseHandle(handle)


class Lease:
    """This process's claim on one workbook."""

    def __init__(self, workbook: Path, staff_name: str = ""):
        now = datetime.now(UTC)
        self.workbook = workbook
        self.path = lease_path(workbook)
        self.info = LeaseInfo(staff_name, os_user(), computer_name(), os.getpid(), now, now,
                              secrets.token_hex(8))
        self.held = False

    def acquire(self, *, take_over_stale: bool = False) -> None:
        """Take the lease, or raise LeaseHeld naming the holder.

        A lease left by a dead process on this computer is reclaimed silently; a stale
        one elsewhere only when `take_over_stale` is True (the user confirmed).
        """
        for _ in range(20):
            if self._create_exclusive():
                self.held = True
                return
            current = read_lease(self.workbook)
            if current is None:
                if self._unreadable_for_long():
                    self._overwrite_and_verify()
                    return
                time.sleep(0.05)  # being written by someone else right now
                continue
            if self._may_reclaim(current, take_over_stale):
                self._overwrite_and_verify(current)
                return
            raise LeaseHeld(current)
        raise LeaseHeld(read_lease(self.workbook) or self.info)

    def _may_reclaim(self, current: LeaseInfo, take_over_stale: bool) -> bool:
        if current.token == self.info.token:
            return True
        same_pc = current.computer == self.info.computer
        if same_pc and current.pid != os.getpid() and not process_alive(current.pid):
            return True
        return take_over_stale and current.is_stale()

    def _unreadable_for_long(self) -> bool:
        try:
            age = time.time() - self.path.stat().st_mtime
        except FileNotFoundError:
            return False
        return age > 5

    def _overwrite_and_verify(self, previous: LeaseInfo | None = None) -> None:
        self._write(self.info)
        current = read_lease(self.workbook)
        if current is None or current.token != self.info.token:
            raise LeaseHeld(current or previous or self.info)
        self.held = True

    def heartbeat(self) -> bool:
        """Refresh the lease; False if someone took it over (we must stop writing)."""
        if not self.held:
            return False
        current = read_lease(self.workbook)
        if current is None or current.token != self.info.token:
            self.held = False
            return False
        self.info = replace(self.info, heartbeat=datetime.now(UTC))
        self._write(self.info)
        return True

    def release(self) -> None:
        if not self.held:
            return
        self.held = False
        current = read_lease(self.workbook)
        if current is not None and current.token == self.info.token:
            try:
                self.path.unlink()
            except FileNotFoundError:
                pass

    def _temp_path(self) -> Path:
        return self.path.with_name(f".{self.path.name}.{os.getpid()}.{self.info.token}.tmp")

    def _write_temp(self, info: LeaseInfo) -> Path:
        temp = self._temp_path()
        with open(temp, "w", encoding="utf-8") as f:
            f.write(info.to_json())
            f.flush()
            os.fsync(f.fileno())
        return temp

    def _write(self, info: LeaseInfo) -> None:
        """Atomic: readers see the old lease or the new one, never half of one."""
        temp = self._write_temp(info)
        for attempt in range(5):
            try:
                os.replace(temp, self.path)
                return
            except PermissionError:  # Windows: a reader has the lease open this instant
                if attempt == 4:
                    temp.unlink(missing_ok=True)
                    raise
                time.sleep(0.05)

    def _create_exclusive(self) -> bool:
        """Create the lease only if there is none; hard-linking a complete temp file is
        atomic and exclusive, so a reader never sees it half-written."""
        temp = self._write_temp(self.info)
        try:
            os.link(temp, self.path)
            return True
        except FileExistsError:
            return False
        except OSError:  # file systems without hard links
            return self._create_exclusive_fallback()
        finally:
            temp.unlink(missing_ok=True)

    def _create_exclusive_fallback(self) -> bool:
        try:
            fd = os.open(self.path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
        except FileExistsError:
            return False
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(self.info.to_json())
            f.flush()
            os.fsync(f.fileno())
        return True
