"""Reading and checking what `spc()` is given, in qicharts2's terms (R/qic.R:191-266)."""

from __future__ import annotations

import numbers
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from qidesk.analysis.errors import AnalysisInputError

CHARTS = ("run", "i", "mr", "p", "pp", "u", "up", "c", "g", "t", "xbar", "s", "ip")
NEEDS_DENOMINATOR = frozenset({"p", "pp", "u", "up"})
PROPORTION = frozenset({"p", "pp"})
SUBGROUPED = frozenset({"xbar", "s"})


@dataclass(frozen=True)
class Series:
    """Per-point columns of qicharts2's aggregated data (helper.functions.R:554-574)."""

    y: np.ndarray
    y_sum: np.ndarray
    n: np.ndarray | None
    y_length: np.ndarray | None = None
    y_mean: np.ndarray | None = None
    y_sd: np.ndarray | None = None

    @property
    def size(self) -> int:
        return int(self.y.size)


def check_chart(chart: object) -> str:
    if not isinstance(chart, str) or chart not in CHARTS:
        raise AnalysisInputError(f"unknown chart {chart!r}: use one of {', '.join(CHARTS)}")
    return chart


def read_series(y: object, n: object, chart: str) -> Series:
    """Columns for the chart; with n, a point missing y or n loses both (qic.R:262-266)."""
    if chart in SUBGROUPED:
        if n is not None:
            raise AnalysisInputError(f"{chart} charts take subgroups of values, not denominators n")
        return subgroup_series(y, chart)
    if chart == "ip" and _looks_subgrouped(y):
        stats = subgroup_series(y, chart)
        if n is None:
            return Series(stats.y_mean, stats.y_sum, stats.y_length)
        y = np.where(stats.y_length > 0, stats.y_sum, np.nan)  # an empty subgroup is a gap
    values = _float_vector(y, "y")
    if n is None:
        if chart in NEEDS_DENOMINATOR:
            raise AnalysisInputError(
                f"a {chart} chart needs denominators n as well as numerators y"
            )
        return _checked_t(Series(values, values, None), chart)
    counts = _float_vector(n, "n")
    if counts.size != values.size:
        raise AnalysisInputError(
            f"y has {values.size} values but n has {counts.size}: give one denominator per point"
        )
    missing = np.isnan(values) | np.isnan(counts)
    if missing.any():
        values, counts = values.copy(), counts.copy()
        np.copyto(values, np.nan, where=missing)
        np.copyto(counts, np.nan, where=missing)
    if chart in PROPORTION:
        _check_proportions(values, counts)
    with np.errstate(divide="ignore", invalid="ignore"):
        plotted = values / counts
    return _checked_t(Series(plotted, values, counts), chart)


def _checked_t(series: Series, chart: str) -> Series:
    """T charts need positive times between events (helper.functions.R:280-282)."""
    if chart == "t" and (series.y <= 0).any():
        where = int(np.flatnonzero(series.y <= 0)[0])
        raise AnalysisInputError(
            f"a t chart needs times between events greater than zero; point {where} is "
            f"{series.y[where]:g}"
        )
    return series


def _check_proportions(values: np.ndarray, counts: np.ndarray) -> None:
    for bad, what in (
        (counts < 0, "has a negative denominator"),
        (values < 0, "has a negative numerator"),
        (values > counts, "has a numerator greater than its denominator"),
    ):
        if bad.any():
            where = int(np.flatnonzero(bad)[0])
            raise AnalysisInputError(
                f"point {where} {what} ({values[where]:g} of {counts[where]:g}): "
                "a proportion needs 0 <= numerator <= denominator"
            )


def _float_vector(values: object, name: str) -> np.ndarray:
    """A 1-D float array; None becomes NaN (a gap, never zero)."""
    try:
        array = np.asarray(values, dtype=float)
    except (TypeError, ValueError) as error:
        raise AnalysisInputError(f"{name} must be a sequence of numbers or None: {error}") from None
    if array.ndim != 1:
        raise AnalysisInputError(f"{name} must be one value per point, not a {array.ndim}-D array")
    return array


def _is_group(item: object) -> bool:
    return isinstance(item, (Sequence, np.ndarray)) and not isinstance(item, (str, bytes))


def _looks_subgrouped(y: object) -> bool:
    if isinstance(y, np.ndarray):
        return y.ndim == 2 or (y.dtype == object and any(_is_group(g) for g in y))
    return isinstance(y, Sequence) and any(_is_group(g) for g in y)


def subgroup_series(y: object, chart: str) -> Series:
    """Subgroup size, sum, mean and sample SD of each subgroup, vectorised."""
    groups = _groups(y, chart)
    sizes = np.fromiter((g.size for g in groups), dtype=np.int64, count=len(groups))
    flat = np.concatenate(groups) if groups else np.empty(0)
    ids = np.repeat(np.arange(len(groups)), sizes)
    valid = ~np.isnan(flat)
    ids, flat = ids[valid], flat[valid]
    count = np.bincount(ids, minlength=len(groups)).astype(float)
    total = np.bincount(ids, weights=flat, minlength=len(groups))
    mean = _group_means(flat, ids, count)
    sd = _group_sds(flat, ids, count, mean)
    # sum(y, na.rm = length(y) > 1): a lone missing value stays NA (helper.functions.R:560)
    y_sum = np.where((sizes == 1) & (count == 0), np.nan, total)
    return Series(mean, y_sum, None, count, mean, sd)


