"""One PDSA cycle: the IHI worksheet, what its data showed, and gentle fidelity hints.

Saving and Act's decisions go through the workbook's undo stack; hints never block a save.
"""

from __future__ import annotations

import dataclasses
import html
from datetime import date

from PySide6.QtCore import Signal
from PySide6.QtGui import QKeySequence, QShortcut, QUndoStack
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from qidesk.domain.entities import DriverNode, PdsaCycle
from qidesk.domain.enums import PdsaDecision, PdsaStatus
from qidesk.domain.errors import ValidationError
from qidesk.domain.pdsa_hints import cycle_hints
from qidesk.domain.periods import format_date
from qidesk.domain.rules import PidConfirmationRequired
from qidesk.services import measures, pdsa, records
from qidesk.services.pdsa_study import CycleStudy, study_cycle
from qidesk.services.workbook import Workbook
from qidesk.storage.errors import StorageError
from qidesk.ui import undo
from qidesk.ui.widgets.pdsa_commands import DecideCommand, SaveCycleCommand
from qidesk.ui.widgets.pdsa_fields import FieldErrors
from qidesk.ui.widgets.pdsa_form import PdsaForm
from qidesk.ui.widgets.pid_prompt import confirm_pid

STATUS_WORDS = {PdsaStatus.PLANNED: "Planned", PdsaStatus.DOING: "Testing (Do)",
                PdsaStatus.STUDYING: "Studying", PdsaStatus.DONE: "Done"}
TAB_OF_FIELD = {**{f: 0 for f in ("title", "scale", "planned_start", "planned_end", "objective",
                                  "questions", "predictions", "prediction_measure_id",
                                  "prediction_value", "prediction_by", "prediction_direction",
                                  "plan_who", "plan_what", "plan_when", "plan_where",
                                  "data_plan", "measure_ids", "cycle_number")},
                **{f: 1 for f in ("started_on", "finished_on", "do_notes", "observations")},
                **{f: 2 for f in ("studied_on", "study_results", "learning")},
                **{f: 3 for f in ("decided_on", "next_step", "decision")}}


