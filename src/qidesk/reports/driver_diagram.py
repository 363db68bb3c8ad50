"""A driver diagram drawn as a QGraphicsScene (aim → primary → secondary → change ideas),
and saved as PNG, SVG or PDF. Shared by the driver diagram page and the project report.

Every item carries its node id in data(ITEM_NODE) and what it is ("box", "label",
"symbol", "status", "connector", "heading", "key") in data(ITEM_ROLE), so a view can
find what was clicked and tests can check that nothing overlaps.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QPainterPath, QPen
from PySide6.QtWidgets import QGraphicsPathItem, QGraphicsScene, QGraphicsTextItem

from qidesk.domain.entities import DriverNode
from qidesk.domain.enums import ChangeIdeaStatus, DriverLevel
from qidesk.reports import palette
from qidesk.reports.driver_layout import SCREEN, DiagramGeometry, LayoutBox, layout_diagram
from qidesk.reports.scene_export import export_scene

ITEM_NODE = 0
ITEM_ROLE = 1
ITEM_LEVEL = 2  # on boxes: the DriverLevel, so a view can make change ideas clickable
AIM_ID = 0  # the aim box when the nodes have no aim of their own
SYMBOL = 14.0
STRIP = 5.0  # a change idea's coloured left edge
STATUS_SPACE = 10.0  # between a label's last word and a status word beside it
FONT_PX = 13
COLUMNS = {DriverLevel.AIM: 0, DriverLevel.PRIMARY: 1, DriverLevel.SECONDARY: 2,
           DriverLevel.CHANGE_IDEA: 3}
HEADINGS = ("Aim", "Primary drivers", "Secondary drivers", "Change ideas")


@dataclass(frozen=True)
class BoxStyle:
    fill: str
    border: str
    text: str
    bold: bool = False


LEVEL_STYLES = {
    DriverLevel.AIM: BoxStyle(palette.NHS_DARK_BLUE, palette.NHS_DARK_BLUE, palette.NHS_WHITE, True),
    DriverLevel.PRIMARY: BoxStyle(palette.NHS_BLUE, palette.NHS_BLUE, palette.NHS_WHITE, True),
    DriverLevel.SECONDARY: BoxStyle("#DCE9F5", palette.NHS_BLUE, palette.NHS_DARK_BLUE),
}


@dataclass(frozen=True)
class StatusStyle:
    """A change idea's testing status: colour, symbol and words (never colour alone)."""

    colour: str
    text: str  # darker shade for words on white (the yellow fails contrast)
    symbol: str  # "circle", "half", "tick" or "cross"
    label: str


STATUS_STYLES = {
    ChangeIdeaStatus.UNTESTED: StatusStyle(palette.NHS_MID_GREY, palette.NHS_DARK_GREY,
                                           "circle", "Not tested yet"),
    ChangeIdeaStatus.TESTING: StatusStyle(palette.NHS_WARM_YELLOW, palette.TRIAL_TEXT,
                                          "half", "Testing"),
    ChangeIdeaStatus.ADOPTED: StatusStyle(palette.NHS_GREEN, palette.NHS_GREEN, "tick", "Adopted"),
    ChangeIdeaStatus.ABANDONED: StatusStyle(palette.NHS_RED, palette.NHS_RED, "cross", "Abandoned"),
}


def _font(bold: bool = False, scale: float = 1.0) -> QFont:
    font = QFont()
    font.setPixelSize(round(FONT_PX * scale))
    font.setBold(bold)
    return font


def _text_item(scene: QGraphicsScene, text: str, width: float, font: QFont, colour: str,
               node_id: int, role: str) -> QGraphicsTextItem:
    item = QGraphicsTextItem()
    item.setFont(font)
    item.setPlainText(text)
    item.setDefaultTextColor(QColor(colour))
    item.document().setDocumentMargin(0)
    item.setTextWidth(width)
    item.setData(ITEM_NODE, node_id)
    item.setData(ITEM_ROLE, role)
    scene.addItem(item)
    return item


def status_path(symbol: str, box: QRectF) -> tuple[QPainterPath, QPainterPath | None]:
    """(outline, filled part) of a status symbol drawn in `box`."""
    outline, filled = QPainterPath(), None
    if symbol in ("circle", "half"):
        outline.addEllipse(box)
        if symbol == "half":
            filled = QPainterPath()
            filled.moveTo(box.center().x(), box.top())
            filled.arcTo(box, 90, 180)
            filled.closeSubpath()
    elif symbol == "tick":
        outline.moveTo(box.left() + 1, box.center().y())
        outline.lineTo(box.left() + box.width() * 0.4, box.bottom() - 2)
        outline.lineTo(box.right() - 1, box.top() + 2)
    else:
        outline.moveTo(box.topLeft() + QPointF(2, 2))
        outline.lineTo(box.bottomRight() - QPointF(2, 2))
        outline.moveTo(box.topRight() + QPointF(-2, 2))
        outline.lineTo(box.bottomLeft() + QPointF(2, -2))
    return outline, filled


