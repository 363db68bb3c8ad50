"""Making Data Count variation and assurance icons: our own SVGs (resources/icons/mdc),
with letters so they read in black and white, drawn wherever a chart is."""

from __future__ import annotations

from functools import cache

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QPainter, QPixmap
from PySide6.QtSvg import QSvgRenderer

from qidesk.paths import resource
from qidesk.reports.chart_text import ASSURANCE_TEXT, VARIATION_TEXT


def icon_text(name: str) -> str:
    """The icon's meaning in words (its accessible name and tooltip)."""
    return VARIATION_TEXT.get(name) or ASSURANCE_TEXT.get(name) or name


@cache
def _renderer(name: str) -> QSvgRenderer:
    return QSvgRenderer(str(resource(f"icons/mdc/{name}.svg")))


def paint_icon(painter: QPainter, rect: QRectF, name: str) -> None:
    _renderer(name).render(painter, rect)


def icon_pixmap(name: str, size: int, ratio: float = 1.0) -> QPixmap:
    """The icon at `size` logical pixels (sharp on high-DPI screens at `ratio`)."""
    pixmap = QPixmap(int(size * ratio), int(size * ratio))
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    paint_icon(painter, QRectF(0, 0, pixmap.width(), pixmap.height()), name)
    painter.end()
    pixmap.setDevicePixelRatio(ratio)
    return pixmap
