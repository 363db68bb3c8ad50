"""Marker labels stacked in rows never overlap, and use no more rows than they must."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from qidesk.reports.marker_layout import GAP_PX, stack_rows

labels = st.lists(st.tuples(st.floats(0, 2000), st.floats(1, 300)), max_size=40)


@given(labels)
def test_labels_in_one_row_never_overlap(spans):
    lefts = [left for left, _ in spans]
    widths = [width for _, width in spans]
    rows = stack_rows(lefts, widths)
    for row in set(rows):
        placed = sorted((lefts[i], lefts[i] + widths[i]) for i in range(len(spans)) if rows[i] == row)
        for (_, end), (start, _) in zip(placed, placed[1:]):
            assert start >= end + GAP_PX


@given(labels)
def test_rows_never_exceed_the_deepest_pile_up(spans):
    # Greedy packing by left edge is optimal for intervals: rows = the most labels
    # (with their gaps) covering any one point.
    lefts = [left for left, _ in spans]
    widths = [width for _, width in spans]
    rows = stack_rows(lefts, widths)
    deepest = max((sum(1 for left, w in spans if left <= x < left + w + GAP_PX) for x in lefts),
                  default=0)
    assert (max(rows) + 1 if rows else 0) == deepest


def test_far_apart_labels_share_the_top_row_and_crowded_ones_stack():
    assert stack_rows([0, 500, 1000], [100, 100, 100]) == [0, 0, 0]
    assert stack_rows([0, 10, 20, 200], [150, 150, 150, 50]) == [0, 1, 2, 0]
