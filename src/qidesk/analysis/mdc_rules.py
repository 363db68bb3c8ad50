"""Making Data Count special-cause rules, and the label and point type of each point.

As R/ptd_calculate_point_type.R of NHSRplotthedots 0.2.2 (see mdc.py for the source
tree): every rule on one group's values, then the winning label code per point and the
point type code of each label by improvement direction.
"""

from __future__ import annotations

import numpy as np

from qidesk.analysis.mdc_limits import LIMIT, LIMIT_CLOSE

# R/ptd_calculate_point_type.R:29-65: run and trend lengths are hard-coded to 7 points.
RUN_LENGTH = 7
TREND_LENGTH = 7

# Labels in the order of their codes; ptd_special_cause_type (R/ptd_calculate_point_type.R:102-108).
SPECIAL_CAUSE_TYPES = (
    "Common Cause", "Above UCL", "Below LCL",
    "7 Point Trend (Increasing)", "7 Point Trend (Decreasing)",
    "2 in 3 Above CL", "2 in 3 Below CL", "7 Points Above CL", "7 Points Below CL",
    "Missing",
)
# ptd_point_type: +1 for "Above"/"Increasing" labels, -1 for "Below"/"Decreasing".
CAUSE_SIDE = np.array([0, 1, -1, 1, -1, 1, -1, 1, -1, 0], dtype=np.int8)
MISSING_CAUSE = 9
POINT_TYPES = (
    "common_cause", "special_cause_improvement", "special_cause_concern",
    "special_cause_neutral_high", "special_cause_neutral_low", "missing",
)
MISSING_POINT = 5


def _window_all(a: np.ndarray, k: int) -> np.ndarray:
    """w[j] = a[j] & a[j+1] & ... & a[j+k-1]: k-long windows where `a` always holds.

    Windows double in length each pass (1, 2, 4, ...), then two overlapping ones make k.
    """
    if a.size < k:
        return np.zeros(0, dtype=bool)
    w, span = a, 1
    while 2 * span <= k:
        w, span = w[:-span] & w[span:], 2 * span
    if span < k:
        w = w[:span - k] & w[k - span:]
    return w


def _spread(w: np.ndarray, k: int, n: int) -> np.ndarray:
    """The n points covered by the true windows of w, each window k points long."""
    flag = np.zeros(n, dtype=bool)
    for s in range(k):
        flag[s: s + w.size] |= w
    return flag


def _seven_one_side(rtm: np.ndarray) -> np.ndarray:
    """7+ points in a row on the same side of the mean; a point on the mean breaks it."""
    same = (rtm[1:] == rtm[:-1]) & (rtm[1:] != 0)
    return _spread(_window_all(same, RUN_LENGTH - 1), RUN_LENGTH, rtm.size)


def _trend(z: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """7+ points each strictly above (below) the one before: (in a trend, labelled up)."""
    up, down = z[1:] > z[:-1], z[1:] < z[:-1]
    windows = _window_all(up, TREND_LENGTH - 1) | _window_all(down, TREND_LENGTH - 1)
    trend = _spread(windows, TREND_LENGTH, z.size)
    # The label follows the right-hand difference when the next point is in a trend too,
    # else the left one; a zero difference reads "Decreasing" (ptd_special_cause_type).
    right = np.zeros(z.size, dtype=bool)
    right[:-1] = trend[:-1] & trend[1:]
    labelled_up = np.zeros(z.size, dtype=bool)
    labelled_up[:-1] = right[:-1] & up
    labelled_up[1:] |= ~right[1:] & up
    return trend, trend & labelled_up


def _two_in_three(close: np.ndarray, rtm: np.ndarray) -> np.ndarray:
    """Close points in 3 in a row on one side of the mean holding >= 2 close points."""
    if close.size < 3:
        return np.zeros(close.size, dtype=bool)
    c = close.view(np.int8)
    near = c[:-2] + c[1:-1] + c[2:]
    above, below = rtm > 0, rtm < 0
    one_side = (above[:-2] & above[1:-1] & above[2:]) | (below[:-2] & below[1:-1] & below[2:])
    return _spread((near >= 2) & one_side, 3, close.size) & close


def apply_rules(z: np.ndarray, mean: float, amr: float) -> dict[str, np.ndarray]:
    """Every rule on one group's values; NaN limits (too few values) flag nothing."""
    lpl, upl = mean - LIMIT * amr, mean + LIMIT * amr
    near_lpl, near_upl = mean - LIMIT_CLOSE * amr, mean + LIMIT_CLOSE * amr
    high, low = z > upl, z < lpl
    outside = high | low
    close = ((z > near_upl) & ~high) | ((z < near_lpl) & ~low)
    rtm = (z > mean).view(np.int8) - (z < mean).view(np.int8)
    trend, up = _trend(z)
    return {"outside": outside, "close": close, "rtm": rtm, "trend": trend, "up": up,
            "two": _two_in_three(close, rtm), "seven": _seven_one_side(rtm)}


def cause_codes(f: dict[str, np.ndarray]) -> np.ndarray:
    """Label code per point; later rules overwrite earlier ones, so the package's priority
    (limits, trend, 2 in 3, 7 on one side; R/ptd_calculate_point_type.R:102-108) wins."""
    below = (f["rtm"] < 0).view(np.int8)
    cause = np.zeros(below.size, dtype=np.int8)
    np.copyto(cause, below + 7, where=f["seven"])
    np.copyto(cause, below + 5, where=f["two"])
    np.copyto(cause, 4 - f["up"].view(np.int8), where=f["trend"])
    np.copyto(cause, below + 1, where=f["outside"])
    return cause


def _point_tables() -> dict[int, np.ndarray]:
    """point_type code of each label code, by improvement sign (ptd_point_type)."""
    tables = {}
    for sign in (1, -1):
        oriented = CAUSE_SIDE * sign
        tables[sign] = np.where(oriented > 0, 1, np.where(oriented < 0, 2, 0)).astype(np.int8)
    tables[0] = np.where(CAUSE_SIDE > 0, 3, np.where(CAUSE_SIDE < 0, 4, 0)).astype(np.int8)
    for table in tables.values():
        table[MISSING_CAUSE] = MISSING_POINT
    return tables


POINT_OF_CAUSE = _point_tables()
