"""The project's IHI progress score: the current level explained, a new score chosen from
the IHI descriptions with the reason for it, and the history (when, score, why, who)."""

from __future__ import annotations

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtGui import QStandardItem, QStandardItemModel, QUndoStack
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDateEdit,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from qidesk.domain.entities import ProgressScore
from qidesk.domain.errors import ValidationError
from qidesk.domain.periods import format_date
from qidesk.domain.progress_scale import PROGRESS_LEVELS, progress_level, score_label
from qidesk.services import history, projects
from qidesk.services.workbook import Workbook
from qidesk.storage.errors import StorageError
from qidesk.ui.project_commands import RecordScoreCommand, push_confirmed
from qidesk.ui.widgets.progress_score_chart import ProgressScoreChart

HISTORY_COLUMNS = ("Date", "Score", "Why", "Recorded by")
def _with_tip(text: str) -> QStandardItem:
    item = QStandardItem(text)
    item.setToolTip(text)
    return item


def _buddy(text: str, widget: QWidget) -> QLabel:
    label = QLabel(text)
    label.setBuddy(widget)  # Alt+letter jumps to the field
    return label


REASON_NEEDED = "Say why the score changed, so the history makes sense at the next review."


def recorded_by(wb: Workbook) -> dict[int, str]:
    """Who recorded each progress score, from the audit trail (scores keep no name)."""
    return {e.record_id: e.staff_name for e in reversed(history.audit_trail(wb, "progress_score"))
            if e.action == "created" and e.record_id is not None}


