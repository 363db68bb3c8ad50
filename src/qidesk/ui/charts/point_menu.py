"""Click a chart point: comment, exclude or include it, annotate its date, start a phase.

Every action is an undo command on the panel's stack; the services validate, and their
messages (and the patient-data question) are shown, never re-checked here.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable

from PySide6.QtCore import QObject
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLineEdit,
    QMenu,
    QMessageBox,
    QWidget,
)

from qidesk.domain.entities import Annotation, Phase
from qidesk.domain.enums import AnnotationKind
from qidesk.domain.errors import ValidationError
from qidesk.domain.periods import format_period
from qidesk.domain.rules import PidConfirmationRequired
from qidesk.reports.palette import MARKER_STYLES
from qidesk.services.charts import point_at
from qidesk.services.workbook import Workbook
from qidesk.ui import undo
from qidesk.ui.charts.chart_commands import (
    AddAnnotationCommand,
    AddPhaseCommand,
    SetBaselineCommand,
)
from qidesk.ui.widgets.pid_prompt import confirm_pid


class NoteDialog(QDialog):
    """One line of text (a comment, a reason, a note), with a kind for annotations."""

    def __init__(self, parent: QWidget | None, title: str, label: str, text: str = "", *,
                 kinds: bool = False):
        super().__init__(parent)
        self.setWindowTitle(title)
        self.text = QLineEdit(text)
        self.text.setAccessibleName(label.rstrip(":"))
        self.text.setMinimumWidth(360)
        self.kind = QComboBox()
        self.kind.setAccessibleName("Kind of note")
        for kind in AnnotationKind:
            self.kind.addItem(MARKER_STYLES[kind.value].label, kind)
        form = QFormLayout(self)
        if kinds:
            form.addRow("&Kind:", self.kind)
        form.addRow(label, self.text)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)
        self.text.setFocus()


class PointActions(QObject):
    """Builds a point's menu and carries out what the reader picks."""

    def __init__(self, parent: QWidget, wb: Workbook, undo_stack: QUndoStack):
        super().__init__(parent)
        self.parent_widget = parent
        self.wb = wb
        self.undo_stack = undo_stack

    def menu(self, chart, index: int) -> QMenu:
        menu = QMenu(self.parent_widget)
        menu.setAccessibleName("Point actions")
        menu.setTitle(format_period(chart.periods[index], chart.measure.frequency))
        excluded = chart.classes.classes[index] == "excluded"
        menu.addAction("&Comment…", lambda: self.comment(chart, index))
        if excluded:
            menu.addAction("&Include again", lambda: self.include(chart, index))
        else:
            menu.addAction("&Exclude from calculations…", lambda: self.exclude(chart, index))
        menu.addAction("&Annotate…", lambda: self.annotate(chart, index))
        menu.addAction("Start a new &phase here…", lambda: self.start_phase(chart, index))
        menu.addAction("Freeze the &baseline up to here", lambda: self.freeze_baseline(chart, index))
        return menu

    def comment(self, chart, index: int) -> None:
        point = self._point(chart, index)
        text = self._ask("Comment", "&Comment:", point.comment)
        if text is not None:
            self._edit(chart, point, comment=text)

    def exclude(self, chart, index: int) -> None:
        point = self._point(chart, index)
        reason = self._ask("Exclude from calculations", "&Reason:", point.exclusion_reason)
        if reason is not None:
            self._edit(chart, point, excluded=True, exclusion_reason=reason)

    def include(self, chart, index: int) -> None:
        self._edit(chart, self._point(chart, index), excluded=False, exclusion_reason="")

    def annotate(self, chart, index: int) -> None:
        dialog = NoteDialog(self.parent_widget, "Annotate", "&Note:", kinds=True)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        note = Annotation(measure_id=chart.measure.id, on_date=chart.periods[index],
                          kind=dialog.kind.currentData(), text=dialog.text.text())
        self.push(lambda ok: AddAnnotationCommand(self.wb, note, confirm_pid=ok))

    def start_phase(self, chart, index: int) -> None:
        reason = self._ask("Start a new phase", "&Reason for the new phase:", "")
        if reason is None:
            return
        phase = Phase(measure_id=chart.measure.id, start_date=chart.periods[index], reason=reason)
        self.push(lambda ok: AddPhaseCommand(self.wb, phase, confirm_pid=ok))

    def freeze_baseline(self, chart, index: int) -> None:
        """Centre line and limits from the first points up to and including this one."""
        old = chart.measure.baseline_points
        self.push(lambda _ok: SetBaselineCommand(self.wb, chart.measure.id, old, index + 1))

    def push(self, make: Callable[[bool], undo.ServiceCommand]) -> bool:
        """Push a command; ask about patient data and show the service's refusals."""
        try:
            undo.push(self.undo_stack, make(False))
            return True
        except PidConfirmationRequired as exc:
            if confirm_pid(self.parent_widget, exc.warnings):
                return self.push(lambda _ok: make(True))
        except ValidationError as exc:
            QMessageBox.warning(self.parent_widget, "Not saved", exc.message)
        return False

    def _point(self, chart, index: int):
        point = point_at(self.wb, chart.measure.id, chart.periods[index])
        if point is None:
            raise ValidationError("That period no longer has a figure.", field="period")
        return point

    def _edit(self, chart, point, **changes) -> None:
        label = format_period(point.period, chart.measure.frequency)
        new = dataclasses.replace(point, **changes)
        self.push(lambda ok: undo.UpdateDataPointCommand(self.wb, point, new, label,
                                                         confirm_pid=ok))

    def _ask(self, title: str, label: str, text: str) -> str | None:
        dialog = NoteDialog(self.parent_widget, title, label, text)
        return dialog.text.text() if dialog.exec() == QDialog.DialogCode.Accepted else None
