"""The driver diagram layout: columns, no overlapping boxes, elbows from parent to child."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from qidesk.reports.driver_layout import (
    BOX_WIDTH,
    COLUMN_GAP,
    PRINT,
    SCREEN,
    DiagramGeometry,
    LayoutBox,
    Rect,
    layout_diagram,
    overlapping_pairs,
)


def _demo_tree() -> list[LayoutBox]:
    """Aim; two primaries; secondaries; change ideas, one straight under a primary."""
    return [
        LayoutBox(1, None, 0, 60),
        LayoutBox(2, 1, 1, 40), LayoutBox(3, 1, 1, 80),
        LayoutBox(4, 2, 2, 40), LayoutBox(5, 2, 2, 40),
        LayoutBox(6, 4, 3, 50), LayoutBox(7, 4, 3, 50), LayoutBox(8, 5, 3, 120),
        LayoutBox(9, 3, 3, 50),
    ]


def test_boxes_sit_in_their_level_column_and_never_overlap():
    layout = layout_diagram(_demo_tree())
    step = BOX_WIDTH + COLUMN_GAP
    assert [layout.boxes[i].x for i in range(1, 10)] == [0, step, step, 2 * step, 2 * step,
                                                          3 * step, 3 * step, 3 * step, 3 * step]
    assert overlapping_pairs(list(layout.boxes.values())) == []
    assert layout.boxes[8].height == 120


def test_a_parent_is_centred_on_its_children_and_siblings_keep_their_order():
    layout = layout_diagram(_demo_tree())
    b = layout.boxes
    assert b[6].y < b[7].y < b[8].y < b[9].y
    first, last = b[6], b[7]
    assert abs(b[4].middle - (first.y + last.bottom) / 2) < 1e-6
    assert b[2].y < b[3].y


def test_each_child_has_one_elbow_connector_from_its_parent():
    layout = layout_diagram(_demo_tree())
    assert len(layout.connectors) == 8
    b = layout.boxes
    idea_under_primary = next(c for c in layout.connectors if c[-1] == (b[9].x, b[9].middle))
    start, bend, down, end = idea_under_primary
    assert start == (b[3].right, b[3].middle)
    # The upright runs in the gap right of the primary column, not through secondaries.
    assert b[3].right < bend[0] < b[4].x
    assert down[1] == end[1] == b[9].middle


def test_a_box_whose_parent_is_missing_starts_its_own_tree_below():
    layout = layout_diagram([LayoutBox(1, None, 0, 40), LayoutBox(2, 99, 1, 40)])
    assert layout.boxes[2].y >= layout.boxes[1].bottom
    assert layout.connectors == []


def test_empty_diagram():
    layout = layout_diagram([])
    assert layout.boxes == {} and layout.width == 0 and layout.height == 0


def test_overlapping_pairs_finds_overlaps():
    rects = [Rect(0, 0, 10, 10), Rect(5, 5, 10, 10), Rect(20, 0, 5, 5), Rect(0, 10, 10, 10)]
    assert overlapping_pairs(rects) == [(0, 1), (1, 3)]


@st.composite
def trees(draw):
    """Random diagrams up to 80 boxes: drivers under the aim, ideas under any driver."""
    boxes = [LayoutBox(0, None, 0, draw(st.floats(20, 120)))]
    for new_id in range(1, draw(st.integers(0, 80))):
        parent = draw(st.sampled_from([b for b in boxes if b.column < 3]))
        column = 3 if parent.column == 2 else draw(st.sampled_from([parent.column + 1, 3]))
        boxes.append(LayoutBox(new_id, parent.id, column, draw(st.floats(20, 160))))
    return boxes


def test_the_screen_keeps_its_geometry_and_print_is_narrower():
    assert layout_diagram(_demo_tree()) == layout_diagram(_demo_tree(), geometry=SCREEN)
    assert SCREEN.column_widths == (BOX_WIDTH,) * 4 and SCREEN.column_gap == COLUMN_GAP
    assert not SCREEN.status_beside_words
    screen = layout_diagram(_demo_tree(), geometry=SCREEN)
    paper = layout_diagram(_demo_tree(), geometry=PRINT)
    assert paper.width < screen.width * 0.8
    assert paper.height < screen.height


def test_uneven_columns_sit_side_by_side_with_the_elbow_in_the_gap():
    geometry = DiagramGeometry(column_widths=(100, 150, 200, 250), column_gap=20)
    layout = layout_diagram(_demo_tree(), geometry=geometry)
    b = layout.boxes
    assert [b[i].x for i in (1, 2, 4, 6)] == [0, 120, 290, 510]
    assert [b[i].width for i in (1, 2, 4, 6)] == [100, 150, 200, 250]
    assert layout.width == 760
    for start, bend, _down, end in layout.connectors:
        assert bend[0] == start[0] + 10 and end[0] > bend[0]


@settings(max_examples=150, deadline=None)
@given(trees(), st.sampled_from([SCREEN, PRINT]))
def test_no_two_boxes_ever_overlap(boxes, geometry):
    layout = layout_diagram(boxes, top=30, geometry=geometry)
    rects = list(layout.boxes.values())
    assert len(rects) == len(boxes)
    assert overlapping_pairs(rects) == []
    assert all(r.y >= 30 for r in rects)
    for box in boxes:
        rect = layout.boxes[box.id]
        assert rect.x == geometry.column_x(box.column)
        assert rect.width == geometry.column_widths[box.column]
        if box.parent_id is not None:
            assert rect.x > layout.boxes[box.parent_id].right