class ProgressScorePanel(QGroupBox):
    """Record and review a project's IHI progress score (each new score is undoable)."""

    score_recorded = Signal(int)
    sign_in_requested = Signal(str)

    def __init__(self, wb: Workbook, undo_stack: QUndoStack | None, parent: QWidget | None = None):
        super().__init__("IHI progress score", parent)
        self.wb, self.undo_stack = wb, undo_stack
        self.project_id: int | None = None
        self.latest_score: float | None = None
        self.current = QLabel()
        self.current.setWordWrap(True)
        self.current.setTextFormat(Qt.TextFormat.RichText)
        self.current.setAccessibleName("Current progress score")
        self.level = QComboBox()
        self.level.setAccessibleName("New progress score")
        for lvl in PROGRESS_LEVELS:
            self.level.addItem(lvl.label, lvl.score)
            self.level.setItemData(self.level.count() - 1, lvl.explanation,
                                   Qt.ItemDataRole.ToolTipRole)
        self.explanation = QLabel()
        self.explanation.setWordWrap(True)
        self.explanation.setStyleSheet("color: #425563;")
        self.reason = QLineEdit()
        self.reason.setAccessibleName("Why the score changed")
        self.reason.setPlaceholderText("e.g. Huddle adopted on all bays")
        self.scored_on = QDateEdit(QDate.currentDate())
        self.scored_on.setCalendarPopup(True)
        self.scored_on.setDisplayFormat("d MMM yyyy")
        self.scored_on.setAccessibleName("Date of the score")
        self.record_button = QPushButton("&Record score")
        self.record_button.setToolTip("Add this score to the project's history (Undo takes it back)")
        self.error = QLabel()
        self.error.setObjectName("errorText")
        self.error.setStyleSheet("color: #D5281B; font-weight: 600;")
        self.error.setWordWrap(True)
        self.error.hide()
        self.chart = ProgressScoreChart()
        self.history_model = QStandardItemModel(0, len(HISTORY_COLUMNS), self)
        self.history_model.setHorizontalHeaderLabels(list(HISTORY_COLUMNS))
        self.history = QTableView()
        self.history.setModel(self.history_model)
        self.history.setAccessibleName("Progress score history")
        self.history.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.history.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.history.verticalHeader().hide()
        self.history.setWordWrap(False)  # one line a score; the full reason is its tooltip
        header = self.history.horizontalHeader()
        for column, mode in enumerate((QHeaderView.ResizeMode.ResizeToContents,
                                       QHeaderView.ResizeMode.ResizeToContents,
                                       QHeaderView.ResizeMode.Stretch,
                                       QHeaderView.ResizeMode.ResizeToContents)):
            header.setSectionResizeMode(column, mode)
        self._build_layout()
        self.level.currentIndexChanged.connect(self._on_level_current_index_changed)
        self.record_button.clicked.connect(self.record)
        self.reason.returnPressed.connect(self.record)
        self._on_level_current_index_changed()
        self.set_read_only(wb.read_only)

    def _build_layout(self) -> None:
        self.new_score = QWidget()
        form = QFormLayout(self.new_score)
        form.setContentsMargins(0, 0, 0, 0)
        form.addRow(_buddy("&New score", self.level), self.level)
        form.addRow("", self.explanation)
        form.addRow(_buddy("&Why", self.reason), self.reason)
        when = QHBoxLayout()
        when.addWidget(self.scored_on)
        when.addStretch(1)
        when.addWidget(self.record_button)
        form.addRow(_buddy("&Date", self.scored_on), when)
        form.addRow("", self.error)
        layout = QVBoxLayout(self)
        layout.addWidget(self.current)
        layout.addWidget(self.chart)
        layout.addWidget(self.new_score)
        layout.addWidget(QLabel("History, newest first"))
        layout.addWidget(self.history)

    def set_read_only(self, read_only: bool) -> None:
        self.new_score.setVisible(not read_only)

    def show_project(self, project_id: int) -> None:
        if project_id != self.project_id:
            self.reason.clear()
            self.error.hide()
        self.project_id = project_id
        self.refresh()

    def refresh(self) -> None:
        scores = projects.score_history(self.wb, self.project_id)
        latest = scores[-1] if scores else None
        self.latest_score = latest.score if latest else None
        if latest is None:
            self.current.setText("<b>No score yet.</b> Most projects start at 0.5 or 1.0.")
        else:
            level = progress_level(latest.score)
            self.current.setText(
                f"<span style='font-size:18pt; font-weight:600; color:#003087'>"
                f"{latest.score:.1f}</span>&nbsp; <b>{level.name if level else ''}</b>"
                f" <span style='color:#425563'>since {format_date(latest.scored_on)}</span>"
                f"<br>{level.explanation if level else ''}")
            self.level.setCurrentIndex(max(0, self.level.findData(latest.score)))
        self._on_level_current_index_changed()
        self.chart.set_scores([(s.scored_on, s.score) for s in scores])
        names = recorded_by(self.wb)
        self.history_model.removeRows(0, self.history_model.rowCount())
        for score in reversed(scores):
            row = [QStandardItem(format_date(score.scored_on)),
                   QStandardItem(score_label(score.score)), _with_tip(score.note),
                   QStandardItem(names.get(score.id, ""))]
            row[1].setToolTip(getattr(progress_level(score.score), "explanation", ""))
            row[0].setData(score, Qt.ItemDataRole.UserRole)
            self.history_model.appendRow(row)
        self._fit_history()

    def _fit_history(self) -> None:
        """As tall as its rows (three to eight), so short histories leave no blank box."""
        rows = min(max(self.history_model.rowCount(), 3), 8)
        height = (self.history.horizontalHeader().sizeHint().height()
                  + rows * self.history.verticalHeader().defaultSectionSize()
                  + 2 * self.history.frameWidth() + 2)
        self.history.setFixedHeight(height)

    def history_rows(self) -> list[tuple[str, ...]]:
        """The history table's text, newest first (what a reader sees)."""
        model = self.history_model
        return [tuple(model.index(r, c).data() for c in range(model.columnCount()))
                for r in range(model.rowCount())]

    def record(self) -> int | None:
        """Record the chosen score with its reason; the new score's id, or None."""
        self.error.hide()
        reason = self.reason.text().strip()
        try:
            if not reason:
                raise ValidationError(REASON_NEEDED, field="note")
            score = ProgressScore(project_id=self.project_id, score=self.level.currentData(),
                                  scored_on=self.scored_on.date().toPython(), note=reason)
            command = push_confirmed(self, self.undo_stack,
                                     lambda ok: RecordScoreCommand(self.wb, score, confirm_pid=ok))
        except (ValidationError, StorageError) as exc:
            self._show_error(exc.message)
            return None
        if command is None:
            return None
        self.reason.clear()
        self.refresh()
        self.score_recorded.emit(command.score_id)
        return command.score_id

    def _show_error(self, message: str) -> None:
        self.error.setText(message)
        self.error.show()
        if self.wb.signed_out:
            self.sign_in_requested.emit("Pick your name before recording a progress score.")

    def _on_level_current_index_changed(self, _index: int = 0) -> None:
        level = progress_level(self.level.currentData())
        self.explanation.setText(level.explanation if level else "")
        # The current score is explained above: repeat nothing until another is chosen.
        latest = self.latest_score
        self.explanation.setVisible(level is not None and level.score != latest)
