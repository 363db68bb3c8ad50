"""Beside the aim statement: which SMART parts the aim already says, and a specific prompt
for each part still missing. Updated as the lead types; a prompt goes once its part is there."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QLabel, QVBoxLayout, QWidget

from qidesk.domain.smart_aim import AimCheck, check_aim

# NHS identity colours; a tick or a circle carries the meaning for colour-blind readers too.
_DONE, _TODO = "#007F3B", "#8A5300"
_STYLE = """
QFrame#smartAim { background: #FFFFFF; border: 1px solid #D8DDE0; border-left: 4px solid #005EB8; }
QLabel#smartHeading { font-weight: 600; color: #003087; }
QLabel#smartAdvice { color: #425563; }
"""


class SmartAimPanel(QFrame):
    """Shows `check_aim(text)`: ticks for the parts found, prompts for the parts missing."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("smartAim")
        self.setStyleSheet(_STYLE)
        self.setAccessibleName("SMART aim helper")
        self.heading = QLabel()
        self.heading.setObjectName("smartHeading")
        self.heading.setWordWrap(True)
        self.rows: dict[str, QLabel] = {}
        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 8, 10, 8)
        layout.setSpacing(4)
        layout.addWidget(self.heading)
        for key in ("what", "how_much", "by_when", "for_whom"):
            label = QLabel()
            label.setWordWrap(True)
            label.setTextFormat(Qt.TextFormat.RichText)
            label.setObjectName(f"smart_{key}")
            self.rows[key] = label
            layout.addWidget(label)
        self.advice = QLabel()
        self.advice.setObjectName("smartAdvice")
        self.advice.setWordWrap(True)
        layout.addWidget(self.advice)
        self.check: AimCheck = check_aim("")
        self.set_aim("")

    def set_aim(self, text: str) -> None:
        self.check = check_aim(text)
        missing = len(self.check.missing)
        if not text.strip():
            self.heading.setText("A SMART aim says what will improve, by how much, by when, "
                                 "and for whom.")
        elif missing:
            self.heading.setText(f"Your aim says {4 - missing} of the 4 parts of a SMART aim. "
                                 f"Add the parts marked ○:")
        else:
            self.heading.setText("SMART: your aim says what, how much, by when and for whom.")
        for part in self.check.parts:
            label = self.rows[part.key]
            if part.found:
                label.setText(f"<span style='color:{_DONE}'>✓</span> {part.question}: "
                              f"<b>{_escape(part.answer)}</b>")
                label.setToolTip("")
            else:
                label.setText(f"<span style='color:{_TODO}'>○</span> {_escape(part.prompt)}")
                label.setToolTip("Add this to the aim statement; the prompt goes once it is there.")
            label.setProperty("prompt", not part.found)
        advice = " ".join(p.advice for p in self.check.parts if p.found and p.advice)
        self.advice.setText(advice)
        self.advice.setVisible(bool(advice))

        self._fit_height()

    def _fit_height(self) -> None:
        # Wrapped labels hint their height at a narrow width; in a scroll area that hint
        # spreads the lines apart, so take the height the lines need at the real width.
        needed = self.layout().totalHeightForWidth(self.width())
        if needed > 0 and needed != self.height():
            self.setFixedHeight(needed)

    def resizeEvent(self, event) -> None:  # noqa: N802 - Qt's name
        super().resizeEvent(event)
        self._fit_height()

    def prompts(self) -> list[str]:
        """The prompts on show, one per part the aim does not say yet."""
        return [p.prompt for p in self.check.missing]


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
