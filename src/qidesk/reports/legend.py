"""The chart's key, painted with QPainter: the live chart's strip and exports share it."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QFontMetricsF, QPainter, QPen
from pyqtgraph.graphicsItems.ScatterPlotItem import drawSymbol

from qidesk.analysis.points import CLASSES
from qidesk.reports import palette
from qidesk.reports.marker_lane import DASHES

SWATCH = 18.0
SPACING = 14.0


@dataclass(frozen=True)
class LegendEntry:
    """`kind`: "point" (a class), "line" (colour, dash), "region" or "marker" (a kind)."""

    kind: str
    key: str
    label: str


def legend_entries(chart) -> list[LegendEntry]:
    """The key for what this chart actually shows (unused classes left out)."""
    codes = np.unique(chart.classes.class_code) if chart.has_data else []
    shown = {CLASSES[c] for c in codes}
    out = [LegendEntry("point", name, style.label) for name, style in palette.POINT_STYLES.items()
           if name in shown]
    signal = np.asarray(chart.result.runs_signal, dtype=bool) if chart.has_data else np.zeros(0, bool)
    if not signal.all():
        out.append(LegendEntry("line", "centre", "Centre line"))
    if signal.any():
        out.append(LegendEntry("line", "runs_signal", "Centre line of a phase with a runs signal"))
    if chart.has_limits:
        out.append(LegendEntry("line", "limits", "Control limits"))
    if chart.measure.target is not None:
        out.append(LegendEntry("line", "target", "Target"))
    if chart.measure.baseline_points and not chart.phase_starts:
        out.append(LegendEntry("region", "baseline", "Baseline (frozen)"))
    for kind in dict.fromkeys(m.kind for m in chart.markers):
        style = palette.MARKER_STYLES[kind]
        out.append(LegendEntry("marker", kind, f"{style.letter} {style.label}".strip()))
    return out


_LINES = {"centre": (palette.CENTRE_LINE, "solid"), "limits": (palette.LIMIT_LINE, "dash"),
          "runs_signal": (palette.RUNS_SIGNAL_LINE, "dash"),
          "target": (palette.TARGET_LINE, "dot")}


def legend_size(entries: list[LegendEntry], font, width: float) -> float:
    """Height the entries need when flowed into rows of `width`."""
    return _flow(entries, font, width)[1]


def paint_legend(painter: QPainter, rect: QRectF, entries: list[LegendEntry]) -> None:
    """Draw the entries left to right, wrapping into rows within `rect`."""
    spots, _height = _flow(entries, painter.font(), rect.width())
    painter.save()
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    for entry, (x, y) in zip(entries, spots):
        origin = QPointF(rect.left() + x, rect.top() + y)
        _swatch(painter, entry, QRectF(origin, QPointF(origin.x() + SWATCH, origin.y() + SWATCH)))
        painter.setPen(QColor(palette.NHS_DARK_GREY))
        painter.drawText(QRectF(origin.x() + SWATCH + 4, origin.y(), 1000, SWATCH),
                         Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft, entry.label)
    painter.restore()


def _flow(entries, font, width):
    metrics = QFontMetricsF(font)
    x = y = 0.0
    spots = []
    for entry in entries:
        w = SWATCH + 4 + metrics.horizontalAdvance(entry.label)
        if x > 0 and x + w > width:
            x, y = 0.0, y + SWATCH + 4
        spots.append((x, y))
        x += w + SPACING
    return spots, (y + SWATCH if entries else 0.0)


def _swatch(painter: QPainter, entry: LegendEntry, box: QRectF) -> None:
    centre = box.center()
    if entry.kind == "point":
        style = palette.POINT_STYLES[entry.key]
        painter.save()
        painter.translate(centre)
        pen = QPen(QColor(style.pen), 1.2)
        pen.setCosmetic(True)  # drawSymbol scales the painter by the symbol size
        drawSymbol(painter, style.symbol, 10, pen, QBrush(QColor(style.brush)))
        painter.restore()
    elif entry.kind == "region":
        painter.fillRect(box.adjusted(2, 3, -2, -3), QColor(*palette.BASELINE_SHADE[:3], 60))
    else:
        if entry.kind == "marker":
            style = palette.MARKER_STYLES[entry.key]
            colour, dash, vertical = style.colour, style.dash, True
        else:
            (colour, dash), vertical = _LINES[entry.key], False
        pen = QPen(QColor(colour), 2, DASHES[dash])
        painter.setPen(pen)
        if vertical:
            painter.drawLine(QPointF(centre.x(), box.top()), QPointF(centre.x(), box.bottom()))
        else:
            painter.drawLine(QPointF(box.left(), centre.y()), QPointF(box.right(), centre.y()))
