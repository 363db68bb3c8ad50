"""Rows to subgroups by x, as qicharts2 aggregates before charting (helper.functions.R:554-574).

Several rows with the same period (x) form one subgroup; the result lists the
subgroups sorted by x, ready for `spc()`: `y_sum` and `n` for p/pp/u/up/c (and any
chart with denominators), `values` for xbar/s, `y` for the others.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass

import numpy as np

from qidesk.analysis.errors import AnalysisInputError
from qidesk.analysis.limits import nan_sum, r_mean, r_sd

AGGREGATES = ("mean", "median", "sum", "sd")  # qic(agg.fun = ...), R/qic.R


@dataclass(frozen=True, eq=False)
class Subgroups:
    """One entry per distinct x, sorted by x. NaN stands for R's NA.

    `y` is what qicharts2 plots before the chart function: sum(y)/sum(n) with
    denominators, otherwise `agg` of the values. `y_sum` is NaN for a subgroup made of
    one missing value only, but 0 for several missing values or an empty subgroup
    (qicharts2 `sum(y, na.rm = length(y) > 1)`): check `y_length` before charting sums.
    """

    x: tuple
    y: np.ndarray
    y_sum: np.ndarray
    y_length: np.ndarray
    y_mean: np.ndarray
    y_sd: np.ndarray
    n: np.ndarray | None
    values: tuple[np.ndarray, ...]


def aggregate(
    x: Sequence[Hashable],
    y: Sequence[float | None],
    n: Sequence[float | None] | None = None,
    *,
    agg: str = "mean",
    keys: Iterable[Hashable] | None = None,
) -> Subgroups:
    """Group rows by x (rows with a missing x are dropped) and summarise each group.

    With n, a row missing y or n loses both (qic.R:262-266). `keys` lists extra x
    values to include as empty subgroups, as qicharts2 pads every facet to all x.
    """
    if agg not in AGGREGATES:
        raise AnalysisInputError(f"agg must be one of {', '.join(AGGREGATES)}, not {agg!r}")
    ys = _floats(y, "y")
    ns = None if n is None else _floats(n, "n")
    if len(x) != ys.size or (ns is not None and ns.size != ys.size):
        raise AnalysisInputError("x, y and n must have one entry per row")
    if ns is not None:
        gap = np.isnan(ys) | np.isnan(ns)
        ys, ns = np.where(gap, np.nan, ys), np.where(gap, np.nan, ns)
    rows: dict[Hashable, list[int]] = {k: [] for k in (keys or ()) if not _missing(k)}
    for i, key in enumerate(x):
        if not _missing(key):
            rows.setdefault(key, []).append(i)
    try:
        ordered = sorted(rows)
    except TypeError:
        raise AnalysisInputError("x values must be all numbers, all dates or all text") from None
    groups = [ys[rows[k]] for k in ordered]
    dens = None if ns is None else [ns[rows[k]] for k in ordered]
    return _summarise(tuple(ordered), groups, dens, agg)


def _summarise(x: tuple, groups: list[np.ndarray], dens, agg: str) -> Subgroups:
    kept = [g[~np.isnan(g)] for g in groups]
    y_sum = np.array([_r_sum(g, k) for g, k in zip(groups, kept)], dtype=float)
    y_mean = np.array([r_mean(k) for k in kept], dtype=float)
    y_sd = np.array([r_sd(k) for k in kept], dtype=float)
    y_length = np.array([k.size for k in kept], dtype=float)
    if dens is None:
        n = None
        y = np.array([_apply(agg, k) for k in kept], dtype=float)
    else:
        n = np.array([nan_sum(d) for d in dens], dtype=float)
        with np.errstate(divide="ignore", invalid="ignore"):
            y = np.array([nan_sum(k) for k in kept], dtype=float) / n
    return Subgroups(x, y, y_sum, y_length, y_mean, y_sd, n, tuple(groups))


def _r_sum(group: np.ndarray, kept: np.ndarray) -> float:
    return math.nan if group.size == 1 and kept.size == 0 else nan_sum(kept)


def _apply(agg: str, kept: np.ndarray) -> float:
    """qicharts2's agg.fun with na.rm = TRUE on the present values."""
    if agg == "sum":
        return nan_sum(kept)
    if agg == "sd":
        return r_sd(kept)
    if not kept.size:
        return math.nan
    return float(np.median(kept)) if agg == "median" else r_mean(kept)


def _missing(key: object) -> bool:
    return key is None or (isinstance(key, float) and math.isnan(key))


def _floats(values, name: str) -> np.ndarray:
    try:
        array = np.asarray(values, dtype=float)
    except (TypeError, ValueError):
        raise AnalysisInputError(f"{name} must be numbers or None") from None
    if array.ndim != 1:
        raise AnalysisInputError(f"{name} must be one value per row")
    return array