def _add_symbol(scene: QGraphicsScene, style: StatusStyle, box: QRectF, node_id: int) -> None:
    outline, filled = status_path(style.symbol, box)
    wide = style.symbol in ("tick", "cross")
    item = QGraphicsPathItem(outline)
    item.setPen(QPen(QColor(style.colour), 3.0 if wide else 1.6, Qt.PenStyle.SolidLine,
                     Qt.PenCapStyle.RoundCap, Qt.PenJoinStyle.RoundJoin))
    if filled is not None:
        part = QGraphicsPathItem(filled, item)
        part.setBrush(QBrush(QColor(style.colour)))
        part.setPen(QPen(Qt.PenStyle.NoPen))
    item.setData(ITEM_NODE, node_id)
    item.setData(ITEM_ROLE, "symbol")
    scene.addItem(item)


class _Box:
    """One node's label (and status line) made first, so its height is known."""

    def __init__(self, scene: QGraphicsScene, node: DriverNode, text: str,
                 geometry: DiagramGeometry):
        self.node = node
        self.status = None
        self.beside = False
        self.pad = pad = geometry.pad
        width = geometry.column_widths[COLUMNS[node.level]]
        if node.level == DriverLevel.CHANGE_IDEA:
            self.status = STATUS_STYLES[node.status or ChangeIdeaStatus.UNTESTED]
            self.symbol_left = max(pad, STRIP + 3)  # clear of the status strip
            self.text_left = self.symbol_left + SYMBOL + 6
            colour = (palette.NHS_MID_GREY if node.status == ChangeIdeaStatus.ABANDONED
                      else palette.NHS_DARK_GREY)
            self.label = _text_item(scene, text, width - self.text_left - pad, _font(),
                                    colour, node.id, "label")
            self.status_item = _text_item(scene, self.status.label, width - self.text_left
                                          - pad, _font(True, 0.85), self.status.text, node.id,
                                          "status")
            self.beside = geometry.status_beside_words and self._fits_beside()
        else:
            style = LEVEL_STYLES[node.level]
            self.text_left = pad
            self.label = _text_item(scene, text, width - 2 * pad, _font(style.bold),
                                    style.text, node.id, "label")
        self.height = 2 * pad + self.label.boundingRect().height() + self._status_height()

    def _status_height(self) -> float:
        if self.status is None or self.beside:
            return 0.0
        return self.status_item.boundingRect().height() + 2

    def _fits_beside(self) -> bool:
        """Whether the status word fits after the label's last line, a space apart."""
        self.status_item.setTextWidth(-1)  # one line, as wide as its words
        room = self.label.textWidth() - last_line_width(self.label) - STATUS_SPACE
        if self.status_item.boundingRect().width() <= room:
            return True
        self.status_item.setTextWidth(self.label.textWidth())
        return False

    def place(self, scene: QGraphicsScene, rect: QRectF) -> None:
        node, pad = self.node, self.pad
        if self.status is not None:
            abandoned = node.status == ChangeIdeaStatus.ABANDONED
            pen = QPen(QColor(self.status.colour), 2.0,
                       Qt.PenStyle.DashLine if abandoned else Qt.PenStyle.SolidLine)
            box = scene.addRect(rect, pen, QBrush(QColor(palette.NHS_WHITE)))
            strip = QRectF(rect.left(), rect.top(), STRIP, rect.height())
            scene.addRect(strip, QPen(Qt.PenStyle.NoPen), QBrush(QColor(self.status.colour)))
            _add_symbol(scene, self.status, QRectF(rect.left() + self.symbol_left,
                                                   rect.top() + pad + 1, SYMBOL, SYMBOL), node.id)
            label_bottom = rect.top() + pad + self.label.boundingRect().height()
            if self.beside:  # right-aligned on the label's last line, bottoms level
                status = self.status_item.boundingRect()
                self.status_item.setPos(rect.right() - pad - status.width(),
                                        label_bottom - status.height() - 1)
            else:
                self.status_item.setPos(rect.left() + self.text_left, label_bottom + 2)
            self.status_item.setZValue(2)
        else:
            style = LEVEL_STYLES[node.level]
            box = scene.addRect(rect, QPen(QColor(style.border), 1.5), QBrush(QColor(style.fill)))
        box.setData(ITEM_NODE, node.id)
        box.setData(ITEM_ROLE, "box")
        box.setData(ITEM_LEVEL, str(node.level))
        box.setToolTip(self.node.text + (f" ({self.status.label.lower()})" if self.status else ""))
        self.label.setPos(rect.left() + self.text_left, rect.top() + pad)
        self.label.setZValue(2)


