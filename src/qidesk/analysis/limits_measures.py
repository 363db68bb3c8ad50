"""Run, I, MR, T, G and I′ charts: one value per point.

qicharts2 R/helper.functions.R:127-223, 279-298 and 460-492.
"""

from __future__ import annotations

import math
from dataclasses import replace

import numpy as np

from qidesk.analysis.limits import (
    D2,
    MR_SCREEN_FACTOR,
    Lines,
    PartInput,
    centre,
    line,
    nan_array,
    nan_mean,
    nan_median,
    nan_sum,
    r_mean,
    ratio,
    screened_amr,
    symmetric,
)

T_POWER = 3.6  # y^(1/3.6) makes waiting times near normal, Montgomery (helper.functions.R:285)
G_MEDIAN_FACTOR = 0.693  # theoretical median of a geometric, Provost 2011 p. 228 (:487)
IP_SCREEN_FACTOR = 3.2665  # I′ chart screening of s values (helper.functions.R:207)
IP_S_FACTOR = math.sqrt(math.pi / 2)  # s_j = sqrt(pi/2)·|diff y| / ... (helper.functions.R:201)


def run_chart(part: PartInput) -> Lines:
    """Median of the baseline; no limits (helper.functions.R:127-137)."""
    cl = centre(part, lambda: nan_median(part.at_base(part.y)))
    empty = nan_array(part.size)
    return Lines(part.y, line(cl, part.size), empty, empty, empty, empty)


def i_chart(part: PartInput) -> Lines:
    """Mean ± 3·AMR/1.128; MRs over baseline points, bridging exclusions (:139-166)."""
    y_base = part.at_base(part.y)
    cl = centre(part, lambda: r_mean(y_base))
    distance = y_base - part.at_base(cl)
    mr = np.abs(distance[1:] - distance[:-1])
    sd = screened_amr(mr, part.screen_mr) / D2
    return symmetric(part.y, cl, sd)


def mr_chart(part: PartInput) -> Lines:
    """Moving ranges of the part against their baseline mean (:168-183)."""
    y = np.concatenate(([np.nan], np.abs(np.diff(part.y))))
    cl = centre(part, lambda: r_mean(part.at_base(y)))
    size = part.size
    return Lines(
        y=y,
        cl=line(cl, size),
        lcl=line(0.0, size),
        ucl=line(MR_SCREEN_FACTOR * cl, size),
        lcl_95=line(0.0, size),
        ucl_95=line((MR_SCREEN_FACTOR / 3) * 2 * cl, size),
    )


def t_chart(part: PartInput) -> Lines:
    """I chart of y^(1/3.6), transformed back; LCL < 0 or NaN becomes 0 (:279-298)."""
    inner = i_chart(replace(part, y=part.y ** (1 / T_POWER)))
    lcl = inner.lcl**T_POWER
    lcl = np.where((lcl < 0) | np.isnan(lcl), 0.0, lcl)
    return Lines(
        y=inner.y**T_POWER,
        cl=inner.cl**T_POWER,
        lcl=lcl,
        ucl=inner.ucl**T_POWER,
        lcl_95=inner.lcl_95**T_POWER,
        ucl_95=inner.ucl_95**T_POWER,
    )


def g_chart(part: PartInput) -> Lines:
    """Limits from the mean m: m ± 3·sqrt(m(m+1)); plotted centre is the median (:460-492)."""
    mean = centre(part, lambda: r_mean(part.at_base(part.y)))
    lines = symmetric(part.y, mean, np.sqrt(mean * (mean + 1)))
    lcl, lcl_95 = np.maximum(lines.lcl, 0.0), np.maximum(lines.lcl_95, 0.0)  # NaN stays
    if part.cl is None:
        cl = line(nan_median(part.at_base(part.y)), part.size)
    else:
        cl = G_MEDIAN_FACTOR * part.cl
    return Lines(part.y, cl, lcl, lines.ucl, lcl_95, lines.ucl_95)


def ip_chart(part: PartInput) -> Lines:
    """Laney-style I′ chart: s from all points of the part, scaled by 1/sqrt(n) (:185-223)."""
    n = part.n if part.n is not None and not np.isnan(part.n).all() else part.lengths()
    cl = centre(part, lambda: ratio(nan_sum(part.at_base(part.y) * part.at_base(n)),
                                    nan_sum(part.at_base(n))))
    d1 = np.abs(np.diff(part.y))
    d2 = np.sqrt(1 / n[:-1] + 1 / n[1:])
    s = IP_S_FACTOR * d1 / d2
    if part.screen_mr:
        s = s[s < nan_mean(s) * IP_SCREEN_FACTOR]
    sd = nan_mean(s) * np.sqrt(1 / n)
    return symmetric(part.y, cl, sd)
