"""Stack marker labels in rows so that no two labels overlap (pure geometry, no Qt)."""

from __future__ import annotations

from collections.abc import Sequence

GAP_PX = 6.0


def stack_rows(lefts: Sequence[float], widths: Sequence[float], gap: float = GAP_PX) -> list[int]:
    """Row (0 = top) of each label, given its left edge and width in pixels.

    Greedy interval packing in left-edge order: each label goes into the first row whose
    last label ends at least `gap` before it starts. Labels in one row never overlap,
    and the number of rows is the fewest this order allows (the densest pile-up).
    """
    order = sorted(range(len(lefts)), key=lambda i: lefts[i])
    row_ends: list[float] = []
    rows = [0] * len(lefts)
    for i in order:
        for row, end in enumerate(row_ends):
            if lefts[i] >= end + gap:
                break
        else:
            row = len(row_ends)
            row_ends.append(float("-inf"))
        rows[i] = row
        row_ends[row] = lefts[i] + widths[i]
    return rows