def last_line_width(item: QGraphicsTextItem) -> float:
    """How far the last line of a wrapped text item's words reaches."""
    layout = item.document().lastBlock().layout()
    if layout is None or layout.lineCount() == 0:
        return 0.0
    return layout.lineAt(layout.lineCount() - 1).naturalTextWidth()


def _tree(aim_text: str, nodes: list[DriverNode]) -> tuple[list[DriverNode], dict[int, str]]:
    """The nodes to draw (an aim box added when they have none) and each box's words."""
    texts = {n.id: n.text for n in nodes}
    aims = [n for n in nodes if n.level == DriverLevel.AIM]
    if aims:
        if aim_text.strip():
            texts[aims[0].id] = aim_text.strip()
        return nodes, texts
    aim = DriverNode(id=AIM_ID, project_id=0, level=DriverLevel.AIM,
                     text=aim_text.strip() or "Aim not written yet")
    texts[AIM_ID] = aim.text
    live = {n.id for n in nodes}
    # Drivers without a drawn parent hang from the added aim box.
    adopted = [n if n.parent_id in live else _with_parent(n, AIM_ID) for n in nodes]
    return [aim, *adopted], texts


def _with_parent(node: DriverNode, parent_id: int) -> DriverNode:
    return replace(node, parent_id=parent_id)


def diagram_scene(aim_text: str, nodes: list[DriverNode],
                  geometry: DiagramGeometry = SCREEN) -> QGraphicsScene:
    """The diagram laid out in columns with elbow connectors and a key to the statuses.

    `nodes` are one project's live boxes in sibling order (services.drivers.driver_diagram);
    `aim_text`, when given, is written in the aim box instead of the aim node's text;
    `geometry` SCREEN for the diagram page and its exports, PRINT for a report page."""
    scene = QGraphicsScene()
    scene.setBackgroundBrush(QBrush(QColor(palette.NHS_WHITE)))
    drawn, texts = _tree(aim_text, sorted(nodes, key=lambda n: n.position))
    made = {n.id: _Box(scene, n, texts[n.id], geometry) for n in drawn}
    layout = layout_diagram([LayoutBox(n.id, n.parent_id, COLUMNS[n.level], made[n.id].height)
                             for n in drawn], top=geometry.top, geometry=geometry)
    line = QPen(QColor(palette.NHS_MID_GREY), 1.4)
    for points in layout.connectors:
        path = QPainterPath(QPointF(*points[0]))
        for point in points[1:]:
            path.lineTo(QPointF(*point))
        item = scene.addPath(path, line)
        item.setData(ITEM_ROLE, "connector")
        item.setZValue(-1)
    for node_id, rect in layout.boxes.items():
        made[node_id].place(scene, QRectF(rect.x, rect.y, rect.width, rect.height))
    columns = {COLUMNS[n.level] for n in drawn}
    for column in sorted(columns):
        heading = _text_item(scene, HEADINGS[column], geometry.column_widths[column],
                             _font(True, 1.05), palette.NHS_DARK_BLUE, -1, "heading")
        heading.setPos(geometry.column_x(column), 0.0)
    _add_key(scene, geometry.top + layout.height + geometry.key_gap)
    return scene


def _add_key(scene: QGraphicsScene, top: float) -> None:
    """What each change idea mark means, in a row below the diagram."""
    x = 0.0
    for style in STATUS_STYLES.values():
        _add_symbol(scene, style, QRectF(x, top + 1, SYMBOL, SYMBOL), -1)
        words = _text_item(scene, style.label, 140, _font(), palette.NHS_DARK_GREY, -1, "key")
        words.setTextWidth(-1)  # one line, as wide as its words
        words.setPos(x + SYMBOL + 6, top)
        x += SYMBOL + 6 + words.boundingRect().width() + 24


def export_diagram(scene: QGraphicsScene, path: str | Path) -> Path:
    """Save the diagram as .png (image), .svg or .pdf (vectors) by the file's suffix; a
    very tall diagram gets one long PDF page rather than tiny print."""
    return export_scene(scene, path, title="Driver diagram", long_page=True)
