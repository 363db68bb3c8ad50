"""Undoable edits of a driver diagram (each calling one service in services.drivers), and
the page's edit operations that make them from keys, buttons and drops."""

from __future__ import annotations

from PySide6.QtWidgets import QAbstractItemDelegate, QAbstractItemView

from qidesk.domain.entities import DriverNode
from qidesk.domain.enums import ChangeIdeaStatus, DriverLevel
from qidesk.domain.errors import ValidationError
from qidesk.domain.rules import PidConfirmationRequired
from qidesk.services import drivers
from qidesk.services.drivers import LEVEL_WORDS
from qidesk.services.workbook import Workbook
from qidesk.storage.errors import StorageError
from qidesk.ui.models.driver_tree_model import Pending
from qidesk.ui.undo import ServiceCommand, push
from qidesk.ui.widgets.pid_prompt import confirm_pid


def _short(text: str) -> str:
    return text if len(text) <= 40 else text[:39] + "…"


class AddDriverNodeCommand(ServiceCommand):
    def __init__(self, wb: Workbook, node: DriverNode, index: int, *, confirm_pid: bool = False):
        super().__init__(wb, f"new {LEVEL_WORDS[node.level]} “{_short(node.text)}”")
        self.node = node
        self.index = index
        self.confirm_pid = confirm_pid
        self.node_id: int | None = None

    def run(self) -> None:
        self.node_id = drivers.add_node_at(self.wb, self.node, self.index,
                                           confirm_pid=self.confirm_pid).id

    def apply(self) -> None:
        drivers.restore_branch(self.wb, [self.node_id])

    def revert(self) -> None:
        drivers.delete_branch(self.wb, self.node_id)


class RenameDriverNodeCommand(ServiceCommand):
    def __init__(self, wb: Workbook, node: DriverNode, text: str, *, confirm_pid: bool = False):
        super().__init__(wb, f"rename of “{_short(node.text)}”")
        self.node_id, self.old, self.new = node.id, node.text, text
        self.confirm_pid = confirm_pid

    def run(self) -> None:
        drivers.update_node(self.wb, self.node_id, text=self.new, confirm_pid=self.confirm_pid)

    def apply(self) -> None:
        drivers.update_node(self.wb, self.node_id, text=self.new, confirm_pid=True)

    def revert(self) -> None:
        drivers.update_node(self.wb, self.node_id, text=self.old, confirm_pid=True)


class SetChangeIdeaStatusCommand(ServiceCommand):
    def __init__(self, wb: Workbook, node: DriverNode, status: ChangeIdeaStatus):
        super().__init__(wb, f"status of “{_short(node.text)}”")
        self.node_id, self.old, self.new = node.id, node.status, status

    def run(self) -> None:
        drivers.set_change_idea_status(self.wb, self.node_id, self.new)

    def revert(self) -> None:
        drivers.set_change_idea_status(self.wb, self.node_id, self.old)


class MoveDriverNodeCommand(ServiceCommand):
    """Reorder, re-parent, promote or demote a box with everything under it."""

    def __init__(self, wb: Workbook, node: DriverNode, old_index: int, parent_id: int,
                 index: int, verb: str = "move"):
        super().__init__(wb, f"{verb} of “{_short(node.text)}”")
        self.node_id = node.id
        self.old = (node.parent_id, old_index)
        self.new = (parent_id, index)

    def run(self) -> None:
        drivers.move_node(self.wb, self.node_id, *self.new)

    def revert(self) -> None:
        drivers.move_node(self.wb, self.node_id, *self.old)


class DeleteDriverBranchCommand(ServiceCommand):
    """Delete a box and the boxes under it; undo brings them all back."""

    def __init__(self, wb: Workbook, node: DriverNode):
        super().__init__(wb, f"deletion of “{_short(node.text)}”")
        self.node_id = node.id
        self.deleted: list[int] = []

    def run(self) -> None:
        self.deleted = drivers.delete_branch(self.wb, self.node_id).ids("driver_node")

    def revert(self) -> None:
        drivers.restore_branch(self.wb, self.deleted)


CHILD_LEVEL = {DriverLevel.AIM: DriverLevel.PRIMARY, DriverLevel.PRIMARY: DriverLevel.SECONDARY,
               DriverLevel.SECONDARY: DriverLevel.CHANGE_IDEA}


