"""A quiet bar offering a new phase where the analysis layer suggests one; never applied
until someone presses Start phase."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QWidget

from qidesk.domain.periods import format_date


class RebaseBar(QFrame):
    """Requests: `start_requested(suggestion)`; `dismissed()` after Not now."""

    start_requested = Signal(object)
    dismissed = Signal()

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("rebaseBar")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setStyleSheet("#rebaseBar { background: #E8F1FA; border: 1px solid #005EB8; }")
        self.suggestion = None
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setAccessibleName("Suggested new phase")
        self.start = QPushButton("&Start phase")
        self.start.setAccessibleName("Start the suggested phase")
        self.later = QPushButton("&Not now")
        self.later.setAccessibleName("Not now")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(8, 4, 8, 4)
        layout.addWidget(self.message, 1)
        layout.addWidget(self.start)
        layout.addWidget(self.later)
        self.hide()
        self._connect_signals()

    def _connect_signals(self) -> None:
        self.start.clicked.connect(self._on_start_clicked)
        self.later.clicked.connect(self._on_later_clicked)

    def offer(self, suggestion) -> None:
        self.suggestion = suggestion
        self.setVisible(suggestion is not None)
        if suggestion is not None:
            # The first clause says why; the full reasoning is one hover (or Tab) away.
            why = suggestion.reason.split("; ")[0]
            self.message.setText(f"A new phase could start on {format_date(suggestion.date)}: "
                                 f"{why}.")
            self.message.setToolTip(suggestion.reason)
            self.message.setAccessibleDescription(suggestion.reason)

    def _on_start_clicked(self) -> None:
        self.start_requested.emit(self.suggestion)

    def _on_later_clicked(self) -> None:
        self.hide()
        self.dismissed.emit()
