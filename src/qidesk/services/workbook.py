"""Opening and closing a workbook: the object every other service call takes first.

The UI keeps one `Workbook`, drives `heartbeat()` (every minute) and `backup_if_due()`
(every few minutes) from timers, and shows `notice` in a banner when it is read-only.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from qidesk.storage.backup import BackupInfo
from qidesk.storage.errors import WorkbookReadOnly
from qidesk.storage.lease import LeaseInfo, computer_name, os_user, read_lease
from qidesk.storage.workbook import WorkbookStore, open_store


class Workbook:
    """An open workbook and who is signed in to it. Holds no database session."""

    def __init__(self, store: WorkbookStore, staff_name: str):
        self.store = store
        self.staff_name = staff_name
        self.signed_out = False  # True after sign_out(): writes wait for a sign-in
        self.os_user = os_user()
        self.computer = computer_name()

    @property
    def path(self) -> Path:
        return self.store.path

    @property
    def read_only(self) -> bool:
        return self.store.read_only

    @property
    def notice(self) -> str | None:
        """Why the workbook is read-only (who holds it, newer version...), for a banner."""
        return self.store.notice

    @property
    def lease_holder(self) -> LeaseInfo | None:
        """Who has it open for changes when this copy is read-only because of that."""
        return self.store.lease_holder

    @property
    def schema_revision(self) -> str | None:
        return self.store.revision

    @property
    def backup_folder(self) -> Path:
        return self.store.backup_folder

    def sign_in(self, staff_name: str) -> None:
        """Name recorded in the audit trail for the changes that follow."""
        self.staff_name = staff_name.strip()
        self.signed_out = False
        lease = self.store.lease
        if lease is not None and lease.held and lease.info.staff_name != self.staff_name:
            # Another PC's banner then names the person, not the shared Windows login.
            lease.info = replace(lease.info, staff_name=self.staff_name)
            lease.heartbeat()

    def sign_out(self) -> None:
        """Nobody is using this workbook (idle on a shared PC): every write is refused
        until someone signs in, so nothing is recorded under the previous name."""
        self.staff_name = ""
        self.signed_out = True

    def require_writable(self) -> None:
        if self.store.read_only:
            raise WorkbookReadOnly(self.store.notice or "This workbook is open read-only.")
        if self.signed_out:
            raise WorkbookReadOnly("Nobody is signed in. Choose Switch user and pick your "
                                   "name first; nothing was saved.")

    def heartbeat(self) -> bool:
        """Call every minute; False means the workbook has just become read-only."""
        return self.store.heartbeat()

    def backup_if_due(self) -> BackupInfo | None:
        """Call every few minutes: backs up when changed and 30 minutes have passed."""
        return self.store.backup_if_due()

    def backup_now(self, reason: str = "manual") -> BackupInfo:
        return self.store.backup(reason)

    def close(self) -> None:
        """Back up if anything changed, release the lease and the file."""
        self.store.close()

    def __enter__(self) -> Workbook:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def open_workbook(path: str | Path, staff_name: str = "", *, create: bool = False,
                  read_only: bool = False, take_over_stale: bool = False,
                  backup_folder: Path | None = None) -> Workbook:
    """Open a workbook (creating it if `create` and absent).

    Raises a StorageError subclass with a plain message for files QIDesk must refuse
    (empty, not a database, another program's database, damaged, cut short). Opens
    read-only, with `notice` saying why, when someone else holds it, when it came from
    a newer QIDesk, or when its folder cannot be written. A stale holder is replaced
    only with `take_over_stale=True` (after the user confirmed).
    """
    store = open_store(Path(path), staff_name=staff_name, create=create, read_only=read_only,
                       take_over_stale=take_over_stale, backup_folder=backup_folder)
    return Workbook(store, staff_name)


def current_holder(path: str | Path) -> LeaseInfo | None:
    """Who has the workbook open for changes (None if nobody), without opening it."""
    return read_lease(Path(path).absolute())