class DriverEditing:
    """The driver diagram page's edits: each key or button turns into one command.

    Knows the page's tree, model and undo stack; says what to fix in the page's message
    line when the workbook refuses a change.
    """

    def __init__(self, page):
        self.page = page

    @property
    def wb(self) -> Workbook:
        return self.page.wb

    def _node(self) -> DriverNode | None:
        return self.page.current_node()

    def _siblings(self, node: DriverNode) -> list[int]:
        return self.page.model.children.get(node.parent_id, [])

    def _finish_typing(self, then) -> bool:
        """Save a box still being typed, then run `then` (after the save has landed)."""
        tree = self.page.tree
        if tree.state() != QAbstractItemView.State.EditingState:
            return False
        editor = tree.focusWidget()
        tree.commitData(editor)
        tree.closeEditor(editor, QAbstractItemDelegate.EndEditHint.NoHint)
        self.page.queue(then)
        return True

    def _signed_in(self) -> bool:
        """Every change records a name: ask for one first when nobody is signed in."""
        if not self.wb.staff_name:
            self.page.sign_in_requested.emit("Pick your name before changing the driver diagram.")
        return bool(self.wb.staff_name)

    def _start(self, pending: Pending) -> None:
        if self.wb.read_only or not self._signed_in():
            return
        tree = self.page.tree
        if pending.parent_id is not None:
            tree.expand(self.page.model.index_of(pending.parent_id))
        index = self.page.model.start_adding(pending)
        tree.setCurrentIndex(index)
        tree.edit(index)
        self.page.show_message("")

    def add_under(self) -> None:
        if self._finish_typing(self.add_under):
            return
        node = self._node()
        if node is None:
            aim = self.page.project.aim_statement if self.page.project else ""
            self._start(Pending(None, 0, DriverLevel.AIM, aim))
        elif node.level == DriverLevel.CHANGE_IDEA:
            self.page.show_message("Change ideas are the last column: test them in PDSA cycles.")
        else:
            level = CHILD_LEVEL[node.level]
            self._start(Pending(node.id, len(self.page.model.children.get(node.id, [])), level))

    def add_below(self) -> None:
        if self._finish_typing(self.add_below):
            return
        node = self._node()
        if node is None or node.level == DriverLevel.AIM:
            self.page.show_message("The diagram has one aim: choose a box under it, or press "
                                   "Ins to add a primary driver under the aim.")
            return
        index = self._siblings(node).index(node.id) + 1
        self._start(Pending(node.parent_id, index, node.level))

    def rename(self) -> None:
        if self._node() is not None and not self.wb.read_only and self._signed_in():
            self.page.tree.edit(self.page.tree.currentIndex())

    def editor_closed(self, *_args) -> None:
        pending = self.page.model.pending
        if pending is not None and not pending.typed:  # Esc, or Enter on no words
            self.page.model.cancel_adding()

    def add_typed(self, pending: Pending) -> None:
        project = self.page.project
        node = DriverNode(project_id=project.id, parent_id=pending.parent_id,
                          level=pending.level, text=pending.text)
        command = self.push(lambda confirm: AddDriverNodeCommand(self.wb, node, pending.index,
                                                                 confirm_pid=confirm))
        self.page.refresh(select=command.node_id if command else pending.parent_id)

    def rename_typed(self, node_id: int, text: str) -> None:
        node = self.page.model.nodes.get(node_id)
        if node is not None:
            self.push(lambda confirm: RenameDriverNodeCommand(self.wb, node, text,
                                                              confirm_pid=confirm))
            self.page.refresh(select=node_id)

    def set_status(self, status: ChangeIdeaStatus) -> None:
        node = self._node()
        if node is not None and node.level == DriverLevel.CHANGE_IDEA and node.status != status:
            self.push(lambda _confirm: SetChangeIdeaStatusCommand(self.wb, node, status))
            self.page.refresh(select=node.id)

    def delete(self) -> None:
        node = self._node()
        if node is not None and not self._typing():
            self.push(lambda _confirm: DeleteDriverBranchCommand(self.wb, node))
            self.page.refresh(select=node.parent_id)

    def _typing(self) -> bool:
        return self.page.tree.state() == QAbstractItemView.State.EditingState

    def _move(self, node: DriverNode, parent_id: int, index: int, verb: str) -> None:
        if self._typing():  # Alt+arrows while typing a box's words move nothing
            return
        old = self._siblings(node).index(node.id)
        self.push(lambda _confirm: MoveDriverNodeCommand(self.wb, node, old, parent_id, index,
                                                         verb))
        self.page.refresh(select=node.id)

    def move_dropped(self, node_id: int, parent_id: int, index: int) -> None:
        node = self.page.model.nodes.get(node_id)
        if node is not None:
            self._move(node, parent_id, index, "move")

    def move_up(self) -> None:
        self._shift(-1)

    def move_down(self) -> None:
        self._shift(1)

    def _shift(self, step: int) -> None:
        node = self._node()
        if node is None or node.level == DriverLevel.AIM:
            return
        index = self._siblings(node).index(node.id) + step
        if 0 <= index < len(self._siblings(node)):
            self._move(node, node.parent_id, index, "move")

    def promote(self) -> None:
        node = self._node()
        parent = self.page.model.nodes.get(node.parent_id) if node else None
        if parent is None or parent.parent_id is None:
            self.page.show_message("This box is already as far left as it can go.")
            return
        self._move(node, parent.parent_id, self._siblings(parent).index(parent.id) + 1,
                   "promotion")

    def demote(self) -> None:
        node = self._node()
        if node is None or node.level == DriverLevel.AIM:
            return
        position = self._siblings(node).index(node.id)
        if position == 0:
            self.page.show_message("To move a box one column right, put it below the box it "
                                   "should go under first (Alt+Down).")
            return
        above = self._siblings(node)[position - 1]
        self._move(node, above, len(self.page.model.children.get(above, [])), "demotion")

    def push(self, make):
        """Push the command `make(confirm_pid)` builds; None (and a message) if refused."""
        if not self._signed_in():
            return None
        self.page.pushing = True
        try:
            try:
                command = push(self.page.undo_stack, make(False))
            except PidConfirmationRequired as exc:
                if not confirm_pid(self.page, exc.warnings):
                    return None
                command = push(self.page.undo_stack, make(True))
        except (ValidationError, StorageError) as exc:
            self.page.show_message(exc.message)
            return None
        finally:
            self.page.pushing = False
        self.page.show_message("")
        return command
