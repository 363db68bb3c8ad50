"""What every qicharts2 chart function reads and returns, and the arithmetic they share.

Each chart is one tiny function taking a `PartInput` (one part of the series) and
returning `Lines`, as qicharts2 has one `qic.<chart>` function per chart
(`R/helper.functions.R:127-492`). NaN stands for R's NA throughout.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import numpy as np

MR_SCREEN_FACTOR = 3.267  # drop MR >= 3.267·AMR before sigma, Nelson 1982 (helper.functions.R:150)
D2 = 1.128  # sigma = AMR / d2 for n = 2, Montgomery 6.33 (helper.functions.R:157)
SIGMA = 3.0  # Shewhart limits (helper.functions.R:160)
SIGMA_95 = 2.0  # the 2-sigma lines lcl.95 / ucl.95 (helper.functions.R:161)
LONG_SUM_MAX = 20_000  # longer series sum in double (pairwise, ~1e-16 relative), for speed


@dataclass(frozen=True)
class PartInput:
    """One part of a series, as qicharts2's aggregated data frame holds it.

    `y` is the plotted value (sum(y)/sum(n) with denominators, else the subgroup mean);
    `y_sum` the numerators or counts; `n` the denominators (NaN where missing) or None;
    `y_length`, `y_mean`, `y_sd` describe subgroups (None for one value per point);
    `base` marks baseline & included points; `cl` a user centre line without NaN, or None.
    """

    y: np.ndarray
    y_sum: np.ndarray
    n: np.ndarray | None
    y_length: np.ndarray | None
    y_mean: np.ndarray | None
    y_sd: np.ndarray | None
    base: np.ndarray
    cl: np.ndarray | None
    screen_mr: bool
    categorical: bool

    @property
    def size(self) -> int:
        return int(self.y.size)

    def at_base(self, values):
        """values[base], skipping the copy when every point is in the baseline."""
        if np.ndim(values) == 0 or self.base_all:
            return values
        return values[self.base]

    @cached_property
    def base_all(self) -> bool:
        return bool(self.base.all())

    def lengths(self) -> np.ndarray:
        """Count of values per point of a flat series: 1 if present, 0 if missing."""
        return (~np.isnan(self.y)).astype(float)


@dataclass(frozen=True)
class Lines:
    """The plotted value, centre line and limits of one part, before `multiply`."""

    y: np.ndarray
    cl: np.ndarray
    lcl: np.ndarray
    ucl: np.ndarray
    lcl_95: np.ndarray
    ucl_95: np.ndarray


def nan_mean(values: np.ndarray) -> float:
    """mean(x, na.rm = TRUE) in double precision, for spreads and summaries: NaN if empty."""
    total = float(values.sum())
    if not np.isnan(total):
        return total / values.size if values.size else float("nan")
    keep = ~np.isnan(values)
    count = int(np.count_nonzero(keep))
    return float(np.add.reduce(values, where=keep)) / count if count else float("nan")


def r_mean(values: np.ndarray) -> float:
    """R's mean(x, na.rm = TRUE) to the last bit, for centre lines.

    R sums in long double, divides, then adds the mean residual (summary.c,
    real_mean). Matching it decides which points sit exactly on the centre line:
    mean(c(0.1, 0.2, 0.3)) is 0.2 in R but 0.20000000000000004 in plain doubles.
    The residual pass is skipped when it provably cannot change the double result.
    Series longer than LONG_SUM_MAX take the same two passes in double, which still
    lands on R's mean where a value equals it (0.1, 0.2, 0.3 repeated 8000 times: 0.2,
    where a one-pass double mean gives 0.20000000000000004 and takes 8000 points off
    the centre line).
    """
    if values.size > LONG_SUM_MAX:
        return _double_r_mean(values)
    if np.isnan(values.sum()):  # a cheap double pass finds the gaps
        values = values[~np.isnan(values)]
    total = _long_sum(values)
    if not values.size:
        return float("nan")
    mean = total / values.size
    if np.isfinite(mean) and _residual_may_matter(mean, values):
        mean += _long_sum(values - mean) / values.size
    return float(mean)


def _residual_may_matter(mean: np.longdouble, values: np.ndarray) -> bool:
    """Whether R's residual pass could move the mean to another double.

    The pass adds t/n with |t/n| <= (d + 3)·u·(max|x| + spread) for sums whose values
    pass through at most d roundings of relative size u (Higham, Accuracy and Stability
    of Numerical Algorithms, 2002, §4.2; numpy sums pairwise, so d < 64 here). If no
    rounding boundary between two doubles lies that close to the long-double mean, both
    round to the same double and the second long-double pass (most of the cost) is moot.
    """
    high, low = float(values.max()), float(values.min())
    scale = max(abs(high), abs(low)) + (high - low)
    if not _TINY < scale < _HUGE:
        return True
    reach = _RESIDUAL_REACH * scale
    nearest = float(mean)
    below = (np.longdouble(nearest) + np.nextafter(nearest, -np.inf)) / 2
    above = (np.longdouble(nearest) + np.nextafter(nearest, np.inf)) / 2
    return not (mean - below > reach and above - mean > reach)


# The residual's reach per unit of scale: (64 + 3)·u, rounded up, u the long double's
# unit roundoff (2^-64 on x86; where long double is double nothing is ever skipped).
_RESIDUAL_REACH = 72 * float(np.finfo(np.longdouble).epsneg)
_TINY, _HUGE = 2.0**-900, 2.0**900  # far from underflow and overflow


def _double_r_mean(values: np.ndarray) -> float:
    """R's real_mean (sum/n plus the mean residual) in double precision, NaN skipped."""
    total = float(values.sum())
    if np.isnan(total):
        values = values[~np.isnan(values)]
        total = float(values.sum())
    if not values.size:
        return float("nan")
    mean = total / values.size
    if np.isfinite(mean):
        mean += float((values - mean).sum()) / values.size
    return mean


