"""The project's own fields as a form, with each problem shown beside its field and the
SMART helper under the aim statement. The form only reads and reports; the page saves."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QCompleter,
    QFormLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from qidesk.domain.entities import Project
from qidesk.domain.enums import ProjectStatus
from qidesk.domain.errors import ValidationError
from qidesk.domain.periods import format_date, parse_uk_date
from qidesk.services.workbook import Workbook
from qidesk.ui.widgets.members_editor import error_label
from qidesk.ui.widgets.smart_aim_panel import SmartAimPanel

STATUS_LABELS = {ProjectStatus.PLANNING: "Planning", ProjectStatus.ACTIVE: "Active",
                 ProjectStatus.SUSTAINING: "Sustaining", ProjectStatus.CLOSED: "Closed"}
TEXT_FIELDS = ("title", "lead", "sponsor", "problem", "aim_statement")
DATE_FIELDS = ("start_date", "end_date")


def _date_text(day: date | None) -> str:
    return format_date(day) if day is not None else ""


class ProjectForm(QGroupBox):
    """Title, team, status, lead, sponsor, dates, problem and aim of one project."""

    edited = Signal()

    def __init__(self, wb: Workbook, parent: QWidget | None = None):
        super().__init__("Project", parent)
        self.wb = wb
        self.loaded: dict[str, str] = {}
        self.errors: dict[str, QLabel] = {}
        self.title = self._line("Project title", "A short name the ward will recognise")
        self.team = QLabel()
        self.team.setAccessibleName("Team")
        self.team.setToolTip("The ward or unit this project belongs to")
        self.status = QComboBox()
        self.status.setAccessibleName("Status")
        for status, label in STATUS_LABELS.items():
            self.status.addItem(label, status)
        self.lead = self._line("Project lead", "Who leads the project day to day")
        self.sponsor = self._line("Sponsor", "The senior person who backs the project, "
                                             "e.g. the matron or divisional lead")
        self.start_date = self._line("Start date", "When the project started, e.g. 1 April 2026")
        self.end_date = self._line("End date", "When it is due to end (blank if open-ended)")
        for edit in (self.start_date, self.end_date):
            edit.setPlaceholderText("e.g. 1 Apr 2026")
        self.problem = self._text("Problem statement", "What is wrong now, for whom, and how "
                                  "do you know? One or two sentences with a figure if you have one.")
        self.aim_statement = self._text("Aim statement", "What will improve, by how much, by "
                                        "when, and for whom")
        self.aim_statement.setPlaceholderText("e.g. Reduce falls on Ward 7 from 7.6 to 4.5 per "
                                              "1,000 bed days by 31 March 2027")
        self.smart = SmartAimPanel()
        self.general_error = error_label()
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        for text, field in (("&Title", "title"), ("Team", None), ("S&tatus", "status"),
                            ("&Lead", "lead"), ("Spons&or", "sponsor"),
                            ("Start &date", "start_date"), ("&End date", "end_date"),
                            ("&Problem", "problem"), ("&Aim", "aim_statement")):
            widget = getattr(self, field) if field else self.team
            label = QLabel(text)
            label.setBuddy(widget)  # Alt+letter jumps to the field
            form.addRow(label, self._with_error(widget, field) if field else widget)
        form.addRow("", self.smart)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.general_error)
        layout.addStretch(1)
        self.status.currentIndexChanged.connect(self.edited)
        self.aim_statement.textChanged.connect(self._on_aim_statement_text_changed)
        self.set_read_only(wb.read_only)

    def _line(self, name: str, tip: str) -> QLineEdit:
        edit = QLineEdit()
        edit.setAccessibleName(name)
        edit.setToolTip(tip)
        edit.textChanged.connect(self.edited)
        return edit

    def _text(self, name: str, tip: str) -> QPlainTextEdit:
        box = QPlainTextEdit()
        box.setAccessibleName(name)
        box.setToolTip(tip)
        box.setTabChangesFocus(True)  # Tab moves on, as in every other field
        box.setFixedHeight(72)
        box.textChanged.connect(self.edited)
        return box

    def _with_error(self, widget: QWidget, field: str) -> QWidget:
        box = QWidget()
        column = QVBoxLayout(box)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(2)
        column.addWidget(widget)
        self.errors[field] = error_label()
        self.errors[field].setAccessibleName(f"Problem with {field.replace('_', ' ')}")
        column.addWidget(self.errors[field])
        return box

    def set_read_only(self, read_only: bool) -> None:
        for field in TEXT_FIELDS + DATE_FIELDS:
            getattr(self, field).setReadOnly(read_only)
        self.status.setEnabled(not read_only)

    def load(self, project: Project, team: str, names: list[str]) -> None:
        """Show `project`'s saved values (the form is then not dirty)."""
        self.blockSignals(True)
        try:
            self.team.setText(team)
            for field in TEXT_FIELDS:
                self._set(field, getattr(project, field))
            for field in DATE_FIELDS:
                self._set(field, _date_text(getattr(project, field)))
            self.status.setCurrentIndex(max(0, self.status.findData(project.status)))
            for edit in (self.lead, self.sponsor):
                edit.setCompleter(QCompleter(names, edit))
        finally:
            self.blockSignals(False)
        self.loaded = self._raw()
        self.smart.set_aim(project.aim_statement)
        self.clear_errors()

    def _set(self, field: str, text: str) -> None:
        widget = getattr(self, field)
        if isinstance(widget, QPlainTextEdit):
            if widget.toPlainText() != text:
                widget.setPlainText(text)
        elif widget.text() != text:
            widget.setText(text)

    def _raw(self) -> dict[str, str]:
        raw = {f: getattr(self, f).text() for f in ("title", "lead", "sponsor") + DATE_FIELDS}
        raw.update(problem=self.problem.toPlainText(),
                   aim_statement=self.aim_statement.toPlainText(),
                   status=str(self.status.currentData()))
        return raw

    def is_dirty(self) -> bool:
        return bool(self.loaded) and self._raw() != self.loaded

    def changes(self, project: Project) -> dict:
        """The fields whose value differs from `project` (ValidationError for a bad date)."""
        values = {f: getattr(self, f).text().strip() for f in ("title", "lead", "sponsor")}
        values.update(problem=self.problem.toPlainText().strip(),
                      aim_statement=self.aim_statement.toPlainText().strip(),
                      status=ProjectStatus(self.status.currentData()))
        for field in DATE_FIELDS:
            text = getattr(self, field).text().strip()
            try:
                values[field] = parse_uk_date(text) if text else None
            except ValidationError as exc:
                raise ValidationError(f"{exc.message} Type a date such as 1 Apr 2026, or "
                                      f"leave it blank.", field=field) from None
        return {k: v for k, v in values.items() if getattr(project, k) != v}

    def show_error(self, message: str, field: str | None) -> None:
        label = self.errors.get(field or "", self.general_error)
        label.setText(message)
        label.show()
        widget = getattr(self, field, None) if field in self.errors else None
        if widget is not None:
            widget.setFocus()

    def clear_errors(self) -> None:
        for label in (*self.errors.values(), self.general_error):
            label.clear()
            label.hide()

    def _on_aim_statement_text_changed(self) -> None:
        self.smart.set_aim(self.aim_statement.toPlainText())
