"""A measure's chart as a figure for a meeting: title, definition, rule set and dates
above the chart, its key below; saved as PNG (print resolution), SVG or PDF, or as an
image for the clipboard. Draws a services.charts.MeasureChart; computes nothing.
"""

from __future__ import annotations

from pathlib import Path

import pyqtgraph as pg
from PySide6.QtCore import QMarginsF, QRectF, QSize, QSizeF, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QImage, QPageLayout, QPageSize, QPainter, QPdfWriter
from PySide6.QtSvg import QSvgGenerator

from qidesk.reports import palette
from qidesk.reports.chart_scene import ChartScene
from qidesk.reports.chart_text import CHART_NAMES, RULE_SET_NAMES, date_range
from qidesk.reports.date_axis import MonthAxis
from qidesk.reports.legend import legend_entries, legend_size, paint_legend
from qidesk.reports.mdc_icons import icon_text, paint_icon

# A4 landscape at 96 logical dots per inch: the figure is laid out once at this size
# and scaled for print, so text keeps its size relative to the page.
PAGE = QSizeF(1123, 794)
LOGICAL_DPI = 96
PRINT_DPI = 300
MARGIN = 36.0
ICON = 40.0


def figure_lines(chart) -> tuple[str, str, str]:
    """(title, definition, details) written on the figure."""
    measure = chart.measure
    definition = measure.definition.strip() or "No operational definition written yet."
    rules = RULE_SET_NAMES.get(chart.rule_set, chart.rule_set)
    details = (f"{CHART_NAMES.get(chart.chart, chart.chart)} · {rules} · "
               f"{date_range(chart.periods)}")
    return measure.name, definition, details


class ChartFigure:
    """An offscreen chart laid out at `size` (logical pixels), ready to paint anywhere."""

    def __init__(self, chart, size: QSizeF = PAGE, *, pixel_ratio: float = 1.0):
        """`pixel_ratio`: device pixels per logical pixel of the image painted on."""
        self.chart = chart
        self.size = size
        self.plot = pg.PlotItem(axisItems={"bottom": MonthAxis()})
        self.plot.hideButtons()
        for name in ("left", "bottom"):
            self.plot.getAxis(name).setPen(pg.mkPen(palette.NHS_DARK_GREY, width=pixel_ratio))
            self.plot.getAxis(name).setTextPen(pg.mkPen(palette.NHS_DARK_GREY))
        # A view that is never shown: some pyqtgraph items need their scene to have one.
        self.view = pg.GraphicsView(background=palette.NHS_WHITE)
        self.view.setCentralItem(self.plot)
        self.scene = self.view.scene()
        self.drawing = ChartScene(self.plot, pen_scale=pixel_ratio)
        self.drawing.show_chart(chart)
        if pixel_ratio != 1.0:
            # Symbols as vector shapes, not a screen-resolution pixmap scaled up.
            for item in self.drawing.points.values():
                item.scatter.setExportMode(True, {"antialias": True, "resolutionScale": 1.0})

    def paint(self, painter: QPainter) -> None:
        """Paint the whole figure into (0, 0, size) of the painter's logical coordinates."""
        width, height = self.size.width(), self.size.height()
        painter.fillRect(QRectF(0, 0, width, height), QColor(palette.NHS_WHITE))
        top = self._paint_header(painter, width)
        entries = legend_entries(self.chart)
        key_height = legend_size(entries, painter.font(), width - 2 * MARGIN)
        plot_rect = QRectF(MARGIN / 2, top, width - MARGIN, height - top - key_height - MARGIN)
        self.paint_plot(painter, plot_rect)
        paint_legend(painter, QRectF(MARGIN, plot_rect.bottom() + 8, width - 2 * MARGIN,
                                     key_height), entries)

    def _paint_header(self, painter: QPainter, width: float) -> float:
        title, definition, details = figure_lines(self.chart)
        icons = [n for n in (self.chart.variation, self.chart.assurance) if n]
        text_width = width - 2 * MARGIN - len(icons) * (ICON + 8)
        y = MARGIN
        y = _text(painter, title, QRectF(MARGIN, y, text_width, 40), 16, bold=True,
                  colour=palette.NHS_DARK_BLUE)
        y = _text(painter, definition, QRectF(MARGIN, y + 2, text_width, 60), 10,
                  colour=palette.NHS_DARK_GREY)
        y = _text(painter, details, QRectF(MARGIN, y + 2, text_width, 24), 10,
                  colour=palette.NHS_DARK_GREY)
        for k, name in enumerate(icons):
            box = QRectF(width - MARGIN - (len(icons) - k) * (ICON + 8), MARGIN, ICON, ICON)
            paint_icon(painter, box, name)
        if icons:
            words = " · ".join(icon_text(n).split(" — ")[0] for n in icons)
            y = _text(painter, words, QRectF(MARGIN, y + 2, text_width, 24), 9,
                      colour=palette.NHS_DARK_GREY)
        return y + 10

    def paint_plot(self, painter: QPainter, rect: QRectF) -> None:
        """Paint only the plot (axes, lines, points, markers) into `rect`."""
        self.plot.setGeometry(QRectF(0, 0, rect.width(), rect.height()))
        self.plot.layout.activate()
        self.drawing.lanes.layout()
        # The label lane re-stacks at this width and may change height: fit the plot to
        # the rectangle again, or a lane stacked for another width pushes it past the edge.
        self.plot.setGeometry(QRectF(0, 0, rect.width(), rect.height()))
        self.plot.layout.activate()
        self.scene.setSceneRect(QRectF(0, 0, rect.width(), rect.height()))
        self.scene.prepareForPaint()
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.scene.render(painter, rect, QRectF(0, 0, rect.width(), rect.height()))
        painter.restore()


