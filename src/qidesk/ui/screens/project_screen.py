"""The project page: what a QI lead sets up (title, problem, SMART aim, status, lead,
sponsor, dates), the team, the IHI progress score and the family-of-measures check.

Save model: the project's own fields are a form with Save (Ctrl+S) and Revert, and a line
saying whether there are unsaved changes; team members and progress scores save as soon
as they are added. Every save is one step on the workbook's undo stack.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, QTime, QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut, QUndoStack
from PySide6.QtWidgets import (
    QBoxLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from qidesk.domain.entities import Project
from qidesk.domain.enums import MeasureKind
from qidesk.domain.errors import ValidationError
from qidesk.services import measures, projects, teams
from qidesk.services.workbook import Workbook
from qidesk.storage.errors import StorageError
from qidesk.ui.dialogs.measure_dialog import MeasureDialog
from qidesk.ui.project_commands import EditProjectCommand, push_confirmed
from qidesk.ui.widgets.family_panel import FamilyPanel
from qidesk.ui.widgets.members_editor import MembersEditor
from qidesk.ui.widgets.progress_score_panel import ProgressScorePanel
from qidesk.ui.widgets.project_form import STATUS_LABELS, ProjectForm

# Below this width the two columns sit one above the other rather than squashing the form.
TWO_COLUMNS_MIN_WIDTH = 980


def ask_unsaved(parent: QWidget, title: str) -> bool:
    """Save the changes to `title` before showing another project? False discards them."""
    answer = QMessageBox.question(
        parent, "Unsaved changes", f"Save your changes to “{title}” before moving on?",
        QMessageBox.StandardButton.Save | QMessageBox.StandardButton.Discard,
        QMessageBox.StandardButton.Save)
    return answer == QMessageBox.StandardButton.Save


class ProjectScreen(QWidget):
    """Page for the navigator's project rows (see ui/screens/pages.py for the contract)."""

    open_requested = Signal(str, int)
    records_changed = Signal()
    sign_in_requested = Signal(str)

    def __init__(self, wb: Workbook, undo_stack: QUndoStack, parent: QWidget | None = None):
        super().__init__(parent)
        self.wb, self.undo_stack = wb, undo_stack
        self.project: Project | None = None
        self.measure_dialog: MeasureDialog | None = None
        self.ask_unsaved = ask_unsaved  # a test may answer for the reader
        self._leaving = False
        self._stale = False  # changed while hidden: re-read when shown
        self._build()
        self._connect_signals()

    def _build(self) -> None:
        self.heading = QLabel()
        self.heading.setObjectName("screenHeading")
        self.heading.setWordWrap(True)
        self.subheading = QLabel()
        self.save_state = QLabel()
        self.save_state.setAccessibleName("Save state")
        self.revert_button = QPushButton("Re&vert")
        self.revert_button.setToolTip("Put the project's fields back as they were last saved")
        self.save_button = QPushButton("&Save changes")
        self.save_button.setToolTip("Save the project's fields (Ctrl+S); Undo takes them back")
        self.form = ProjectForm(self.wb)
        self.scores = ProgressScorePanel(self.wb, self.undo_stack)
        self.family = FamilyPanel(self.wb)
        self.members = MembersEditor(self.wb, self.undo_stack)
        bar = QHBoxLayout()
        titles = QVBoxLayout()
        titles.addWidget(self.heading)
        titles.addWidget(self.subheading)
        bar.addLayout(titles, 1)
        bar.addWidget(self.save_state, 0, Qt.AlignmentFlag.AlignVCenter)
        bar.addWidget(self.revert_button, 0, Qt.AlignmentFlag.AlignVCenter)
        bar.addWidget(self.save_button, 0, Qt.AlignmentFlag.AlignVCenter)
        right = QVBoxLayout()
        right.addWidget(self.scores)
        right.addWidget(self.family)
        right.addWidget(self.members)
        right.addStretch(1)
        left = QVBoxLayout()
        left.addWidget(self.form)
        left.addStretch(1)  # the form keeps its height; the page, not the box, fills the rest
        self.columns = QBoxLayout(QBoxLayout.Direction.LeftToRight)
        self.columns.addLayout(left, 1)
        self.columns.addLayout(right, 1)
        body = QWidget()
        body.setLayout(self.columns)
        self.scroll = QScrollArea()
        self.scroll.setWidget(body)
        self.scroll.setWidgetResizable(True)
        self.scroll.setFrameShape(QFrame.Shape.NoFrame)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 10, 12, 4)
        layout.addLayout(bar)
        layout.addWidget(self.scroll, 1)
        self.save_shortcut = QShortcut(QKeySequence.StandardKey.Save, self)
        self.save_shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        for widget in (self.save_button, self.revert_button, self.save_state):
            widget.setVisible(not self.wb.read_only)

    def _connect_signals(self) -> None:
        self.save_button.clicked.connect(self.save)
        self.revert_button.clicked.connect(self.revert)
        self.save_shortcut.activated.connect(self.save)
        self.form.edited.connect(self._update_save_state)
        self.family.add_measure_requested.connect(self.add_measure)
        self.family.edit_measure_requested.connect(self.edit_measure)
        for panel in (self.scores, self.members):
            panel.sign_in_requested.connect(self.sign_in_requested)
        self.undo_stack.indexChanged.connect(self._on_undo_stack_index_changed)

    def show_record(self, kind: str, entity) -> None:
        if not isinstance(entity, Project):
            return
        moving_on = self.project is not None and entity.id != self.project.id
        if moving_on and self.form.is_dirty():
            if self._leaving:
                return  # the navigator re-read during the save below: the outer call shows it
            self._leaving = True
            try:
                if self.ask_unsaved(self, self.project.title) and not self.save():
                    # Go back to the project whose problems are now shown beside its fields.
                    QTimer.singleShot(0, lambda i=self.project.id:
                                      self.open_requested.emit("project", i))
                    return
            finally:
                self._leaving = False
        if moving_on or not self.form.is_dirty():
            self._show(entity)

    def _show(self, project: Project) -> None:
        if self.project is None or project.id != self.project.id:
            self.save_state.clear()  # "Saved at" belongs to the project shown before
            self.scroll.verticalScrollBar().setValue(0)  # a new project reads from the top
        self.project = project
        team = next((t.name for t in teams.list_teams(self.wb) if t.id == project.team_id), "")
        names = [m.name for m in projects.list_members(self.wb, project.id)]
        names += [s.name for s in teams.list_staff(self.wb) if s.name not in names]
        self.form.load(project, team, names)
        self.scores.show_project(project.id)
        self.family.show_project(project.id)
        self.members.show_project(project.id)
        self._show_heading()
        self._update_save_state()

    def _show_heading(self) -> None:
        p = self.project
        self.heading.setText(p.title)
        parts = [self.form.team.text(), STATUS_LABELS[p.status]]
        if p.lead:
            parts.append(f"Lead: {p.lead}")
        self.subheading.setText("  ·  ".join(parts))

    def refresh(self) -> None:
        """Re-read the project (after an undo, redo or a change made elsewhere)."""
        if self.project is None:
            return
        try:
            fresh = projects.get_project(self.wb, self.project.id)
        except ValidationError:
            return  # deleted (an undone New project): the navigator moves elsewhere
        if self.form.is_dirty():
            self.project = fresh  # keep the reader's edits; panels follow the workbook
            self.scores.refresh()
            self.family.refresh()
            self.members.refresh()
        else:
            self._show(fresh)

    def save(self) -> bool:
        """Save the form's changes; errors go beside their fields and nothing is saved."""
        if self.project is None or self.wb.read_only:
            return False
        self.form.clear_errors()
        old_title = self.project.title
        try:
            changes = self.form.changes(self.project)
            if not changes:
                return True
            if self.wb.signed_out:
                self.sign_in_requested.emit("Pick your name before changing this project.")
            command = push_confirmed(self, self.undo_stack, lambda ok: EditProjectCommand(
                self.wb, self.project, changes, confirm_pid=ok))
        except (ValidationError, StorageError) as exc:
            self.form.show_error(exc.message, getattr(exc, "field", None))
            self._update_save_state()
            return False
        if command is None:
            return False
        self._show(projects.get_project(self.wb, self.project.id))
        self.save_state.setText(f"Saved at {QTime.currentTime().toString('HH:mm')}")
        self._update_save_state()
        if self.project.title != old_title:
            self.records_changed.emit()  # the navigator shows the title
        return True

    def revert(self) -> None:
        if self.project is not None:
            self.form.clear_errors()
            self._show(projects.get_project(self.wb, self.project.id))

    def add_measure(self, kind: str) -> MeasureDialog | None:
        """The measure dialog for a new measure of `kind` in this project."""
        dialog = self._measure_dialog(None)
        if dialog is not None:
            dialog.kind.setCurrentIndex(dialog.kind.findData(MeasureKind(kind)))
            dialog.name.setFocus()
        return dialog

    def edit_measure(self, measure_id: int) -> MeasureDialog | None:
        dialog = self._measure_dialog(measures.get_measure(self.wb, measure_id))
        if dialog is not None:
            dialog.definition.setFocus()
        return dialog

    def _measure_dialog(self, measure) -> MeasureDialog | None:
        if self.project is None or self.wb.read_only:
            return None
        if self.wb.signed_out:
            self.sign_in_requested.emit("Pick your name before adding or changing measures.")
            return None
        self.measure_dialog = MeasureDialog(self.wb, self.project.id, self.undo_stack, measure,
                                            self.window())
        self.measure_dialog.setWindowModality(Qt.WindowModality.WindowModal)
        self.measure_dialog.finished.connect(self._on_measure_dialog_finished)
        self.measure_dialog.open()
        return self.measure_dialog

    def _on_measure_dialog_finished(self, result: int) -> None:
        dialog, self.measure_dialog = self.measure_dialog, None
        if dialog is not None:
            dialog.deleteLater()
        if result:
            self.family.refresh()
            self.records_changed.emit()

    def _on_undo_stack_index_changed(self, _index: int) -> None:
        # A hidden page re-reads when it is shown again, not on every change elsewhere.
        if self.isVisible():
            self.refresh()
        else:
            self._stale = True

    def showEvent(self, event) -> None:  # noqa: N802 - Qt's name
        if self._stale:
            self._stale = False
            self.refresh()
        super().showEvent(event)

    def _update_save_state(self) -> None:
        dirty = self.form.is_dirty()
        self.save_button.setEnabled(dirty)
        self.revert_button.setEnabled(dirty)
        if dirty:
            self.save_state.setText("Unsaved changes")
            self.save_state.setStyleSheet("color: #8A5300; font-weight: 600;")
        elif not self.save_state.text().startswith("Saved at"):
            self.save_state.setText("All changes saved")
            self.save_state.setStyleSheet("color: #425563;")
        else:
            self.save_state.setStyleSheet("color: #007F3B; font-weight: 600;")

    def resizeEvent(self, event) -> None:  # noqa: N802 - Qt's name
        wide = event.size().width() >= TWO_COLUMNS_MIN_WIDTH
        self.columns.setDirection(QBoxLayout.Direction.LeftToRight if wide
                                  else QBoxLayout.Direction.TopToBottom)
        super().resizeEvent(event)
