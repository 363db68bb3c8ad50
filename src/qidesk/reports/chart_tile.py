"""A measure's chart as a tile on a report page: name, kind and icons above, the chart
(reports.chart_image's figure, as vectors) with its annotations, the key and the chart's
main finding below. Small enough for four on an A4 page."""

from __future__ import annotations

from PySide6.QtCore import QRectF, QSizeF
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QPainter, QPen

from qidesk.reports import palette
from qidesk.reports.chart_image import ChartFigure
from qidesk.reports.chart_scene import SYMBOL_SIZE
from qidesk.reports.chart_text import CHART_NAMES, date_range
from qidesk.reports.legend import legend_entries, legend_size, paint_legend
from qidesk.reports.mdc_icons import paint_icon
from qidesk.reports.page_layout import draw_fitted, fit_sentences, fit_text, font

ICON = 24.0
GAP = 4.0
AXIS_POINTS = 9.0
SIGNALS = ("improvement", "concern", "neutral")
# Below this (page pixels, axes included) a plot's points cannot be told apart: the
# finding under it gives up lines first.
MIN_PLOT_HEIGHT = 90.0
SMALLEST_PLOT_HEIGHT = 70.0
BASE_POINTS = 8.5  # the A4 report's text size, which these heights suit
# A point's symbol on the page: its share of the space between two points, kept
# between a dot that still shows its shape and the live chart's own size.
SYMBOL_SHARE = 0.9
SMALLEST_SYMBOL, LARGEST_SYMBOL = 3.0, 6.0
SIGNAL_SYMBOL_GROWTH, SMALLEST_SIGNAL_SYMBOL = 1.5, 5.0
# Annotation labels above a tile's plot take at most this share of its height; beyond
# it they shrink to their letters (the key says what the letters mean).
LANE_SHARE = 0.25


def key_finding(chart) -> str:
    """The chart's most telling finding, in its own words."""
    if not chart.has_data:
        return "No data yet."
    # The latest signal if there is one (what a reader most needs), else the latest
    # phase's reading; caveats ("info") only when nothing else was said.
    said = ([f for f in chart.findings if f.direction in SIGNALS]
            or [f for f in chart.findings if f.direction != "info"] or list(chart.findings))
    return said[-1].text if said else ""