def _text(painter: QPainter, text: str, box: QRectF, points: float, *, bold: bool = False,
          colour: str = palette.NHS_DARK_GREY) -> float:
    """Draw wrapped text in `box`; returns the y just below what was drawn."""
    font = QFont(painter.font())
    font.setPixelSize(round(points * LOGICAL_DPI / 72))
    font.setBold(bold)
    painter.save()
    painter.setFont(font)
    painter.setPen(QColor(colour))
    flags = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop | Qt.TextFlag.TextWordWrap
    used = QFontMetricsF(font).boundingRect(box, flags, text)
    painter.drawText(box, flags, text)
    painter.restore()
    return box.top() + min(used.height(), box.height())


def chart_image(chart, dpi: int = PRINT_DPI) -> QImage:
    """The figure as an image at `dpi` (A4-landscape width): PNG files and the clipboard."""
    scale = dpi / LOGICAL_DPI
    image = QImage(QSize(round(PAGE.width() * scale), round(PAGE.height() * scale)),
                   QImage.Format.Format_ARGB32)
    image.fill(QColor(palette.NHS_WHITE))
    # Painted as a high-DPI screen would be: hairlines, symbols and text all grow by
    # `scale` (a scaled painter would leave pyqtgraph's 1-pixel pens as hairlines).
    image.setDevicePixelRatio(scale)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setRenderHint(QPainter.RenderHint.TextAntialiasing)
    ChartFigure(chart, pixel_ratio=scale).paint(painter)
    painter.end()
    image.setDevicePixelRatio(1.0)
    # Set the print resolution only now: painted at it, point-sized fonts would grow
    # a second time (the painter is already scaled).
    dots_per_metre = round(dpi / 0.0254)
    image.setDotsPerMeterX(dots_per_metre)
    image.setDotsPerMeterY(dots_per_metre)
    return image


def export_png(chart, path: str | Path, dpi: int = PRINT_DPI) -> Path:
    path = Path(path)
    if not chart_image(chart, dpi).save(str(path), "PNG"):
        raise OSError(f"Could not write {path}")
    return path


def export_svg(chart, path: str | Path) -> Path:
    path = Path(path)
    generator = QSvgGenerator()
    generator.setFileName(str(path))
    generator.setSize(PAGE.toSize())
    generator.setViewBox(QRectF(0, 0, PAGE.width(), PAGE.height()))
    generator.setResolution(LOGICAL_DPI)
    generator.setTitle(chart.measure.name)
    generator.setDescription(" · ".join(figure_lines(chart)[1:]))
    painter = QPainter(generator)
    ChartFigure(chart).paint(painter)
    painter.end()
    return path


def export_pdf(chart, path: str | Path) -> Path:
    path = Path(path)
    writer = QPdfWriter(str(path))
    writer.setTitle(chart.measure.name)
    writer.setCreator("QIDesk")
    # Vector output: 96 units per inch, as the figure is laid out, keeps fonts in proportion.
    writer.setResolution(LOGICAL_DPI)
    writer.setPageLayout(QPageLayout(QPageSize(QPageSize.PageSizeId.A4),
                                     QPageLayout.Orientation.Landscape, QMarginsF(0, 0, 0, 0)))
    painter = QPainter(writer)
    scale = writer.width() / PAGE.width()
    painter.scale(scale, scale)
    ChartFigure(chart).paint(painter)
    painter.end()
    return path
