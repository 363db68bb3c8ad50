"""The PDSA menu and navigator row actions: start the next cycle of the chosen change idea,
or see every cycle of its ramp."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction

from qidesk.domain.entities import DriverNode, PdsaCycle
from qidesk.domain.errors import ValidationError
from qidesk.storage.errors import StorageError
from qidesk.ui.models.navigator_model import NavigatorRole

if TYPE_CHECKING:
    from qidesk.ui.workbook_controller import WorkbookController


class PdsaActions(QObject):
    def __init__(self, controller: WorkbookController):
        super().__init__(controller)
        self.c = controller
        menu = controller.window.menu("&PDSA")
        self.new_action = QAction("&New PDSA cycle…", menu)
        self.new_action.setToolTip("Plan the next PDSA cycle of the chosen change idea")
        self.ramp_action = QAction("&All cycles of this change idea", menu)
        self.ramp_action.setToolTip("The chosen change idea's ramp of cycles, in order")
        menu.addActions([self.new_action, self.ramp_action])
        self.new_action.triggered.connect(self._on_new_action_triggered)
        self.ramp_action.triggered.connect(self._on_ramp_action_triggered)
        controller.workbook_opened.connect(self._on_controller_workbook_opened)
        controller.workbook_closed.connect(self.update_actions)
        self.update_actions()

    def chosen_idea_id(self) -> int | None:
        """The change idea of the navigator's current row (an idea, or one of its cycles)."""
        screen = self.c.screen
        if screen is None:
            return None
        index = screen.navigator.currentIndex()
        return _idea_id(index.data(NavigatorRole.ENTITY)) if index.isValid() else None

    def new_cycle(self, idea_id: int) -> int | None:
        """Start the next cycle of `idea_id` (undoable) and show its worksheet."""
        from qidesk.ui import undo
        from qidesk.ui.widgets.pdsa_commands import NewCycleCommand

        screen, wb = self.c.screen, self.c.wb
        if screen is None or wb is None or wb.read_only:
            return None
        if self.c.session.name is None:  # every change records a name: ask for one first
            self.c.session.ask("Pick your name before planning a PDSA cycle.")
            return None
        command = NewCycleCommand(wb, idea_id, planned_start=date.today())
        try:
            undo.push(screen.undo_stack, command)
        except (ValidationError, StorageError) as exc:
            self.c.window.statusBar().showMessage(exc.message, 10_000)
            return None
        screen.reload()
        screen.show_item("pdsa_cycle", command.cycle_id)
        return command.cycle_id

    def update_actions(self, *_args) -> None:
        idea = self.chosen_idea_id()
        writable = self.c.wb is not None and not self.c.wb.read_only
        self.new_action.setEnabled(writable and idea is not None)
        self.ramp_action.setEnabled(idea is not None)

    def _on_controller_workbook_opened(self, _wb) -> None:
        screen = self.c.screen
        screen.row_actions += [
            ("New &PDSA cycle…", {"change_idea"}, lambda _k, idea: self.new_cycle(idea.id)),
            ("All cycles of this &change idea", {"pdsa_cycle"},
             lambda _k, cycle: screen.show_item("change_idea", cycle.change_idea_id), True),
        ]
        screen.navigator.selectionModel().currentChanged.connect(self.update_actions)
        screen.model.modelReset.connect(self.update_actions)
        self.update_actions()

    def _on_new_action_triggered(self) -> None:
        idea = self.chosen_idea_id()
        if idea is not None:
            self.new_cycle(idea)

    def _on_ramp_action_triggered(self) -> None:
        idea = self.chosen_idea_id()
        if idea is not None and self.c.screen is not None:
            self.c.screen.show_item("change_idea", idea)


def _idea_id(entity) -> int | None:
    if isinstance(entity, PdsaCycle):
        return entity.change_idea_id
    if isinstance(entity, DriverNode) and entity.level == "change_idea":
        return entity.id
    return None
