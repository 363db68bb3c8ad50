"""Family-of-measures check on the project page: the count of each kind, and a gentle,
specific prompt for each gap with a button to act on it there and then."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QFrame, QGroupBox, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from qidesk.domain.enums import MeasureKind
from qidesk.services.family import FamilyCheck, FamilyPrompt, check_family
from qidesk.services.workbook import Workbook


class FamilyPanel(QGroupBox):
    """Asks for the missing outcome, process or balancing measure, or a missing definition."""

    add_measure_requested = Signal(str)  # MeasureKind value
    edit_measure_requested = Signal(int)

    def __init__(self, wb: Workbook, parent: QWidget | None = None):
        super().__init__("Family of measures", parent)
        self.wb = wb
        self.check: FamilyCheck | None = None
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.summary.setAccessibleName("Family of measures summary")
        self.prompt_box = QVBoxLayout()
        self.prompt_box.setSpacing(6)
        self.prompt_rows: list[QWidget] = []
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addLayout(self.prompt_box)

    def show_project(self, project_id: int) -> None:
        self.project_id = project_id
        self.refresh()

    def refresh(self) -> None:
        self.check = check_family(self.wb, self.project_id)
        if self.check.complete:
            self.summary.setText(f"<span style='color:#007F3B'>✓</span> Outcome, process and "
                                 f"balancing measures, each with an operational definition "
                                 f"({self.check.summary()}).")
        else:
            self.summary.setText(f"{self.check.summary()}. A balanced family shows whether the "
                                 f"aim is met, the change is done, and nothing else got worse.")
        for row in self.prompt_rows:
            self.prompt_box.removeWidget(row)
            row.deleteLater()
        self.prompt_rows = [self._prompt_row(p) for p in self.check.prompts]
        for row in self.prompt_rows:
            self.prompt_box.addWidget(row)

    def prompts(self) -> list[str]:
        """The prompts on show."""
        return [row.findChild(QLabel).text() for row in self.prompt_rows]

    def button_for(self, text: str) -> QPushButton | None:
        """The action button of the prompt that contains `text`."""
        for row in self.prompt_rows:
            if text in row.findChild(QLabel).text():
                return row.findChild(QPushButton)
        return None

    def _prompt_row(self, prompt: FamilyPrompt) -> QFrame:
        row = QFrame()
        row.setStyleSheet("QFrame#familyPrompt { background: #FFF9EC; "
                          "border-left: 4px solid #FFB81C; }")
        row.setObjectName("familyPrompt")
        line = QHBoxLayout(row)
        line.setContentsMargins(8, 6, 8, 6)
        label = QLabel(prompt.text)
        label.setWordWrap(True)
        line.addWidget(label, 1)
        button = QPushButton(prompt.action)
        button.setAccessibleName(prompt.action.rstrip("…"))
        button.setVisible(not self.wb.read_only)
        if prompt.measure_id is None:
            kind = MeasureKind(prompt.kind).value
            button.clicked.connect(lambda _=False, k=kind: self.add_measure_requested.emit(k))
        else:
            button.clicked.connect(
                lambda _=False, i=prompt.measure_id: self.edit_measure_requested.emit(i))
        line.addWidget(button)
        return row
