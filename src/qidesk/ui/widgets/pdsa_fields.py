"""Small building blocks of the PDSA worksheet: text boxes, date fields, errors by fields."""

from __future__ import annotations

from datetime import date

from PySide6.QtWidgets import QLabel, QLineEdit, QPlainTextEdit, QVBoxLayout, QWidget

from qidesk.domain.errors import ValidationError
from qidesk.domain.periods import format_date, parse_uk_date

ERROR_STYLE = "color: #d5281b;"  # NHS red, as the measure dialog shows its errors


def text_box(name: str, tip: str, height: int = 56) -> QPlainTextEdit:
    box = QPlainTextEdit()
    box.setTabChangesFocus(True)  # keyboard users move on with Tab, as in every field
    box.setFixedHeight(height)
    box.setAccessibleName(name)
    box.setToolTip(tip)
    return box


def line_edit(name: str, tip: str, placeholder: str = "") -> QLineEdit:
    edit = QLineEdit()
    edit.setAccessibleName(name)
    edit.setToolTip(tip)
    edit.setPlaceholderText(placeholder)
    return edit


class DateField(QLineEdit):
    """A date typed as a ward writes it (30/06/2026, 30 Jun 2026) or left blank."""

    def __init__(self, name: str, tip: str, field: str):
        super().__init__()
        self.field = field
        self.setAccessibleName(name)
        self.setToolTip(f"{tip} (e.g. 30/06/2026); leave blank if not known yet")
        self.setPlaceholderText("dd/mm/yyyy")
        self.setMaximumWidth(160)

    def set_date(self, value: date | None) -> None:
        self.setText("" if value is None else format_date(value))

    def date(self) -> date | None:
        text = self.text().strip()
        if not text:
            return None
        try:
            return parse_uk_date(text)
        except ValidationError as exc:
            raise ValidationError(f"{self.accessibleName()}: {exc.message}", field=self.field) \
                from None


class FieldErrors:
    """Problems shown under the field they are about (or in a general label)."""

    def __init__(self, general: QLabel):
        self.labels: dict[str, QLabel] = {}
        self.general = general

    def wrap(self, widget: QWidget, field: str) -> QWidget:
        label = QLabel()
        label.setObjectName("fieldError")
        label.setStyleSheet(ERROR_STYLE)
        label.setWordWrap(True)
        label.setAccessibleName(f"Problem with {field.replace('_', ' ')}")
        label.hide()
        self.labels[field] = label
        box = QWidget()
        column = QVBoxLayout(box)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(2)
        column.addWidget(widget)
        column.addWidget(label)
        return box

    def show(self, message: str, field: str | None) -> QLabel:
        label = self.labels.get(field or "", self.general)
        label.setText(message)
        label.show()
        return label

    def clear(self) -> None:
        for label in (*self.labels.values(), self.general):
            label.clear()
            label.hide()

    def shown(self) -> dict[str, str]:
        """field -> message of every problem on show (for tests and screen readers)."""
        found = {f: lbl.text() for f, lbl in self.labels.items() if lbl.text()}
        if self.general.text():
            found["general"] = self.general.text()
        return found
