"""An independent, deliberately simple reference of SPC_RULES.md §1-4 and §7, compared
with `spc()` and `mdc_xmr()` on generated series.

The reference below was written from SPC_RULES.md and the R sources it cites
(qicharts2 0.8.1 R/helper.functions.R, NHSRplotthedots 0.2.2 R/ptd_spc_standard.R and
R/ptd_calculate_point_type.R) before reading `qidesk.analysis`. It loops over points in
plain Python, one part / rebase group at a time, and uses exact arithmetic where R uses
long double accumulation:

- R's `mean()` and `sum()` accumulate in long double (and `mean` adds a correction
  pass); for the short series here that equals the exactly rounded result, so the
  reference takes the exact rational mean/sum (fractions.Fraction) rounded once to a
  double. This decides the equality classes that matter: a point exactly on a mean
  centre line (sign 0, not useful for the runs analysis) happens exactly when the exact
  mean equals the value.
- Every other step is the same double operation in the same order as the R code
  (e.g. the I chart's moving ranges are `abs(diff(y - cl))`, not `abs(diff(y))`).
- `qbinom(0.05, n - 1, 0.5)` is found with exact binomial sums (math.comb).

Values are compared with a relative tolerance of 1e-9 (NaN must meet NaN), booleans
and the runs statistics exactly.
"""

from __future__ import annotations

import math
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st

from qidesk.analysis import AnalysisInputError, mdc_xmr, spc

NAN = float("nan")
RTOL = 1e-9


# --------------------------------------------------------------------------- helpers

def f64(v) -> np.float64:
    return np.float64(NAN if v is None else v)


def isnan(v) -> bool:
    return v is None or math.isnan(v)


def r_sum(values) -> np.float64:
    """sum(x, na.rm = TRUE) as R's long double accumulation, rounded once."""
    vals = [float(v) for v in values if not isnan(v)]
    if any(math.isinf(v) for v in vals):
        return np.float64(sum(vals))
    return np.float64(float(sum((Fraction(v) for v in vals), Fraction(0))))


def r_mean(values) -> np.float64:
    """mean(x, na.rm = TRUE): NaN when nothing is left."""
    vals = [float(v) for v in values if not isnan(v)]
    if not vals:
        return np.float64(NAN)
    if any(math.isinf(v) for v in vals):
        return np.float64(sum(vals) / len(vals))
    return np.float64(float(sum((Fraction(v) for v in vals), Fraction(0)) / len(vals)))


