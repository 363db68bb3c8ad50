"""The pieces of the PDSA timeline a cycle is drawn with: its bar (solid, dashed or
pointed), its decision mark, and the words beside it, placed so they fit the drawing."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QPainterPath, QPen
from PySide6.QtWidgets import QGraphicsItem, QGraphicsPathItem, QGraphicsSimpleTextItem

from qidesk.domain.entities import DriverNode, PdsaCycle
from qidesk.reports import palette
from qidesk.reports.driver_diagram import status_path
from qidesk.reports.pdsa_timeline_cycles import (
    DECISION_STYLES,
    Span,
    cycle_tip,
    cycle_words,
    day_words,
)

if TYPE_CHECKING:
    from qidesk.reports.pdsa_timeline import TimelineScene

ITEM_TARGET = 0  # (kind, id) of the record a click opens
ITEM_ROLE = 1  # "bar", "tail", "label", "row_label", "tick", "today", "key"
LABEL_WIDTH = 230.0  # the change ideas' column
PLOT_LEFT = LABEL_WIDTH + 20
BAR = 18.0
LABEL_GAP = 5.0
MIN_BAR = 6.0
SYMBOL = 11.0
FONT_PX = 12
PLANNED_FILL = "#DCE9F5"


def decision_path(symbol: str, box: QRectF) -> QPainterPath:
    """A tick, a cross, or a turning arrow (adapt: go round again) drawn in `box`."""
    if symbol != "adapt":
        return status_path(symbol, box)[0]
    # Most of a ring run round to its right-hand side, where an arrowhead points on up.
    ring = box.adjusted(1.5, 2.5, -2.5, -0.5)
    path = QPainterPath()
    path.arcMoveTo(ring, 80)
    path.arcTo(ring, 80, 280)
    tip = QPointF(ring.right(), ring.center().y() - 3.0)
    path.moveTo(tip)
    path.lineTo(ring.right() + 2.2, ring.center().y())
    path.lineTo(ring.right() - 2.2, ring.center().y())
    path.closeSubpath()
    return path


def timeline_font(px: int = FONT_PX, bold: bool = False) -> QFont:
    font = QFont()
    font.setPixelSize(px)
    font.setBold(bold)
    return font


def mark_item(item: QGraphicsItem, role: str, target: tuple[str, int] | None = None) -> None:
    """Tag an item with its role and, when a click opens a record, that record."""
    item.setData(ITEM_ROLE, role)
    if target is not None:
        item.setData(ITEM_TARGET, target)
        item.setCursor(Qt.CursorShape.PointingHandCursor)


def bar_item(rect: QRectF, *, planned: bool, running: bool, colour: str) -> QGraphicsPathItem:
    path = QPainterPath()
    if running and rect.width() > 10:  # a pointed end: still going
        point = min(8.0, rect.width() / 3)
        path.moveTo(rect.topLeft())
        path.lineTo(rect.right() - point, rect.top())
        path.lineTo(rect.right(), rect.center().y())
        path.lineTo(rect.right() - point, rect.bottom())
        path.lineTo(rect.bottomLeft())
        path.closeSubpath()
    else:
        path.addRect(rect)
    item = QGraphicsPathItem(path)
    if planned:
        item.setPen(QPen(QColor(palette.NHS_BLUE), 1.5, Qt.PenStyle.DashLine))
        item.setBrush(QBrush(QColor(PLANNED_FILL)))
    else:
        item.setPen(QPen(QColor(colour).darker(120), 1))
        item.setBrush(QBrush(QColor(colour)))
    return item


def symbol_item(symbol: str, box: QRectF, colour: str) -> QGraphicsPathItem:
    item = QGraphicsPathItem(decision_path(symbol, box))
    item.setPen(QPen(QColor(colour), 2.2, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap,
                     Qt.PenJoinStyle.RoundJoin))
    return item


class CycleBar:
    """One cycle's bar and words, measured first so the row can give it a lane."""

    def __init__(self, scene: TimelineScene, cycle: PdsaCycle, span: Span, idea: DriverNode):
        self.scene, self.cycle, self.span, self.idea = scene, cycle, span, idea
        self.lane = 0
        self.style = DECISION_STYLES.get(cycle.decision) if cycle.decision else None
        self.left = scene.x_of(span.start)
        self.right = max(scene.x_of(span.end) + scene.px_per_day, self.left + MIN_BAR)
        self.tail_right = scene.x_of(span.planned_end) if span.planned_end else None
        self.words = QGraphicsSimpleTextItem(cycle_words(cycle, span))
        self.words.setFont(timeline_font(FONT_PX, cycle.decision is not None))
        self.label_width = self.words.boundingRect().width() + (SYMBOL + 4 if self.style else 0)
        self.inside = self.right - self.left >= self.label_width + 12
        outside_left = max(self.right, self.tail_right or 0) + LABEL_GAP
        # Words go after the bar, or before it when they would run off the right edge.
        if self.inside:
            self.label_left = self.left + 6
        elif outside_left + self.label_width <= scene.drawn_width or \
                self.left - LABEL_GAP - self.label_width < PLOT_LEFT:
            self.label_left = outside_left
        else:
            self.label_left = self.left - LABEL_GAP - self.label_width

    def extent(self) -> tuple[float, float]:
        ends = [self.right, self.tail_right or 0, self.label_left + self.label_width]
        return min(self.left, self.label_left), max(ends)

    def draw(self, y: float) -> None:
        scene, cycle, span = self.scene, self.cycle, self.span
        target = ("pdsa_cycle", cycle.id)
        colour = self.style.colour if self.style else palette.NHS_BLUE
        bar = bar_item(QRectF(self.left, y, self.right - self.left, BAR), planned=span.planned,
                       running=span.running, colour=colour)
        bar.setToolTip(cycle_tip(cycle, self.idea))
        mark_item(bar, "bar", target)
        scene.addItem(bar)
        scene.bars[cycle.id] = bar
        if self.tail_right is not None:
            tail = scene.addLine(self.right, y + BAR / 2, self.tail_right, y + BAR / 2,
                                 QPen(QColor(palette.NHS_BLUE), 1.5, Qt.PenStyle.DashLine))
            tail.setToolTip(f"Planned to end {day_words(span.planned_end)}")
            mark_item(tail, "tail", target)
        if self.inside:
            ink = self.style.on_bar if self.style else (
                palette.NHS_DARK_BLUE if span.planned else palette.NHS_WHITE)
        else:
            ink = self.style.text if self.style else palette.NHS_DARK_GREY
        x = self.label_left
        items: list[QGraphicsItem] = []
        if self.style:
            symbol = symbol_item(self.style.symbol, QRectF(x, y + (BAR - SYMBOL) / 2, SYMBOL,
                                                           SYMBOL), ink)
            scene.addItem(symbol)
            items.append(symbol)
            x += SYMBOL + 4
        self.words.setBrush(QColor(ink))
        self.words.setPos(x, y + (BAR - self.words.boundingRect().height()) / 2)
        scene.addItem(self.words)
        items.append(self.words)
        for item in items:
            item.setZValue(2)
            item.setToolTip(cycle_tip(cycle, self.idea))
            mark_item(item, "label", target)
        scene.labels[cycle.id] = items
