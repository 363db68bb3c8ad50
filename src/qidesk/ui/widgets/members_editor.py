"""The project team: members and their roles, added, changed and removed at once (each
change is one undoable step), with a small dialog that shows problems beside the field."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QStandardItem, QStandardItemModel, QUndoStack
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCompleter,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from qidesk.domain.entities import ProjectMember
from qidesk.domain.errors import ValidationError
from qidesk.services import projects, teams
from qidesk.services.workbook import Workbook
from qidesk.storage.errors import StorageError
from qidesk.ui.project_commands import (
    AddMemberCommand,
    EditMemberCommand,
    RemoveMemberCommand,
    push_confirmed,
)


def error_label() -> QLabel:
    label = QLabel()
    label.setStyleSheet("color: #D5281B; font-weight: 600;")  # NHS red, beside the field
    label.setWordWrap(True)
    label.hide()
    return label


class MemberDialog(QDialog):
    """Name and role of one team member; saves through `save` (errors shown, dialog kept)."""

    def __init__(self, member: ProjectMember | None, names: list[str], save,
                 parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("Edit team member" if member else "Add team member")
        self.save = save
        self.name = QLineEdit(member.name if member else "")
        self.name.setAccessibleName("Member's name")
        self.name.setCompleter(QCompleter(names, self.name))
        self.role = QLineEdit(member.role if member else "")
        self.role.setAccessibleName("Member's role")
        self.role.setPlaceholderText("e.g. HCA champion, Physiotherapist, Project lead")
        self.errors = {"name": error_label(), "role": error_label(), "general": error_label()}
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save
                                        | QDialogButtonBox.StandardButton.Cancel)
        form = QFormLayout()
        form.addRow("&Name", self.name)
        form.addRow("", self.errors["name"])
        form.addRow("&Role", self.role)
        form.addRow("", self.errors["role"])
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.errors["general"])
        layout.addWidget(self.buttons)
        self.setMinimumWidth(420)
        self.buttons.accepted.connect(self._on_buttons_accepted)
        self.buttons.rejected.connect(self.reject)

    def _on_buttons_accepted(self) -> None:
        for label in self.errors.values():
            label.hide()
        try:
            if self.save(self.name.text().strip(), self.role.text().strip()) is None:
                return
        except (ValidationError, StorageError) as exc:
            label = self.errors.get(getattr(exc, "field", None) or "general", self.errors["general"])
            label.setText(exc.message)
            label.show()
            return
        self.accept()


class MembersEditor(QGroupBox):
    """The project's members and roles; changes are saved as soon as they are made."""

    members_changed = Signal()
    sign_in_requested = Signal(str)

    def __init__(self, wb: Workbook, undo_stack: QUndoStack | None, parent: QWidget | None = None):
        super().__init__("Team members and roles", parent)
        self.wb, self.undo_stack = wb, undo_stack
        self.project_id: int | None = None
        self.dialog: MemberDialog | None = None
        self.model = QStandardItemModel(0, 2, self)
        self.model.setHorizontalHeaderLabels(["Name", "Role"])
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setAccessibleName("Team members")
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.add_button = QPushButton("&Add member…")
        self.edit_button = QPushButton("Ed&it…")
        self.remove_button = QPushButton("Re&move")
        self.add_button.setToolTip("Add someone to the project team")
        self.remove_button.setToolTip("Take the chosen member off the team (Undo puts them back)")
        self.error = error_label()
        self.buttons = QWidget()
        row = QHBoxLayout(self.buttons)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.add_button)
        row.addWidget(self.edit_button)
        row.addWidget(self.remove_button)
        row.addStretch(1)
        note = QLabel("Saved as soon as you add, change or remove someone.")
        note.setStyleSheet("color: #425563;")
        note.setWordWrap(True)
        self.note = note
        layout = QVBoxLayout(self)
        layout.addWidget(self.table)
        layout.addWidget(self.buttons)
        layout.addWidget(self.note)
        layout.addWidget(self.error)
        self._connect_signals()
        self.set_read_only(wb.read_only)

    def _connect_signals(self) -> None:
        self.add_button.clicked.connect(self.add_member)
        self.edit_button.clicked.connect(self.edit_member)
        self.remove_button.clicked.connect(self.remove_member)
        self.table.doubleClicked.connect(self.edit_member)
        self.table.selectionModel().selectionChanged.connect(self._update_buttons)

    def set_read_only(self, read_only: bool) -> None:
        self.read_only = read_only
        self.buttons.setVisible(not read_only)
        self.note.setVisible(not read_only)

    def show_project(self, project_id: int) -> None:
        self.project_id = project_id
        self.error.hide()
        self.refresh()

    def refresh(self) -> None:
        self.model.removeRows(0, self.model.rowCount())
        for member in projects.list_members(self.wb, self.project_id):
            name = QStandardItem(member.name)
            name.setData(member, Qt.ItemDataRole.UserRole)
            self.model.appendRow([name, QStandardItem(member.role)])
        # As tall as its rows (three to ten): a small team leaves no blank box.
        rows = min(max(self.model.rowCount(), 3), 10)
        self.table.setFixedHeight(self.table.horizontalHeader().sizeHint().height()
                                  + rows * self.table.verticalHeader().defaultSectionSize()
                                  + 2 * self.table.frameWidth() + 2)
        self._update_buttons()

    def members(self) -> list[tuple[str, str]]:
        return [(self.model.index(r, 0).data(), self.model.index(r, 1).data())
                for r in range(self.model.rowCount())]

    def selected(self) -> ProjectMember | None:
        rows = self.table.selectionModel().selectedRows()
        return rows[0].data(Qt.ItemDataRole.UserRole) if rows else None

    def select(self, name: str) -> None:
        for r in range(self.model.rowCount()):
            if self.model.index(r, 0).data() == name:
                self.table.selectRow(r)

    def add_member(self) -> MemberDialog | None:
        def save(name: str, role: str):
            member = ProjectMember(project_id=self.project_id, name=name, role=role)
            return self._push(lambda ok: AddMemberCommand(self.wb, member, confirm_pid=ok))
        return self._open_dialog(None, save)

    def edit_member(self, *_args) -> MemberDialog | None:
        member = self.selected()
        if member is None or self.read_only:
            return None

        def save(name: str, role: str):
            if (name, role) == (member.name, member.role):
                return True  # nothing changed: nothing to save or undo
            return self._push(lambda ok: EditMemberCommand(self.wb, member, name, role,
                                                           confirm_pid=ok))
        return self._open_dialog(member, save)

    def remove_member(self) -> None:
        member = self.selected()
        self.error.hide()
        if member is None:
            return
        try:
            self._push(lambda _ok: RemoveMemberCommand(self.wb, member))
        except (ValidationError, StorageError) as exc:
            self.error.setText(exc.message)
            self.error.show()

    def _push(self, make):
        if self.wb.signed_out:
            self.sign_in_requested.emit("Pick your name before changing the project team.")
        command = push_confirmed(self, self.undo_stack, make)
        if command is not None:
            self.refresh()
            self.members_changed.emit()
        return command

    def _open_dialog(self, member, save) -> MemberDialog | None:
        if self.read_only:
            return None
        names = sorted({s.name for s in teams.list_staff(self.wb)})
        self.dialog = MemberDialog(member, names, save, self.window())
        self.dialog.setWindowModality(Qt.WindowModality.WindowModal)
        self.dialog.finished.connect(self._on_dialog_finished)
        self.dialog.open()
        return self.dialog

    def _on_dialog_finished(self, _result: int) -> None:
        if self.dialog is not None:
            self.dialog.deleteLater()
            self.dialog = None

    def _update_buttons(self, *_args) -> None:
        chosen = self.selected() is not None
        self.edit_button.setEnabled(chosen)
        self.remove_button.setEnabled(chosen)
