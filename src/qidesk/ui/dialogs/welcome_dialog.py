"""A short welcome on first start: what QIDesk is for, in plain words."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QVBoxLayout, QWidget

WELCOME_HTML = """
<p>QIDesk helps your ward team run quality improvement projects and see, week by week,
whether care is getting better.</p>
<ul>
<li><b>Measures and charts.</b> Type this week's numbers (or paste them from Excel) and the
chart redraws at once, with a sentence saying what it shows: a real change, or the usual
ups and downs.</li>
<li><b>Projects and PDSA cycles.</b> Keep your aim, the change ideas you are testing and what
you learnt in one place.</li>
<li><b>One workbook file per ward.</b> Changes save as you go. Backups are made for you.
Only counts and totals belong here, never patient details.</li>
</ul>
<p>You are looking at a <b>demo workbook</b> for a made-up elderly care ward: click around,
nothing here is real. Open your own ward's workbook, or start a new one, from the
<b>File</b> menu.</p>
<p>On a shared PC, pick your name when QIDesk asks <i>Who is using QIDesk?</i> so each
change records who made it.</p>
"""


class WelcomeDialog(QDialog):
    """Shown once on a PC's first start (and again from Help > Welcome to QIDesk)."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("Welcome to QIDesk")
        self.setAccessibleName("Welcome to QIDesk")
        heading = QLabel("Welcome to QIDesk")
        heading.setObjectName("dialogHeading")
        self.body = QLabel(WELCOME_HTML)
        self.body.setTextFormat(Qt.TextFormat.RichText)
        self.body.setWordWrap(True)
        self.body.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.body.setAccessibleName("What QIDesk is for")
        self.body.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByKeyboard
                                          | Qt.TextInteractionFlag.TextSelectableByMouse)
        buttons = QDialogButtonBox()
        self.start_button = buttons.addButton("&Get started", QDialogButtonBox.ButtonRole.AcceptRole)
        self.start_button.setDefault(True)
        self.start_button.setAccessibleName("Get started")
        self.start_button.clicked.connect(self.accept)
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addWidget(self.body, 1)
        layout.addWidget(buttons)
        self.setMinimumWidth(440)
        self.resize(560, 440)
        self.start_button.setFocus()
