"""Anhøj runs analysis as qicharts2 0.8.1 does it (`R/helper.functions.R:1-120`).

The limit for crossings is the binomial quantile qbinom(0.05, n - 1, 0.5), computed
exactly for every n: big-integer arithmetic for small n, and for large n a floating
evaluation accurate to ~1e-13 whose verdict is re-checked exactly when it is close.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np

from qidesk.analysis.errors import AnalysisInputError

CROSSINGS_ALPHA_DENOMINATOR = 20  # qbinom(0.05, ...): 0.05 = 1/20, helper.functions.R:15
LONGEST_RUN_OFFSET = 3  # round(log2(n)) + 3, Schilling 2012, helper.functions.R:13
METHODS = ("anhoej", "bestbox", "cutbox")  # helper.functions.R:42
BOX_N_MIN, BOX_N_MAX = 10, 100  # bestbox/cutbox tables cover n.useful 10..100 (:50-54)

# Anhøj & Wentzel-Larsen (2020) boxes, helper.functions.R:63-92, indexed by n - 10.
_CB = (2, 3, 3, 3, 3, 4, 5, 5, 5, 5, 6, 7, 6, 6, 6, 6, 9, 9, 9, 10, 11, 11, 11, 11, 11, 12,
       13, 14, 13, 15, 15, 15, 14, 14, 17, 17, 17, 17, 19, 19, 19, 19, 19, 21, 21, 21, 21, 23,
       23, 23, 23, 23, 25, 25, 26, 26, 27, 27, 27, 28, 29, 29, 29, 30, 30, 31, 31, 31, 32, 33,
       33, 33, 34, 33, 35, 35, 35, 35, 37, 37, 38, 37, 39, 39, 39, 39, 39, 41, 41, 42, 41)
_LB = (6, 7, 6, 6, 6, 7, 8, 7, 7, 7, 7, 8, 7, 7, 7, 7, 9, 8, 8, 8, 10, 9, 8, 8, 8, 8,
       9, 10, 8, 11, 9, 9, 8, 8, 10, 9, 9, 9, 12, 10, 9, 9, 9, 11, 10, 9, 9, 12, 10, 10, 9, 9,
       11, 10, 11, 10, 12, 10, 10, 11, 14, 11, 10, 11, 10, 12, 11, 10, 11, 13, 11, 10, 11, 10,
       11, 11, 10, 10, 12, 11, 12, 10, 13, 11, 11, 10, 10, 12, 11, 12, 10)
_N = None
_CBORD = (3, 4, _N, _N, _N, 6, 6, _N, 6, 6, _N, _N, 7, 7, 7, _N, 10, 10, 11, _N, 12, 14, _N,
          12, 13, _N, 15, _N, _N, _N, _N, 17, _N, _N, _N, _N, 19, 20, 20, 21, _N, 21, 21, 23,
          23, _N, 23, 25, 24, 26, _N, 24, 27, 27, 27, 27, 29, _N, 29, 29, 30, 31, 30, 31, _N,
          32, 34, 33, 33, 37, 35, _N, 36, 36, _N, 38, 36, 38, 38, 39, _N, 39, 41, 40, 42, _N,
          41, 42, 44, 43, 42)
_LBORD = (5, 6, _N, _N, _N, 6, 7, _N, 6, 5, _N, _N, 6, 6, 6, _N, 7, 7, 7, _N, 9, 8, _N, 7, 7,
          _N, 8, _N, _N, _N, _N, 8, _N, _N, _N, _N, 8, 7, 11, 9, _N, 8, 7, 9, 8, _N, 8, 11, 9,
          8, _N, 8, 9, 9, 10, 9, 10, _N, 8, 8, 13, 9, 9, 10, _N, 9, 8, 9, 8, 11, 9, _N, 10, 7,
          _N, 8, 9, 8, 10, 9, _N, 9, 12, 10, 8, _N, 8, 9, 9, 10, 9)

_EXACT_MAX_TRIALS = 2000  # up to here the quantile is found with integers only
_FLOAT_MARGIN = 1e-10  # relative distance from 0.05 below which the float verdict is re-checked
_Z_05 = -1.6448536269514722  # qnorm(0.05): start of the search
_LN_2PI = 1.8378770664093454835606594728112


@dataclass(frozen=True)
class RunsStats:
    """Anhøj statistics of one part; the four counts are None when n_useful is 0.

    `changes`: positions among the useful points after which the side changes.
    """

    n_obs: int
    n_useful: int
    longest_run: int | None
    longest_run_max: int | None
    crossings: int | None
    crossings_min: int | None
    signal: bool
    changes: np.ndarray | None = field(default=None, repr=False, compare=False)


def longest_run_max(n_useful: int) -> int:
    """round(log2(n)) + 3 (helper.functions.R:13), decided with integers.

    log2(n) = k + 1/2 would need n = 2^k·sqrt(2), so no tie exists; n² against
    2^(2k+1) decides the rounding exactly.
    """
    if n_useful < 1:
        raise AnalysisInputError("longest_run_max needs at least one useful observation")
    k = n_useful.bit_length() - 1
    rounded = k + 1 if n_useful * n_useful > 1 << (2 * k + 1) else k
    return rounded + LONGEST_RUN_OFFSET


@lru_cache(maxsize=65536)
def crossings_min(n_useful: int) -> int:
    """qbinom(0.05, max(n_useful - 1, 0), 0.5) exactly (helper.functions.R:15-16)."""
    trials = max(int(n_useful) - 1, 0)
    if trials <= _EXACT_MAX_TRIALS:
        return _quantile_exact(trials)
    return _quantile_large(trials)


def _quantile_exact(m: int) -> int:
    """Smallest c with 20·Σ_{k<=c} C(m, k) >= 2^m, in integers."""
    total, term, whole = 0, 1, 1 << m
    for c in range(m + 1):
        total += term
        if CROSSINGS_ALPHA_DENOMINATOR * total >= whole:
            return c
        term = term * (m - c) // (c + 1)
    raise AssertionError("unreachable: the full sum is 2^m")  # pragma: no cover


def _cdf_reaches_alpha_exact(m: int, c: int) -> bool:
    """Whether P(X <= c) >= 0.05 for X ~ Bin(m, 1/2), in integers (slow, exact)."""
    total, term = 0, 1
    for k in range(c + 1):
        total += term
        term = term * (m - k) // (k + 1)
    return CROSSINGS_ALPHA_DENOMINATOR * total >= 1 << m


def _quantile_large(m: int) -> int:
    """Search from the normal approximation with accurate floating CDFs."""
    c = int(math.floor(m / 2 + _Z_05 * math.sqrt(m) / 2 + 0.5))
    while _reaches_alpha(m, c):
        c -= 1
    while not _reaches_alpha(m, c):
        c += 1
    return c


def _reaches_alpha(m: int, c: int) -> bool:
    """P(X <= c) >= 0.05, exact: floating unless within the margin of 0.05."""
    ratio = _lower_tail_half(m, c) * CROSSINGS_ALPHA_DENOMINATOR
    if abs(ratio - 1.0) > _FLOAT_MARGIN:
        return ratio > 1.0
    return _cdf_reaches_alpha_exact(m, c)


def _lower_tail_half(m: int, c: int) -> float:
    """P(X <= c), X ~ Bin(m, 1/2), c < m/2: pmf(c) times the sum of pmf ratios."""
    span = min(c, 10 * math.isqrt(m) + 64)  # beyond 20 sd the terms are below 1e-80
    k = np.arange(c, c - span, -1, dtype=float)
    tail = 1.0 + float(np.cumprod(k / (m - k + 1.0)).sum())
    return _pmf_half(m, c) * tail


def _pmf_half(m: int, c: int) -> float:
    """dbinom(c, m, 0.5) by Loader's saddle-point form (R nmath/dbinom.c)."""
    half = m / 2.0
    lc = _stirlerr(m) - _stirlerr(c) - _stirlerr(m - c) - _bd0(c, half) - _bd0(m - c, half)
    lf = _LN_2PI + math.log(c) + math.log1p(-c / m)
    return math.exp(lc - 0.5 * lf)


