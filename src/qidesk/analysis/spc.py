"""Run and control charts with the numbers of qicharts2 0.8.1 (`qic()`, R/qic.R and
R/helper.functions.R), computed once per part with vectorised numpy.

The pipeline follows `qic.agg` (helper.functions.R:554-631): split into parts, apply
the chart function and the Anhøj runs analysis to each part, then multiply, drop
non-finite limits, flag points outside the limits and, with `y_neg=False`, floor
negative lower limits at zero.
"""

from __future__ import annotations

import numbers
from dataclasses import dataclass, field
from functools import cached_property

import numpy as np

from qidesk.analysis.anhoej import METHODS, RunsStats, centre_side, side_runs
from qidesk.analysis.errors import AnalysisInputError
from qidesk.analysis.limits import Lines, PartInput, is_constant, line, nan_mean
from qidesk.analysis.limits_counts import c_chart, p_chart, pp_chart, u_chart, up_chart
from qidesk.analysis.limits_measures import g_chart, i_chart, ip_chart, mr_chart, run_chart, t_chart
from qidesk.analysis.limits_subgroups import s_chart, xbar_chart
from qidesk.analysis.spc_input import (
    SUBGROUPED,
    Series,
    baseline_mask,
    check_chart,
    include_mask,
    part_starts,
    read_series,
    user_centre,
)

CHART_LINES = {
    "run": run_chart,
    "i": i_chart,
    "mr": mr_chart,
    "p": p_chart,
    "pp": pp_chart,
    "u": u_chart,
    "up": up_chart,
    "c": c_chart,
    "g": g_chart,
    "t": t_chart,
    "xbar": xbar_chart,
    "s": s_chart,
    "ip": ip_chart,
}


@dataclass(frozen=True)
class PartRuns:
    """Runs analysis and summary of one part: one row of qicharts2's `summary()`.

    The points of the part are `start` to `stop - 1`. The four run counts are None
    when no point is useful. `signal` is summary's runs.signal (always False for MR
    charts and categorical x). `centre`, `a_lcl`, ... are means of the per-point lines
    over the part, NaN when all are missing (R/qic.summary.R), worked out on first use;
    `sigma_signals` counts points outside the 3-sigma limits. `changes`, when known:
    positions among the useful points after which the result's `side` changes.
    """

    start: int
    stop: int
    n_obs: int
    n_useful: int
    longest_run: int | None
    longest_run_max: int | None
    crossings: int | None
    crossings_min: int | None
    signal: bool
    sigma_signals: int
    lines: dict[str, np.ndarray] = field(repr=False, compare=False)
    changes: np.ndarray | None = field(default=None, repr=False, compare=False)

    def _line_mean(self, name: str) -> float:
        """Mean of a line over the part, as summary() takes it; NaN if all missing."""
        values = self.lines[name][self.start:self.stop]
        return float(values[0]) if is_constant(values) else nan_mean(values)

    centre = cached_property(lambda self: self._line_mean("cl"))
    a_lcl = cached_property(lambda self: self._line_mean("lcl"))
    a_ucl = cached_property(lambda self: self._line_mean("ucl"))
    a_lcl_95 = cached_property(lambda self: self._line_mean("lcl_95"))
    a_ucl_95 = cached_property(lambda self: self._line_mean("ucl_95"))


@dataclass(frozen=True, eq=False)
class SpcResult:
    """Per-point lines and signals of a chart; arrays are read-only, NaN where none.

    `n` holds the denominators (NaN where the point is missing; qicharts2 shows 0
    there), the subgroup sizes for xbar/s and I′ subgroups, or None. Flat lines are
    zero-stride views; copy one before writing to it. `side` is +1 above the centre
    line, -1 below it, 0 on it or missing.
    """

    chart: str
    y: np.ndarray
    n: np.ndarray | None
    cl: np.ndarray
    ucl: np.ndarray
    lcl: np.ndarray
    ucl_95: np.ndarray
    lcl_95: np.ndarray
    sigma_signal: np.ndarray
    runs_signal: np.ndarray
    baseline: np.ndarray
    include: np.ndarray
    part: np.ndarray
    runs: tuple[PartRuns, ...]
    side: np.ndarray


