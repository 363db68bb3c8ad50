"""Annotations and PDSA cycles: a vertical line on the chart and a short label in a lane
above it, the labels stacked in rows so that none overlaps another.

The lane is a ViewBox in the PlotItem's top-axis slot, x-linked to the chart, so labels
never cover data points and line up with their dates at any zoom.
"""

from __future__ import annotations

import html

import pyqtgraph as pg
from PySide6.QtCore import QPointF, Qt

from qidesk.reports import palette
from qidesk.reports.date_axis import epoch_seconds
from qidesk.reports.marker_layout import stack_rows

ROW_PX = 20.0
ROW_GAP_PX = 3.0
# More rows than this with full labels and the labels shrink to their letters (the
# full words stay in each label's tooltip): a crowded chart keeps room for its points.
MAX_FULL_ROWS = 3
LABEL_OFFSET_PX = 3.0
DASHES = {"solid": Qt.PenStyle.SolidLine, "dash": Qt.PenStyle.DashLine,
          "dot": Qt.PenStyle.DotLine, "dashdot": Qt.PenStyle.DashDotLine}


def marker_pen(kind: str, width: float = 1.5):
    style = palette.MARKER_STYLES.get(kind, palette.MARKER_STYLES["change"])
    pen = pg.mkPen(style.colour, width=width, style=DASHES[style.dash])
    pen.setCosmetic(True)
    return pen


