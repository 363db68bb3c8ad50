"""A small step chart of a project's IHI progress score over time (0.5 to 5.0), drawn
with QPainter: the score holds until the next one is recorded, so it steps, never slopes."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QPainter, QPainterPath, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

from qidesk.domain.periods import format_date

NHS_BLUE, NHS_DARK_BLUE, GRID, TEXT = "#005EB8", "#003087", "#D8DDE0", "#425563"


class ProgressScoreChart(QWidget):
    """Scores as (date, score) pairs, oldest first, up to `today`."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.points: list[tuple[date, float]] = []
        self.today = date.today()
        self.setMinimumHeight(110)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setAccessibleName("Progress score over time")

    def set_scores(self, points: list[tuple[date, float]], today: date | None = None) -> None:
        self.points = sorted(points)
        self.today = today or date.today()
        self.setVisible(bool(points))
        summary = ", ".join(f"{format_date(d)}: {s:.1f}" for d, s in self.points)
        self.setToolTip(f"Progress score over time — {summary}")
        self.update()

    def paintEvent(self, _event) -> None:  # noqa: N802 - Qt's name
        if not self.points:
            return
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        metrics = painter.fontMetrics()
        left = metrics.horizontalAdvance("5.0") + 8
        plot = QRectF(left, 6, self.width() - left - 8, self.height() - metrics.height() - 14)
        first = self.points[0][0]
        last = max(self.today, self.points[-1][0])
        span = max((last - first).days, 1)

        def x(day: date) -> float:
            return plot.left() + plot.width() * (day - first).days / span

        def y(score: float) -> float:
            return plot.bottom() - plot.height() * (score - 0.5) / 4.5

        painter.setPen(QPen(QColor(GRID), 1))
        for score in (1.0, 2.0, 3.0, 4.0, 5.0):
            painter.drawLine(QPointF(plot.left(), y(score)), QPointF(plot.right(), y(score)))
            painter.setPen(QColor(TEXT))
            painter.drawText(QRectF(0, y(score) - 8, left - 6, 16),
                             Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                             f"{score:.1f}")
            painter.setPen(QPen(QColor(GRID), 1))
        path = QPainterPath(QPointF(x(first), y(self.points[0][1])))
        for (_day, score), (next_day, next_score) in zip(self.points, self.points[1:]):
            path.lineTo(x(next_day), y(score))
            path.lineTo(x(next_day), y(next_score))
        path.lineTo(x(last), y(self.points[-1][1]))
        painter.setPen(QPen(QColor(NHS_BLUE), 2.5))
        painter.drawPath(path)
        painter.setBrush(QColor(NHS_DARK_BLUE))
        painter.setPen(Qt.PenStyle.NoPen)
        for day, score in self.points:
            painter.drawEllipse(QPointF(x(day), y(score)), 3.5, 3.5)
        painter.setPen(QColor(TEXT))
        baseline = plot.bottom() + 4
        painter.drawText(QRectF(plot.left(), baseline, plot.width() / 2, metrics.height()),
                         Qt.AlignmentFlag.AlignLeft, format_date(first))
        painter.drawText(QRectF(plot.center().x(), baseline, plot.width() / 2, metrics.height()),
                         Qt.AlignmentFlag.AlignRight, format_date(last))
        painter.end()
