"""File menu work on whole workbooks: Open, New, Save As, and taking over a stale one."""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from pathlib import Path
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt
from PySide6.QtWidgets import QApplication, QFileDialog, QInputDialog, QLineEdit, QMessageBox

from qidesk.domain.entities import Team
from qidesk.domain.errors import ValidationError
from qidesk.domain.rules import PidConfirmationRequired, check_text
from qidesk.services import teams
from qidesk.services.workbook import current_holder, open_workbook
from qidesk.services.workbook_files import save_copy_as
from qidesk.storage.errors import StorageError

if TYPE_CHECKING:
    from qidesk.ui.workbook_controller import WorkbookController

_log = logging.getLogger(__name__)

WORKBOOK_FILTER = "QIDesk workbooks (*.qidesk);;All files (*)"
SUFFIX = ".qidesk"


@contextmanager
def busy(window, message: str) -> Iterator[None]:
    """Busy cursor and a status message while the UI thread does a short blocking job."""
    window.statusBar().showMessage(message)
    QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
    QApplication.processEvents()
    try:
        yield
    finally:
        QApplication.restoreOverrideCursor()
        window.statusBar().clearMessage()


class WorkbookFiles(QObject):
    """The File menu's workbook actions, carried out through the controller."""

    def __init__(self, controller: WorkbookController):
        super().__init__(controller)
        self.c = controller
        self.window = controller.window
        self.pending_team: tuple[Path, str] | None = None  # a new workbook's first team
        self.c.session.signed_in.connect(self._on_session_signed_in)

    def choose_and_open(self) -> None:
        last = self.c.settings.last_workbook
        start = str(Path(last).parent) if last else str(self.c.data_folder)
        chosen, _ = QFileDialog.getOpenFileName(self.window, "Open a workbook", start,
                                                WORKBOOK_FILTER)
        if chosen:
            self.c.open(Path(chosen))

    def new_workbook(self) -> None:
        """Create an empty workbook, then add its first team once someone has signed in
        (so the audit trail names who created it)."""
        path = self._choose_new_path("Create a new workbook",
                                     self.c.data_folder / f"New ward workbook{SUFFIX}")
        if path is None:
            return
        team = self._ask_team_name()
        if team is None:
            return
        self.c.close()
        try:
            with busy(self.window, f"Creating {path.name}…"):
                wb = open_workbook(path, create=True)
        except StorageError as exc:
            self._warn("QIDesk could not create the workbook", f"{path.name}\n\n{exc.message}")
            return
        self.pending_team = (wb.path, team)
        self.c.show_workbook(wb)

    def save_as(self) -> None:
        """Copy the open workbook (as a verified backup) to a new file and carry on there."""
        wb = self.c.wb
        if wb is None:
            return
        path = self._choose_new_path("Save a copy of this workbook as",
                                     wb.path.with_name(f"{wb.path.stem} copy{SUFFIX}"))
        if path is None:
            return
        name = self.c.session.name
        try:
            with busy(self.window, f"Saving a copy as {path.name}…"):
                target = save_copy_as(wb, path)
        except StorageError as exc:
            self._warn("The copy was not saved", exc.message)
            return
        self.c.open(target, signed_in_as=name)
        self.window.statusBar().showMessage(f"Saved a copy as {target}; you are now working "
                                            "in the copy.", 10_000)

    def take_over(self) -> None:
        """Open a workbook whose holder has gone quiet, after the user confirms."""
        wb = self.c.wb
        if wb is None:
            return
        holder = current_holder(wb.path)
        if holder is not None and not holder.is_stale():
            self._warn("Still in use", f"{holder.describe()} is still using this workbook, "
                                       "so it cannot be taken over.")
            if self.c.screen is not None:
                self.c.screen.banner.offer_take_over(False)
            return
        if holder is not None and not self._confirm_take_over(holder):
            return
        self.c.open(wb.path, take_over_stale=True)

    def _confirm_take_over(self, holder) -> bool:
        quiet = int((datetime.now(UTC) - holder.heartbeat).total_seconds() // 60)
        box = QMessageBox(QMessageBox.Icon.Warning, "Take over this workbook?",
                          f"{holder.describe()} opened this workbook for changes, but nothing "
                          f"has been heard from {holder.computer} for {quiet} minutes.\n\n"
                          "Take over only if you are sure they have finished: if QIDesk is "
                          "still open there, it switches to read-only.", parent=self.window)
        take = box.addButton("&Take over", QMessageBox.ButtonRole.AcceptRole)
        box.addButton(QMessageBox.StandardButton.Cancel)
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)
        box.exec()
        return box.clickedButton() is take

    def _choose_new_path(self, title: str, suggested: Path) -> Path | None:
        chosen, _ = QFileDialog.getSaveFileName(
            self.window, title, str(suggested), WORKBOOK_FILTER,
            options=QFileDialog.Option.DontConfirmOverwrite)
        if not chosen:
            return None
        path = Path(chosen)
        if path.suffix.lower() != SUFFIX:
            path = path.with_name(path.name + SUFFIX)
        if path.exists():
            self._warn("Choose another name", f"{path.name} already exists. QIDesk never "
                                              "overwrites a workbook; choose another name.")
            return None
        return path

    def _ask_team_name(self) -> str | None:
        """The first ward or team, checked by the domain's own text rules."""
        name = ""
        while True:
            name, ok = QInputDialog.getText(
                self.window, "New workbook", "Name of the first ward or team in it\n"
                "(e.g. Ward 7 — Elderly Care):", QLineEdit.EchoMode.Normal, name)
            if not ok:
                return None
            try:
                check_text(Team(name=name.strip()))
            except ValidationError as exc:
                self._warn("Check the team name", exc.message)
                continue
            return name.strip()

    def _on_session_signed_in(self, _name: str) -> None:
        wb = self.c.wb
        if self.pending_team is None or wb is None or wb.path != self.pending_team[0]:
            return
        _, team = self.pending_team
        self.pending_team = None
        try:
            try:
                teams.add_team(wb, Team(name=team))
            except PidConfirmationRequired as exc:
                if not self._confirm_patient_data(str(exc)):
                    return
                teams.add_team(wb, Team(name=team), confirm_pid=True)
        except (ValidationError, StorageError) as exc:
            self._warn("The team was not added", exc.message)
            return
        if self.c.screen is not None:
            self.c.screen.reload()
        self.window.set_saved("All changes saved")

    def _confirm_patient_data(self, message: str) -> bool:
        answer = QMessageBox.warning(
            self.window, "Possible patient details",
            f"{message}\n\nQIDesk holds aggregate ward data only. Save it anyway?",
            QMessageBox.StandardButton.Save | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Cancel)
        return answer == QMessageBox.StandardButton.Save

    def _warn(self, title: str, text: str) -> None:
        _log.warning("%s: %s", title, text)
        QMessageBox.warning(self.window, title, text)
