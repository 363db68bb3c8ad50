"""The chart's key under the live chart, painted by the same code as the exports."""

from __future__ import annotations

from PySide6.QtCore import QRectF, QSize
from PySide6.QtGui import QPainter
from PySide6.QtWidgets import QSizePolicy, QWidget

from qidesk.reports.legend import legend_entries, legend_size, paint_legend


class LegendStrip(QWidget):
    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.entries = []
        self.setAccessibleName("Chart key")
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)

    def show_chart(self, chart) -> None:
        self.entries = legend_entries(chart) if chart is not None else []
        self.setAccessibleDescription(", ".join(e.label for e in self.entries))
        self.setFixedHeight(self.heightForWidth(self.width()))
        self.update()

    def hasHeightForWidth(self) -> bool:  # noqa: N802 (Qt's name)
        return True

    def heightForWidth(self, width: int) -> int:  # noqa: N802
        return int(legend_size(self.entries, self.font(), width - 8)) + 6

    def sizeHint(self) -> QSize:  # noqa: N802
        return QSize(400, self.heightForWidth(max(self.width(), 400)))

    def resizeEvent(self, event) -> None:  # noqa: N802
        super().resizeEvent(event)
        self.setFixedHeight(self.heightForWidth(self.width()))

    def paintEvent(self, _event) -> None:  # noqa: N802
        painter = QPainter(self)
        paint_legend(painter, QRectF(4, 3, self.width() - 8, self.height() - 6), self.entries)
        painter.end()
