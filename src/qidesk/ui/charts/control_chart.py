"""The live run/SPC chart widget: draws a computed chart (reports.ChartScene) and lets a
reader hover over a point for its details and click it for what can be done with it."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QPoint, QPointF, Qt, Signal
from PySide6.QtGui import QColor, QImage, QPainter
from PySide6.QtWidgets import QToolTip

from qidesk.reports import palette
from qidesk.reports.chart_scene import LEGIBLE_SYMBOL_LIMIT, ChartScene, step_line  # noqa: F401
from qidesk.reports.date_axis import MonthAxis
from qidesk.ui.charts.tooltip import point_tooltip

MARKER_CLICK_PX = 4  # how near a marker's line a click still opens its PDSA cycle


class ControlChart(pg.PlotWidget):
    """A chart of one measure: values, centre line, limits per phase, classed points.

    `point_clicked(index, global_pos)` is a request from the reader to act on a point;
    `pdsa_cycle_clicked(cycle_id)` asks to open the PDSA cycle whose marker was clicked.
    """

    point_clicked = Signal(int, QPoint)
    pdsa_cycle_clicked = Signal(int)

    def __init__(self, parent=None, *, dates: bool = True):
        axis = {"bottom": MonthAxis()} if dates else {}
        super().__init__(parent=parent, background=palette.NHS_WHITE, axisItems=axis)
        self.setAccessibleName("Chart")
        self.setMinimumSize(320, 200)
        item = self.getPlotItem()
        item.setMenuEnabled(False)
        item.hideButtons()
        for name in ("left", "bottom"):
            axis_item = item.getAxis(name)
            axis_item.setPen(pg.mkPen(palette.NHS_DARK_GREY))
            axis_item.setTextPen(pg.mkPen(palette.NHS_DARK_GREY))
        self.drawing = ChartScene(item)
        self.measure_chart = None
        self.hovered: int | None = None
        self._connect_signals()

    def _connect_signals(self) -> None:
        self.scene().sigMouseMoved.connect(self._on_scene_mouse_moved)
        self.scene().sigMouseClicked.connect(self._on_scene_mouse_clicked)

    @property
    def point_counts(self) -> dict[str, int]:
        return self.drawing.point_counts

    def show_result(self, x: Sequence[float] | np.ndarray, result,
                    point_classes: Sequence[str] | None = None, *, title: str = "",
                    target: float | None = None) -> None:
        """Draw `result` (an analysis SpcResult) against `x` (epoch seconds or indices)."""
        if title:
            self.getPlotItem().setTitle(title, color=palette.NHS_DARK_BLUE, size="12pt")
        self.drawing.show_result(x, result, point_classes, target=target)

    def show_chart(self, chart) -> None:
        """Draw a services.charts.MeasureChart (markers, baseline, trial limits and all)."""
        self.measure_chart = chart
        self.drawing.show_chart(chart)

    def clear_chart(self) -> None:
        self.measure_chart = None
        self.drawing.clear()

    def point_position(self, index: int) -> QPoint:
        """Where point `index` is drawn, in this widget's coordinates (for tests and menus)."""
        view = self.getPlotItem().getViewBox()
        scene_pos = view.mapViewToScene(QPointF(self.drawing.x[index], self.drawing.y[index]))
        return self.mapFromScene(scene_pos)

    def _on_scene_mouse_moved(self, scene_pos: QPointF) -> None:
        index = self.drawing.nearest_point(scene_pos)
        self.hovered = index
        if index is None or self.measure_chart is None:
            QToolTip.hideText()
            return
        text = point_tooltip(self.measure_chart, index)
        QToolTip.showText(self.mapToGlobal(self.mapFromScene(scene_pos)), text, self)

    def _on_scene_mouse_clicked(self, event) -> None:
        if event.button() != Qt.MouseButton.LeftButton:
            return
        index = self.drawing.nearest_point(event.scenePos())
        if index is not None:
            event.accept()
            self.point_clicked.emit(index, self.mapToGlobal(self.mapFromScene(event.scenePos())))
            return
        cycle_id = self.pdsa_cycle_at(event.scenePos())
        if cycle_id is not None:
            event.accept()
            self.pdsa_cycle_clicked.emit(cycle_id)

    def pdsa_cycle_at(self, scene_pos: QPointF) -> int | None:
        """The PDSA cycle whose marker label (or line, within a few pixels) is at `scene_pos`."""
        lanes = self.drawing.lanes
        near = None
        for marker, label, line in zip(lanes.markers, lanes.labels, lanes.lines):
            if marker.pdsa_cycle_id is None:
                continue
            if label.isVisible() and label.sceneBoundingRect().contains(scene_pos):
                return marker.pdsa_cycle_id
            x = self.getPlotItem().getViewBox().mapViewToScene(QPointF(line.value(), 0)).x()
            if abs(x - scene_pos.x()) <= MARKER_CLICK_PX and near is None:
                near = marker.pdsa_cycle_id
        return near

    def render_image(self, width: int = 1200, height: int = 675) -> QImage:
        """Paint the chart into an image of the given size (offscreen-safe)."""
        image = QImage(width, height, QImage.Format.Format_ARGB32)
        image.fill(QColor(palette.NHS_WHITE))
        self.resize(width, height)
        painter = QPainter(image)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.render(painter)
        painter.end()
        return image
