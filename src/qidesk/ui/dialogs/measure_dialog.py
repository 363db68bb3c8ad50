"""Create or edit a measure: every field of a Measure, with errors beside their fields.

The chart choice shows the analysis layer's suggestion for the value type (and the
measure's data, when it has some) with its reason. Saving goes through an undo command
on the workbook's undo stack, so a new measure or a changed setting can be undone.
"""

from __future__ import annotations

import dataclasses
from itertools import pairwise

from PySide6.QtCore import Qt
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QScrollArea,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from qidesk.analysis.chart_choice import suggest_chart
from qidesk.domain.entities import Measure
from qidesk.domain.enums import (
    ChartChoice,
    Frequency,
    ImprovementDirection,
    MeasureKind,
    ValueType,
)
from qidesk.domain.errors import ValidationError
from qidesk.domain.periods import parse_number
from qidesk.domain.rules import PidConfirmationRequired
from qidesk.services.series import load_series
from qidesk.services.workbook import Workbook
from qidesk.storage.errors import StorageError
from qidesk.ui import undo
from qidesk.reports.chart_text import CHART_NAMES
from qidesk.ui.widgets.pid_prompt import confirm_pid

KIND_LABELS = {MeasureKind.OUTCOME: "Outcome", MeasureKind.PROCESS: "Process",
               MeasureKind.BALANCING: "Balancing"}
VALUE_TYPE_LABELS = {
    ValueType.CONTINUOUS: "Measurement (e.g. minutes, a score)",
    ValueType.COUNT: "Count of events in each period",
    ValueType.PROPORTION: "Proportion: numerator out of denominator",
    ValueType.RATE: "Rate: count per exposure (e.g. per 1,000 bed days)",
    ValueType.DAYS_BETWEEN: "Days between rare events",
    ValueType.CASES_BETWEEN: "Cases between rare events",
}
FREQUENCY_LABELS = {Frequency.DAY: "Daily", Frequency.WEEK: "Weekly", Frequency.MONTH: "Monthly",
                    Frequency.QUARTER: "Quarterly", Frequency.EVENT: "Per event"}
DIRECTION_LABELS = {ImprovementDirection.UP: "Higher is better",
                    ImprovementDirection.DOWN: "Lower is better",
                    ImprovementDirection.NEITHER: "Neither"}
# Presentation check: the domain allows a blank definition, but an outcome measure
# without one cannot be compared across time or wards (IHI Model for Improvement).
DEFINITION_NEEDED = ("An outcome measure needs an operational definition: say exactly what is "
                     "counted, from which source, and what is left out.")


def _combo(labels: dict, name: str, tip: str) -> QComboBox:
    combo = QComboBox()
    for value, label in labels.items():
        combo.addItem(label, value)
    combo.setAccessibleName(name)
    combo.setToolTip(tip)
    combo.setProperty("enum", type(next(iter(labels))).__name__)
    return combo


def _current(combo: QComboBox):
    """The enum member chosen (Qt hands StrEnum data back as plain str)."""
    return _ENUMS[combo.property("enum")](combo.currentData())


_ENUMS = {cls.__name__: cls for cls in (MeasureKind, ValueType, Frequency,
                                         ImprovementDirection, ChartChoice)}


def _select(combo: QComboBox, value) -> None:
    combo.setCurrentIndex(max(0, combo.findData(value)))


