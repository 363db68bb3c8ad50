"""New measure… and Edit measure…, from the Measure menu and the navigator's context menu."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject

from qidesk.domain.entities import Measure, Project
from qidesk.ui.dialogs.measure_dialog import MeasureDialog
from qidesk.ui.models.navigator_model import NavigatorRole

if TYPE_CHECKING:
    from qidesk.ui.workbook_controller import WorkbookController

# Navigator rows whose project a new measure goes into.
PROJECT_ROWS = {"project", "measure", "driver_diagram", "pdsa_cycles"}


class MeasureActions(QObject):
    """Opens the measure dialog (which saves through the undo stack) for the chosen row."""

    def __init__(self, controller: WorkbookController):
        super().__init__(controller)
        self.c = controller
        self.window = controller.window
        self.dialog: MeasureDialog | None = None
        self.window.new_measure_action.triggered.connect(self._on_new_measure_action_triggered)
        self.window.edit_measure_action.triggered.connect(self._on_edit_measure_action_triggered)

    def attach(self, screen) -> None:
        """Offer the actions on the navigator rows of a newly opened workbook."""
        screen.row_actions += [
            ("&New measure in this project…", PROJECT_ROWS, self._on_row_new_measure),
            ("&Edit measure…", {"measure"}, self._on_row_edit_measure),
        ]
        screen.navigator.selectionModel().currentChanged.connect(self._on_navigator_current_changed)
        self._on_navigator_current_changed()

    def new_measure(self, project_id: int) -> int | None:
        return self._run_dialog(project_id, None)

    def edit_measure(self, measure: Measure) -> int | None:
        return self._run_dialog(measure.project_id, measure)

    def _run_dialog(self, project_id: int, measure: Measure | None) -> int | None:
        screen, wb = self.c.screen, self.c.wb
        if screen is None or wb is None or wb.read_only:
            return None
        if self.c.session.name is None:  # every change records a name: ask for one first
            self.c.session.ask("Pick your name before changing measures.")
            return None
        self.dialog = MeasureDialog(wb, project_id, screen.undo_stack, measure, self.window)
        if measure is None:
            frequency = self.dialog.frequency
            frequency.setCurrentIndex(max(0, frequency.findData(self.c.settings.default_frequency)))
        try:
            if not self.dialog.exec():
                return None
            saved = self.dialog.saved_measure_id
        finally:
            self.dialog.deleteLater()
            self.dialog = None
        if saved is not None and self.c.screen is screen:
            screen.reload()
            screen.show_item("measure", saved)
        return saved

    def _current(self):
        screen = self.c.screen
        if screen is None:
            return None, None
        index = screen.navigator.currentIndex()
        return index.data(NavigatorRole.KIND), index.data(NavigatorRole.ENTITY)

    def _project_id(self, kind, entity) -> int | None:
        if kind in ("project", "driver_diagram", "pdsa_cycles") and isinstance(entity, Project):
            return entity.id
        if kind == "measure":
            return entity.project_id
        return None

    def _on_navigator_current_changed(self, *_args) -> None:
        kind, entity = self._current()
        writable = self.c.wb is not None and not self.c.wb.read_only
        self.window.new_measure_action.setEnabled(
            writable and self._project_id(kind, entity) is not None)
        self.window.edit_measure_action.setEnabled(writable and kind == "measure")

    def _on_new_measure_action_triggered(self) -> None:
        project_id = self._project_id(*self._current())
        if project_id is not None:
            self.new_measure(project_id)

    def _on_edit_measure_action_triggered(self) -> None:
        kind, entity = self._current()
        if kind == "measure":
            self.edit_measure(entity)

    def _on_row_new_measure(self, kind, entity) -> None:
        project_id = self._project_id(kind, entity)
        if project_id is not None:
            self.new_measure(project_id)

    def _on_row_edit_measure(self, _kind, entity) -> None:
        self.edit_measure(entity)
