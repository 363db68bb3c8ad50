"""Undoable PDSA changes, each calling one service of services/pdsa.py (ui/undo.py's pattern)."""

from __future__ import annotations

import dataclasses
from datetime import date

from qidesk.domain.changes import ChangeAction
from qidesk.domain.entities import PdsaCycle
from qidesk.domain.enums import ChangeIdeaStatus, PdsaDecision
from qidesk.services import drivers, history, pdsa
from qidesk.services.workbook import Workbook
from qidesk.ui.undo import ServiceCommand

CYCLE_FIELDS = tuple(f.name for f in dataclasses.fields(PdsaCycle)
                     if f.name not in ("id", "change_idea_id"))
DECISION_WORDS = {PdsaDecision.ADOPT: "adopt", PdsaDecision.ADAPT: "adapt",
                  PdsaDecision.ABANDON: "abandon"}


class SaveCycleCommand(ServiceCommand):
    """The worksheet's changed fields and linked measures; undo puts the old ones back."""

    def __init__(self, wb: Workbook, old: PdsaCycle, new: PdsaCycle, old_links: list[int],
                 new_links: list[int], *, confirm_pid: bool = False):
        super().__init__(wb, f"changes to PDSA cycle {old.cycle_number}")
        self.cycle_id = old.id
        self.old = {n: getattr(old, n) for n in CYCLE_FIELDS if getattr(old, n) != getattr(new, n)}
        self.new = {n: getattr(new, n) for n in self.old}
        self.old_links, self.new_links = sorted(old_links), sorted(new_links)
        self.confirm_pid = confirm_pid

    @property
    def changes_anything(self) -> bool:
        return bool(self.new) or self.old_links != self.new_links

    def run(self) -> None:
        pdsa.save_cycle(self.wb, self.cycle_id, self.new, self.new_links,
                        confirm_pid=self.confirm_pid)

    def revert(self) -> None:
        pdsa.save_cycle(self.wb, self.cycle_id, self.old, self.old_links, confirm_pid=True)


class NewCycleCommand(ServiceCommand):
    """Start the next cycle of a change idea's ramp."""

    def __init__(self, wb: Workbook, change_idea_id: int, *, title: str = "",
                 planned_start: date | None = None):
        super().__init__(wb, "new PDSA cycle")
        self.change_idea_id = change_idea_id
        self.title = title
        self.planned_start = planned_start
        self.cycle_id: int | None = None
        self.idea_changed = False

    def run(self) -> None:
        done = pdsa.new_cycle(self.wb, self.change_idea_id, title=self.title,
                              planned_start=self.planned_start)
        self.cycle_id = done.id
        self.idea_changed = bool(done.ids("driver_node"))

    def apply(self) -> None:
        history.restore_record(self.wb, "pdsa_cycle", self.cycle_id)
        if self.idea_changed:
            drivers.set_change_idea_status(self.wb, self.change_idea_id, ChangeIdeaStatus.TESTING)

    def revert(self) -> None:
        pdsa.delete_cycle(self.wb, self.cycle_id)
        if self.idea_changed:
            drivers.set_change_idea_status(self.wb, self.change_idea_id,
                                           ChangeIdeaStatus.UNTESTED)


class DecideCommand(ServiceCommand):
    """Act's decision: adapt or adopt starts the next cycle, abandon closes the ramp."""

    def __init__(self, wb: Workbook, before: PdsaCycle, idea_status: ChangeIdeaStatus | None,
                 decision: PdsaDecision, next_step: str, decided_on: date, *,
                 confirm_pid: bool = False):
        super().__init__(wb, f"decision to {DECISION_WORDS[decision]} after PDSA cycle "
                             f"{before.cycle_number}")
        self.before = before
        self.idea_status = idea_status
        self.decision = decision
        self.next_step = next_step
        self.decided_on = decided_on
        self.confirm_pid = confirm_pid
        self.next_cycle_id: int | None = None

    def run(self) -> None:
        done = pdsa.decide(self.wb, self.before.id, self.decision, next_step=self.next_step,
                           decided_on=self.decided_on, confirm_pid=self.confirm_pid)
        created = done.ids("pdsa_cycle", ChangeAction.CREATED)
        self.next_cycle_id = created[0] if created else None
        self.confirm_pid = True  # a redo writes the text the user already confirmed

    def revert(self) -> None:
        pdsa.undo_decision(self.wb, self.before.id, self.before, self.idea_status,
                           self.next_cycle_id)
