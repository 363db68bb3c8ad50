"""Who is using the open workbook: sign-in, Switch user, and sign-out when idle.

On a shared PC the next person must never work under someone else's name, so the
workbook is signed out (every write refused by the services) from the moment it opens
until someone picks a name, and again after the idle time or on Switch user.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QObject, Signal

from qidesk.services.workbook import Workbook
from qidesk.ui.dialogs.sign_in_dialog import SignInDialog
from qidesk.ui.idle_watch import IdleWatch
from qidesk.ui.main_window import MainWindow

_log = logging.getLogger(__name__)


class StaffSession(QObject):
    """Signs people in and out of the open workbook and shows who is signed in."""

    signed_in = Signal(str)
    signed_out = Signal()

    def __init__(self, window: MainWindow, idle_minutes: int):
        super().__init__(window)
        self.window = window
        self.wb: Workbook | None = None
        self.dialog: SignInDialog | None = None
        self.idle = IdleWatch(idle_minutes * 60_000, self)
        self.idle.went_idle.connect(self._on_idle_went_idle)

    @property
    def name(self) -> str | None:
        """The signed-in name, or None when nobody is signed in."""
        if self.wb is None or self.wb.read_only or self.wb.signed_out:
            return None
        return self.wb.staff_name or None

    def set_idle_minutes(self, minutes: int) -> None:
        self.idle.set_interval_ms(minutes * 60_000)

    def attach(self, wb: Workbook) -> None:
        """A workbook has opened: nobody is signed in to it yet (read-only needs nobody)."""
        self.detach()
        self.wb = wb
        if not wb.read_only:
            wb.sign_out()
        self.window.set_signed_in(None)

    def detach(self) -> None:
        self.idle.stop()
        self._close_dialog()
        self.wb = None

    def sign_in_as(self, name: str) -> None:
        """Sign in without asking (the same person carries on, e.g. after Save As)."""
        if self.wb is not None and not self.wb.read_only:
            self.wb.sign_in(name)
            self._on_dialog_signed_in(name)

    def ask(self, reason: str | None = None) -> SignInDialog | None:
        """Show "Who is using QIDesk?" (window-modal; the window stays painted behind)."""
        if self.wb is None or self.wb.read_only:
            return None
        self._close_dialog()
        self.dialog = SignInDialog(self.wb, reason=reason, parent=self.window)
        self.dialog.signed_in.connect(self._on_dialog_signed_in)
        self.dialog.rejected.connect(self._on_dialog_rejected)
        self.dialog.open()
        return self.dialog

    def switch_user(self) -> SignInDialog | None:
        self.sign_out()
        return self.ask()

    def sign_out(self) -> None:
        if self.wb is None or self.wb.read_only:
            return
        was = self.wb.staff_name
        self.wb.sign_out()
        self.idle.stop()
        self.window.set_signed_in(None)
        _log.info("Signed out %s", was or "(nobody)")
        self.signed_out.emit()

    def stop(self) -> None:
        """The workbook became read-only (taken over elsewhere): no sign-in needed now."""
        self.idle.stop()
        self._close_dialog()
        self.window.set_signed_in(None)

    def _on_idle_went_idle(self) -> None:
        if self.name is None:
            return
        minutes = round(self.idle.interval_ms / 60_000)
        self.sign_out()
        self.ask(f"{_minutes(minutes)} passed without anyone using QIDesk, so the last "
                 "person was signed out. Pick your name to carry on.")

    def _on_dialog_signed_in(self, name: str) -> None:
        self.window.set_signed_in(name)
        self.idle.start()
        _log.info("Signed in: %s", name)
        self.signed_in.emit(name)

    def _on_dialog_rejected(self) -> None:
        self.window.statusBar().showMessage(
            "Nobody is signed in: use Switch user before changing anything.", 10_000)

    def _close_dialog(self) -> None:
        if self.dialog is not None:
            dialog, self.dialog = self.dialog, None
            dialog.signed_in.disconnect(self._on_dialog_signed_in)
            dialog.rejected.disconnect(self._on_dialog_rejected)
            dialog.close()
            dialog.deleteLater()


def _minutes(minutes: int) -> str:
    return "A minute" if minutes <= 1 else f"{minutes} minutes"
