"""Undoable changes made from the chart: phases, baseline and annotations.

Each calls one service, like ui/undo.py's commands, and is named the same way: a noun
phrase the Edit menu puts after "Undo"/"Redo" (run once by `undo.push` so errors
and patient-data questions reach the caller; undo reverses through services, soft
deletes are restored rather than re-created).
"""

from __future__ import annotations

from qidesk.domain.entities import Annotation, Phase
from qidesk.domain.periods import format_date
from qidesk.services import history, measures
from qidesk.services.workbook import Workbook
from qidesk.ui.undo import ServiceCommand


class AddPhaseCommand(ServiceCommand):
    def __init__(self, wb: Workbook, phase: Phase, *, confirm_pid: bool = False):
        super().__init__(wb, f"new phase from {format_date(phase.start_date)}")
        self.phase = phase
        self.confirm_pid = confirm_pid
        self.phase_id: int | None = None

    def run(self) -> None:
        self.phase_id = measures.add_phase(self.wb, self.phase, confirm_pid=self.confirm_pid).id

    def apply(self) -> None:
        history.restore_record(self.wb, "phase", self.phase_id)

    def revert(self) -> None:
        measures.delete_phase(self.wb, self.phase_id)


class DeletePhaseCommand(ServiceCommand):
    def __init__(self, wb: Workbook, phase: Phase):
        super().__init__(wb, f"removal of the phase from {format_date(phase.start_date)}")
        self.phase_id = phase.id

    def run(self) -> None:
        measures.delete_phase(self.wb, self.phase_id)

    def revert(self) -> None:
        history.restore_record(self.wb, "phase", self.phase_id)


class SetBaselineCommand(ServiceCommand):
    """Freeze the centre line and limits on the first k points (None: unfreeze)."""

    def __init__(self, wb: Workbook, measure_id: int, old: int | None, new: int | None):
        text = f"baseline frozen on {new} points" if new else "unfrozen baseline"
        super().__init__(wb, text)
        self.measure_id, self.old, self.new = measure_id, old, new

    def run(self) -> None:
        measures.set_baseline(self.wb, self.measure_id, self.new)

    def revert(self) -> None:
        measures.set_baseline(self.wb, self.measure_id, self.old)


class AddAnnotationCommand(ServiceCommand):
    def __init__(self, wb: Workbook, annotation: Annotation, *, confirm_pid: bool = False):
        super().__init__(wb, f"note on {format_date(annotation.on_date)}")
        self.annotation = annotation
        self.confirm_pid = confirm_pid
        self.annotation_id: int | None = None

    def run(self) -> None:
        self.annotation_id = measures.add_annotation(
            self.wb, self.annotation, confirm_pid=self.confirm_pid).id

    def apply(self) -> None:
        history.restore_record(self.wb, "annotation", self.annotation_id)

    def revert(self) -> None:
        measures.delete_annotation(self.wb, self.annotation_id)