class MarkerLane:
    """The dated markers of one chart: lines in the plot, stacked labels in the lane."""

    def __init__(self, plot: pg.PlotItem, *, pen_scale: float = 1.0):
        self.plot = plot
        self.pen_scale = pen_scale
        self.lane = pg.ViewBox(enableMouse=False, enableMenu=False, defaultPadding=0)
        self.lane.setXLink(plot.getViewBox())
        top = plot.getAxis("top")
        plot.layout.removeItem(top)
        top.hide()
        plot.layout.addItem(self.lane, 1, 1)
        self.shown: tuple = ()  # every marker drawn
        self.markers: tuple = ()  # those with a label, in step with lines, stems, labels
        self.plain_lines: list[pg.InfiniteLine] = []  # markers drawn as a line only
        self.compact = False
        # Small charts (report tiles) allow fewer rows of full labels, and leave out
        # labels beyond `max_rows` (their lines stay, styled as the key says).
        self.max_full_rows = MAX_FULL_ROWS
        self.max_rows: int | None = None
        self.lines: list[pg.InfiniteLine] = []
        self.stems: list[pg.InfiniteLine] = []
        self.labels: list[pg.TextItem] = []
        self.rows: list[int] = []
        self.row_px = ROW_PX
        self._set_height(0)
        view = plot.getViewBox()
        view.sigXRangeChanged.connect(self._on_view_x_range_changed)
        view.sigResized.connect(self._on_view_resized)

    def show_markers(self, markers) -> None:
        """Draw these markers (services.chart_context.ChartMarker); unchanged sets are kept."""
        markers = tuple(markers)
        if markers == self.shown:
            self.layout()
            return
        for item in (*self.lines, *self.plain_lines):
            self.plot.removeItem(item)
        for item in (*self.stems, *self.labels):
            self.lane.removeItem(item)
        self.shown = markers
        self.compact = False
        self.lines, self.stems, self.labels, self.plain_lines = [], [], [], []
        for marker in markers:
            x = epoch_seconds(marker.on_date)
            style = palette.MARKER_STYLES.get(marker.kind, palette.MARKER_STYLES["change"])
            line = pg.InfiniteLine(pos=x, angle=90, movable=False, pen=marker_pen(marker.kind, 1.5 * self.pen_scale))
            line.setZValue(-10)
            self.plot.addItem(line)
            if not style.letter:  # a line only, e.g. where a PDSA cycle ended
                self.plain_lines.append(line)
                continue
            stem = pg.InfiniteLine(pos=x, angle=90, movable=False, pen=marker_pen(marker.kind, self.pen_scale))
            self.lane.addItem(stem)
            label = pg.TextItem(html=_label_html(marker, style, False), anchor=(0, 0),
                                border=pg.mkPen(style.colour, width=self.pen_scale),
                                fill=pg.mkBrush(255, 255, 255, 235))
            label.setToolTip(f"{style.label}, {marker.on_date:%d/%m/%Y}: {marker.text}")
            self.lane.addItem(label)
            self.lines.append(line)
            self.stems.append(stem)
            self.labels.append(label)
        self.markers = tuple(m for m in markers if palette.MARKER_STYLES.get(
            m.kind, palette.MARKER_STYLES["change"]).letter)
        self.layout()

    def layout(self) -> None:
        """Put every label in the first row where it overlaps nothing; size the lane."""
        if not self.labels:
            self.rows = []
            self._set_height(0)
            return
        view = self.plot.getViewBox()
        lines = [view.mapViewToScene(QPointF(epoch_seconds(m.on_date), 0)).x() + LABEL_OFFSET_PX
                 for m in self.markers]
        self._set_compact(False)
        lefts = self._inside(lines)
        self.rows = stack_rows(lefts, self._widths())
        if max(self.rows) + 1 > self.max_full_rows:
            self._set_compact(True)
            lefts = self._inside(lines)
            self.rows = stack_rows(lefts, self._widths())
        count = max(self.rows) + 1
        if self.max_rows is not None:
            count = min(count, self.max_rows)
        for label, row in zip(self.labels, self.rows):
            label.setVisible(row < count)
        self.row_px = max(label.textItem.boundingRect().height() for label in self.labels) + ROW_GAP_PX
        self._set_height(count)
        # One unit of the lane's y is one row, whatever height the layout gave it.
        top = self.lane.height() / self.row_px if self.lane.height() else count
        self.lane.setYRange(0, top, padding=0)
        px = view.viewPixelSize()[0]
        for marker, label, row, left, line in zip(self.markers, self.labels, self.rows, lefts,
                                                  lines):
            label.setPos(epoch_seconds(marker.on_date) + (LABEL_OFFSET_PX + left - line) * px,
                         top - row)

    def _inside(self, lefts: list[float]) -> list[float]:
        """Left edges moved left where a label would run past the chart's right edge
        (and be cut off), never past its left edge."""
        rect = self.plot.getViewBox().sceneBoundingRect()
        if rect.width() <= 0:
            return lefts
        return [max(rect.left(), min(left, rect.right() - width))
                for left, width in zip(lefts, self._widths())]

    def _widths(self) -> list[float]:
        return [label.textItem.boundingRect().width() for label in self.labels]

    def _set_compact(self, compact: bool) -> None:
        if compact == self.compact:
            return
        self.compact = compact
        for marker, label in zip(self.markers, self.labels):
            style = palette.MARKER_STYLES.get(marker.kind, palette.MARKER_STYLES["change"])
            label.setHtml(_label_html(marker, style, compact))

    def _set_height(self, rows: int) -> None:
        height = round(rows * self.row_px)
        if height == self.lane.maximumHeight():
            return
        self.lane.setVisible(rows > 0)
        self.lane.setMinimumHeight(height)
        self.lane.setMaximumHeight(height)
        self.plot.layout.setRowFixedHeight(1, height)
        self.lane.updateGeometry()
        self.plot.layout.activate()  # the grid keeps the old row height otherwise

    def _on_view_x_range_changed(self, *_args) -> None:
        self.layout()

    def _on_view_resized(self, *_args) -> None:
        self.layout()


def _label_html(marker, style, compact: bool) -> str:
    words = "" if compact else f" {html.escape(marker.label)}"
    return (f'<span style="color:{style.colour}; font-size:8pt"><b>{style.letter}</b>'
            f"{words}</span>")
