"""Saving a drawn scene (the driver diagram, the PDSA timeline) as PNG, SVG or PDF, and
painting it onto any page."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QMarginsF, QRectF, QSize, QSizeF, Qt
from PySide6.QtGui import QColor, QImage, QPageLayout, QPageSize, QPainter, QPdfWriter
from PySide6.QtSvg import QSvgGenerator
from PySide6.QtWidgets import QGraphicsScene

from qidesk.reports import palette

EXPORT_MARGIN = 24.0
PNG_SCALE = 2.0  # about 190 dots per inch: sharp on paper, small enough to e-mail
A3_BELOW = 0.6  # an A4 page that would shrink the drawing below this takes A3
LONG_PAGE_BELOW = 0.55  # an A3 page that would shrink it below this: one long page,
LONG_PAGE_SCALE = 0.6  # at this size


def drawn_rect(scene: QGraphicsScene) -> QRectF:
    """Everything drawn, with a white margin round it (what the exports show)."""
    return scene.itemsBoundingRect().marginsAdded(QMarginsF(*(EXPORT_MARGIN,) * 4))


def render_scene(scene: QGraphicsScene, painter: QPainter, target: QRectF,
                 source: QRectF | None = None) -> None:
    """Draw `source` (default: everything, with its margin) into `target`, in proportion."""
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setRenderHint(QPainter.RenderHint.TextAntialiasing)
    painter.fillRect(target, QColor(palette.NHS_WHITE))
    scene.render(painter, target, source or drawn_rect(scene), Qt.AspectRatioMode.KeepAspectRatio)


def export_scene(scene: QGraphicsScene, path: str | Path, *, title: str,
                 long_page: bool = False) -> Path:
    """Save as .png (image), .svg or .pdf (vectors) by the file's suffix. `long_page`:
    a drawing too big for A3 goes on one long PDF page rather than in tiny print."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in (".png", ".svg", ".pdf"):
        raise ValueError(f"Save the {title.lower()} as .png, .svg or .pdf, "
                         f"not “{suffix or path.name}”.")
    source = drawn_rect(scene)
    if suffix == ".png":
        _png(scene, path, source)
    elif suffix == ".svg":
        _svg(scene, path, source, title)
    else:
        _pdf(scene, path, source, title, long_page)
    return path


def _png(scene: QGraphicsScene, path: Path, source: QRectF) -> None:
    size = QSize(round(source.width() * PNG_SCALE), round(source.height() * PNG_SCALE))
    image = QImage(size, QImage.Format.Format_ARGB32)
    image.fill(QColor(palette.NHS_WHITE))
    dots_per_metre = round(96 * PNG_SCALE / 0.0254)
    image.setDotsPerMeterX(dots_per_metre)
    image.setDotsPerMeterY(dots_per_metre)
    painter = QPainter(image)
    render_scene(scene, painter, QRectF(0, 0, size.width(), size.height()), source)
    painter.end()
    if not image.save(str(path), "PNG"):
        raise OSError(f"Could not write {path}")


def _svg(scene: QGraphicsScene, path: Path, source: QRectF, title: str) -> None:
    generator = QSvgGenerator()
    generator.setFileName(str(path))
    generator.setSize(source.size().toSize())
    generator.setViewBox(QRectF(0, 0, source.width(), source.height()))
    generator.setResolution(96)
    generator.setTitle(title)
    painter = QPainter(generator)
    render_scene(scene, painter, QRectF(0, 0, source.width(), source.height()), source)
    if not painter.end():
        raise OSError(f"Could not write {path}")


def _pdf(scene: QGraphicsScene, path: Path, source: QRectF, title: str, long_page: bool) -> None:
    """One page, A4 (A3 when A4 would shrink the words too far), turned to suit."""
    landscape = source.width() >= source.height()
    orientation = (QPageLayout.Orientation.Landscape if landscape
                   else QPageLayout.Orientation.Portrait)
    page_size = QPageSize(QPageSize.PageSizeId.A4)
    a4 = page_size.sizePoints().transposed() if landscape else page_size.sizePoints()
    fit = min(a4.width() * 96 / 72 / source.width(), a4.height() * 96 / 72 / source.height())
    if fit < A3_BELOW:
        page_size = QPageSize(QPageSize.PageSizeId.A3)
    if long_page and fit * 2 ** 0.5 < LONG_PAGE_BELOW:  # A3 is √2 times A4
        millimetres = QSizeF(source.width() * LONG_PAGE_SCALE * 25.4 / 96 + 20,
                             source.height() * LONG_PAGE_SCALE * 25.4 / 96 + 20)
        page_size = QPageSize(millimetres, QPageSize.Unit.Millimeter, title)
        orientation = QPageLayout.Orientation.Portrait
    writer = QPdfWriter(str(path))
    writer.setTitle(title)
    writer.setCreator("QIDesk")
    writer.setResolution(96)
    writer.setPageLayout(QPageLayout(page_size, orientation, QMarginsF(10, 10, 10, 10),
                                     QPageLayout.Unit.Millimeter))
    painter = QPainter(writer)
    if not painter.isActive():
        raise OSError(f"Could not write {path}")
    scale = min(writer.width() / source.width(), writer.height() / source.height(), 1.5)
    render_scene(scene, painter, QRectF(0, 0, source.width() * scale, source.height() * scale),
                 source)
    painter.end()
