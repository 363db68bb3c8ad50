""""Who is using QIDesk?": pick your name or add it, so each change records who made it."""

from __future__ import annotations

from PySide6.QtCore import QItemSelectionModel, Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QLabel,
    QLineEdit,
    QListView,
    QMessageBox,
    QVBoxLayout,
    QWidget,
)

from qidesk.domain.errors import ValidationError
from qidesk.domain.rules import PidConfirmationRequired
from qidesk.services import teams
from qidesk.services.workbook import Workbook
from qidesk.storage.errors import StorageError
from qidesk.ui.models.staff_list_model import StaffListModel

SELF_DECLARED = (
    "Names are self-declared: there are no passwords. QIDesk records the name with each "
    "change for the audit trail, so the team knows who entered what. It is not a security "
    "check, so please only pick your own name."
)


class SignInDialog(QDialog):
    """Sign in to an open workbook by picking a staff name or adding a new one.

    On success the workbook is signed in (`wb.sign_in`) and `signed_in` carries the name.
    A new name is added to the workbook's staff list under that same name, with the role
    typed beside it (optional); typing a role beside an existing name changes that role.
    """

    signed_in = Signal(str)

    def __init__(self, wb: Workbook, *, previous: str | None = None,
                 reason: str | None = None, parent: QWidget | None = None):
        super().__init__(parent)
        self.wb = wb
        self.setWindowTitle("Who is using QIDesk?")
        self.setAccessibleName("Who is using QIDesk?")
        self.setModal(True)
        self.model = StaffListModel(teams.list_staff(wb), self)
        self._build(reason)
        self._connect_signals()
        self._select(previous)

    def _build(self, reason: str | None) -> None:
        heading = QLabel("Who is using QIDesk?")
        heading.setObjectName("dialogHeading")
        self.reason_label = QLabel(reason or "")
        self.reason_label.setWordWrap(True)
        self.reason_label.setVisible(bool(reason))
        note = QLabel(SELF_DECLARED)
        note.setWordWrap(True)
        note.setObjectName("note")
        note.setAccessibleName("About names")
        pick_label = QLabel("&Pick your name:")
        self.staff_list = QListView()
        self.staff_list.setModel(self.model)
        self.staff_list.setAccessibleName("Staff names")
        self.staff_list.setToolTip("Type the first letters to jump to your name; Enter signs in")
        self.staff_list.setMinimumHeight(140)
        self.staff_list.setSpacing(2)  # room between names: easier to read and to click
        pick_label.setBuddy(self.staff_list)
        add_label = QLabel("Not on the list? &Add your name:")
        self.new_name = QLineEdit()
        self.new_name.setAccessibleName("Add your name")
        self.new_name.setPlaceholderText("e.g. Sam Jones")
        self.new_name.setToolTip("Your name as the team knows it; it is added to this workbook")
        self.new_name.setClearButtonEnabled(True)
        add_label.setBuddy(self.new_name)
        role_label = QLabel("&Role (optional):")
        self.new_role = QLineEdit()
        self.new_role.setAccessibleName("Your role")
        self.new_role.setPlaceholderText("e.g. Staff nurse, HCA")
        self.new_role.setToolTip("Shown beside your name in this list; leave blank if you like")
        self.new_role.setClearButtonEnabled(True)
        role_label.setBuddy(self.new_role)
        add_row = QGridLayout()
        add_row.addWidget(add_label, 0, 0)
        add_row.addWidget(role_label, 0, 1)
        add_row.addWidget(self.new_name, 1, 0)
        add_row.addWidget(self.new_role, 1, 1)
        add_row.setColumnStretch(0, 3)
        add_row.setColumnStretch(1, 2)
        self.error_label = QLabel()
        self.error_label.setObjectName("errorText")
        self.error_label.setWordWrap(True)
        self.error_label.setAccessibleName("Sign-in problem")
        self.error_label.hide()
        self.buttons = QDialogButtonBox()
        self.sign_in_button = self.buttons.addButton("&Sign in", QDialogButtonBox.ButtonRole.AcceptRole)
        self.sign_in_button.setDefault(True)
        self.sign_in_button.setAccessibleName("Sign in")
        self.not_now_button = self.buttons.addButton("&Not now", QDialogButtonBox.ButtonRole.RejectRole)
        self.not_now_button.setAccessibleName("Not now")
        self.not_now_button.setToolTip("Look around without signing in; sign in with Switch user "
                                       "before changing anything")
        layout = QVBoxLayout(self)
        for widget in (heading, self.reason_label, note, pick_label, self.staff_list):
            layout.addWidget(widget)
        layout.addLayout(add_row)
        layout.addWidget(self.error_label)
        layout.addWidget(self.buttons)
        self.setTabOrder(self.staff_list, self.new_name)
        self.setTabOrder(self.new_name, self.new_role)
        self.setTabOrder(self.new_role, self.sign_in_button)
        self.setTabOrder(self.sign_in_button, self.not_now_button)
        self.resize(460, 520)

    def _connect_signals(self) -> None:
        self.sign_in_button.clicked.connect(self._on_sign_in_button_clicked)
        self.not_now_button.clicked.connect(self.reject)
        # Enter reaches the default Sign in button; a double click signs in at once too.
        self.staff_list.doubleClicked.connect(self._on_staff_list_double_clicked)
        self.new_name.textEdited.connect(self._on_new_name_text_edited)
        self.new_role.textEdited.connect(self.error_label.hide)

    def _select(self, name: str | None) -> None:
        row = self.model.row_of(name) if name else None
        if row is not None:
            index = self.model.index(row, 0)
            self.staff_list.selectionModel().setCurrentIndex(
                index, QItemSelectionModel.SelectionFlag.ClearAndSelect)
        focus = self.staff_list if self.model.rowCount() else self.new_name
        focus.setFocus(Qt.FocusReason.OtherFocusReason)

    def chosen_name(self) -> str:
        """The typed new name if any, else the name picked in the list ('' if none)."""
        typed = self.new_name.text().strip()
        if typed:
            return typed
        picked = self.staff_list.selectionModel().selectedIndexes()
        return self.model.name_at(picked[0].row()) if picked else ""

    def _on_new_name_text_edited(self, text: str) -> None:
        if text.strip():
            self.staff_list.clearSelection()
        self.error_label.hide()

    def _on_staff_list_double_clicked(self, _index) -> None:
        self.new_name.clear()
        self._on_sign_in_button_clicked()

    def _on_sign_in_button_clicked(self) -> None:
        name = self.chosen_name()
        if not name:
            self._show_error("Pick your name from the list, or type it under "
                             "\"Add your name\".")
            return
        row = self.model.row_of(name)
        if row is not None:
            name = self.model.name_at(row)
            if not self._save_role(row):
                return
        elif not self._add_staff(name):
            return
        self.wb.sign_in(name)
        self.signed_in.emit(name)
        self.accept()

    def _add_staff(self, name: str) -> bool:
        """Add a new name (and role), recorded under itself in the audit trail."""
        role = self.new_role.text()
        return self._save_as(name, lambda confirm: teams.add_staff(
            self.wb, name, role=role, confirm_pid=confirm))

    def _save_role(self, row: int) -> bool:
        """A role typed beside an existing name replaces that person's role."""
        person = self.model.index(row, 0).data(Qt.ItemDataRole.UserRole)
        role = self.new_role.text().strip()
        if not role or role == person.role:
            return True
        return self._save_as(person.name, lambda confirm: teams.set_staff_role(
            self.wb, person.id, role, confirm_pid=confirm))

    def _save_as(self, name: str, save) -> bool:
        """Run `save(confirm_pid)` signed in as `name`; False (and the reason shown) if refused."""
        self.wb.sign_in(name)
        try:
            try:
                save(False)
            except PidConfirmationRequired as exc:
                if not _confirm_patient_data(self, str(exc)):
                    raise ValidationError("Not saved: change it so it does not look "
                                          "like patient details.") from None
                save(True)
        except (ValidationError, StorageError) as exc:
            self.wb.sign_out()
            self._show_error(exc.message)
            (self.new_role if getattr(exc, "field", None) == "role" else self.new_name).setFocus()
            return False
        return True

    def _show_error(self, message: str) -> None:
        self.error_label.setText(message)
        self.error_label.show()


def _confirm_patient_data(parent: QWidget, message: str) -> bool:
    answer = QMessageBox.warning(
        parent, "Possible patient details",
        f"{message}\n\nQIDesk holds aggregate ward data only. Save this name anyway?",
        QMessageBox.StandardButton.Save | QMessageBox.StandardButton.Cancel,
        QMessageBox.StandardButton.Cancel)
    return answer == QMessageBox.StandardButton.Save
