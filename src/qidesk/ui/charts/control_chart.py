"""The run/SPC chart widget: draws a result the analysis layer computed, nothing more."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QImage, QPainter

from qidesk.ui import palette

# Symbols cost ~20 ms per 10k points (STACK.md); above this many points only special-cause
# and excluded points keep a marker, which is what a reader looks for on a long series.
LEGIBLE_SYMBOL_LIMIT = 1500


def step_line(x: np.ndarray, values: np.ndarray, part: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Vertices of a line that holds each point's value from midway to its neighbours.

    Limits that vary with the denominator read as steps, as in qicharts2; each phase's
    line stops where the next phase starts, and a missing value leaves a gap.
    """
    x = np.asarray(x, dtype=float)
    if x.size == 0:
        return x, x
    gaps = np.diff(x)
    half = np.concatenate(([gaps[0] if gaps.size else 1.0], gaps, [gaps[-1] if gaps.size else 1.0])) / 2
    left, right = x - half[:-1], x + half[1:]
    xs = np.column_stack((left, right)).ravel()
    ys = np.repeat(np.asarray(values, dtype=float), 2)
    breaks = (np.flatnonzero(np.diff(part)) + 1) * 2
    return np.insert(xs, breaks, np.nan), np.insert(ys, breaks, np.nan)


class ControlChart(pg.PlotWidget):
    """A chart of one measure: values, centre line, limits per phase, classed points."""

    def __init__(self, parent=None, *, dates: bool = True):
        axis = {"bottom": pg.DateAxisItem(orientation="bottom")} if dates else {}
        super().__init__(parent=parent, background=palette.NHS_WHITE, axisItems=axis)
        self.setAccessibleName("Chart")
        self.setMinimumSize(320, 200)
        item = self.getPlotItem()
        item.showGrid(x=False, y=True, alpha=0.15)
        item.setMenuEnabled(False)
        item.hideButtons()
        for name in ("left", "bottom"):
            axis_item = item.getAxis(name)
            axis_item.setPen(pg.mkPen(palette.NHS_DARK_GREY))
            axis_item.setTextPen(pg.mkPen(palette.NHS_DARK_GREY))
        self.point_counts: dict[str, int] = {}

    def show_result(
        self,
        x: Sequence[float] | np.ndarray,
        result,
        point_classes: Sequence[str] | None = None,
        *,
        title: str = "",
        target: float | None = None,
    ) -> None:
        """Draw `result` (an analysis SpcResult) against `x` (epoch seconds or indices)."""
        item = self.getPlotItem()
        item.clear()
        x = np.asarray(x, dtype=float)
        y = np.asarray(result.y, dtype=float)
        part = np.asarray(result.part)
        if title:
            item.setTitle(title, color=palette.NHS_DARK_BLUE, size="12pt")
        item.plot(x, y, pen=pg.mkPen(palette.VALUE_LINE, width=1.5), connect="finite")
        self._draw_line(x, result.cl, part, palette.CENTRE_LINE, Qt.PenStyle.SolidLine, width=2)
        for limit in (result.ucl, result.lcl):
            self._draw_line(x, limit, part, palette.LIMIT_LINE, Qt.PenStyle.DashLine, width=1.5)
        if target is not None:
            item.addLine(y=target, pen=pg.mkPen(palette.TARGET_LINE, width=1.5, style=Qt.PenStyle.DotLine))
        classes = np.asarray(point_classes if point_classes is not None else ["common_cause"] * len(y))
        self._draw_points(x, y, classes)

    def _draw_line(self, x, values, part, colour, style, *, width) -> None:
        values = np.asarray(values, dtype=float)
        if not np.isfinite(values).any():
            return
        xs, ys = step_line(x, values, part)
        self.getPlotItem().plot(xs, ys, pen=pg.mkPen(colour, width=width, style=style), connect="finite")

    def _draw_points(self, x: np.ndarray, y: np.ndarray, classes: np.ndarray) -> None:
        self.point_counts = {}
        crowded = len(y) > LEGIBLE_SYMBOL_LIMIT
        for name, style in palette.POINT_STYLES.items():
            chosen = (classes == name) & np.isfinite(y)
            if crowded and name == "common_cause":
                continue
            count = int(chosen.sum())
            if count == 0:
                continue
            self.point_counts[name] = count
            self.getPlotItem().plot(
                x[chosen], y[chosen], pen=None, symbol=style.symbol, symbolSize=9,
                symbolBrush=pg.mkBrush(style.brush), symbolPen=pg.mkPen(style.pen, width=1.2),
                name=style.label,
            )

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