def nan_sum(values: np.ndarray) -> float:
    """R's sum(x, na.rm = TRUE), accumulated in long double as R does (summary.c, rsum)."""
    if values.size > LONG_SUM_MAX:
        total = float(values.sum())
        if np.isnan(total):
            total = float(np.add.reduce(values, where=~np.isnan(values)))
        return total
    total = float(values.sum())
    if np.isnan(total):
        values = values[~np.isnan(values)]
        total = float(values.sum())
    return total if _exact_in_double(values, total) else float(_long_sum(values))


def _exact_in_double(values: np.ndarray, total: float) -> bool:
    """Whole numbers whose every partial sum is below 2^53 (counts, denominators) sum
    exactly in double, so a long-double sum gives the same number."""
    if not np.isfinite(total) or not values.size:
        return False
    return (float(np.abs(values).max()) * values.size < _EXACT_INTEGERS
            and bool((np.rint(values) == values).all()))


_EXACT_INTEGERS = 2.0**53


def _long_sum(values: np.ndarray) -> np.longdouble:
    return np.add.reduce(values, dtype=np.longdouble)


def ratio(numerator: float, denominator: float) -> float:
    """numerator / denominator with R's arithmetic: x/0 is ±Inf, 0/0 is NaN."""
    with np.errstate(divide="ignore", invalid="ignore"):
        return float(np.float64(numerator) / np.float64(denominator))


def nan_median(values: np.ndarray) -> float:
    """R's median(x, na.rm = TRUE): NaN (NA) when nothing is left."""
    kept = values[~np.isnan(values)]  # a copy, so the median may reorder it
    return float(np.median(kept, overwrite_input=True)) if kept.size else float("nan")


def r_sd(values: np.ndarray) -> float:
    """R's sd(x) without na.rm: NA if any value is missing or fewer than two."""
    if values.size < 2 or np.isnan(values).any():
        return float("nan")
    return float(np.sqrt(r_var(values)))


def r_var(values: np.ndarray) -> float:
    """R's var(x) of two or more present values, to the last bit (cov.c, cov_complete1).

    R takes the deviations from mean() rounded to a double and sums their squares in
    long double; a double sum (np.var) can end one bit away, e.g. var(c(0, 1, 0)) is
    0.3333333333333333 in R but 0.33333333333333337 in np.var, which moves an S chart
    point off a centre line it sits on in qicharts2.
    """
    deviations = values.astype(np.longdouble) - r_mean(values)
    return float(np.add.reduce(deviations * deviations) / (values.size - 1))


def screened_amr(mr: np.ndarray, screen: bool) -> float:
    """Average moving range, optionally after dropping MR >= 3.267·AMR.

    R keeps `mr[mr < ulmr]` and then averages with na.rm, so NA ranges never count
    and a zero AMR screens every range out (helper.functions.R:144-154).
    """
    total = mr.sum()
    if np.isnan(total):
        mr = mr[~np.isnan(mr)]
        total = mr.sum()
    amr = float(total / mr.size) if mr.size else float("nan")
    if screen:
        kept = mr[mr < MR_SCREEN_FACTOR * amr]
        amr = float(kept.sum() / kept.size) if kept.size else float("nan")
    return amr


def centre(part: PartInput, computed) -> float | np.ndarray:
    """The user's centre line for the part (an array), else the float `computed()`.

    qicharts2 recomputes when any cl of the part is NA (`if (anyNA(x$cl))`).
    """
    if part.cl is not None:
        return part.cl
    return float(computed())


def line(value, size: int) -> np.ndarray:
    """A per-point line from a scalar (a read-only constant view), or the array itself.

    Constant lines are zero-stride views: a million-point I chart needs no memory
    for its five flat lines. Nothing may write into a line in place.
    """
    if isinstance(value, np.ndarray) and value.ndim:
        return value if value.dtype == np.float64 else value.astype(float)
    cell = np.array([value], dtype=float)
    view = np.ndarray((size,), dtype=float, buffer=cell, strides=(0,))
    view.flags.writeable = False
    return view


def is_constant(values: np.ndarray) -> bool:
    """Whether `values` is a constant line made by `line()`."""
    return values.ndim == 1 and values.size > 0 and values.strides[0] == 0


def symmetric(y: np.ndarray, cl, sd) -> Lines:
    """Lines at cl ± 3·sd and cl ± 2·sd (cl and sd scalars or one per point)."""
    size = y.size
    wide, narrow = SIGMA * sd, SIGMA_95 * sd
    return Lines(
        y=y,
        cl=line(cl, size),
        lcl=line(cl - wide, size),
        ucl=line(cl + wide, size),
        lcl_95=line(cl - narrow, size),
        ucl_95=line(cl + narrow, size),
    )


def floor_finite(values: np.ndarray, floor: float) -> np.ndarray:
    """Raise finite values below `floor` to it; NA and ±Inf stay (helper.functions.R:318)."""
    floored = np.maximum(values, floor)
    if values.size and np.fmin.reduce(values) == -np.inf:  # only -Inf is raised wrongly
        np.copyto(floored, values, where=values == -np.inf)
    return floored


def cap_finite(values: np.ndarray, cap: float) -> np.ndarray:
    """Lower finite values above `cap` to it; NA and ±Inf stay (helper.functions.R:316)."""
    capped = np.minimum(values, cap)
    if values.size and np.fmax.reduce(values) == np.inf:  # only +Inf is lowered wrongly
        np.copyto(capped, values, where=values == np.inf)
    return capped


def nan_array(size: int) -> np.ndarray:
    return line(np.nan, size)