def r_median(values) -> np.float64:
    vals = sorted(float(v) for v in values if not isnan(v))
    if not vals:
        return np.float64(NAN)
    k = len(vals)
    if k % 2:
        return np.float64(vals[k // 2])
    return r_mean(vals[k // 2 - 1:k // 2 + 1])


def r_sd(values) -> np.float64:
    """sd(x, na.rm = TRUE) = sqrt(var(x)): R's var (cov.c) takes the deviations from the
    mean rounded to a double, and sums their squares in long double (exact here)."""
    vals = [float(v) for v in values if not isnan(v)]
    if len(vals) < 2:
        return np.float64(NAN)
    m = Fraction(float(r_mean(vals)))
    var = sum(((Fraction(v) - m) ** 2 for v in vals), Fraction(0)) / (len(vals) - 1)
    return np.sqrt(np.float64(float(var)))


def qbinom05(size: int) -> int:
    """Smallest c with P(X <= c) >= 0.05 for X ~ Binomial(size, 1/2), exactly."""
    total = 2 ** size
    acc = 0
    for c in range(size + 1):
        acc += math.comb(size, c)
        if Fraction(acc, total) >= Fraction(1, 20):
            return c
    return size


def anhoej(y, cl):
    """runs.analysis: (n_useful, longest, longest_max, crossings, crossings_min, signal)."""
    signs = []
    for v, c in zip(y, cl):
        d = v - c
        if isnan(d) or d == 0:
            continue
        signs.append(1 if d > 0 else -1)
    n = len(signs)
    if n == 0:
        return 0, None, None, None, None, False
    runs = [1]
    for a, b in zip(signs, signs[1:]):
        if a == b:
            runs[-1] += 1
        else:
            runs.append(1)
    longest = max(runs)
    lmax = round(math.log2(n)) + 3
    crossings = len(runs) - 1
    cmin = qbinom05(n - 1)
    return n, longest, lmax, crossings, cmin, bool(longest > lmax or crossings < cmin)


def c4(n):
    if isnan(n) or n <= 1:
        return np.float64(NAN)
    n = float(n)
    return np.float64(math.sqrt(2 / (n - 1)) * math.exp(math.lgamma(n / 2) - math.lgamma((n - 1) / 2)))


def c5(n):
    return np.sqrt(1 - c4(n) ** 2)


def a3(n, k):
    if n <= 1:
        return np.float64(NAN)
    return np.float64(k) / (c4(n) * np.sqrt(np.float64(n)))


def b3(n, k):
    if n <= 1:
        return np.float64(NAN)
    return max(np.float64(0), 1 - k * c5(n) / c4(n))


def b4(n, k):
    if n <= 1:
        return np.float64(NAN)
    return 1 + k * c5(n) / c4(n)


# ------------------------------------------------------------ qicharts2 reference

SUBGROUP_CHARTS = ("xbar", "s")
RATIO_CHARTS = ("p", "pp", "u", "up")


class Point:
    """One subgroup after qic.agg: plotted y, y.sum, y.length, y.mean, y.sd, n."""

    def __init__(self, y, ysum, ylen, ymean, ysd, n):
        self.y, self.ysum, self.ylen, self.ymean, self.ysd, self.n = y, ysum, ylen, ymean, ysd, n


def aggregate(y, n, chart):
    points = []
    for i, v in enumerate(y):
        if chart in SUBGROUP_CHARTS or isinstance(v, (list, tuple)):
            vals = [float(x) for x in v if not isnan(x)]
            ymean = r_mean(vals)
            points.append(Point(ymean, r_sum(vals) if vals else f64(NAN), len(vals), ymean,
                                r_sd(vals), f64(NAN)))
            continue
        if n is not None:
            num, den = v, n[i]
            if isnan(num) or isnan(den):  # complete.cases
                num = den = None
            ysum = f64(num)
            plotted = f64(0 if num is None else num) / f64(0 if den is None else den)
            points.append(Point(plotted, ysum, 0 if num is None else 1, f64(num), f64(NAN),
                                f64(0 if den is None else den)))
        else:
            points.append(Point(f64(v), f64(v), 0 if isnan(v) else 1, f64(v), f64(NAN), f64(NAN)))
    return points


def i_limits(y, cl, base, screen):
    """qic.i on transformed or raw y: returns stdev."""
    d = [y[k] - cl for k in range(len(y)) if base[k]]
    mr = [abs(b - a) for a, b in zip(d, d[1:])]
    amr = r_mean(mr)
    if screen:
        ulmr = 3.267 * amr
        mr = [m for m in mr if m < ulmr]
        amr = r_mean(mr)
    return amr / 1.128


def laney_sigma_z(y, cl, sd, base, screen, categorical=False):
    z = [(y[k] - cl) / sd[k] for k in range(len(y)) if base[k]]
    if categorical:  # stats::sd(z_i): NA when any z is missing
        return np.float64(NAN) if any(np.isnan(v) for v in z) else r_sd(z)
    mr = [abs(b - a) for a, b in zip(z, z[1:])]
    amr = r_mean(mr)
    if screen:
        ulmr = 3.267 * amr
        mr = [m for m in mr if m < ulmr]
        amr = r_mean(mr)
    return amr / 1.128


def lines_from(cl, sd, k=3.0):
    return cl + k * sd, cl - k * sd


def chart_part(chart, pts, base, screen, user=None, categorical=False):
    """Returns (y, cl, ucl, lcl, ucl95, lcl95) lists for one part (before multiply).

    `user`: a known centre line (qic(cl = ...)), which replaces the computed one."""

    def given(computed):
        return computed() if user is None else np.float64(user)

    L = len(pts)
    y = [p.y for p in pts]
    ucl = [f64(NAN)] * L
    lcl = [f64(NAN)] * L
    ucl95 = [f64(NAN)] * L
    lcl95 = [f64(NAN)] * L
    by = [y[k] for k in range(L) if base[k]]
    if chart == "run":
        return y, [given(lambda: r_median(by))] * L, ucl, lcl, ucl95, lcl95
    if chart in ("i", "t"):
        if chart == "t":
            y = [v ** (1 / 3.6) for v in y]
        cl = given(lambda: r_mean([y[k] for k in range(L) if base[k]]))
        sd = i_limits(y, cl, base, screen)
        u, lo = lines_from(cl, sd)
        u95, lo95 = lines_from(cl, sd, 2.0)
        if chart == "i":
            return y, [cl] * L, [u] * L, [lo] * L, [u95] * L, [lo95] * L
        cl, u, lo, u95, lo95 = (v ** 3.6 for v in (cl, u, lo, u95, lo95))
        if lo < 0 or np.isnan(lo):
            lo = np.float64(0)
        return [v ** 3.6 for v in y], [cl] * L, [u] * L, [lo] * L, [u95] * L, [lo95] * L
    if chart == "mr":
        y = [f64(NAN)] + [abs(y[k] - y[k - 1]) for k in range(1, L)]
        cl = given(lambda: r_mean([y[k] for k in range(L) if base[k]]))
        return (y, [cl] * L, [3.267 * cl] * L, [np.float64(0)] * L,
                [(3.267 / 3) * 2 * cl] * L, [np.float64(0)] * L)
    if chart in ("p", "pp", "u", "up"):
        cl = given(lambda: r_sum([pts[k].ysum for k in range(L) if base[k]]) / r_sum(
            [pts[k].n for k in range(L) if base[k]]))
        if chart in ("p", "pp"):
            sd = [np.sqrt(cl * (1 - cl) / p.n) for p in pts]
        else:
            sd = [np.sqrt(cl / p.n) for p in pts]
        if chart in ("pp", "up"):
            sz = laney_sigma_z(y, cl, sd, base, screen, categorical)
            sd = [s * sz for s in sd]
        out = [y, [cl] * L, [], [], [], []]
        for s in sd:
            u, lo = lines_from(cl, s)
            u95, lo95 = lines_from(cl, s, 2.0)
            if chart in ("p", "pp"):
                u = np.float64(1) if (u > 1 and np.isfinite(u)) else u
                u95 = np.float64(1) if (u95 > 1 and np.isfinite(u95)) else u95
            lo = np.float64(0) if (lo < 0 and np.isfinite(lo)) else lo
            lo95 = np.float64(0) if (lo95 < 0 and np.isfinite(lo95)) else lo95
            for col, v in zip(out[2:], (u, lo, u95, lo95)):
                col.append(v)
        return tuple(out)
    if chart == "c":
        y = [p.ysum for p in pts]
        cl = given(lambda: r_mean([y[k] for k in range(L) if base[k]]))
        u, lo = lines_from(cl, np.sqrt(cl))
        u95, lo95 = lines_from(cl, np.sqrt(cl), 2.0)
        lo = np.float64(0) if (lo < 0 and np.isfinite(lo)) else lo
        lo95 = np.float64(0) if (lo95 < 0 and np.isfinite(lo95)) else lo95
        return y, [cl] * L, [u] * L, [lo] * L, [u95] * L, [lo95] * L
    if chart == "g":
        m = given(lambda: r_mean(by))
        sd = np.sqrt(m * (m + 1))
        u, lo = lines_from(m, sd)
        u95, lo95 = lines_from(m, sd, 2.0)
        lo = np.float64(0) if lo < 0 else lo
        lo95 = np.float64(0) if lo95 < 0 else lo95
        plotted = r_median(by) if user is None else 0.693 * np.float64(user)
        return y, [plotted] * L, [u] * L, [lo] * L, [u95] * L, [lo95] * L
    if chart in ("xbar", "s"):
        lens = [p.ylen for p in pts]
        var_n = len(set(lens)) > 1
        bidx = [k for k in range(L) if base[k]]
        if var_n:
            num = r_sum([np.float64(lens[k] - 1) * pts[k].ysd ** 2 for k in bidx])
            den = r_sum([lens[k] - 1 for k in bidx])
            stdev = np.sqrt(num / den)
        else:
            stdev = r_mean([pts[k].ysd for k in bidx])
        if chart == "xbar":
            cl = given(lambda: r_sum([np.float64(lens[k]) * pts[k].ymean for k in bidx])
                       / r_sum([lens[k] for k in bidx]))
            return (y, [cl] * L, [cl + a3(m, 3) * stdev for m in lens],
                    [cl - a3(m, 3) * stdev for m in lens],
                    [cl + a3(m, 2) * stdev for m in lens], [cl - a3(m, 2) * stdev for m in lens])
        cl = given(lambda: stdev)
        return ([p.ysd for p in pts], [cl] * L, [b4(m, 3) * cl for m in lens],
                [b3(m, 3) * cl for m in lens], [b4(m, 2) * cl for m in lens],
                [b3(m, 2) * cl for m in lens])
    if chart == "ip":
        nn = [p.n for p in pts]
        if all(np.isnan(v) for v in nn):
            nn = [np.float64(p.ylen) for p in pts]
        bidx = [k for k in range(L) if base[k]]
        cl = given(lambda: r_sum([y[k] * nn[k] for k in bidx]) / r_sum([nn[k] for k in bidx]))
        s = [np.sqrt(np.pi / 2) * abs(y[j] - y[j - 1]) / np.sqrt(1 / nn[j - 1] + 1 / nn[j])
             for j in range(1, L)]
        if screen:
            uls = r_mean(s) * 3.2665
            s = [v for v in s if v < uls]
        avg = r_mean(s)
        sd = [avg * np.sqrt(1 / v) for v in nn]
        return (y, [cl] * L, [cl + 3 * v for v in sd], [cl - 3 * v for v in sd],
                [cl + 2 * v for v in sd], [cl - 2 * v for v in sd])
    raise AssertionError(chart)


def ref_spc(y, n=None, *, chart, freeze=None, parts=None, exclude=None, multiply=1.0,
            screen_mr=True, cl=None, categorical=False):
    with np.errstate(all="ignore"):
        pts = aggregate(y, n, chart)
    N = len(pts)
    starts = sorted(set([0] + list(parts or [])))
    bounds = list(zip(starts, starts[1:] + [N]))
    frz = N if (freeze is None or parts) else freeze
    excl = set(exclude or [])
    baseline = [k < frz for k in range(N)]
    include = [k not in excl for k in range(N)]
    cols = {name: [] for name in ("y", "cl", "ucl", "lcl", "ucl_95", "lcl_95")}
    runs, part, runs_signal = [], [], []
    with np.errstate(all="ignore"):
        if chart == "t":
            vals = [p.y for p in pts if not np.isnan(p.y)]
            if vals and min(vals) <= 0:
                raise AnalysisInputError("t")
        for pi, (a, b) in enumerate(bounds):
            sub = pts[a:b]
            base = [baseline[k] and include[k] for k in range(a, b)]
            yy, cl_, ucl, lcl, u95, l95 = chart_part(chart, sub, base, screen_mr, cl, categorical)
            inc = [include[k] for k in range(a, b)]
            stats = anhoej([v for v, i in zip(yy, inc) if i], [c for c, i in zip(cl_, inc) if i])
            sig = stats[-1] and chart != "mr" and not categorical
            m = np.float64(multiply)
            for name, col in zip(cols, (yy, cl_, ucl, lcl, u95, l95)):
                vals = [np.float64(v) * m for v in col]
                if name not in ("y", "cl"):
                    vals = [v if np.isfinite(v) else np.float64(NAN) for v in vals]
                cols[name].extend(vals)
            part.extend([pi] * (b - a))
            runs_signal.extend([sig] * (b - a))
            runs.append(dict(start=a, stop=b, n_obs=sum(inc), n_useful=stats[0],
                             longest_run=stats[1], longest_run_max=stats[2],
                             crossings=stats[3], crossings_min=stats[4], signal=sig))
        arr = {k: np.array(v, dtype=float) for k, v in cols.items()}
        sigma = (arr["y"] > arr["ucl"]) | (arr["y"] < arr["lcl"])
    for r in runs:
        sl = slice(r["start"], r["stop"])
        for key, name in (("centre", "cl"), ("a_lcl", "lcl"), ("a_ucl", "ucl"),
                          ("a_lcl_95", "lcl_95"), ("a_ucl_95", "ucl_95")):
            r[key] = float(r_mean(arr[name][sl].tolist()))
        r["sigma_signals"] = int(sigma[sl].sum())
    arr.update(sigma_signal=sigma, runs_signal=np.array(runs_signal, dtype=bool),
               part=np.array(part, dtype=int), baseline=np.array(baseline, dtype=bool),
               include=np.array(include, dtype=bool))
    return arr, runs


# ------------------------------------------------------- NHSRplotthedots reference

def ref_mdc(y, *, improvement, target=None, rebase=None, fix_after=None, screen_outliers=True):
    N = len(y)
    y = [np.float64(v) for v in y]
    rb = set(rebase or [])
    group, g = [], 0
    for k in range(N):
        g += k in rb
        group.append(g)
    direction = {"increase": 1, "decrease": -1, "neutral": 0}[improvement]
    out = {name: [] for name in ("mean", "lpl", "upl", "outside", "close", "rtm", "type",
                                 "point_type", "group", "short", "trend_flag", "two_flag",
                                 "seven_flag")}
    groups = []
    starts = [k for k in range(N) if k == 0 or group[k] != group[k - 1]]
    for a, b in zip(starts, starts[1:] + [N]):
        gy = y[a:b]
        L = b - a
        fix = gy[: (fix_after or L)]
        mean = r_mean(fix)
        mr = [abs(fix[j] - fix[j - 1]) for j in range(1, len(fix))]
        amr = r_mean(mr)
        if screen_outliers:
            mr = [m for m in mr if m < 3.267 * amr]
            amr = r_mean(mr)
        limit = 2.66
        close_k = 2 * (limit / 3)
        lpl, upl = mean - limit * amr, mean + limit * amr
        nlpl, nupl = mean - close_k * amr, mean + close_k * amr
        outside = [bool(v > upl or v < lpl) for v in gy]
        rtm = [int(np.sign(v - mean)) for v in gy]
        close = [bool(not o and (v < nlpl or v > nupl)) for v, o in zip(gy, outside)]
        # 7 on one side (ptd_seven_point_one_side_mean + ptd_part_of_seven_trend)
        vp = [0] * 6 + rtm
        seven_end = [all(vp[i + 6] == vp[i + 6 - j] for j in range(1, 7)) and vp[i + 6] != 0
                     for i in range(L)]
        seven = [any(seven_end[i:i + 7]) for i in range(L)]
        # 7 point trend
        trend_end = [0] * L
        for i in range(6, L):
            d = [np.sign(gy[i - j] - gy[i - j - 1]) for j in range(6)]
            trend_end[i] = 1 if all(v == 1 for v in d) else (-1 if all(v == -1 for v in d) else 0)
        trend = [any(abs(v) == 1 for v in trend_end[i:i + 7]) for i in range(L)]
        # 2 in 3
        cp = [0, 0] + [int(c) for c in close] + [0, 0]
        rp = [0, 0] + rtm + [0, 0]
        two = []
        for i in range(L):
            hit = any(sum(cp[i + s:i + s + 3]) >= 2 and abs(sum(rp[i + s:i + s + 3])) == 3
                      for s in range(3))
            two.append(hit and close[i])
        types = []
        for i in range(L):
            if outside[i]:
                t = "Above UCL" if rtm[i] == 1 else "Below LCL"
            elif trend[i]:
                if i + 1 < L and trend[i + 1]:
                    sdy = np.sign(gy[i + 1] - gy[i])
                else:
                    sdy = 0 if i == 0 else np.sign(gy[i] - gy[i - 1])
                t = "7 Point Trend (" + ("In" if sdy == 1 else "De") + "creasing)"
            elif two[i]:
                t = "2 in 3 " + ("Above" if rtm[i] > 0 else "Below") + " CL"
            elif seven[i]:
                t = "7 Points " + ("Above" if rtm[i] > 0 else "Below") + " CL"
            else:
                t = "Common Cause"
            types.append(t)
        ptypes = []
        for t in types:
            v = 1 if ("Above" in t or "Increasing" in t) else (
                -1 if ("Below" in t or "Decreasing" in t) else 0)
            if direction == 0:
                ptypes.append({1: "special_cause_neutral_high", -1: "special_cause_neutral_low",
                               0: "common_cause"}[v])
            else:
                ptypes.append({1: "special_cause_improvement", -1: "special_cause_concern",
                               0: "common_cause"}[v * direction])
        for name, col in (("mean", [mean] * L), ("lpl", [lpl] * L), ("upl", [upl] * L),
                          ("outside", outside), ("close", close), ("rtm", rtm), ("type", types),
                          ("point_type", ptypes), ("group", [group[a]] * L),
                          ("short", [L < 13] * L), ("trend_flag", trend), ("two_flag", two),
                          ("seven_flag", seven)):
            out[name].extend(col)
        groups.append(dict(rebase_group=group[a], start=a, stop=b, mean=float(mean),
                           lpl=float(lpl), upl=float(upl), n=L,
                           common_cause=sum(t == "Common Cause" for t in types),
                           special_cause_improvement=ptypes.count("special_cause_improvement"),
                           special_cause_concern=ptypes.count("special_cause_concern"),
                           variation_type=ptypes[-1], short_group_warning=L < 13))
    last = out["point_type"][-1] if N else None
    icon = {
        "common_cause": "common_cause",
        "special_cause_neutral_high": "neutral_high",
        "special_cause_neutral_low": "neutral_low",
        "special_cause_improvement": "improvement_high" if direction == 1 else "improvement_low",
        "special_cause_concern": "concern_low" if direction == 1 else "concern_high",
    }.get(last)
    assurance = None
    if target is not None and direction != 0 and N:
        lpl, upl = out["lpl"][-1], out["upl"][-1]
        if target > upl:
            assurance = "consistent_fail" if direction == 1 else "consistent_pass"
        elif target < lpl:
            assurance = "consistent_pass" if direction == 1 else "consistent_fail"
        else:
            assurance = "inconsistent"
    return out, groups, icon, assurance


# ------------------------------------------------------------------- comparisons

def assert_close(name, got, want, ctx):
    got = np.asarray(got, dtype=float)
    want = np.asarray(want, dtype=float)
    assert got.shape == want.shape, (name, got.shape, want.shape, ctx)
    nan_g, nan_w = np.isnan(got), np.isnan(want)
    bad = nan_g != nan_w
    both = ~nan_g & ~nan_w
    with np.errstate(all="ignore"):
        diff = np.where(both, np.abs(got - want), 0.0)
        tol = RTOL * np.maximum(np.abs(want), 1e-300) + 1e-12 * (np.abs(want) < 1e-3)
        same_inf = both & np.isinf(want) & (got == want)
    bad |= both & ~same_inf & ~(diff <= tol)
    assert not bad.any(), (name, np.flatnonzero(bad)[:10].tolist(),
                           got[bad][:5].tolist(), want[bad][:5].tolist(), ctx)


RUN_FIELDS = ("n_obs", "n_useful", "longest_run", "longest_run_max", "crossings",
              "crossings_min", "signal")


def compare_spc(y, n=None, **kw):
    ctx = dict(y=y, n=n, **kw)
    want, want_runs = ref_spc(y, n, **kw)
    got = spc(y, n, **kw)
    for name in ("y", "cl", "ucl", "lcl", "ucl_95", "lcl_95"):
        assert_close(name, getattr(got, name), want[name], ctx)
    for name in ("sigma_signal", "runs_signal", "part", "baseline", "include"):
        assert np.array_equal(np.asarray(getattr(got, name)), want[name]), (
            name, np.asarray(getattr(got, name)).tolist(), want[name].tolist(), ctx)
    assert len(got.runs) == len(want_runs), ctx
    for g, w in zip(got.runs, want_runs):
        for key in RUN_FIELDS + ("start", "stop", "sigma_signals"):
            assert getattr(g, key) == w[key], (key, getattr(g, key), w[key], ctx)
        for key in ("centre", "a_lcl", "a_ucl", "a_lcl_95", "a_ucl_95"):
            assert_close(key, [getattr(g, key)], [w[key]], ctx)
    return got


def compare_mdc(y, **kw):
    ctx = dict(y=y, **kw)
    want, groups, icon, assurance = ref_mdc(y, **kw)
    got = mdc_xmr(y, **kw)
    for name, ref in (("mean", "mean"), ("lpl", "lpl"), ("upl", "upl")):
        assert_close(name, getattr(got, name), want[ref], ctx)
    assert list(got.special_cause_type) == want["type"], (
        list(got.special_cause_type), want["type"], ctx)
    assert list(got.point_type) == want["point_type"], ctx
    for name, ref in (("outside_limits", "outside"), ("close_to_limits", "close"),
                      ("two_in_three", "two_flag"), ("seven_one_side", "seven_flag"),
                      ("trend", "trend_flag"), ("short_group_warning", "short")):
        assert np.asarray(getattr(got, name), dtype=bool).tolist() == want[ref], (name, ctx)
    assert np.asarray(got.relative_to_mean).astype(int).tolist() == want["rtm"], ctx
    assert np.asarray(got.group).tolist() == want["group"], ctx
    assert got.variation == icon, (got.variation, icon, ctx)
    assert got.assurance == assurance, (got.assurance, assurance, ctx)
    assert len(got.groups) == len(groups), ctx
    for g, w in zip(got.groups, groups):
        for key in ("rebase_group", "start", "stop", "n", "common_cause",
                    "special_cause_improvement", "special_cause_concern", "variation_type",
                    "short_group_warning"):
            assert getattr(g, key) == w[key], (key, getattr(g, key), w[key], ctx)
    return got


# ------------------------------------------------------------------- strategies

SMALL = st.integers(0, 6).map(float)
HALVES = st.integers(-8, 8).map(lambda v: v / 2)
# No subnormal or tiny magnitudes: there R's long double sums differ from exact ones
# (e.g. mean(c(0, 3, -3.5, 2.2e-308, 0.5)) is 0 in R, 4.5e-309 exactly).
FLOATS = st.floats(-50, 50, allow_nan=False, allow_infinity=False).filter(
    lambda v: v == 0 or abs(v) >= 1e-3)
VALUE = st.one_of(SMALL, HALVES, FLOATS)
MAYBE = st.one_of(VALUE, VALUE, VALUE, VALUE, st.none(), st.just(NAN))


@st.composite
def layout(draw, n_points):
    """freeze / parts / exclude / multiply for a series of n_points."""
    kw = {}
    if n_points > 1 and draw(st.booleans()):
        kw["parts"] = sorted(set(draw(st.lists(st.integers(1, n_points - 1), min_size=1,
                                               max_size=min(3, n_points - 1)))))
    if n_points >= 1 and draw(st.booleans()):
        kw["freeze"] = draw(st.integers(1, n_points))
    if n_points >= 1 and draw(st.booleans()):
        kw["exclude"] = sorted(set(draw(st.lists(st.integers(0, n_points - 1), max_size=4))))
    kw["multiply"] = draw(st.sampled_from([1.0, 1.0, 100.0, 0.5, 1000 / 3]))
    kw["screen_mr"] = draw(st.booleans())
    return kw


@st.composite
def single_series(draw, values=MAYBE, min_size=1, max_size=40):
    y = draw(st.lists(values, min_size=min_size, max_size=max_size))
    # runs of equal values
    if y and draw(st.booleans()):
        i = draw(st.integers(0, len(y) - 1))
        k = draw(st.integers(1, 8))
        y = y[:i] + [y[i]] * k + y[i + 1:]
    return y


@st.composite
def ratio_series(draw, proportion):
    size = draw(st.integers(1, 40))
    n, y = [], []
    for _ in range(size):
        den = draw(st.one_of(st.integers(0, 12), st.integers(0, 3), st.none()))
        if proportion:
            num = None if den is None else draw(st.integers(0, den))
        else:
            num = draw(st.integers(0, 15)) if den != 0 else 0
        if draw(st.integers(0, 9)) == 0:
            num = None
        y.append(num)
        n.append(den)
    return y, n


@st.composite
def subgroup_series(draw):
    size = draw(st.integers(1, 25))
    fixed = draw(st.booleans())
    k0 = draw(st.integers(1, 5))
    out = []
    for _ in range(size):
        k = k0 if fixed else draw(st.integers(0, 5))
        out.append(draw(st.lists(st.one_of(SMALL, HALVES, FLOATS, st.just(NAN)),
                                 min_size=k, max_size=k)))
    return out


SETTINGS = settings(max_examples=120, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])


# ------------------------------------------------------------------- spc tests

@SETTINGS
@given(st.data(), st.sampled_from(["run", "i", "mr", "c", "g"]))
def test_single_value_charts_match_reference(data, chart):
    values = st.one_of(SMALL, SMALL, st.none()) if chart in ("c", "g") else MAYBE
    y = data.draw(single_series(values))
    if chart in ("c", "g"):
        y = [None if v is None else abs(v) for v in y]
    compare_spc(y, chart=chart, **data.draw(layout(len(y))))


@SETTINGS
@given(st.data())
def test_t_chart_matches_reference(data):
    y = data.draw(single_series(st.one_of(st.integers(1, 9).map(float),
                                          st.floats(0.01, 100), st.none())))
    compare_spc(y, chart="t", **data.draw(layout(len(y))))


@SETTINGS
@given(st.data(), st.sampled_from(["p", "pp", "u", "up"]))
def test_ratio_charts_match_reference(data, chart):
    y, n = data.draw(ratio_series(chart in ("p", "pp")))
    compare_spc(y, n, chart=chart, **data.draw(layout(len(y))))


@SETTINGS
@given(st.data(), st.sampled_from(["xbar", "s"]))
def test_subgroup_charts_match_reference(data, chart):
    y = data.draw(subgroup_series())
    compare_spc(y, chart=chart, **data.draw(layout(len(y))))


@SETTINGS
@given(st.data())
def test_ip_chart_matches_reference(data):
    kind = data.draw(st.sampled_from(["values", "ratio", "subgroups"]))
    if kind == "values":
        y, n = data.draw(single_series()), None
    elif kind == "ratio":
        y, n = data.draw(ratio_series(False))
    else:
        y, n = data.draw(subgroup_series()), None
    compare_spc(y, n, chart="ip", **data.draw(layout(len(y))))


# ------------------------------------------------------------------- mdc tests

MDC_VALUE = st.one_of(SMALL, HALVES, FLOATS, st.integers(0, 3).map(float))


@SETTINGS
@given(st.data())
def test_mdc_matches_reference(data):
    y = data.draw(single_series(MDC_VALUE, min_size=1, max_size=45))
    kw = {"improvement": data.draw(st.sampled_from(["increase", "decrease", "neutral"])),
          "screen_outliers": data.draw(st.booleans())}
    if data.draw(st.booleans()):
        kw["target"] = data.draw(st.one_of(MDC_VALUE, st.floats(-100, 100)))
    if len(y) > 1 and data.draw(st.booleans()):
        kw["rebase"] = sorted(set(data.draw(st.lists(st.integers(0, len(y) - 1), min_size=1,
                                                     max_size=3))))
    if data.draw(st.booleans()):
        kw["fix_after"] = data.draw(st.integers(12, 20))
    compare_mdc(y, **kw)


@SETTINGS
@given(st.data())
def test_mdc_trends_and_shifts_match_reference(data):
    """Monotone stretches and long one-sided runs, so the rules and their precedence fire."""
    pieces = data.draw(st.lists(st.tuples(st.sampled_from(["up", "down", "flat", "noise"]),
                                          st.integers(1, 10)), min_size=1, max_size=6))
    y, level = [], 10.0
    for kind, k in pieces:
        for _ in range(k):
            level += {"up": 1.0, "down": -1.0, "flat": 0.0}.get(kind, 0.0)
            y.append(level + (data.draw(st.integers(-3, 3)) if kind == "noise" else 0.0))
    kw = {"improvement": data.draw(st.sampled_from(["increase", "decrease", "neutral"])),
          "screen_outliers": data.draw(st.booleans())}
    if data.draw(st.booleans()):
        kw["target"] = data.draw(st.floats(-10, 40))
    compare_mdc(y, **kw)


# ------------------------------------------------------------- fixed edge cases

def test_reference_qbinom_examples():
    assert (qbinom05(9), qbinom05(23), qbinom05(99)) == (2, 8, 41)
    assert [round(math.log2(n)) + 3 for n in (10, 24, 100)] == [6, 8, 10]


@pytest.mark.parametrize("chart", ["run", "i", "mr", "c", "g", "t"])
def test_points_on_the_centre_line_and_constant_series(chart):
    for y in ([2, 2, 2, 2, 2], [1, 2, 3, 2, 1, 2, 3, 2, 2], [3.0] * 12, [1, 3] * 8):
        compare_spc(y, chart=chart)
        compare_spc(y, chart=chart, screen_mr=False)


@pytest.mark.parametrize("chart", ["run", "i", "mr", "c", "g", "t"])
def test_nan_next_to_excluded_points(chart):
    y = [3, 1, None, 4, 1, 5, None, 2, 6, 5, 3, 5, 2, 8]
    for exclude in ([1], [3], [2, 3], [5, 7], [0, 13]):
        compare_spc(y, chart=chart, exclude=exclude)
        compare_spc(y, chart=chart, exclude=exclude, freeze=9)
        compare_spc(y, chart=chart, exclude=exclude, parts=[4, 10])


@pytest.mark.parametrize("chart", ["run", "i", "mr", "c", "g", "t", "xbar", "s", "ip"])
def test_very_short_series(chart):
    if chart in ("xbar", "s"):
        for y in ([[1.0]], [[1.0, 2.0]], [[1.0, 2.0], [3.0]], [[], [1.0, 2.0, 4.0]]):
            compare_spc(y, chart=chart)
    else:
        for y in ([1.0], [1.0, 2.0], [None, 2.0], [2.0, 2.0]):
            compare_spc(y, chart=chart)


@pytest.mark.parametrize("chart", ["p", "pp", "u", "up", "ip"])
def test_zero_denominators(chart):
    compare_spc([0, 1, 0, 2, 0, 3], [0, 4, 0, 5, 3, 6], chart=chart)
    compare_spc([0, 0, 0], [0, 0, 0], chart=chart)


def test_subgroup_sd_is_r_var_to_the_last_bit():
    """sd(c(0, 1, 0)) is sqrt(1/3) in R (long double sum of squares); a plain double sum
    gives 0.33333333333333337 and so puts the point off the S chart's centre line."""
    y = [[1.0], [0.0, 1.0, 0.0], [1.0, NAN, 0.0, 1.0, 0.0]]
    got = compare_spc(y, chart="s", screen_mr=False)
    assert got.y[1] == got.y[2] == got.cl[1]
    assert got.runs[0].n_useful == 0
    compare_spc([[0.0, 1.0, 0.0], [1.0, 0.0, 0.0], [0.0, 0.0, 1.0], [1.0, 1.0, 0.0]], chart="s")
    compare_spc([[0.0, 1.0, 0.0], [1.0, 0.0, 0.0], [0.0, 0.0, 1.0], [1.0, 1.0, 0.0]], chart="xbar")


# ------------------------------------------------------------------- IHI rules (§5)

def ref_ihi(y, centre):
    """Shift (>= 6 useful points on one side), runs, trend (>= 5 distinct values going one
    way, equal neighbours counted once); returns (shift, trend, n_useful, runs)."""
    useful = [i for i, v in enumerate(y) if not isnan(v) and v != centre]
    shift = [False] * len(y)
    blocks = []
    for i in useful:
        side = y[i] > centre
        if blocks and blocks[-1][0] == side:
            blocks[-1][1].append(i)
        else:
            blocks.append((side, [i]))
    for _, members in blocks:
        if len(members) >= 6:
            for i in members:
                shift[i] = True
    seen = [i for i, v in enumerate(y) if not isnan(v) and math.isfinite(v)]
    distinct = []  # (value, original indices)
    for i in seen:
        if distinct and distinct[-1][0] == y[i]:
            distinct[-1][1].append(i)
        else:
            distinct.append((y[i], [i]))
    trend = [False] * len(y)
    for direction in (1, -1):
        start = 0
        for k in range(1, len(distinct) + 1):
            going = k < len(distinct) and (distinct[k][0] - distinct[k - 1][0]) * direction > 0
            if not going:
                if k - start >= 5:
                    for _, members in distinct[start:k]:
                        for i in members:
                            trend[i] = True
                start = k
    return shift, trend, len(useful), len(blocks)


@SETTINGS
@given(single_series(st.one_of(SMALL, st.integers(0, 3).map(float), st.none()), max_size=40),
       st.sampled_from([0.0, 1.0, 1.5, 2.0, 3.0]))
def test_ihi_rules_match_reference(y, centre):
    from qidesk.analysis import ihi_rules, runs_limits

    shift, trend, n_useful, runs = ref_ihi(y, centre)
    got = ihi_rules([NAN if v is None else v for v in y], centre)
    assert got.shift.tolist() == shift, (y, centre)
    assert got.trend.tolist() == trend, (y, centre)
    assert (got.n_useful, got.runs) == (n_useful, runs)
    limits = runs_limits(n_useful)
    assert (got.runs_lower, got.runs_upper) == (limits or (None, None))


# ----------------------------------------------------------------- bad and empty input

@pytest.mark.parametrize("call", [
    lambda: spc([1, 2, 3], chart="z"),                          # unknown chart
    lambda: spc([1, 2, 3], chart="p"),                          # n missing for p
    lambda: spc([1, 2, 3], chart="u"),                          # n missing for u
    lambda: spc([1, 5, 3], [4, 4, 4], chart="p"),               # numerator > denominator
    lambda: spc([1, 0, 3], [4, -1, 4], chart="p"),              # negative denominator
    lambda: spc([1, 0, 3], chart="t"),                          # non-positive t value
    lambda: spc([1, -2, 3], chart="t", exclude=[1]),            # ... even excluded (qic.t)
    lambda: spc([1, 2, 3], chart="i", freeze=4),                # freeze larger than series
    lambda: spc([1, 2, 3], chart="i", parts=[3]),               # part out of range
    lambda: spc([1, 2, 3, 4], chart="i", parts=[2, 1]),         # parts not increasing
    lambda: spc([1, 2, 3], chart="xbar"),                       # no subgroups
    lambda: mdc_xmr(list(range(20)), improvement="increase", fix_after=11),
    lambda: mdc_xmr([1.0, None, 3.0], improvement="increase"),  # NHSRplotthedots fails on NA
])
def test_bad_input_is_a_value_error_naming_the_problem(call):
    with pytest.raises(AnalysisInputError) as info:
        call()
    assert isinstance(info.value, ValueError) and len(str(info.value)) > 20


@pytest.mark.parametrize("chart", ["run", "i", "mr", "p", "pp", "u", "up", "c", "g", "t",
                                   "xbar", "s", "ip"])
def test_empty_and_all_missing_series_give_empty_results(chart):
    for size in (0, 3):
        y = [[NAN]] * size if chart in SUBGROUP_CHARTS else [None] * size
        n = [None] * size if chart in RATIO_CHARTS else None
        r = spc(y, n, chart=chart)
        assert r.y.size == size and np.isnan(r.cl).all() and not r.sigma_signal.any()
        assert all(p.n_useful == 0 and not p.signal for p in r.runs)


def test_mdc_of_an_all_missing_series_is_empty_not_an_error():
    for y in ([], [None, None, None], [NAN]):
        m = mdc_xmr(y, improvement="increase")
        assert m.y.size == len(y) and np.isnan(m.mean).all() and m.variation is None
        assert not m.special_cause_flag.any()


def test_mdc_target_on_a_limit_is_inconsistent():
    y = [10.0, 12.0, 11.0, 13.0, 12.0, 10.0, 11.0, 12.0, 14.0, 11.0, 12.0, 13.0, 12.0]
    for improvement in ("increase", "decrease"):
        m = compare_mdc(y, improvement=improvement)
        for target in (m.upl[-1], m.lpl[-1]):
            assert compare_mdc(y, improvement=improvement, target=target).assurance == (
                "inconsistent")
        assert compare_mdc(y, improvement="neutral", target=m.upl[-1] + 1).assurance is None


def test_mdc_trend_labels_where_trends_meet():
    """A point shared by an increasing and a decreasing trend takes its right-hand
    difference; the end of a trend followed by an equal value reads 'Decreasing'
    (sign 0 is not 1 in ptd_special_cause_type)."""
    for y in ([1, 2, 3, 4, 5, 6, 7, 6, 5, 4, 3, 2, 1, 0],
              [7, 6, 5, 4, 3, 2, 1, 2, 3, 4, 5, 6, 7, 8],
              [12, 0, 12, 0, 1, 2, 3, 4, 5, 6, 7, 7, 6, 5, 4, 3, 2, 1]):
        for screen in (True, False):
            compare_mdc([float(v) for v in y], improvement="increase", screen_outliers=screen)
    m = compare_mdc([12.0, 0, 12, 0, 1, 2, 3, 4, 5, 6, 7, 7, 6, 5, 4, 3, 2, 1],
                    improvement="increase", screen_outliers=False)
    assert m.special_cause_type[9:11] == ["7 Point Trend (Increasing)",
                                          "7 Point Trend (Decreasing)"]


@SETTINGS
@given(st.data(), st.sampled_from(["run", "i", "mr", "c", "g", "t", "p", "u", "pp", "up",
                                   "xbar", "s", "ip"]))
def test_a_known_centre_line_matches_reference(data, chart):
    """qic(cl = ...): the limits are built around the given centre (for t on the
    transformed scale as qic.t passes it on unchanged; for g the plotted line is 0.693·cl)."""
    if chart in RATIO_CHARTS:
        y, n = data.draw(ratio_series(chart in ("p", "pp")))
        cl = data.draw(st.sampled_from([0.25, 0.5, 1.0]))
    elif chart in SUBGROUP_CHARTS:
        y, n = data.draw(subgroup_series()), None
        cl = data.draw(st.sampled_from([0.5, 1.0, 2.0]))
    else:
        values = st.one_of(st.integers(1, 6).map(float), st.none())
        y, n = data.draw(single_series(values)), None
        cl = data.draw(st.sampled_from([1.0, 2.0, 3.5]))
    compare_spc(y, n, chart=chart, cl=cl, **data.draw(layout(len(y))))


def test_long_series_keep_points_on_a_mean_centre_line():
    """Beyond 20,000 points the mean is taken in double, but with R's second (residual)
    pass: mean(rep(c(0.1, 0.2, 0.3), 8000)) is 0.2 in R, so 8000 points sit on the I
    chart's centre line and are not useful (a one-pass double mean is 0.20000000000000004)."""
    y = [0.1, 0.2, 0.3] * 8000
    assert float(r_mean(y)) == 0.2
    for values in (y, y + [None]):
        r = spc(values, chart="i")
        assert r.cl[0] == 0.2 and r.runs[0].n_useful == 16000
    assert mdc_xmr(y, improvement="increase").mean[0] == 0.2
    assert np.isnan(spc([None] * 20_001, chart="i").cl).all()


@SETTINGS
@given(st.data(), st.sampled_from(["pp", "up", "run", "i"]))
def test_categorical_x_matches_reference(data, chart):
    """Categorical x (qicharts2's dots.only): no runs signal; Laney charts use sd(z)."""
    if chart in RATIO_CHARTS:
        y, n = data.draw(ratio_series(chart == "pp"))
    else:
        y, n = data.draw(single_series()), None
    compare_spc(y, n, chart=chart, categorical=True, **data.draw(layout(len(y))))