class PdsaScreen(QWidget):
    """A cycle of a change idea's ramp, shown for the navigator's "pdsa_cycle" rows."""

    open_requested = Signal(str, int)
    records_changed = Signal()

    def __init__(self, wb: Workbook, undo_stack: QUndoStack, parent: QWidget | None = None):
        super().__init__(parent)
        self.wb = wb
        self.undo_stack = undo_stack
        self.cycle: PdsaCycle | None = None
        self.idea: DriverNode | None = None
        self.links: list[int] = []
        self.today = date.today()
        self.heading = QLabel()
        self.heading.setObjectName("screenHeading")
        self.heading.setWordWrap(True)
        self.subheading = QLabel()
        self.subheading.setWordWrap(True)
        self.ramp_button = QPushButton("All cycles of this idea")
        self.ramp_button.setToolTip("The ramp: every cycle testing this change idea, in order")
        self.hints = QLabel()
        self.hints.setObjectName("note")
        self.hints.setWordWrap(True)
        self.hints.setAccessibleName("Hints")
        general = QLabel()
        general.setStyleSheet("color: #d5281b;")
        general.setWordWrap(True)
        general.setAccessibleName("Problem saving")
        self.errors = FieldErrors(general)
        self.form = PdsaForm(self.errors)
        self.status = QLabel()
        self.save_button = QPushButton("&Save cycle")
        self.save_button.setToolTip("Save the worksheet (Ctrl+S); Edit > Undo takes it back")
        self.saved_note = QLabel()
        self._layout(general)
        QShortcut(QKeySequence.StandardKey.Save, self, self._on_save_button_clicked)
        self._connect_signals()

    def _layout(self, general: QLabel) -> None:
        top = QHBoxLayout()
        titles = QVBoxLayout()
        titles.addWidget(self.heading)
        titles.addWidget(self.subheading)
        top.addLayout(titles, 1)
        top.addWidget(self.ramp_button)
        bottom = QHBoxLayout()
        bottom.addWidget(self.status)
        bottom.addWidget(self.saved_note, 1)
        bottom.addWidget(self.save_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 8, 12, 8)
        layout.addLayout(top)
        layout.addWidget(self.hints)
        layout.addWidget(self.form, 1)
        layout.addWidget(general)
        layout.addLayout(bottom)

    def _connect_signals(self) -> None:
        self.save_button.clicked.connect(self._on_save_button_clicked)
        self.ramp_button.clicked.connect(self._on_ramp_button_clicked)
        self.form.decision_requested.connect(self._on_form_decision_requested)
        self.undo_stack.indexChanged.connect(self._on_undo_stack_index_changed)

    # Showing

    def show_record(self, _kind: str, cycle: PdsaCycle) -> None:
        self.show_cycle(cycle.id)

    def show_cycle(self, cycle_id: int) -> None:
        another = self.cycle is None or self.cycle.id != cycle_id
        self.cycle = pdsa.get_cycle(self.wb, cycle_id)
        if another:  # open a cycle where its team is: planning, doing, studying or acting
            self.form.setCurrentIndex(list(PdsaStatus).index(self.cycle.status))
        self.idea = records.get(self.wb, DriverNode, self.cycle.change_idea_id)
        self.links = pdsa.linked_measures(self.wb, cycle_id)
        self.form.set_measures(measures.list_measures(self.wb, self.idea.project_id), self.links)
        self.form.load(self.cycle)
        self.errors.clear()
        self.saved_note.clear()
        self._show_heading()
        self.refresh_study()
        read_only = bool(self.wb.read_only)
        self.form.set_read_only(read_only)
        self.save_button.setVisible(not read_only)

    def _show_heading(self) -> None:
        c = self.cycle
        self.heading.setText(f"PDSA cycle {c.cycle_number}" + (f": {c.title}" if c.title else ""))
        decided = f": {c.decision.value}ed" if c.decision is not None else ""
        self.subheading.setText(f"Change idea: {self.idea.text} · {STATUS_WORDS[c.status]}"
                                f"{decided}")
        self.status.setText("Read-only: nothing here can be changed." if self.wb.read_only
                            else "")

    def refresh_study(self) -> None:
        """Recompute Study's data panel and the hints from the saved cycle."""
        study = study_cycle(self.wb, self.cycle, self.today)
        self.form.study.setText(study_html(study))
        hints = cycle_hints(self.cycle, linked_measures=len(self.links),
                            points_in_window=study.points_in_window, today=self.today)
        self.hints.setText("<b>Hints</b> (they never stop you saving):<br>" + "<br>".join(
            f"• {html.escape(h.text)}" for h in hints) if hints else "")
        self.hints.setVisible(bool(hints))
        self.hint_codes = [h.code for h in hints]

    # Saving

    def save(self) -> bool:
        """Save the worksheet; False (with the problem by its field) when it cannot be."""
        self.errors.clear()
        self.saved_note.clear()
        try:
            draft = self.form.draft(self.cycle)
            new_links = self.form.linked_ids()
            status = _status_from_stages(draft)
            draft = dataclasses.replace(draft, status=status)
            for confirmed in (False, True):
                command = SaveCycleCommand(self.wb, self.cycle, draft, self.links, new_links,
                                           confirm_pid=confirmed)
                if not command.changes_anything:
                    return True
                try:
                    undo.push(self.undo_stack, command)
                    break
                except PidConfirmationRequired as exc:
                    if confirmed or not confirm_pid(self, exc.warnings):
                        return False
        except ValidationError as exc:
            self._show_error(exc.message, exc.field)
            return False
        except StorageError as exc:
            self._show_error(exc.message, None)
            return False
        self.show_cycle(self.cycle.id)
        self.saved_note.setText("Saved.")
        self.records_changed.emit()
        return True

    def decide(self, decision: PdsaDecision) -> bool:
        """Act: save the worksheet, then record the decision (the ramp moves on)."""
        if not self.save():
            return False
        when = self.cycle.decided_on or self.today
        try:
            command = DecideCommand(self.wb, self.cycle, self.idea.status, decision,
                                    self.cycle.next_step, when)
            undo.push(self.undo_stack, command)
        except ValidationError as exc:
            self._show_error(exc.message, exc.field)
            return False
        except StorageError as exc:
            self._show_error(exc.message, None)
            return False
        self.records_changed.emit()
        if command.next_cycle_id is not None:
            self.open_requested.emit("pdsa_cycle", command.next_cycle_id)
        else:
            self.show_cycle(self.cycle.id)
        return True

    def _show_error(self, message: str, field: str | None) -> None:
        if field in TAB_OF_FIELD:
            self.form.setCurrentIndex(TAB_OF_FIELD[field])
        self.errors.show(message, field)

    # Slots

    def _on_save_button_clicked(self) -> None:
        if self.cycle is not None and not self.wb.read_only:
            self.save()

    def _on_ramp_button_clicked(self) -> None:
        if self.idea is not None:
            self.open_requested.emit("change_idea", self.idea.id)

    def _on_form_decision_requested(self, decision: str) -> None:
        if self.cycle is not None and not self.wb.read_only:
            self.decide(PdsaDecision(decision))

    def _on_undo_stack_index_changed(self, _index: int) -> None:
        if self.cycle is None or self.wb.store.engine is None or not self.isVisible():
            return
        try:
            self.show_cycle(self.cycle.id)
        except ValidationError:  # the cycle on show was deleted (its creation undone)
            self.cycle = None
            self.heading.setText("This PDSA cycle has been deleted")
            self.subheading.setText("Undo (Ctrl+Z) brings it back, or choose another cycle.")


def _status_from_stages(cycle: PdsaCycle) -> PdsaStatus:
    """The stage a cycle has reached, read from what has been filled in and dated."""
    if cycle.decision is not None:
        return PdsaStatus.DONE
    if cycle.studied_on or cycle.study_results or cycle.learning:
        return PdsaStatus.STUDYING
    if cycle.started_on or cycle.do_notes or cycle.observations:
        return PdsaStatus.DOING
    return PdsaStatus.PLANNED


def study_html(study: CycleStudy) -> str:
    """Predicted against observed, then each linked measure's figures and findings."""
    if study.start is None:
        return "Give the cycle a start date (Do, or planned dates in Plan) to see its data."
    parts = [f"<b>Over the cycle</b>: {format_date(study.start)} to {format_date(study.end)}"]
    p = study.prediction
    if p is not None:
        mark = {True: "✔ Met", False: "✘ Not met", None: "… Not yet known"}[p.met]
        parts.append(f"<b>{mark}.</b> {html.escape(p.sentence)}")
    for window in study.measures:
        name = html.escape(window.measure.name)
        if not window.periods:
            parts.append(f"<b>{name}</b>: no figures recorded over the cycle.")
            continue
        figures = ", ".join(f"{v:.3g}" for v in window.values[-12:])
        found = "".join(f"<br>– {html.escape(t)}" for t in window.findings)
        parts.append(f"<b>{name}</b>: {len(window.periods)} point"
                     f"{'s' if len(window.periods) != 1 else ''} ({figures})"
                     f"{'; overall ' + format(window.observed, '.3g') if window.observed is not None else ''}"
                     f"{found}")
    if p is None and not study.measures:
        parts.append("No measures are linked and no number was predicted: link measures in "
                     "Plan to compare the cycle with the data.")
    return "<br><br>".join(parts)
