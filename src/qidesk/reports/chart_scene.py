"""Draws a computed chart onto a pyqtgraph PlotItem: the one drawing the live chart and
every export share. It never computes statistics; items are made once and reused.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QPointF, Qt

from qidesk.analysis.points import CLASSES
from qidesk.reports import palette
from qidesk.reports.chart_text import TRIAL_LIMITS
from qidesk.reports.date_axis import epoch_seconds
from qidesk.reports.marker_lane import MarkerLane

# Symbols cost ~20 ms per 10k points (STACK.md); above this many points only special-cause
# and excluded points keep a marker, which is what a reader looks for on a long series.
LEGIBLE_SYMBOL_LIMIT = 1500
SYMBOL_SIZE = 9


def step_line(x: np.ndarray, values: np.ndarray, part: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Vertices of a line that holds each point's value from midway to its neighbours.

    Limits that vary with the denominator read as steps, as in qicharts2; each phase's
    line stops where the next phase starts, and a missing value leaves a gap. Runs of
    equal values become one segment, so a flat limit over 100,000 points is 2 vertices.
    """
    x = np.asarray(x, dtype=float)
    if x.size == 0:
        return x, x
    values = np.asarray(values, dtype=float)
    part = np.asarray(part)
    gaps = np.diff(x)
    half = np.concatenate(([gaps[0] if gaps.size else 1.0], gaps, [gaps[-1] if gaps.size else 1.0])) / 2
    left, right = x - half[:-1], x + half[1:]
    new_part = np.diff(part) != 0
    # NaN != NaN, so each missing value is its own segment (a gap).
    starts = np.flatnonzero(np.concatenate(([True], (values[1:] != values[:-1]) | new_part)))
    stops = np.append(starts[1:], x.size) - 1
    xs = np.column_stack((left[starts], right[stops])).ravel()
    ys = np.repeat(values[starts], 2)
    breaks = (np.flatnonzero(new_part[starts[1:] - 1]) + 1) * 2 if starts.size > 1 else []
    return np.insert(xs, breaks, np.nan), np.insert(ys, breaks, np.nan)


def with_gaps(x: np.ndarray, y: np.ndarray, connected) -> tuple[np.ndarray, np.ndarray]:
    """x and y with a NaN after each point not followed by the next period (a gap).

    NaN breaks keep pyqtgraph on its fast path (a connect array draws segment by segment).
    """
    if connected is None:
        return x, y
    cut = np.flatnonzero(~np.asarray(connected, dtype=bool)[:-1]) + 1
    if not cut.size:
        return x, y
    return np.insert(x, cut, np.nan), np.insert(y, cut, np.nan)


def line_pen(colour, width=1.5, style=Qt.PenStyle.SolidLine):
    pen = pg.mkPen(colour, width=width, style=style)
    pen.setCosmetic(True)
    return pen


