"""Xbar and S charts of subgroups (helper.functions.R:225-277, constants :494-520)."""

from __future__ import annotations

import math

import numpy as np

from qidesk.analysis.limits import (
    SIGMA,
    SIGMA_95,
    Lines,
    PartInput,
    centre,
    line,
    r_mean,
    nan_sum,
    ratio,
)


def xbar_chart(part: PartInput) -> Lines:
    """Weighted mean of subgroup means ± A3(n_i)·s (:225-250)."""
    length, mean, base = part.y_length, part.y_mean, part.base
    cl = centre(part, lambda: ratio(nan_sum(length[base] * mean[base]), nan_sum(length[base])))
    s = _pooled_sd(part) if _sizes_vary(part) else r_mean(part.y_sd[base])
    size = part.size
    return Lines(
        y=mean,
        cl=line(cl, size),
        lcl=line(cl - a3(length, SIGMA) * s, size),
        ucl=line(cl + a3(length, SIGMA) * s, size),
        lcl_95=line(cl - a3(length, SIGMA_95) * s, size),
        ucl_95=line(cl + a3(length, SIGMA_95) * s, size),
    )


def s_chart(part: PartInput) -> Lines:
    """Subgroup SDs: centre the pooled or mean s, limits B3·cl and B4·cl (:252-277)."""
    base = part.base
    pooled = _sizes_vary(part)
    cl = centre(part, lambda: _pooled_sd(part) if pooled else r_mean(part.y_sd[base]))
    length = part.y_length
    size = part.size
    return Lines(
        y=part.y_sd,
        cl=line(cl, size),
        lcl=line(b3(length, SIGMA) * cl, size),
        ucl=line(b4(length, SIGMA) * cl, size),
        lcl_95=line(b3(length, SIGMA_95) * cl, size),
        ucl_95=line(b4(length, SIGMA_95) * cl, size),
    )


def _sizes_vary(part: PartInput) -> bool:
    """More than one distinct count of values over all subgroups of the part (:227)."""
    return bool(np.unique(part.y_length).size > 1)


def _pooled_sd(part: PartInput) -> float:
    """sqrt(Σ(n_i-1)s_i² / Σ(n_i-1)) over the baseline, Montgomery 6.31.

    As in qicharts2, missing SDs drop out of the numerator only, so an empty subgroup
    adds -1 and a one-value subgroup 0 to the denominator (:233-234).
    """
    base = part.base
    dof = part.y_length[base] - 1
    return float(np.sqrt(ratio(nan_sum(dof * part.y_sd[base] ** 2), dof.sum())))


def _per_size(length: np.ndarray, constant) -> np.ndarray:
    """Evaluate `constant(n)` once per distinct subgroup size; NaN for n <= 1."""
    sizes, where = np.unique(length, return_inverse=True)
    values = np.array([constant(int(n)) if n > 1 else math.nan for n in sizes], dtype=float)
    return values[where.reshape(length.shape)]


def c4(n: int) -> float:
    """sqrt(2/(n-1))·Γ(n/2)/Γ((n-1)/2) through lgamma, valid for large n (:494-497)."""
    return math.sqrt(2 / (n - 1)) * math.exp(math.lgamma(n / 2) - math.lgamma((n - 1) / 2))


def c5(n: int) -> float:
    return math.sqrt(1 - c4(n) ** 2)


def a3(length: np.ndarray, sigma: float) -> np.ndarray:
    """A3 = sigma / (c4(n)·sqrt(n)) (:504-508)."""
    return _per_size(length, lambda n: sigma / (c4(n) * math.sqrt(n)))


def b3(length: np.ndarray, sigma: float) -> np.ndarray:
    """B3 = max(0, 1 - sigma·c5/c4) (:510-514)."""
    return _per_size(length, lambda n: max(0.0, 1 - sigma * c5(n) / c4(n)))


def b4(length: np.ndarray, sigma: float) -> np.ndarray:
    """B4 = 1 + sigma·c5/c4 (:516-520)."""
    return _per_size(length, lambda n: 1 + sigma * c5(n) / c4(n))
