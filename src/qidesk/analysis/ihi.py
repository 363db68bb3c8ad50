"""IHI run-chart rules (Perla, Provost & Murray, BMJ Qual Saf 2011;20:46-51).

- Shift: 6 or more consecutive points all above or all below the median; points on the
  median are skipped (they neither break nor add to a shift).
- Trend: 5 or more consecutive points all going up or all going down; equal consecutive
  values are counted once and neither make nor break a trend.
- Too few or too many runs, judged on the useful observations (those not on the median)
  against the limits of `runs_limits`.

The runs limits are derived, not copied (the published Table 1 could not be consulted):

- Under randomness, with n1 useful points above the median and n2 below, the number of
  runs R follows the Swed-Eisenhart distribution (Swed & Eisenhart, Ann Math Stat 1943):
  P(R = 2k) = 2 C(n1-1, k-1) C(n2-1, k-1) / C(n1+n2, n1) and
  P(R = 2k+1) = [C(n1-1, k-1) C(n2-1, k) + C(n1-1, k) C(n2-1, k-1)] / C(n1+n2, n1).
- The table assumes an equal split, as the median gives: n1 = floor(N/2), n2 = N - n1.
- The lower limit is the largest r with P(R <= r) <= 5% and the upper limit the smallest
  r with P(R >= r) <= 5%: each is the one-sided 5% critical value. As in the published
  table, "too few" means fewer runs than the lower limit and "too many" more runs than
  the upper one.
- Computed exactly with integers (math.comb), for 10 <= N <= 1000. This reproduces the
  published rows 10 -> (3, 9) and 20 -> (6, 16), and Healthcare Data Guide rows such as
  14 -> (4, 12), 24 -> (8, 18), 30 -> (11, 21). Beyond the published range (60), and
  above 1000 where exact sums grow costly, a normal approximation with continuity
  correction stands in (mean 1 + 2 n1 n2 / N, Swed & Eisenhart's variance).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

# Perla, Provost & Murray 2011, "Rules for identifying non-random signals".
SHIFT_LENGTH = 6
TREND_LENGTH = 5
# Table 1 covers 10 to 60 useful observations; fewer than 10 cannot be judged.
RUNS_MIN_USEFUL = 10
RUNS_TAIL_RISK = (1, 20)  # 5% in each tail, as an exact fraction
EXACT_MAX_USEFUL = 1000
_Z_TAIL = 1.6448536269514722  # one-sided 5% point of the standard normal


def swed_eisenhart_counts(n_above: int, n_below: int) -> dict[int, int]:
    """Number of arrangements giving each number of runs (divide by C(N, n_above))."""
    out = {}
    for r in range(2, n_above + n_below + 1):
        k = r // 2
        if r % 2 == 0:
            ways = 2 * math.comb(n_above - 1, k - 1) * math.comb(n_below - 1, k - 1)
        else:
            ways = (math.comb(n_above - 1, k - 1) * math.comb(n_below - 1, k)
                    + math.comb(n_above - 1, k) * math.comb(n_below - 1, k - 1))
        if ways:
            out[r] = ways
    return out


@lru_cache(maxsize=None)
def runs_limits(n_useful: int) -> tuple[int, int] | None:
    """(lower, upper) runs limits for n_useful observations; None below 10."""
    if n_useful < RUNS_MIN_USEFUL:
        return None
    n_above = n_useful // 2
    n_below = n_useful - n_above
    if n_useful > EXACT_MAX_USEFUL:
        return _normal_limits(n_above, n_below)
    counts = swed_eisenhart_counts(n_above, n_below)
    total = math.comb(n_useful, n_above)
    num, den = RUNS_TAIL_RISK
    lower, cumulative = None, 0
    for r in sorted(counts):
        cumulative += counts[r]
        if cumulative * den > total * num:
            break
        lower = r
    upper, cumulative = None, 0
    for r in sorted(counts, reverse=True):
        cumulative += counts[r]
        if cumulative * den > total * num:
            break
        upper = r
    return lower, upper


def _normal_limits(n_above: int, n_below: int) -> tuple[int, int]:
    n = n_above + n_below
    mean = 1 + 2 * n_above * n_below / n
    var = 2 * n_above * n_below * (2 * n_above * n_below - n) / (n * n * (n - 1))
    spread = _Z_TAIL * math.sqrt(var)
    return math.floor(mean - 0.5 - spread), math.ceil(mean + 0.5 + spread)


@dataclass(frozen=True)
class IhiRuns:
    """IHI rules on one part; point arrays have one entry per input point."""

    n_useful: int
    runs: int
    runs_lower: int | None
    runs_upper: int | None
    shift: np.ndarray
    shift_side: np.ndarray
    trend: np.ndarray
    trend_side: np.ndarray

    @property
    def too_few_runs(self) -> bool:
        return self.runs_lower is not None and self.runs < self.runs_lower

    @property
    def too_many_runs(self) -> bool:
        return self.runs_upper is not None and self.runs > self.runs_upper

    @property
    def signal(self) -> bool:
        return bool(self.shift.any() or self.trend.any() or self.too_few_runs
                    or self.too_many_runs)


def _runs_at_least(same: np.ndarray, length: int, n: int) -> np.ndarray:
    """Points in a block of >= `length` points where each `same[i]` joins i and i+1."""
    if n < length:
        return np.zeros(n, dtype=bool)
    windows = same[: n - length + 1].copy()
    for s in range(1, length - 1):
        windows &= same[s: s + windows.size]
    flag = np.zeros(n, dtype=bool)
    for s in range(length):
        flag[s: s + windows.size] |= windows
    return flag


def ihi_rules(y, centre) -> IhiRuns:
    """IHI shift, trend and runs rules on one part; NaN in `y` marks a point to skip."""
    values = np.asarray(y, dtype=float)
    centre = np.broadcast_to(np.asarray(centre, dtype=float), values.shape)
    shift, shift_side, n_useful, runs = _shift(values, centre)
    trend, trend_side = _trend(values)
    limits = runs_limits(n_useful) or (None, None)
    return IhiRuns(n_useful, runs, limits[0], limits[1], shift, shift_side, trend,
                   trend_side)


def _shift(values, centre):
    side = np.sign(values - centre)
    useful = np.flatnonzero(np.isfinite(side) & (side != 0))
    s = side[useful].astype(np.int8)
    same = s[1:] == s[:-1]
    in_shift = _runs_at_least(same, SHIFT_LENGTH, s.size)
    shift = np.zeros(values.size, dtype=bool)
    shift[useful] = in_shift
    shift_side = np.zeros(values.size, dtype=np.int8)
    shift_side[useful] = np.where(in_shift, s, 0)
    runs = int(np.count_nonzero(~same)) + 1 if s.size else 0
    return shift, shift_side, int(s.size), runs


def _trend(values):
    """Trend on the observed points, equal neighbours merged into one counted point."""
    seen = np.flatnonzero(np.isfinite(values))
    v = values[seen]
    new = np.ones(v.size, dtype=bool)
    new[1:] = v[1:] != v[:-1]
    step = np.cumsum(new) - 1  # counted point of each observed point
    distinct = v[new]
    d = np.sign(np.diff(distinct)).astype(np.int8)
    up = _runs_at_least(d == 1, TREND_LENGTH, distinct.size)
    down = _runs_at_least(d == -1, TREND_LENGTH, distinct.size)
    # A peak or trough in both trends takes the direction of the step after it.
    right = np.append(d, 0)
    side_distinct = np.where(up & down, right, np.where(up, 1, np.where(down, -1, 0)))
    trend = np.zeros(values.size, dtype=bool)
    trend[seen] = (up | down)[step]
    trend_side = np.zeros(values.size, dtype=np.int8)
    trend_side[seen] = side_distinct[step]
    return trend, trend_side