def _stirlerr(n: int) -> float:
    """log(n!) - log(sqrt(2πn)(n/e)^n) by its asymptotic series (n > 15 here)."""
    nn = float(n) * n
    return (1 / 12 - (1 / 360 - (1 / 1260 - (1 / 1680 - 1 / (1188 * nn)) / nn) / nn) / nn) / n


def _bd0(x: float, np_: float) -> float:
    """x·log(x/np) + np - x without cancellation (Loader 2000; R nmath/bd0.c)."""
    if abs(x - np_) >= 0.1 * (x + np_):
        return x * math.log(x / np_) + np_ - x
    v = (x - np_) / (x + np_)
    s = (x - np_) * v
    ej = 2 * x * v
    v *= v
    j = 1
    while True:
        ej *= v
        s1 = s + ej / (2 * j + 1)
        if s1 == s:
            return s1
        s, j = s1, j + 1


def crossings_signal(n_useful: int, crossings: int, longest: int, method: str = "anhoej") -> bool:
    """qicharts2 `crsignal` (helper.functions.R:42-120): too long a run or too few crossings."""
    if method not in METHODS:
        raise AnalysisInputError(f"method must be one of {', '.join(METHODS)}, not {method!r}")
    if method != "anhoej" and BOX_N_MIN <= n_useful <= BOX_N_MAX:
        return _box_signal(n_useful, crossings, longest, method)
    return not (crossings >= crossings_min(n_useful) and longest <= longest_run_max(n_useful))