class ChartScene:
    """The items of one chart on `plot` (a pyqtgraph PlotItem), updated in place."""

    def __init__(self, plot: pg.PlotItem, *, pen_scale: float = 1.0):
        """`pen_scale` widens every line for a print-resolution image, where pyqtgraph's
        cosmetic (pixel-wide) pens would otherwise come out as hairlines."""
        self.plot = plot
        self.pen_scale = pen_scale

        def _pen(colour, width=1.5, style=Qt.PenStyle.SolidLine):
            return line_pen(colour, width * pen_scale, style)

        self.x = np.zeros(0)
        self.y = np.zeros(0)
        self.point_counts: dict[str, int] = {}
        # Width 1: pyqtgraph draws wider solid lines segment by segment, 4x slower.
        self.value_curve = pg.PlotDataItem(pen=_pen(palette.VALUE_LINE, 1.0),
                                           autoDownsampleFactor=1.0)
        # Long series: draw what is on screen, at most a few points per pixel column.
        self.value_curve.setDownsampling(auto=True, method="peak")
        self.value_curve.setClipToView(True)
        self.centre = pg.PlotDataItem(pen=_pen(palette.CENTRE_LINE, 2))
        dash = Qt.PenStyle.DashLine
        self.centre_signal = pg.PlotDataItem(pen=_pen(palette.RUNS_SIGNAL_LINE, 2.5, dash))
        self.upper = pg.PlotDataItem(pen=_pen(palette.LIMIT_LINE, 1.5, dash))
        self.lower = pg.PlotDataItem(pen=_pen(palette.LIMIT_LINE, 1.5, dash))
        self.target = pg.InfiniteLine(angle=0, movable=False, label="Target",
                                      pen=_pen(palette.TARGET_LINE, 1.5, Qt.PenStyle.DotLine),
                                      labelOpts={"position": 0.02, "color": palette.TARGET_LINE,
                                                 "anchors": [(0, 1), (0, 1)]})
        self.baseline = pg.LinearRegionItem(movable=False, brush=pg.mkBrush(palette.BASELINE_SHADE),
                                            pen=pg.mkPen(None))
        self.baseline.setZValue(-20)
        self.points = {name: pg.PlotDataItem(pen=None, symbol=style.symbol, symbolSize=SYMBOL_SIZE,
                                             symbolBrush=pg.mkBrush(style.brush),
                                             symbolPen=pg.mkPen(style.pen, width=1.2 * pen_scale))
                       for name, style in palette.POINT_STYLES.items()}
        for item in (self.baseline, self.value_curve, self.centre, self.centre_signal, self.upper,
                     self.lower, self.target, *self.points.values()):
            plot.addItem(item)
        self.trial_labels: list[pg.TextItem] = []
        self.lanes = MarkerLane(plot, pen_scale=pen_scale)
        self.baseline_points = 0
        self._unit: str | None = None
        self._shown: dict[str, tuple[np.ndarray, np.ndarray]] = {}

    def show_result(self, x, result, point_classes: Sequence[str] | None = None, *,
                    target: float | None = None, connected=None, codes=None) -> None:
        """Draw an analysis SpcResult against `x` (epoch seconds or indices).

        Point classes as names, or as `codes` (PointClasses.class_code: faster)."""
        self.x = x = np.asarray(x, dtype=float)
        self.y = y = np.asarray(result.y, dtype=float)
        part = np.asarray(result.part)
        self.value_curve.setData(*with_gaps(x, y, connected), connect="finite")
        cl = np.asarray(result.cl, dtype=float)
        signal = np.asarray(result.runs_signal, dtype=bool)
        for item, values in ((self.centre, np.where(signal, np.nan, cl)),
                             (self.centre_signal, np.where(signal, cl, np.nan)),
                             (self.upper, result.ucl), (self.lower, result.lcl)):
            self._set_line(item, x, values, part)
        self.target.setVisible(target is not None)
        if target is not None:
            self.target.setValue(target)
        if codes is None:
            names = np.asarray(point_classes if point_classes is not None
                               else ["common_cause"] * len(y))
            codes = np.full(len(y), -1, dtype=np.int8)
            for code, name in enumerate(CLASSES):
                codes[names == name] = code
        self._set_points(x, y, np.asarray(codes))

    def show_chart(self, chart) -> None:
        """Draw a services.charts.MeasureChart: lines, points, baseline, trial limits, markers."""
        if not chart.has_data:
            self.clear()
            return
        x = chart.x if chart.x is not None else np.fromiter(
            (epoch_seconds(d) for d in chart.periods), dtype=float, count=len(chart.periods))
        self.show_result(x, chart.result, target=chart.measure.target,
                         connected=chart.connected, codes=chart.classes.class_code)
        self._set_baseline(chart)
        self._set_trial_labels(chart)
        self._set_unit(chart)
        self.lanes.show_markers(chart.markers)

    def clear(self) -> None:
        self.x, self.y = np.zeros(0), np.zeros(0)
        for item in (self.value_curve, self.centre, self.centre_signal, self.upper, self.lower,
                     *self.points.values()):
            item.setData([], [])
        self.point_counts = {}
        self._shown = {}
        self.target.hide()
        self.baseline.hide()
        self._place_trial_labels([])
        self.lanes.show_markers(())

    @staticmethod
    def _set_line(item, x, values, part) -> None:
        values = np.asarray(values, dtype=float)
        if not np.isfinite(values).any():
            item.setData([], [])
            return
        xs, ys = step_line(x, values, part)
        item.setData(xs, ys, connect="finite")

    def _set_points(self, x: np.ndarray, y: np.ndarray, codes: np.ndarray) -> None:
        self.point_counts = {}
        crowded = len(y) > LEGIBLE_SYMBOL_LIMIT
        finite = np.isfinite(y)
        for name, item in self.points.items():
            chosen = (codes == CLASSES.index(name)) & finite
            count = int(chosen.sum())
            # On a long series only signals keep a marker, and only while they stay
            # legible (STACK.md: 100k symbols cost 370 ms a repaint).
            if count == 0 or (crowded and (name == "common_cause" or count > LEGIBLE_SYMBOL_LIMIT)):
                self._set_symbols(name, item, np.zeros(0), np.zeros(0))
                continue
            self.point_counts[name] = count
            self._set_symbols(name, item, x[chosen], y[chosen])

    def _set_symbols(self, name: str, item, xs: np.ndarray, ys: np.ndarray) -> None:
        """Hand pyqtgraph only what changed: a symbol update costs ~2 ms per 1,000 points,
        and an edit usually moves one class of point."""
        shown = self._shown.get(name)
        if shown is not None and np.array_equal(shown[0], xs) and np.array_equal(shown[1], ys):
            return
        self._shown[name] = (xs, ys)
        item.setData(xs, ys)

    def _set_unit(self, chart) -> None:
        percent = chart.chart in ("p", "pp") and chart.measure.value_type.value == "proportion"
        unit = "%" if percent else chart.measure.unit
        if unit != self._unit:
            self._unit = unit
            self.plot.setLabel("left", unit or None, color=palette.NHS_DARK_GREY)

    def _set_baseline(self, chart) -> None:
        k = chart.measure.baseline_points or 0
        k = min(k, len(chart.periods)) if not chart.phase_starts else 0
        self.baseline_points = k
        self.baseline.setVisible(k > 0)
        if k:
            half = (self.x[1] - self.x[0]) / 2 if self.x.size > 1 else 43_200.0
            self.baseline.setRegion((self.x[0] - half, self.x[k - 1] + half))

    def _set_trial_labels(self, chart) -> None:
        spots = []
        upper = np.asarray(chart.result.ucl, dtype=float)
        for start, stop in chart.trial_phases:
            finite = np.flatnonzero(np.isfinite(upper[start:stop]))
            if finite.size:
                last = start + int(finite[-1])
                spots.append((self.x[start], upper[last]))
        self._place_trial_labels(spots)

    def _place_trial_labels(self, spots) -> None:
        while len(self.trial_labels) < len(spots):
            label = pg.TextItem(TRIAL_LIMITS, color=palette.TRIAL_TEXT, anchor=(0, 1))
            self.plot.addItem(label)
            self.trial_labels.append(label)
        for i, label in enumerate(self.trial_labels):
            label.setVisible(i < len(spots))
            if i < len(spots):
                label.setPos(QPointF(*spots[i]))

    def nearest_point(self, scene_pos: QPointF, radius_px: float = 8.0) -> int | None:
        """Index of the drawn point nearest to a scene position, within `radius_px`."""
        if not self.x.size:
            return None
        view = self.plot.getViewBox()
        at = view.mapSceneToView(scene_pos)
        px = view.viewPixelSize()
        dx = (self.x - at.x()) / px[0]
        dy = (self.y - at.y()) / px[1]
        distance = np.hypot(dx, dy)
        distance[~np.isfinite(distance)] = np.inf
        best = int(np.argmin(distance))
        return best if distance[best] <= radius_px else None