def _group_means(flat: np.ndarray, ids: np.ndarray, count: np.ndarray) -> np.ndarray:
    """R's mean() of every subgroup: long-double sum, divide, add the mean residual."""
    present = np.flatnonzero(count > 0)
    mean = np.full(count.size, np.nan, dtype=np.longdouble)
    if present.size:
        starts = np.searchsorted(ids, present)
        values = flat.astype(np.longdouble)
        with np.errstate(invalid="ignore", over="ignore"):
            mean[present] = np.add.reduceat(values, starts) / count[present]
            residual = np.add.reduceat(values - mean[ids], starts) / count[present]
        finite = np.isfinite(mean[present])
        mean[present[finite]] += residual[finite]
    return mean.astype(float)


def _group_sds(flat: np.ndarray, ids: np.ndarray, count: np.ndarray, mean: np.ndarray) -> np.ndarray:
    """R's sd() of every subgroup: squares of the deviations from the (double) mean,
    summed in long double (cov.c), as `limits.r_var`; NaN below two values."""
    sd = np.full(count.size, np.nan)
    present = np.flatnonzero(count > 0)
    if present.size:
        starts = np.searchsorted(ids, present)
        deviations = flat.astype(np.longdouble) - mean[ids]
        with np.errstate(divide="ignore", invalid="ignore"):
            var = np.add.reduceat(deviations * deviations, starts) / (count[present] - 1)
            sd[present] = np.where(count[present] > 1, np.sqrt(var.astype(float)), np.nan)
    return sd


def _groups(y: object, chart: str) -> list[np.ndarray]:
    if isinstance(y, np.ndarray) and y.ndim == 2:
        return [np.asarray(row, dtype=float) for row in y]
    if isinstance(y, (str, bytes)) or not isinstance(y, (Sequence, np.ndarray)):
        raise AnalysisInputError(f"{chart} charts need a sequence of subgroups")
    groups = []
    for index, group in enumerate(y):
        if group is None:
            groups.append(np.empty(0))
        elif not _is_group(group):
            raise AnalysisInputError(
                f"{chart} charts need subgroups (a list of values per point), but point "
                f"{index} is a single value {group!r}"
            )
        else:
            groups.append(_float_vector(group, f"subgroup {index}"))
    return groups


def _index(value: object, name: str) -> int:
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise AnalysisInputError(f"{name} must be a whole number, not {value!r}")
    return int(value)


def part_starts(parts: object, size: int) -> list[int]:
    """0-based starts of every part, the first being 0 (makeparts, helper.functions.R:532-539)."""
    if parts is None:
        return [0] if size else []
    starts = [_index(p, "each part start") for p in _as_list(parts, "parts")]
    for p in starts:
        if not 0 <= p < size:
            raise AnalysisInputError(
                f"part start {p} is out of range: a series of {size} points "
                f"has indices 0 to {size - 1}"
            )
    if any(b <= a for a, b in zip(starts, starts[1:])):
        raise AnalysisInputError(f"parts must be strictly increasing, got {starts}")
    return sorted({0, *starts}) if size else []


def baseline_mask(freeze: object, size: int, ignored: bool) -> np.ndarray:
    """baseline = xx <= freeze; freeze is ignored when parts are given (qic.R:229-239)."""
    if freeze is None:
        return np.ones(size, dtype=bool)
    k = _index(freeze, "freeze")
    if not 1 <= k <= size:
        raise AnalysisInputError(
            f"freeze must be between 1 and the number of points ({size}), not {k}"
        )
    mask = np.ones(size, dtype=bool)
    if not ignored:
        mask[k:] = False
    return mask


def include_mask(exclude: object, size: int) -> np.ndarray:
    """include = !(xx %in% exclude) (helper.functions.R:580)."""
    mask = np.ones(size, dtype=bool)
    if exclude is None:
        return mask
    for e in _as_list(exclude, "exclude"):
        i = _index(e, "each excluded index")
        if not 0 <= i < size:
            raise AnalysisInputError(
                f"excluded index {i} is out of range: a series of {size} points "
                f"has indices 0 to {size - 1}"
            )
        mask[i] = False
    return mask


def user_centre(cl: object, size: int) -> np.ndarray | None:
    """A user centre line: one value, or one per point (NaN where none)."""
    if cl is None:
        return None
    if isinstance(cl, numbers.Real):
        return np.full(size, float(cl))
    values = np.array(_float_vector(cl, "cl"))
    if values.size != size:
        raise AnalysisInputError(
            f"cl must be one number or one per point ({size}), got {values.size}"
        )
    return values


def _as_list(values: object, name: str) -> list:
    listlike = isinstance(values, (Sequence, np.ndarray, set, frozenset))
    if isinstance(values, (str, bytes)) or not listlike:
        raise AnalysisInputError(f"{name} must be a sequence of 0-based point indices")
    return list(np.asarray(values).tolist()) if isinstance(values, np.ndarray) else list(values)
