"""A measure's chart as a tile on a report page: name, kind and icons above, the chart
(reports.chart_image's figure, as vectors) with its annotations, the key and the chart's
main finding below. Small enough for four on an A4 page."""

from __future__ import annotations

from PySide6.QtCore import QRectF, QSizeF
from PySide6.QtGui import QColor, QFont, QPainter, QPen

from qidesk.reports import palette
from qidesk.reports.chart_image import ChartFigure
from qidesk.reports.chart_text import CHART_NAMES, date_range
from qidesk.reports.legend import legend_entries, legend_size, paint_legend
from qidesk.reports.mdc_icons import paint_icon
from qidesk.reports.page_layout import draw_fitted, fit_text, font

ICON = 24.0
GAP = 4.0
AXIS_POINTS = 9.0
SIGNALS = ("improvement", "concern", "neutral")


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

    def paint(self, painter: QPainter, rect: QRectF) -> None:
        """The tile without a key: a page of tiles shares one (shared_key)."""
        chart = self.chart
        painter.save()
        painter.setPen(QPen(QColor(palette.NHS_PALE_GREY), 1))
        painter.drawRect(rect)
        painter.restore()
        inner = rect.adjusted(GAP + 2, GAP, -GAP - 2, -GAP)
        y = self._paint_header(painter, inner)
        finding = fit_text(key_finding(chart), inner.width(), 2.2 * self.points * 1.6,
                           self.points - 1, min_points=self.points - 1.5)
        bottom = inner.bottom() - finding.height
        draw_fitted(painter, inner.left(), bottom, inner.width(), finding)
        self.shortened |= finding.shortened
        plot = QRectF(inner.left() - 4, y, inner.width() + 4, bottom - 3 - y)
        if chart.has_data and plot.height() > 40:
            self._paint_plot(painter, plot)

    def _paint_header(self, painter: QPainter, inner: QRectF) -> float:
        chart = self.chart
        icons = [n for n in (chart.variation, chart.assurance) if n]
        width = inner.width() - len(icons) * (ICON + 3)
        name = fit_text(chart.measure.name, width, 2.6 * self.points * 1.6, self.points + 1,
                        min_points=self.points - 0.5, bold=True)
        y = draw_fitted(painter, inner.left(), inner.top(), width, name, palette.NHS_DARK_BLUE)
        kind = chart.measure.kind.value.capitalize()
        details = (f"{kind} measure · {CHART_NAMES.get(chart.chart, chart.chart)} · "
                   f"{date_range(chart.periods)}")
        info = fit_text(details, width, 2 * self.points * 1.6, self.points - 1.5)
        y = draw_fitted(painter, inner.left(), y + 1, width, info)
        self.shortened |= name.shortened or info.shortened
        for k, icon in enumerate(icons):
            box = QRectF(inner.right() - (len(icons) - k) * (ICON + 3) + 3, inner.top(), ICON, ICON)
            paint_icon(painter, box, icon)
        return max(y, inner.top() + (ICON if icons else 0)) + 2

    def _paint_plot(self, painter: QPainter, rect: QRectF) -> None:
        # Laid out larger and scaled down on small tiles: axis text and annotation labels
        # shrink with the plot, leaving the points room.
        scale = self.plot_scale
        size = QSizeF(rect.width() / scale, rect.height() / scale)
        figure = ChartFigure(self.chart, size)
        tick_font = QFont(font(AXIS_POINTS))
        for name in ("left", "bottom"):
            figure.plot.getAxis(name).setStyle(tickFont=tick_font)
        painter.save()
        painter.translate(rect.topLeft())
        painter.scale(scale, scale)
        # The figure's plot painter, not its header: the tile writes its own, smaller one.
        figure.paint_plot(painter, QRectF(0, 0, size.width(), size.height()))
        painter.restore()


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
