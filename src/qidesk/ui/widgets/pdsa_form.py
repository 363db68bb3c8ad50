"""The IHI PDSA worksheet as four tabs (Plan, Do, Study, Act), each stage with its date.

Fields only: the page (ui/screens/pdsa_screen.py) loads a cycle into it, reads the draft
back and saves it through the undo stack.
"""

from __future__ import annotations

import dataclasses

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QScrollArea,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from qidesk.domain.entities import Measure, PdsaCycle
from qidesk.domain.enums import PdsaDecision
from qidesk.domain.errors import ValidationError
from qidesk.domain.periods import parse_number
from qidesk.ui.widgets.pdsa_fields import DateField, FieldErrors, line_edit, text_box

DECISION_LABELS = {PdsaDecision.ADOPT: "Adopted", PdsaDecision.ADAPT: "Adapted",
                   PdsaDecision.ABANDON: "Abandoned"}
TEXT_FIELDS = ("objective", "questions", "predictions", "plan_who", "plan_what", "plan_when",
               "plan_where", "data_plan", "do_notes", "observations", "study_results",
               "learning", "next_step")
DATE_FIELDS = ("planned_start", "planned_end", "started_on", "finished_on", "studied_on",
               "decided_on", "prediction_by")


class PdsaForm(QTabWidget):
    """Plan / Do / Study / Act. `decision_requested(decision)` asks the page to act."""

    decision_requested = Signal(str)

    def __init__(self, errors: FieldErrors, parent: QWidget | None = None):
        super().__init__(parent)
        self.errors = errors
        self.setAccessibleName("PDSA worksheet")
        self.setDocumentMode(True)
        self.addTab(self._plan_tab(), "&Plan")
        self.addTab(self._do_tab(), "&Do")
        self.addTab(self._study_tab(), "&Study")
        self.addTab(self._act_tab(), "&Act")

    # Building

    def _form(self) -> tuple[QScrollArea, QFormLayout]:
        body = QWidget()
        column = QVBoxLayout(body)
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight)
        column.addLayout(form)
        column.addStretch(1)  # spare height below the fields, not between them
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(body)
        return scroll, form

    def _row(self, form: QFormLayout, text: str, widget: QWidget, field: str) -> None:
        label = QLabel(text)
        label.setBuddy(widget)
        form.addRow(label, self.errors.wrap(widget, field))

    def _dates(self, *fields: DateField) -> QWidget:
        box = QWidget()
        row = QHBoxLayout(box)
        row.setContentsMargins(0, 0, 0, 0)
        for i, f in enumerate(fields):
            if i:
                row.addWidget(QLabel("to"))
            row.addWidget(self.errors.wrap(f, f.field))
        row.addStretch(1)
        return box

    def _plan_tab(self) -> QWidget:
        scroll, form = self._form()
        self.title = line_edit("Title", "A short name for this test", "e.g. Bay nursing in bay 3")
        self.scale = line_edit("Scale of test", "Who and where this test covers: start small",
                               "e.g. one bay, day shifts, one week")
        self.planned_start = DateField("Planned start", "When the test is planned to start",
                                       "planned_start")
        self.planned_end = DateField("Planned end", "When the test is planned to end",
                                     "planned_end")
        self.objective = text_box("Objective", "What this cycle sets out to learn or test")
        self.questions = text_box("Questions", "What you want to find out")
        self.predictions = text_box("Predictions", "What you expect to happen, in words")
        self.prediction_measure = QComboBox()
        self.prediction_measure.setAccessibleName("Prediction measure")
        self.prediction_measure.setToolTip("Optional: the measure a number prediction is about")
        self.prediction_direction = QComboBox()
        self.prediction_direction.setAccessibleName("Prediction direction")
        for text in ("below", "above"):
            self.prediction_direction.addItem(f"will be {text}", text)
        self.prediction_value = line_edit("Predicted value", "The value you predict", "e.g. 5")
        self.prediction_value.setMaximumWidth(90)
        self.prediction_by = DateField("Prediction date", "The date the prediction is for",
                                       "prediction_by")
        number = QWidget()
        row = QHBoxLayout(number)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.errors.wrap(self.prediction_measure, "prediction_measure_id"), 3)
        row.addWidget(self.prediction_direction)
        row.addWidget(self.errors.wrap(self.prediction_value, "prediction_value"))
        row.addWidget(QLabel("by"))
        row.addWidget(self.errors.wrap(self.prediction_by, "prediction_by"))
        self.plan_who = line_edit("Who", "Who carries out the test")
        self.plan_what = line_edit("What", "What is done")
        self.plan_when = line_edit("When", "When it is done")
        self.plan_where = line_edit("Where", "Where it is done")
        self.data_plan = text_box("Data to collect", "What is measured, by whom, how often")
        self.linked = QListWidget()
        self.linked.setAccessibleName("Linked measures")
        self.linked.setToolTip("Tick the measures this cycle expects to move: it is marked "
                               "on their charts")
        self.linked.setMaximumHeight(96)
        self._row(form, "&Title", self.title, "title")
        self._row(form, "Sc&ale of test", self.scale, "scale")
        form.addRow("Planned &dates", self._dates(self.planned_start, self.planned_end))
        self._row(form, "&Objective", self.objective, "objective")
        self._row(form, "&Questions", self.questions, "questions")
        self._row(form, "P&redictions", self.predictions, "predictions")
        form.addRow("As a &number", number)
        form.itemAt(form.rowCount() - 1, QFormLayout.ItemRole.LabelRole).widget().setBuddy(
            self.prediction_measure)
        for text, widget, field in (("&Who", self.plan_who, "plan_who"),
                                    ("W&hat", self.plan_what, "plan_what"),
                                    ("Whe&n", self.plan_when, "plan_when"),
                                    ("Wh&ere", self.plan_where, "plan_where")):
            self._row(form, text, widget, field)
        self._row(form, "Data to co&llect", self.data_plan, "data_plan")
        self._row(form, "Lin&ked measures", self.linked, "measure_ids")
        return scroll

    def _do_tab(self) -> QWidget:
        scroll, form = self._form()
        self.started_on = DateField("Test started", "The day the test began", "started_on")
        self.finished_on = DateField("Test finished", "The day the test ended", "finished_on")
        self.do_notes = text_box("What happened", "Carry out the plan: what was done", 110)
        self.observations = text_box("Observations", "Problems and unexpected things seen", 110)
        form.addRow("Test &ran", self._dates(self.started_on, self.finished_on))
        self._row(form, "What &happened", self.do_notes, "do_notes")
        self._row(form, "O&bservations", self.observations, "observations")
        return scroll

    def _study_tab(self) -> QWidget:
        scroll, form = self._form()
        self.studied_on = DateField("Study date", "When the results were studied", "studied_on")
        self.study = QLabel()
        self.study.setObjectName("findings")
        self.study.setWordWrap(True)
        self.study.setTextFormat(Qt.TextFormat.RichText)
        self.study.setAccessibleName("Predicted against observed")
        self.study.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.study_results = text_box("Results against predictions",
                                      "Compare the data with your predictions", 90)
        self.learning = text_box("Learning", "What was learned", 90)
        self._row(form, "Studied &on", self.studied_on, "studied_on")
        form.addRow("From the &data", self.study)
        self._row(form, "Results a&gainst predictions", self.study_results, "study_results")
        self._row(form, "&Learning", self.learning, "learning")
        return scroll

    def _act_tab(self) -> QWidget:
        scroll, form = self._form()
        self.decided_on = DateField("Decision date", "When the team decided", "decided_on")
        self.decision = QLabel("Not decided yet")
        self.decision.setAccessibleName("Decision")
        self.next_step = text_box("Next step", "What happens next; for abandon, why", 90)
        self.buttons = {}
        row = QWidget()
        line = QHBoxLayout(row)
        line.setContentsMargins(0, 0, 0, 0)
        tips = {PdsaDecision.ADOPT: "It works: make it the way we work and plan the next "
                                    "cycle to spread or sustain it",
                PdsaDecision.ADAPT: "Change the plan and test again: the next cycle starts "
                                    "with this plan",
                PdsaDecision.ABANDON: "Stop testing this idea: write why in Next step"}
        for decision, text in ((PdsaDecision.ADOPT, "Adopt"), (PdsaDecision.ADAPT, "Adapt"),
                               (PdsaDecision.ABANDON, "Abandon")):
            button = QPushButton(text)
            button.setAccessibleName(decision.value.capitalize())
            button.setToolTip(tips[decision])
            button.clicked.connect(lambda _=False, d=decision: self.decision_requested.emit(d.value))
            self.buttons[decision] = button
            line.addWidget(button)
        line.addStretch(1)
        self._row(form, "Decided o&n", self.decided_on, "decided_on")
        form.addRow("Decision", self.decision)
        self._row(form, "Ne&xt step", self.next_step, "next_step")
        form.addRow("", row)
        return scroll

    # Values

    def set_measures(self, measures: list[Measure], linked: list[int]) -> None:
        self.prediction_measure.clear()
        self.prediction_measure.addItem("No number prediction", None)
        self.linked.clear()
        for m in measures:
            self.prediction_measure.addItem(m.name + (f" ({m.unit})" if m.unit else ""), m.id)
            item = QListWidgetItem(m.name)
            item.setData(Qt.ItemDataRole.UserRole, m.id)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked if m.id in linked else
                               Qt.CheckState.Unchecked)
            self.linked.addItem(item)

    def load(self, cycle: PdsaCycle) -> None:
        self.title.setText(cycle.title)
        self.scale.setText(cycle.scale)
        for name in TEXT_FIELDS:
            widget = getattr(self, name)
            (widget.setPlainText if hasattr(widget, "setPlainText") else widget.setText)(
                getattr(cycle, name))
        for name in DATE_FIELDS:
            getattr(self, name).set_date(getattr(cycle, name))
        self.prediction_measure.setCurrentIndex(
            max(0, self.prediction_measure.findData(cycle.prediction_measure_id)))
        self.prediction_direction.setCurrentIndex(
            max(0, self.prediction_direction.findData(cycle.prediction_direction or "below")))
        value = cycle.prediction_value
        self.prediction_value.setText("" if value is None else f"{value:g}")
        self.decision.setText(DECISION_LABELS.get(cycle.decision, "Not decided yet"))

    def linked_ids(self) -> list[int]:
        items = (self.linked.item(i) for i in range(self.linked.count()))
        return [i.data(Qt.ItemDataRole.UserRole) for i in items
                if i.checkState() == Qt.CheckState.Checked]

    def draft(self, base: PdsaCycle) -> PdsaCycle:
        """The cycle as filled in (ValidationError naming a date or number that isn't one)."""
        values = {name: _text(getattr(self, name)) for name in TEXT_FIELDS}
        values.update({name: getattr(self, name).date() for name in DATE_FIELDS})
        measure_id = self.prediction_measure.currentData()
        text = self.prediction_value.text().strip()
        try:
            value = parse_number(text) if text else None
        except ValidationError as exc:
            raise ValidationError(exc.message, field="prediction_value") from None
        return dataclasses.replace(
            base, **values, title=self.title.text().strip(), scale=self.scale.text().strip(),
            prediction_measure_id=measure_id, prediction_value=value,
            prediction_direction=(self.prediction_direction.currentData()
                                  if measure_id is not None else None))

    def set_read_only(self, read_only: bool) -> None:
        for name in (*TEXT_FIELDS, *DATE_FIELDS, "title", "scale", "prediction_value"):
            getattr(self, name).setReadOnly(read_only)
        for widget in (self.prediction_measure, self.prediction_direction, *self.buttons.values()):
            widget.setEnabled(not read_only)
        self.linked.setEnabled(not read_only)


def _text(widget) -> str:
    return (widget.toPlainText() if hasattr(widget, "toPlainText") else widget.text()).strip()
