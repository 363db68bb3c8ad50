"""Where each box of a driver diagram goes: pure arithmetic on box heights, no Qt.

Columns run left to right (aim, primary drivers, secondary drivers, change ideas). Every
box owns a horizontal band as tall as the larger of itself and the stacked bands of its
children, and sits centred in it; sibling bands never overlap and columns never share
x, so no two boxes can overlap however the tree is shaped. Connectors are elbows whose
upright runs in the gap just right of the parent's column, so a change idea hanging
straight from a primary driver crosses the secondary column only at its own height.
"""

from __future__ import annotations

from dataclasses import dataclass

BOX_WIDTH = 230.0
COLUMN_GAP = 56.0
# Sibling branches get more air than change ideas stacked under one driver.
BRANCH_GAP = 20.0
LEAF_GAP = 8.0


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


def column_x(column: int, left: float = 0.0) -> float:
    return left + column * (BOX_WIDTH + COLUMN_GAP)


def layout_diagram(boxes: list[LayoutBox], *, top: float = 0.0, left: float = 0.0) -> Layout:
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
        return LEAF_GAP if leaves else BRANCH_GAP

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
        rect = Rect(column_x(box.column, left), band_top + (size - box.height) / 2,
                    BOX_WIDTH, box.height)
        placed[box.id] = rect
        kids = children.get(box.id, [])
        y = band_top + (size - stacked(kids)) / 2
        for n, kid in enumerate(kids):
            place(kid, y)
            child = placed[kid.id]
            elbow = rect.right + COLUMN_GAP / 2
            connectors.append(((rect.right, rect.middle), (elbow, rect.middle),
                               (elbow, child.middle), (child.x, child.middle)))
            y += band[kid.id] + gap(kids, n)

    y = top
    for root in roots:
        place(root, y)
        y += band[root.id] + BRANCH_GAP * 2
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
