"""Sign off a measure or a project with a comment: the dialog, its undo command, and
the line the measure's chart shows about its last sign-off."""

from __future__ import annotations

import html

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from qidesk.domain.entities import Review
from qidesk.domain.enums import ReviewSubject
from qidesk.domain.periods import format_date
from qidesk.services import history, reviews
from qidesk.services.workbook import Workbook
from qidesk.ui import palette
from qidesk.ui.undo import ServiceCommand


class SignOffCommand(ServiceCommand):
    """A sign-off; undo withdraws it (soft delete), redo puts the same one back."""

    def __init__(self, wb: Workbook, subject: ReviewSubject, subject_id: int, comment: str,
                 name: str, *, confirm_pid: bool = False):
        super().__init__(wb, f"sign-off of “{name}”")
        self.review = Review(subject=subject, subject_id=subject_id, comment=comment)
        self.confirm_pid = confirm_pid
        self.review_id: int | None = None

    def run(self) -> None:
        self.review_id = reviews.sign_off(self.wb, self.review, confirm_pid=self.confirm_pid).id

    def apply(self) -> None:
        history.restore_record(self.wb, "review", self.review_id)

    def revert(self) -> None:
        reviews.delete_review(self.wb, self.review_id)


class SignOffDialog(QDialog):
    """Asks for the reviewer's comment; the caller records it (through the undo stack)."""

    def __init__(self, what: str, name: str, reviewer: str, details: str = "",
                 parent: QWidget | None = None):
        """`what`: "measure" or "project"; `details`: what changed since the last review."""
        super().__init__(parent)
        self.setWindowTitle(f"Sign off this {what}")
        heading = QLabel(f"<b>Sign off the {html.escape(what)} “{html.escape(name)}”</b>"
                         f"<br>as {html.escape(reviewer)}, now.")
        heading.setWordWrap(True)
        self.details = QLabel(details)
        self.details.setWordWrap(True)
        self.details.setVisible(bool(details))
        self.details.setStyleSheet(f"color: {palette.NHS_DARK_GREY}")
        prompt = QLabel("&Comment (what you saw, what the ward should do next):")
        self.comment = QPlainTextEdit()
        self.comment.setAccessibleName("Sign-off comment")
        self.comment.setToolTip("Shown on the chart's history and on board reports. "
                                "Ward totals only: no patient details.")
        self.comment.setTabChangesFocus(True)
        prompt.setBuddy(self.comment)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                        | QDialogButtonBox.StandardButton.Cancel)
        self.sign_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.sign_button.setText("&Sign off")
        self.sign_button.setToolTip("Record this sign-off with your name and the time")
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setToolTip(
            "Close without signing off")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        for widget in (heading, self.details, prompt, self.comment, self.buttons):
            layout.addWidget(widget)
        self.resize(460, 320)

    @property
    def text(self) -> str:
        return self.comment.toPlainText().strip()


def last_sign_off_html(wb: Workbook, measure_id: int | None) -> str:
    """'Last signed off 3 Mar 2026 by Lisa Duffy (project): “comment”' for the chart."""
    review = reviews.last_sign_off(wb, measure_id) if measure_id is not None else None
    if review is None:
        return (f"<p style='color:{palette.NHS_DARK_GREY}'>Not signed off by a reviewer "
                f"yet.</p>")
    scope = " (whole project)" if review.subject == ReviewSubject.PROJECT else ""
    comment = f": “{html.escape(review.comment)}”" if review.comment else ""
    return (f"<p style='color:{palette.NHS_DARK_GREY}'><b>Last signed off</b> "
            f"{format_date(review.reviewed_at.date())} by {html.escape(review.reviewer)}"
            f"{scope}{comment}</p>")
