"""Where each box of a driver diagram goes: pure arithmetic on box heights, no Qt.

Columns run left to right (aim, primary drivers, secondary drivers, change ideas). Every
box owns a horizontal band as tall as the larger of itself and the stacked bands of its
children, and sits centred in it; sibling bands never overlap and columns never share
x, so no two boxes can overlap however the tree is shaped. Connectors are elbows whose
upright runs in the gap just right of the parent's column, so a change idea hanging
straight from a primary driver crosses the secondary column only at its own height.

Sizes come from a DiagramGeometry: SCREEN for the diagram page and its exports, PRINT
(narrower columns, tighter gaps) so a report page can draw the words larger.
"""

from __future__ import annotations

from dataclasses import dataclass

BOX_WIDTH = 230.0
COLUMN_GAP = 56.0
# Sibling branches get more air than change ideas stacked under one driver.
BRANCH_GAP = 20.0
LEAF_GAP = 8.0


@dataclass(frozen=True)
class DiagramGeometry:
    """How a diagram is drawn, sizes in scene pixels. The layout uses the columns and
    gaps; the drawing also the box padding, the heading band, the key's gap and where a
    change idea's status word goes."""

    column_widths: tuple[float, float, float, float] = (BOX_WIDTH,) * 4
    column_gap: float = COLUMN_GAP
    branch_gap: float = BRANCH_GAP
    leaf_gap: float = LEAF_GAP
    pad: float = 8.0
    top: float = 34.0
    key_gap: float = 24.0
    # A change idea's status word on its label's last line when it fits there.
    status_beside_words: bool = False

    def column_x(self, column: int, left: float = 0.0) -> float:
        return left + sum(self.column_widths[:column]) + column * self.column_gap


SCREEN = DiagramGeometry()
# On paper the page's width, not the screen's, sets the scale: narrower columns and gaps
# let a report draw the diagram at about 8-9 points instead of 5. Change ideas keep the
# widest column: they hold the most words and stack tallest.
PRINT = DiagramGeometry(column_widths=(130.0, 150.0, 196.0, 276.0), column_gap=24.0,
                        branch_gap=12.0, leaf_gap=5.0, pad=5.0, top=24.0, key_gap=12.0,
                        status_beside_words=True)


@dataclass(frozen=True)
class LayoutBox:
    """One box to place: `column` 0-3, `height` of its wrapped text plus padding."""

    id: int
    parent_id: int | None
    column: int
    height: float


@dataclass(frozen=True)
class Rect:
    x: float
    y: float
    width: float
    height: float

    @property
    def right(self) -> float:
        return self.x + self.width

    @property
    def bottom(self) -> float:
        return self.y + self.height

    @property
    def middle(self) -> float:
        return self.y + self.height / 2

    def overlaps(self, other: Rect) -> bool:
        return (self.x < other.right and other.x < self.right
                and self.y < other.bottom and other.y < self.bottom)


@dataclass(frozen=True)
class Layout:
    boxes: dict[int, Rect]
    connectors: list[tuple[tuple[float, float], ...]]  # polylines, parent → child
    width: float
    height: float


def column_x(column: int, left: float = 0.0, geometry: DiagramGeometry = SCREEN) -> float:
    return geometry.column_x(column, left)


def layout_diagram(boxes: list[LayoutBox], *, top: float = 0.0, left: float = 0.0,
                   geometry: DiagramGeometry = SCREEN) -> Layout:
    """Place `boxes` (in sibling order); boxes whose parent is missing start new trees."""
    known = {b.id for b in boxes}
    children: dict[int | None, list[LayoutBox]] = {}
    for box in boxes:
        parent = box.parent_id if box.parent_id in known else None
        children.setdefault(parent, []).append(box)
    band: dict[int, float] = {}

    def gap(kids: list[LayoutBox], k: int) -> float:
        """Space after the k-th of `kids` (none after the last)."""
        if k == len(kids) - 1:
            return 0.0
        leaves = not children.get(kids[k].id) and not children.get(kids[k + 1].id)
        return geometry.leaf_gap if leaves else geometry.branch_gap

    def stacked(kids: list[LayoutBox]) -> float:
        return sum(band[k.id] + gap(kids, n) for n, k in enumerate(kids))

    def measure(box: LayoutBox) -> float:
        kids = children.get(box.id, [])
        for kid in kids:
            measure(kid)
        band[box.id] = max(box.height, stacked(kids))
        return band[box.id]

    roots = children.get(None, [])
    for root in roots:
        measure(root)
    placed: dict[int, Rect] = {}
    connectors: list[tuple[tuple[float, float], ...]] = []

    def place(box: LayoutBox, band_top: float) -> None:
        size = band[box.id]
        rect = Rect(geometry.column_x(box.column, left), band_top + (size - box.height) / 2,
                    geometry.column_widths[box.column], box.height)
        placed[box.id] = rect
        kids = children.get(box.id, [])
        y = band_top + (size - stacked(kids)) / 2
        for n, kid in enumerate(kids):
            place(kid, y)
            child = placed[kid.id]
            elbow = rect.right + geometry.column_gap / 2
            connectors.append(((rect.right, rect.middle), (elbow, rect.middle),
                               (elbow, child.middle), (child.x, child.middle)))
            y += band[kid.id] + gap(kids, n)

    y = top
    for root in roots:
        place(root, y)
        y += band[root.id] + geometry.branch_gap * 2
    width = max((r.right for r in placed.values()), default=left) - left
    height = max((r.bottom for r in placed.values()), default=top) - top
    return Layout(placed, connectors, width, height)


def overlapping_pairs(rects: list[Rect]) -> list[tuple[int, int]]:
    """Index pairs of rectangles that overlap (what a tidy drawing must never have)."""
    order = sorted(range(len(rects)), key=lambda i: rects[i].y)
    found = []
    for a_pos, a in enumerate(order):
        for b in order[a_pos + 1:]:
            if rects[b].y >= rects[a].bottom:
                break
            if rects[a].overlaps(rects[b]):
                found.append((min(a, b), max(a, b)))
    return found
