"""P, P′, C, U and U′ charts: counts and proportions (helper.functions.R:300-458)."""

from __future__ import annotations

import numpy as np

from qidesk.analysis.limits import (
    D2,
    Lines,
    PartInput,
    cap_finite,
    centre,
    floor_finite,
    r_mean,
    nan_sum,
    r_sd,
    ratio,
    screened_amr,
    symmetric,
)


def p_chart(part: PartInput) -> Lines:
    """sum(y)/sum(n) ± 3·sqrt(p(1-p)/n_i), finite limits kept in [0, 1] (:300-322)."""
    cl = _pooled_rate(part)
    return _clamp_proportion(symmetric(part.y, cl, _binomial_sd(part, cl)))


def pp_chart(part: PartInput) -> Lines:
    """Laney P′: the P chart's sd_i times sigma_z of the baseline z-scores (:324-369)."""
    cl = _pooled_rate(part)
    sd = _binomial_sd(part, cl)
    return _clamp_proportion(symmetric(part.y, cl, sd * _sigma_z(part, cl, sd)))


def c_chart(part: PartInput) -> Lines:
    """Counts: mean ± 3·sqrt(mean), finite LCL >= 0 (:371-391)."""
    y = part.y_sum
    cl = centre(part, lambda: r_mean(part.at_base(y)))
    return _floor_lcl(symmetric(y, cl, np.sqrt(cl)))


def u_chart(part: PartInput) -> Lines:
    """Rates: sum(y)/sum(n) ± 3·sqrt(u/n_i), finite LCL >= 0 (:393-412)."""
    cl = _pooled_rate(part)
    return _floor_lcl(symmetric(part.y, cl, np.sqrt(cl / part.n)))


def up_chart(part: PartInput) -> Lines:
    """Laney U′: the U chart's sd_i times sigma_z (:414-458)."""
    cl = _pooled_rate(part)
    sd = np.sqrt(cl / part.n)
    return _floor_lcl(symmetric(part.y, cl, sd * _sigma_z(part, cl, sd)))


def _pooled_rate(part: PartInput) -> float | np.ndarray:
    """sum(y.sum[B]) / sum(n[B]), both with na.rm (:304-305)."""
    return centre(
        part, lambda: ratio(nan_sum(part.at_base(part.y_sum)), nan_sum(part.at_base(part.n)))
    )


def _binomial_sd(part: PartInput, cl) -> np.ndarray:
    return np.sqrt(cl * (1 - cl) / part.n)


def _sigma_z(part: PartInput, cl, sd: np.ndarray) -> float:
    """Between-subgroup spread of z = (y - cl)/sd over the baseline (Laney 2002).

    AMR(z)/1.128 with the I chart's screening, or sd(z) when x is categorical (:336-352).
    """
    z = (part.at_base(part.y) - part.at_base(cl)) / part.at_base(sd)
    if part.categorical:
        return r_sd(z)
    return screened_amr(np.abs(np.diff(z)), part.screen_mr) / D2


def _clamp_proportion(lines: Lines) -> Lines:
    """Finite limits of a proportion stay within [0, 1] (:316-319)."""
    return Lines(
        y=lines.y,
        cl=lines.cl,
        lcl=floor_finite(lines.lcl, 0.0),
        ucl=cap_finite(lines.ucl, 1.0),
        lcl_95=floor_finite(lines.lcl_95, 0.0),
        ucl_95=cap_finite(lines.ucl_95, 1.0),
    )


def _floor_lcl(lines: Lines) -> Lines:
    """Finite lower limits of a count or rate are at least 0 (:389-390)."""
    return Lines(
        y=lines.y,
        cl=lines.cl,
        lcl=floor_finite(lines.lcl, 0.0),
        ucl=lines.ucl,
        lcl_95=floor_finite(lines.lcl_95, 0.0),
        ucl_95=lines.ucl_95,
    )