def spc(
    y,
    n=None,
    *,
    chart: str,
    freeze: int | None = None,
    parts=None,
    exclude=None,
    multiply: float = 1.0,
    screen_mr: bool = True,
    cl=None,
    method: str = "anhoej",
    y_neg: bool = True,
    categorical: bool = False,
) -> SpcResult:
    """Centre line, limits and Anhøj/3-sigma signals of `y` as qicharts2's `qic()`.

    `y` holds one value per point (numerators for p/pp/u/up), or one subgroup of
    values per point for xbar/s (and optionally ip). None/NaN is a gap. `freeze`: the
    first k points are the baseline (ignored when `parts` is given); `parts`: 0-based
    indices where a new part starts; `exclude`: 0-based indices left out of the
    calculations. `screen_mr` is qicharts2's option qic.screenedmr. Beyond the issue:
    `cl` a known centre line (one value or one per point), `method` 'anhoej',
    'bestbox' or 'cutbox' for the runs signal, `y_neg=False` floors negative lower
    limits at 0 when no y is negative, `categorical=True` for categorical x
    (qicharts2's dots.only: no runs signal; Laney charts use sd(z)).
    """
    with np.errstate(all="ignore"):  # R arithmetic: x/0 is Inf, 0/0 NaN, no warnings
        return _spc(y, n, chart, freeze, parts, exclude, multiply, bool(screen_mr), cl, method,
                    bool(y_neg), bool(categorical))


def _spc(y, n, chart, freeze, parts, exclude, multiply, screen_mr, cl, method, y_neg, categorical):
    chart = check_chart(chart)
    series = read_series(y, n, chart)
    size = series.size
    starts = part_starts(parts, size)
    baseline = baseline_mask(freeze, size, ignored=parts is not None)
    include = include_mask(exclude, size)
    centre_line = user_centre(cl, size)
    _check_options(multiply, method)
    bounds = list(zip(starts, [*starts[1:], size]))
    lines = [CHART_LINES[chart](_part_input(series, slice(start, stop), baseline, include,
                                            centre_line, screen_mr, categorical))
             for start, stop in bounds]
    no_runs_signal = chart == "mr" or categorical
    return _finish(chart, series, lines, bounds, baseline, include, float(multiply), method,
                   no_runs_signal, y_neg)


def _check_options(multiply: object, method: object) -> None:
    real = isinstance(multiply, numbers.Real) and not isinstance(multiply, bool)
    if not real or not np.isfinite(multiply):
        raise AnalysisInputError(f"multiply must be a finite number, not {multiply!r}")
    if method not in METHODS:
        raise AnalysisInputError(f"method must be one of {', '.join(METHODS)}, not {method!r}")


def _part_input(series: Series, sl: slice, baseline, include, cl, screen, categorical) -> PartInput:
    part_cl = None
    if cl is not None and not np.isnan(cl[sl]).any():
        part_cl = cl[sl]

    def cut(a):
        return None if a is None else a[sl]

    return PartInput(
        y=series.y[sl],
        y_sum=series.y_sum[sl],
        n=cut(series.n),
        y_length=cut(series.y_length),
        y_mean=cut(series.y_mean),
        y_sd=cut(series.y_sd),
        base=baseline[sl] & include[sl],
        cl=part_cl,
        screen_mr=screen,
        categorical=categorical,
    )


def _join(lines: list[Lines], name: str, multiply: float, limit: bool) -> np.ndarray:
    """One column over all parts, scaled; non-finite limits become NaN (:591-613).

    Never writes into a part's arrays: they may be constant views or the caller's y
    (the caller copies y).
    """
    arrays = [getattr(part, name) for part in lines]
    if len(arrays) > 1:
        joined = np.concatenate(arrays)
        if multiply != 1:
            joined *= multiply
    elif multiply == 1:
        joined = arrays[0]
    elif is_constant(arrays[0]):
        joined = line(arrays[0][0] * multiply, arrays[0].size)
    else:
        joined = arrays[0] * multiply
    return _finite_or_nan(joined) if limit else joined


def _finite_or_nan(values: np.ndarray) -> np.ndarray:
    if is_constant(values):
        return line(np.nan, values.size) if np.isinf(values[0]) else values
    infinite = np.isinf(values)
    return np.where(infinite, np.nan, values) if infinite.any() else values


