"""A measure's tile on the review board: name, icons, a small chart, latest figure
against target, last data date, and an overdue or "new since your review" line.

Painted by a delegate (a list view paints only the tiles in sight); the small chart
is drawn once per tile by the same ChartScene the live chart uses, into a pixmap.
"""

from __future__ import annotations

import pyqtgraph as pg
from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QImage, QPainter, QPen, QPixmap
from PySide6.QtWidgets import QStyle, QStyledItemDelegate

from qidesk.domain.periods import format_date
from qidesk.reports import palette
from qidesk.reports.chart_scene import ChartScene
from qidesk.reports.mdc_icons import icon_pixmap
from qidesk.services.board import BoardTile
from qidesk.ui.models.board_model import BoardRole, latest_text, since_text

TILE = QSize(300, 212)
PAD = 10
ICON = 30
CHART_HEIGHT = 84
THUMB_SYMBOL = 4  # points as dots: a 9-pixel symbol covers a 50-point thumbnail
SLACK = 8  # pixels kept free: a scroll bar appearing must not push a column out
NEW_SHADE = "#FFF4D6"  # pale warm yellow behind what changed since the review


class Thumbnails:
    """Draws MeasureCharts small, through one offscreen plot reused for every tile."""

    def __init__(self):
        self.plot = pg.PlotItem()
        self.plot.hideButtons()
        self.view = pg.GraphicsView(background=palette.NHS_WHITE)
        self.view.setCentralItem(self.plot)
        self.scene = ChartScene(self.plot)
        for item in self.scene.points.values():
            item.setSymbolSize(THUMB_SYMBOL)
        self.scene.target.label.hide()

    def render(self, chart, size: QSize, ratio: float = 1.0) -> QPixmap:
        image = QImage(int(size.width() * ratio), int(size.height() * ratio),
                       QImage.Format.Format_ARGB32_Premultiplied)
        image.setDevicePixelRatio(ratio)
        image.fill(QColor(palette.NHS_WHITE))
        if chart.has_data:
            self.scene.show_chart(chart)
            for axis in ("left", "bottom"):
                self.plot.hideAxis(axis)  # show_chart labels the unit axis
            rect = QRectF(0, 0, size.width(), size.height())
            self.plot.setGeometry(rect)
            self.plot.layout.activate()
            self.view.scene().setSceneRect(rect)
            painter = QPainter(image)
            painter.setRenderHint(QPainter.RenderHint.Antialiasing)
            self.view.scene().render(painter, rect, rect)
            painter.end()
        return QPixmap.fromImage(image)