class MeasureDialog(QDialog):
    """Add a measure to a project (measure=None) or edit one; `saved_measure_id` after OK."""

    def __init__(self, wb: Workbook, project_id: int, undo_stack: QUndoStack | None = None,
                 measure: Measure | None = None, parent: QWidget | None = None):
        super().__init__(parent)
        self.wb = wb
        self.project_id = project_id
        self.undo_stack = undo_stack
        self.measure = measure
        self.saved_measure_id: int | None = None
        self.setWindowTitle("Edit measure" if measure else "New measure")
        self.errors: dict[str, QLabel] = {}
        self._build()
        self._connect_signals()
        self._load(measure or Measure(project_id=project_id))

    def _build(self) -> None:
        self.name = QLineEdit()
        self.kind = _combo(KIND_LABELS, "Kind of measure",
                           "Outcome: the aim itself; process: what staff do; balancing: what "
                           "might get worse")
        self.definition = self._text_box("Operational definition",
                                         "Exactly what is counted, how, and what is left out")
        self.data_source = self._text_box("Data source", "Where the figures come from", 60)
        self.unit = QLineEdit()
        self.value_type = _combo(VALUE_TYPE_LABELS, "Value type", "How each period's figure is recorded")
        self.frequency = _combo(FREQUENCY_LABELS, "Frequency", "How often a figure is recorded")
        self.direction = _combo(DIRECTION_LABELS, "Improvement direction",
                                "Which way is better: it colours signals as improvement or concern")
        self.target = QLineEdit()
        self.chart_choice = _combo({ChartChoice.AUTO: "Automatic (suggested)",
                                    **{c: CHART_NAMES[c.value] for c in ChartChoice
                                       if c != ChartChoice.AUTO}},
                                   "Chart", "The chart this measure is drawn as")
        self.suggestion = QLabel()
        self.suggestion.setWordWrap(True)
        self.suggestion.setObjectName("hint")
        self.suggestion.setAccessibleName("Suggested chart")
        self.rate_multiplier = QLineEdit()
        self.baseline_points = QSpinBox()
        self.baseline_points.setRange(0, 10_000)
        self.baseline_points.setSpecialValueText("No baseline")
        for widget, name, tip in (
            (self.name, "Measure name", "A short name the ward will recognise"),
            (self.unit, "Unit", "e.g. minutes, falls, %"),
            (self.target, "Target", "Optional: drawn as a dotted line on the chart"),
            (self.rate_multiplier, "Rate multiplier", "e.g. 1000 for falls per 1,000 bed days"),
            (self.baseline_points, "Baseline points",
             "Freeze the centre line and limits on the first this many points"),
        ):
            widget.setAccessibleName(name)
            widget.setToolTip(tip)
        form = QFormLayout()
        rows = [("&Name", self.name, "name"), ("&Kind", self.kind, "kind"),
                ("Operational &definition", self.definition, "definition"),
                ("Data &source", self.data_source, "data_source"), ("&Unit", self.unit, "unit"),
                ("&Value type", self.value_type, "value_type"),
                ("&Frequency", self.frequency, "frequency"),
                ("Improvement di&rection", self.direction, "improvement_direction"),
                ("&Target", self.target, "target"), ("&Chart", self.chart_choice, "chart_choice"),
                ("Rate &multiplier", self.rate_multiplier, "rate_multiplier"),
                ("&Baseline points", self.baseline_points, "baseline_points")]
        for label, widget, field in rows:
            form.addRow(self._labelled(label, widget), self._with_error(widget, field))
            if field == "chart_choice":
                form.addRow("", self.suggestion)
        self.general_error = self._error_label("general")
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save
                                        | QDialogButtonBox.StandardButton.Cancel)
        body = QWidget()
        column = QVBoxLayout(body)
        column.addLayout(form)
        column.addStretch(1)  # spare height below the fields, not between them
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(body)
        layout = QVBoxLayout(self)
        layout.addWidget(scroll, 1)
        layout.addWidget(self.general_error)
        layout.addWidget(self.buttons)
        order = [w for _, w, _ in rows] + [self.buttons]
        for first, second in pairwise(order):
            QWidget.setTabOrder(first, second)
        self.name.setFocus()
        self.resize(640, 600)

    def _text_box(self, name: str, tip: str, height: int = 90) -> QPlainTextEdit:
        box = QPlainTextEdit()
        box.setTabChangesFocus(True)  # keyboard users move on with Tab, as in every field
        box.setFixedHeight(height)
        box.setAccessibleName(name)
        box.setToolTip(tip)
        return box

    def _labelled(self, text: str, widget: QWidget) -> QLabel:
        label = QLabel(text)
        label.setBuddy(widget)
        return label

    def _error_label(self, field: str) -> QLabel:
        label = QLabel()
        label.setObjectName("fieldError")
        label.setStyleSheet("color: #d5281b;")  # NHS red: errors stand out next to the field
        label.setWordWrap(True)
        label.setAccessibleName(f"Problem with {field.replace('_', ' ')}")
        label.hide()
        self.errors[field] = label
        return label

    def _with_error(self, widget: QWidget, field: str) -> QWidget:
        box = QWidget()
        column = QVBoxLayout(box)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(2)
        column.addWidget(widget)
        column.addWidget(self._error_label(field))
        return box

    def _connect_signals(self) -> None:
        self.buttons.accepted.connect(self._on_buttons_accepted)
        self.buttons.rejected.connect(self.reject)
        self.value_type.currentIndexChanged.connect(self._on_value_type_changed)
        self.chart_choice.currentIndexChanged.connect(self._on_chart_choice_changed)

    def _load(self, m: Measure) -> None:
        self.name.setText(m.name)
        _select(self.kind, m.kind)
        self.definition.setPlainText(m.definition)
        self.data_source.setPlainText(m.data_source)
        self.unit.setText(m.unit)
        _select(self.value_type, m.value_type)
        _select(self.frequency, m.frequency)
        _select(self.direction, m.improvement_direction)
        self.target.setText("" if m.target is None else f"{m.target:g}")
        _select(self.chart_choice, m.chart_choice)
        self.rate_multiplier.setText("" if m.rate_multiplier is None else f"{m.rate_multiplier:g}")
        self.baseline_points.setValue(m.baseline_points or 0)
        self._on_value_type_changed()

    def _on_value_type_changed(self, _index: int = 0) -> None:
        value_type = _current(self.value_type)
        # The domain pairs per-event value types with the per-event frequency; follow it.
        if value_type.is_per_event:
            _select(self.frequency, Frequency.EVENT)
        elif _current(self.frequency) == Frequency.EVENT:
            _select(self.frequency, Frequency.WEEK)
        self.rate_multiplier.setEnabled(value_type == ValueType.RATE)
        self._on_chart_choice_changed()

    def _on_chart_choice_changed(self, _index: int = 0) -> None:
        chart, reason = self._suggested()
        name = CHART_NAMES.get(chart, chart)
        chosen = _current(self.chart_choice)
        prefix = "Suggested" if chosen == ChartChoice.AUTO else "Suggestion (not used)"
        self.suggestion.setText(f"{prefix}: {name}. {reason}")

    def _suggested(self) -> tuple[str, str]:
        value_type = _current(self.value_type)
        values = denominators = None
        if self.measure is not None and self.measure.value_type == value_type:
            series = load_series(self.wb, [self.measure.id])[self.measure.id]
            if series.periods:
                if value_type.has_denominator:
                    values = [float("nan") if v is None else v for v in series.numerators]
                    denominators = [float("nan") if v is None else v for v in series.denominators]
                else:
                    values = [float("nan") if v is None else v for v in series.values]
        return suggest_chart(value_type.value, values, denominators)

    def _number(self, edit: QLineEdit, field: str) -> float | None:
        text = edit.text().strip()
        if not text:
            return None
        try:
            return parse_number(text)
        except ValidationError as exc:
            raise ValidationError(exc.message, field=field) from None

    def draft(self) -> Measure:
        """The measure as filled in (ValidationError for a field that isn't a number)."""
        value_type = _current(self.value_type)
        base = self.measure or Measure(project_id=self.project_id)
        return dataclasses.replace(
            base, name=self.name.text().strip(), kind=_current(self.kind),
            definition=self.definition.toPlainText().strip(),
            data_source=self.data_source.toPlainText().strip(), unit=self.unit.text().strip(),
            value_type=value_type, frequency=_current(self.frequency),
            improvement_direction=_current(self.direction),
            target=self._number(self.target, "target"),
            chart_choice=_current(self.chart_choice),
            rate_multiplier=(self._number(self.rate_multiplier, "rate_multiplier")
                             if value_type == ValueType.RATE else None),
            baseline_points=self.baseline_points.value() or None)

    def show_error(self, message: str, field: str | None) -> None:
        label = self.errors.get(field or "general", self.general_error)
        label.setText(message)
        label.show()
        widget = getattr(self, {"improvement_direction": "direction"}.get(field, field or ""), None)
        if isinstance(widget, QWidget):
            widget.setFocus(Qt.FocusReason.OtherFocusReason)

    def _clear_errors(self) -> None:
        for label in self.errors.values():
            label.clear()
            label.hide()

    def _on_buttons_accepted(self) -> None:
        self._clear_errors()
        try:
            measure = self.draft()
            if measure.kind == MeasureKind.OUTCOME and not measure.definition:
                raise ValidationError(DEFINITION_NEEDED, field="definition")
            self.saved_measure_id = self._save(measure)
        except ValidationError as exc:
            self.show_error(exc.message, exc.field)
            return
        except StorageError as exc:
            self.show_error(exc.message, None)
            return
        if self.saved_measure_id is not None:
            self.accept()

    def _save(self, measure: Measure) -> int | None:
        """Save through an undo command; None when the user backs out of a PID warning."""
        for confirmed in (False, True):
            if self.measure is None:
                command = undo.AddMeasureCommand(self.wb, measure, confirm_pid=confirmed)
            else:
                command = undo.EditMeasureCommand(self.wb, self.measure, measure,
                                                  confirm_pid=confirmed)
                if not command.new:
                    return self.measure.id  # nothing changed: nothing to save or undo
            try:
                self._run(command)
            except PidConfirmationRequired as exc:
                if confirmed or not confirm_pid(self, exc.warnings):
                    return None
                continue
            return command.measure_id
        return None

    def _run(self, command: undo.ServiceCommand) -> None:
        if self.undo_stack is not None:
            undo.push(self.undo_stack, command)
        else:
            command.first_run()