def _box_signal(n: int, c: int, l: int, method: str) -> bool:
    """Best box / cut box rule of Anhøj & Wentzel-Larsen 2020 (helper.functions.R:101-118)."""
    i = n - BOX_N_MIN
    cb, lb, cbord, lbord = _CB[i], _LB[i], _CBORD[i], _LBORD[i]
    inside_box = c >= cb and l <= lb
    if method == "bestbox" or cbord is None:
        return not inside_box
    cut_inside = (
        (c >= cb + 1 and l <= lb - 1) or (c == cb and l <= lbord) or (c >= cbord and l <= lb)
    )
    return not cut_inside


def centre_side(y: np.ndarray, cl: np.ndarray) -> np.ndarray:
    """+1 above the centre line, -1 below, 0 on it or missing (NaN compares false)."""
    return (y > cl).view(np.int8) - (y < cl).view(np.int8)


def runs_analysis(
    y: np.ndarray, cl: np.ndarray, include: np.ndarray, method: str = "anhoej"
) -> RunsStats:
    """Runs of one part over its included points (helper.functions.R:1-40)."""
    return side_runs(centre_side(y, cl), include, method)


def side_runs(side: np.ndarray, include: np.ndarray, method: str = "anhoej") -> RunsStats:
    """Runs of one part from each point's `centre_side`, over its included points.

    Points on the centre line and missing points are dropped first, so they neither
    break nor extend a run.
    """
    n_obs = int(np.count_nonzero(include))
    kept = side if n_obs == include.size else side[include]
    kept = kept[kept != 0]
    n_useful = int(kept.size)
    if n_useful == 0:
        return RunsStats(n_obs, 0, None, None, None, None, False)
    changes = (kept[1:] != kept[:-1]).nonzero()[0]
    crossings = int(changes.size)
    # The longest run lies between two changes, or before the first or after the last.
    if crossings:
        longest = max(int(changes[0]) + 1, n_useful - 1 - int(changes[-1]),
                      int(np.diff(changes).max()) if crossings > 1 else 0)
    else:
        longest = n_useful
    return RunsStats(
        n_obs=n_obs,
        n_useful=n_useful,
        longest_run=longest,
        longest_run_max=longest_run_max(n_useful),
        crossings=crossings,
        crossings_min=crossings_min(n_useful),
        signal=crossings_signal(n_useful, crossings, longest, method),
        changes=changes,
    )