def _finish(chart, series, lines, bounds, baseline, include, multiply, method, no_runs, y_neg):
    if not lines:
        empty = np.empty(0)
        cols = dict.fromkeys(("cl", "ucl", "lcl", "ucl_95", "lcl_95"), empty)
        return _result(chart, empty, series, cols, empty.astype(bool), empty.astype(bool),
                       baseline, include, np.empty(0, dtype=np.int64), (), np.empty(0, np.int8))
    y = _join(lines, "y", multiply, limit=False)
    if len(lines) == 1 and multiply == 1:
        y = y.copy()  # the result is read-only: never freeze the caller's array
    cols = {"cl": _join(lines, "cl", multiply, limit=False)}
    for name in ("ucl", "lcl", "ucl_95", "lcl_95"):
        cols[name] = _join(lines, name, multiply, limit=True)
    side = centre_side(y, cols["cl"])
    stats = [_runs(lines[k], side, include, bounds[k], multiply, method) for k in range(len(lines))]
    sigma = (y > cols["ucl"]) | (y < cols["lcl"])
    if not y_neg:
        _floor_negative_lcl(y, cols)
    signals = [s.signal and not no_runs for s in stats]
    if len(bounds) == 1:
        runs_signal = np.full(y.size, signals[0])
        part = np.zeros(y.size, dtype=np.int64)
    else:
        sizes = [stop - start for start, stop in bounds]
        runs_signal = np.repeat(np.array(signals, dtype=bool), sizes)
        part = np.repeat(np.arange(len(bounds)), sizes)
    # Runs counted on the unscaled lines describe the result's side only when unscaled.
    runs = tuple(_part_runs(s, b, cols, sigma, sig, s.changes if multiply == 1 else None)
                 for s, b, sig in zip(stats, bounds, signals))
    return _result(chart, y, series, cols, sigma, runs_signal, baseline, include, part, runs, side)


def _runs(lines: Lines, side, include, bounds, multiply: float, method: str) -> RunsStats:
    """Anhøj runs of one part, on its lines before `multiply` as qicharts2 does; scaled by
    1 they are the same numbers, so the joined side serves."""
    start, stop = bounds
    part_side = side[start:stop] if multiply == 1 else centre_side(lines.y, lines.cl)
    return side_runs(part_side, include[start:stop], method)


def _floor_negative_lcl(y: np.ndarray, cols: dict) -> None:
    """y.neg = FALSE: when no y is negative, negative LCLs become 0 (:624-628)."""
    present = y[~np.isnan(y)]
    if present.size == 0 or present.min() >= 0:
        for name in ("lcl", "lcl_95"):
            col = cols[name]
            cols[name] = np.where(col < 0, 0.0, col) if (col < 0).any() else col


def _part_runs(stats: RunsStats, bounds, cols, sigma, signal, changes) -> PartRuns:
    sl = slice(*bounds)
    return PartRuns(
        start=bounds[0],
        stop=bounds[1],
        n_obs=stats.n_obs,
        n_useful=stats.n_useful,
        longest_run=stats.longest_run,
        longest_run_max=stats.longest_run_max,
        crossings=stats.crossings,
        crossings_min=stats.crossings_min,
        signal=signal,
        sigma_signals=int(np.count_nonzero(sigma[sl])),
        lines=cols,
        changes=changes,
    )


def _output_n(chart: str, series: Series) -> np.ndarray | None:
    """Denominators as given, or the subgroup sizes for xbar/s."""
    if chart in SUBGROUPED:
        return series.y_length
    if chart == "ip" and series.n is None:
        return (~np.isnan(series.y)).astype(float)
    return series.n


def _result(chart, y, series, cols, sigma, runs_signal, baseline, include, part, runs,
            side) -> SpcResult:
    n = _output_n(chart, series)
    arrays = [y, cols["cl"], cols["ucl"], cols["lcl"], cols["ucl_95"], cols["lcl_95"],
              sigma, runs_signal, baseline, include, part, side]
    if n is not None:
        n = np.array(n, dtype=float)
        arrays.append(n)
    for array in arrays:
        array.flags.writeable = False
    return SpcResult(
        chart=chart,
        y=y,
        n=n,
        cl=cols["cl"],
        ucl=cols["ucl"],
        lcl=cols["lcl"],
        ucl_95=cols["ucl_95"],
        lcl_95=cols["lcl_95"],
        sigma_signal=sigma,
        runs_signal=runs_signal,
        baseline=baseline,
        include=include,
        part=part,
        runs=runs,
        side=side,
    )
