"""Undoable changes: small QUndoCommand classes, each calling one service (orange-canvas-core).

A command is run once by `push()` *before* it goes on the stack, so a ValidationError or
a patient-data warning reaches the caller and nothing is stacked; QUndoStack.push then
calls redo(), which skips that first run. Later redo()/undo() calls replay the change
through services (soft deletes are restored, not re-created, so ids and audit trails
stay whole). A replay the workbook refuses (read-only, signed out, the record changed
elsewhere) is reported through `reporter.failed` and the command dropped from history.
"""

from __future__ import annotations

import dataclasses
import logging

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoCommand, QUndoStack

from qidesk.domain.changes import ChangeAction
from qidesk.domain.entities import DataPoint, Measure
from qidesk.domain.errors import ValidationError
from qidesk.services import data_entry, data_points, history, measures
from qidesk.services.data_points import VALUE_FIELDS, ExistingPolicy
from qidesk.services.workbook import Workbook
from qidesk.storage.errors import StorageError

_log = logging.getLogger(__name__)

POINT_FIELDS = ("period", "value", "numerator", "denominator", "comment", "excluded",
                "exclusion_reason")
MEASURE_FIELDS = tuple(f.name for f in dataclasses.fields(Measure) if f.name not in ("id",))


class _Reporter(QObject):
    """Tells screens when an undo or redo could not be applied (why, in plain words)."""

    failed = Signal(str)


reporter = _Reporter()


def push(stack: QUndoStack, command: ServiceCommand) -> ServiceCommand:
    """Run `command` once (errors propagate, nothing stacked), then put it on `stack`."""
    command.first_run()
    stack.push(command)
    return command


class ServiceCommand(QUndoCommand):
    """A change made through services; subclasses implement apply() and revert()."""

    def __init__(self, wb: Workbook, text: str):
        super().__init__(text)
        self.wb = wb
        self._ran = False

    def first_run(self) -> None:
        self.run()
        self._ran = True

    def run(self) -> None:
        raise NotImplementedError

    def apply(self) -> None:
        """Redo after an undo (defaults to running the change again)."""
        self.run()

    def revert(self) -> None:
        raise NotImplementedError

    def redo(self) -> None:
        if self._ran:
            self._ran = False  # the first push: already done in first_run()
            return
        self._guarded(self.apply, "redo")

    def undo(self) -> None:
        self._guarded(self.revert, "undo")

    def _guarded(self, step, verb: str) -> None:
        try:
            step()
        except (ValidationError, StorageError) as exc:
            _log.warning("Could not %s %r: %s", verb, self.text(), exc.message)
            self.setObsolete(True)
            reporter.failed.emit(f"Could not {verb} the {self.text()}: {exc.message}")


class AddMeasureCommand(ServiceCommand):
    def __init__(self, wb: Workbook, measure: Measure, *, confirm_pid: bool = False):
        super().__init__(wb, f"new measure “{measure.name}”")
        self.measure = measure
        self.confirm_pid = confirm_pid
        self.measure_id: int | None = None

    def run(self) -> None:
        self.measure_id = measures.add_measure(self.wb, self.measure,
                                               confirm_pid=self.confirm_pid).id

    def apply(self) -> None:
        history.restore_record(self.wb, "measure", self.measure_id)

    def revert(self) -> None:
        measures.delete_measure(self.wb, self.measure_id)


class EditMeasureCommand(ServiceCommand):
    """Change some of a measure's settings; undo puts the old ones back."""

    def __init__(self, wb: Workbook, old: Measure, new: Measure, *, confirm_pid: bool = False):
        super().__init__(wb, f"changes to measure “{new.name}”")
        self.measure_id = old.id
        self.old = {n: getattr(old, n) for n in MEASURE_FIELDS if getattr(old, n) != getattr(new, n)}
        self.new = {n: getattr(new, n) for n in self.old}
        self.confirm_pid = confirm_pid

    def run(self) -> None:
        measures.update_measure(self.wb, self.measure_id, confirm_pid=self.confirm_pid, **self.new)

    def apply(self) -> None:
        measures.update_measure(self.wb, self.measure_id, confirm_pid=True, **self.new)

    def revert(self) -> None:
        measures.update_measure(self.wb, self.measure_id, confirm_pid=True, **self.old)