class ChartTile:
    """Lays out and paints one chart into a rectangle of a report page."""

    def __init__(self, chart, *, points: float = 8.5, plot_scale: float = 1.0):
        self.chart = chart
        self.points = points
        self.plot_scale = plot_scale
        self.shortened = False  # some text did not fit and was cut with "…"
        self.symbol = 0.0  # the points' symbol size drawn, in page pixels
        self.plot_height = 0.0  # the height of the plot's data area, in page pixels

    def paint(self, painter: QPainter, rect: QRectF) -> None:
        """The tile without a key: a page of tiles shares one (shared_key)."""
        chart = self.chart
        painter.save()
        painter.setPen(QPen(QColor(palette.NHS_PALE_GREY), 1))
        painter.drawRect(rect)
        painter.restore()
        inner = rect.adjusted(GAP + 2, GAP, -GAP - 2, -GAP)
        figure = self._figure(painter) if chart.has_data else None
        axis = figure.plot.getAxis("left") if figure else None
        unit = axis.labelText if axis is not None and axis.label.isVisible() else ""
        header, finding, plot = self._layout(inner, "")
        if unit and not self._unit_fits(unit, plot.height()):
            # Turned up the y axis, a long unit would hold the plot open taller than
            # the tile: it joins the details line instead.
            axis.showLabel(False)
            header, finding, plot = self._layout(inner, unit)
        self._paint_header(painter, inner, header)
        draw_fitted(painter, inner.left(), inner.bottom() - finding.height, inner.width(),
                    finding)
        self.shortened |= finding.shortened
        if figure is not None and plot.height() > 40:
            self._paint_plot(painter, figure, plot)

    def _layout(self, inner: QRectF, unit: str):
        """(header texts and its bottom, the finding, the plot's rectangle)."""
        header = self._header(inner, unit)
        y = header[-1]
        # Up to three lines of finding on a roomy tile, fewer rather than crush the plot;
        # but a cut first sentence says nothing, so it may take the plot down to its floor.
        line = self.points * 1.6
        finding = None
        for floor in (MIN_PLOT_HEIGHT, SMALLEST_PLOT_HEIGHT):
            floor *= self.points / BASE_POINTS  # a poster's larger text, a larger plot
            room = inner.bottom() - y - (floor + 3 if self.chart.has_data else 0)
            finding = fit_sentences(key_finding(self.chart), inner.width(),
                                    max(line * 1.2, min(room, 3.2 * line)),
                                    self.points - 1, min_points=self.points - 1.5)
            if not finding.shortened:
                break
        bottom = inner.bottom() - finding.height
        return header, finding, QRectF(inner.left() - 4, y, inner.width() + 4, bottom - 3 - y)

    def _unit_fits(self, unit: str, plot_height: float) -> bool:
        # The axis runs the plot's height less the date axis and a row of labels.
        length = QFontMetricsF(QFont()).horizontalAdvance(unit) * self.plot_scale
        return length <= 0.6 * plot_height

    def _header(self, inner: QRectF, unit: str):
        """(icons, width, name, details, bottom) of the tile's header, not yet drawn."""
        chart = self.chart
        icons = [n for n in (chart.variation, chart.assurance) if n]
        width = inner.width() - len(icons) * (ICON + 3)
        name = fit_text(chart.measure.name, width, 2.6 * self.points * 1.6, self.points + 1,
                        min_points=self.points - 0.5, bold=True)
        kind = chart.measure.kind.value.capitalize()
        parts = [f"{kind} measure", CHART_NAMES.get(chart.chart, chart.chart), unit]
        dated = " · ".join(p for p in [*parts, date_range(chart.periods)] if p)
        # One line if a slightly smaller size allows it (each wrapped line is the plot's),
        # else two; else without the dates, which the date axis shows anyway.
        info = fit_text(dated, width, self.points * 1.6, self.points - 1.5,
                        min_points=self.points - 2)
        if info.shortened:
            info = fit_text(dated, width, 2 * self.points * 1.6, self.points - 1.5)
        if info.shortened:
            info = fit_text(" · ".join(p for p in parts if p), width, 2 * self.points * 1.6,
                            self.points - 1.5)
        bottom = inner.top() + name.height + 1 + info.height
        return icons, width, name, info, max(bottom, inner.top() + (ICON if icons else 0)) + 2

    def _paint_header(self, painter: QPainter, inner: QRectF, header) -> None:
        icons, width, name, info, _bottom = header
        y = draw_fitted(painter, inner.left(), inner.top(), width, name, palette.NHS_DARK_BLUE)
        draw_fitted(painter, inner.left(), y + 1, width, info)
        self.shortened |= name.shortened or info.shortened
        for k, icon in enumerate(icons):
            box = QRectF(inner.right() - (len(icons) - k) * (ICON + 3) + 3, inner.top(), ICON, ICON)
            paint_icon(painter, box, icon)

    def _figure(self, painter: QPainter) -> ChartFigure:
        # Device pixels per page pixel (1 on a PDF, more on a printer): pens keep their
        # width on paper, as chart_image does for a print-resolution image.
        figure = ChartFigure(self.chart, QSizeF(1, 1), pixel_ratio=painter.worldTransform().m11())
        tick_font = QFont(font(AXIS_POINTS))
        for name in ("left", "bottom"):
            figure.plot.getAxis(name).setStyle(tickFont=tick_font)
        return figure

    def _paint_plot(self, painter: QPainter, figure: ChartFigure, rect: QRectF) -> None:
        # Laid out larger and scaled down on small tiles: axis text and annotation labels
        # shrink with the plot, leaving the points room.
        scale = self.plot_scale
        size = QSizeF(rect.width() / scale, rect.height() / scale)
        lanes = figure.drawing.lanes
        lanes.max_full_rows = lanes.max_rows = int(size.height() * LANE_SHARE // lanes.row_px)
        symbol = symbol_size(len(self.chart.periods), rect.width())
        device = painter.worldTransform().m11()
        for name, item in figure.drawing.points.items():
            # Special causes stand out from the crowd of common-cause dots.
            drawn = symbol if name == "common_cause" else min(
                LARGEST_SYMBOL, max(symbol * SIGNAL_SYMBOL_GROWTH, SMALLEST_SIGNAL_SYMBOL))
            # Vector symbols drawn at `drawn` page pixels: pyqtgraph draws them in device
            # pixels, outside the painter's scale, so they would not shrink with the tile.
            item.scatter.setExportMode(True, {"antialias": True,
                                              "resolutionScale": device * drawn / SYMBOL_SIZE})
        self.symbol = symbol
        # The shared key names the red dotted line; on a tile its word covers points.
        figure.drawing.target.label.setVisible(False)
        painter.save()
        painter.translate(rect.topLeft())
        painter.scale(scale, scale)
        # The figure's plot painter, not its header: the tile writes its own, smaller one.
        figure.paint_plot(painter, QRectF(0, 0, size.width(), size.height()))
        painter.restore()
        self.plot_height = figure.plot.getViewBox().height() * scale


def symbol_size(points: int, plot_width: float) -> float:
    """A point's symbol in page pixels: crowded series get small dots, short ones the
    live chart's size, so neighbouring points do not merge into a grey band."""
    spacing = plot_width * 0.85 / max(points, 1)  # the axes take the rest of the width
    return min(LARGEST_SYMBOL, max(SMALLEST_SYMBOL, spacing * SYMBOL_SHARE))


def shared_key(charts) -> list:
    """One key for a page of charts: every entry any of them shows, once."""
    entries = {}
    for chart in charts:
        for entry in legend_entries(chart):
            entries.setdefault((entry.kind, entry.key), entry)
    return list(entries.values())


def key_height(entries, points: float, width: float) -> float:
    return legend_size(entries, font(points), width) if entries else 0.0


def paint_key(painter: QPainter, rect: QRectF, entries, points: float) -> None:
    painter.save()
    painter.setFont(font(points))
    paint_legend(painter, rect, entries)
    painter.restore()