class MeasureTileDelegate(QStyledItemDelegate):
    """Paints a BoardTile; small charts are cached until `forget()`."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.thumbnails = Thumbnails()
        self.cache: dict[tuple, QPixmap] = {}
        self.painted: set[tuple] = set()  # tiles painted at least once (benchmarks)
        self.size = QSize(TILE)  # the board widens tiles to fill its width

    def fit_width(self, available: int, spacing: int) -> bool:
        """Widen the tiles so whole columns fill `available` pixels; True if changed."""
        available -= spacing + SLACK
        columns = max(1, available // (TILE.width() + spacing))
        width = max(TILE.width(), available // columns - spacing)
        if width == self.size.width():
            return False
        self.size = QSize(width, TILE.height())
        return True

    def forget(self) -> None:
        self.cache.clear()
        self.painted.clear()

    def sizeHint(self, _option, _index) -> QSize:  # noqa: N802 - Qt's name
        return self.size

    def paint(self, painter: QPainter, option, index) -> None:
        tile: BoardTile = index.data(BoardRole.TILE)
        source = index.data(BoardRole.SOURCE)
        key = (id(source), tile.measure.id)
        self.painted.add(key)
        rect = option.rect.adjusted(4, 4, -4, -4)
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        painter.setPen(QPen(QColor(palette.NHS_BLUE if selected else "#C8D1D6"),
                            2.5 if selected else 1))
        painter.setBrush(QColor(palette.NHS_WHITE))
        painter.drawRoundedRect(QRectF(rect), 6, 6)
        if tile.since.anything:  # a warm band along the top says "look here"
            painter.fillRect(QRectF(rect.left() + 1, rect.top() + 1, rect.width() - 2, 5),
                             QColor(palette.NHS_WARM_YELLOW))
        inner = rect.adjusted(PAD, PAD, -PAD, -PAD)
        ratio = painter.device().devicePixelRatioF()
        y = self._paint_heading(painter, inner, tile, ratio)
        y = self._paint_place(painter, inner, y, tile, index.model().sourceModel()
                              if hasattr(index.model(), "sourceModel") else index.model(),
                              source)
        chart_rect = QRectF(inner.left(), y + 4, inner.width(), CHART_HEIGHT)
        pixmap = self.cache.get((*key, self.size.width()))
        if pixmap is None:
            pixmap = self.cache[(*key, self.size.width())] = self.thumbnails.render(
                tile.chart, chart_rect.size().toSize(), ratio)
        painter.drawPixmap(chart_rect.topLeft(), pixmap)
        y = chart_rect.bottom() + 4
        self._paint_figures(painter, inner, y, tile)
        self._paint_status(painter, inner, tile)
        painter.restore()

    def _paint_heading(self, painter, inner, tile: BoardTile, ratio: float) -> float:
        icons = [n for n in (tile.chart.variation, tile.chart.assurance) if n]
        for k, name in enumerate(reversed(icons)):
            left = inner.right() - (k + 1) * ICON - k * 4
            painter.drawPixmap(left, inner.top(), icon_pixmap(name, ICON, ratio))
        width = inner.width() - len(icons) * (ICON + 4) - 4
        font = QFont(painter.font())
        font.setBold(True)
        painter.setFont(font)
        painter.setPen(QColor(palette.NHS_DARK_BLUE))
        text = _elided_lines(tile.measure.name, font, width, 2)
        box = QRectF(inner.left(), inner.top(), width, 36)
        painter.drawText(box, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop, text)
        return inner.top() + 36

    def _paint_place(self, painter, inner, y, tile: BoardTile, model, source) -> float:
        font = QFont(painter.font())
        font.setBold(False)
        painter.setFont(font)
        painter.setPen(QColor(palette.NHS_DARK_GREY))
        label = f"{source.label} · " if getattr(model, "show_labels", False) else ""
        text = f"{label}{tile.team_name} · {tile.project_title}"
        metrics = QFontMetrics(font)
        painter.drawText(QRectF(inner.left(), y, inner.width(), 18),
                         Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                         metrics.elidedText(text, Qt.TextElideMode.ElideRight, int(inner.width())))
        return y + 18

    def _paint_figures(self, painter, inner, y, tile: BoardTile) -> None:
        box = QRectF(inner.left(), y, inner.width(), 18)
        painter.setPen(QColor(palette.NHS_DARK_GREY))
        used = 0
        if tile.latest_period is not None:
            when = format_date(tile.latest_period)
            used = QFontMetrics(painter.font()).horizontalAdvance(when) + 8
            painter.drawText(box, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, when)
        font = QFont(painter.font())
        font.setBold(True)
        painter.setFont(font)
        painter.setPen(QColor("#212B32"))
        text = QFontMetrics(font).elidedText(latest_text(tile), Qt.TextElideMode.ElideRight,
                                             int(box.width() - used))
        painter.drawText(box, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, text)
        font.setBold(False)
        painter.setFont(font)

    def _paint_status(self, painter, inner, tile: BoardTile) -> None:
        """The bottom line: what is new since the review, overdue data, or the sign-off."""
        box = QRectF(inner.left(), inner.bottom() - 20, inner.width(), 20)
        new = since_text(tile)
        metrics = QFontMetrics(painter.font())
        if new:
            painter.fillRect(box, QColor(NEW_SHADE))
            text, colour = f"New: {new}", "#6B4A00"
        elif tile.overdue is not None:
            text, colour = f"⚠ {tile.overdue.short_text()}", palette.NHS_RED
        elif tile.since.reviewed_at is not None:
            text = f"✓ Signed off {format_date(tile.since.reviewed_at.date())}"
            colour = palette.NHS_GREEN
        else:
            text, colour = "Not signed off yet", palette.NHS_MID_GREY
        if new and tile.overdue is not None:
            text += f" · {tile.overdue.short_text()}"
        painter.setPen(QColor(colour))
        painter.drawText(box.adjusted(4, 0, -4, 0),
                         Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                         metrics.elidedText(text, Qt.TextElideMode.ElideRight,
                                            int(box.width() - 8)))


def _elided_lines(text: str, font: QFont, width: float, lines: int) -> str:
    """`text` wrapped to at most `lines` lines of `width`, the last one elided."""
    metrics = QFontMetrics(font)
    words, out, current = text.split(), [], ""
    for i, word in enumerate(words):
        trial = f"{current} {word}".strip()
        if metrics.horizontalAdvance(trial) <= width or not current:
            current = trial
            continue
        out.append(current)
        current = word
        if len(out) == lines - 1:
            current = " ".join(words[i:])
            break
    out.append(metrics.elidedText(current, Qt.TextElideMode.ElideRight, int(width)))
    return "\n".join(out)