class RecordDataPointCommand(ServiceCommand):
    def __init__(self, wb: Workbook, point: DataPoint, label: str, *, confirm_pid: bool = False):
        super().__init__(wb, f"figure for {label}")
        self.point = point
        self.confirm_pid = confirm_pid
        self.point_id: int | None = None

    def run(self) -> None:
        self.point_id = data_points.record_data_point(self.wb, self.point,
                                                      confirm_pid=self.confirm_pid).id

    def apply(self) -> None:
        history.restore_record(self.wb, "data_point", self.point_id)

    def revert(self) -> None:
        data_points.delete_data_point(self.wb, self.point_id)


class UpdateDataPointCommand(ServiceCommand):
    def __init__(self, wb: Workbook, old: DataPoint, new: DataPoint, label: str, *,
                 confirm_pid: bool = False):
        super().__init__(wb, f"change to {label}")
        self.point_id = old.id
        self.old = {n: getattr(old, n) for n in POINT_FIELDS if getattr(old, n) != getattr(new, n)}
        self.new = {n: getattr(new, n) for n in self.old}
        self.confirm_pid = confirm_pid

    def run(self) -> None:
        data_points.update_data_point(self.wb, self.point_id, confirm_pid=self.confirm_pid,
                                      **self.new)

    def apply(self) -> None:
        data_points.update_data_point(self.wb, self.point_id, confirm_pid=True, **self.new)

    def revert(self) -> None:
        data_points.update_data_point(self.wb, self.point_id, confirm_pid=True, **self.old)


class DeleteDataPointCommand(ServiceCommand):
    def __init__(self, wb: Workbook, point_id: int, label: str):
        super().__init__(wb, f"clearing {label}")
        self.point_id = point_id

    def run(self) -> None:
        data_points.delete_data_point(self.wb, self.point_id)

    def revert(self) -> None:
        history.restore_record(self.wb, "data_point", self.point_id)


class PasteDataPointsCommand(ServiceCommand):
    """Many periods written in one transaction (a paste): one step of history."""

    def __init__(self, wb: Workbook, measure_id: int, points: list[DataPoint], *,
                 confirm_pid: bool = False):
        super().__init__(wb, f"paste of {len(points)} period{'s' if len(points) != 1 else ''}")
        self.measure_id = measure_id
        self.points = points
        self.confirm_pid = confirm_pid
        self.created: list[int] = []
        self.before: dict[int, dict] = {}
        self.after: dict[int, dict] = {}
        self.result = None

    def run(self) -> None:
        old = {p.id: p for p in data_points.list_data_points(self.wb, self.measure_id)}
        self.result = data_points.record_data_points(
            self.wb, self.measure_id, self.points, existing=ExistingPolicy.REPLACE,
            confirm_pid=self.confirm_pid)
        changes = self.result.changes
        self.created = changes.ids("data_point", ChangeAction.CREATED)
        replaced = changes.ids("data_point", ChangeAction.UPDATED)
        now = {p.id: p for p in data_points.list_data_points(self.wb, self.measure_id)}
        self.before = {i: {f: getattr(old[i], f) for f in VALUE_FIELDS} for i in replaced}
        self.after = {i: {f: getattr(now[i], f) for f in VALUE_FIELDS} for i in replaced}

    def apply(self) -> None:
        data_entry.rewrite_data_points(self.wb, restore=self.created, values=self.after)

    def revert(self) -> None:
        data_entry.rewrite_data_points(self.wb, delete=self.created, values=self.before)
