"""Process limits of one Making Data Count group: its mean and mean moving range.

As R/ptd_spc_standard.R of NHSRplotthedots 0.2.2 (see mdc.py for the source tree).
"""

from __future__ import annotations

import numpy as np

from qidesk.analysis.limits import LONG_SUM_MAX, r_mean

# R/ptd_spc_standard.R:47-94: limits at mean -/+ 2.66 * mean moving range (not 3/1.128),
# the "close to limits" lines at two thirds of that distance.
LIMIT = 2.66
LIMIT_CLOSE = 2 * (LIMIT / 3)
# R/ptd_spc_standard.R: with screen_outliers a moving range is kept if mr < 3.267 * amr.
MR_SCREEN = 3.267


def _mean(chunks) -> float:
    """R's mean() over the values `chunks()` yields: sum/n plus the mean residual
    (summary.c), which fixes the last bit so a value equal to the mean compares equal."""
    total, count = 0.0, 0
    for c in chunks():
        total += float(c.sum())
        count += c.size
    if not count:
        return np.nan
    first = total / count
    return first + sum(float((c - first).sum()) for c in chunks()) / count


_CHUNK = 1 << 16  # pass over long series in cache-sized pieces, with no large temporaries


def group_limits(z: np.ndarray, fix_n: float, screen: bool) -> tuple[float, float]:
    """Mean and mean moving range of a group's first fix_n points (ptd_spc_standard.R).

    The mean is R's long-double mean (`limits.r_mean`) up to LONG_SUM_MAX points, as
    for SPC centre lines, so a value equal to the mean sits on it as it does in R.
    """
    fixed = z[: int(min(fix_n, z.size))]
    if fixed.size > _CHUNK:
        return _chunked_limits(fixed, screen)
    mr = np.abs(np.subtract(fixed[1:], fixed[:-1]))
    amr = _mean(lambda: (mr,))
    if screen:
        below = MR_SCREEN * amr
        kept = mr if below == np.inf else mr[mr < below]
        amr = _mean(lambda: (kept,))
    mean = r_mean(fixed) if fixed.size <= LONG_SUM_MAX else _mean(lambda: (fixed,))
    return mean, amr


def _chunked_limits(fixed: np.ndarray, screen: bool) -> tuple[float, float]:
    """`group_limits` of a long group in pieces, with no large temporaries."""

    def values():
        return (fixed[i: i + _CHUNK] for i in range(0, fixed.size, _CHUNK))

    def ranges(below=np.inf):
        for i in range(0, max(fixed.size - 1, 0), _CHUNK):
            piece = fixed[i: i + _CHUNK + 1]
            mr = np.abs(np.subtract(piece[1:], piece[:-1]))
            yield mr if below == np.inf else mr[mr < below]

    amr = _mean(ranges)
    if screen:
        amr = _mean(lambda: ranges(MR_SCREEN * amr))
    return _mean(values), amr
