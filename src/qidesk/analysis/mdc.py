"""NHS England "Making Data Count" XmR charts, computed as NHSRplotthedots 0.2.2 does.

Source: github nhs-r-community/NHSRplotthedots @ 050b07d (see SPC_RULES.md section 4);
`file:line` below refers to that tree.

Missing values: NHSRplotthedots fails on them (its trend rule stops on NA). QIDesk
raises `AnalysisInputError` naming the missing points (`missing="error"`, the default),
or with `missing="skip"` computes on the observed points only, as if the missing periods
were not there: limits and rules use the observed points of each group in order, and a
missing point gets no flags, `relative_to_mean` 0 and point_type "missing".
"""

from __future__ import annotations

import numbers
import operator
from dataclasses import dataclass
from functools import cached_property

import numpy as np

from qidesk.analysis.errors import AnalysisInputError
from qidesk.analysis.limits import LONG_SUM_MAX, r_mean

# R/ptd_spc_standard.R:47-94: limits at mean -/+ 2.66 * mean moving range (not 3/1.128),
# the "close to limits" lines at two thirds of that distance.
LIMIT = 2.66
LIMIT_CLOSE = 2 * (LIMIT / 3)
# R/ptd_spc_standard.R: with screen_outliers a moving range is kept if mr < 3.267 * amr.
MR_SCREEN = 3.267
# R/ptd_spc_options.R:60-70: fix_after_n_points must be >= 12.
MIN_FIX_AFTER = 12
# R/ptd_add_short_group_warnings.R:20-44 (0.2.2): a group of n < 13 has trial limits.
SHORT_GROUP = 13
# R/ptd_calculate_point_type.R:29-65: run and trend lengths are hard-coded to 7 points.
RUN_LENGTH = 7
TREND_LENGTH = 7
SHORT_GROUP_MESSAGE = (
    "Some groups have 'n < 12' observations. These have trial limits, which will be "
    "revised with each additional observation until 'n = fix_after_n_points' has been "
    "reached."
)

DIRECTIONS = {"increase": 1, "decrease": -1, "neutral": 0}

# Labels in the order of their codes; ptd_special_cause_type (R/ptd_calculate_point_type.R:102-108).
SPECIAL_CAUSE_TYPES = (
    "Common Cause", "Above UCL", "Below LCL",
    "7 Point Trend (Increasing)", "7 Point Trend (Decreasing)",
    "2 in 3 Above CL", "2 in 3 Below CL", "7 Points Above CL", "7 Points Below CL",
    "Missing",
)
# ptd_point_type: +1 for "Above"/"Increasing" labels, -1 for "Below"/"Decreasing".
CAUSE_SIDE = np.array([0, 1, -1, 1, -1, 1, -1, 1, -1, 0], dtype=np.int8)
MISSING_CAUSE = 9
POINT_TYPES = (
    "common_cause", "special_cause_improvement", "special_cause_concern",
    "special_cause_neutral_high", "special_cause_neutral_low", "missing",
)
MISSING_POINT = 5
_OBJ_CAUSES = np.array(SPECIAL_CAUSE_TYPES, dtype=object)
_OBJ_POINTS = np.array(POINT_TYPES, dtype=object)

# R/geom_ptd_icon.R:118-156 (0.2.2): the variation icon of a point type, by direction.
VARIATION_ICONS = {
    "increase": {"special_cause_improvement": "improvement_high",
                 "special_cause_concern": "concern_low"},
    "decrease": {"special_cause_improvement": "improvement_low",
                 "special_cause_concern": "concern_high"},
    "neutral": {},
}
_COMMON_ICONS = {"common_cause": "common_cause", "special_cause_neutral_high": "neutral_high",
                 "special_cause_neutral_low": "neutral_low"}
ASSURANCE_ICONS = {"consistent_pass": "pass", "consistent_fail": "fail",
                   "inconsistent": "inconsistent"}


@dataclass(frozen=True)
class MdcGroup:
    """One rebase group (phase), as a row of `summary(ptd_spc(...))`; points [start, stop).

    `n` counts the group's values (with missing="skip", its observed values only).
    """

    rebase_group: int
    start: int
    stop: int
    mean: float
    lpl: float
    upl: float
    near_lpl: float
    near_upl: float
    n: int
    common_cause: int
    special_cause_improvement: int
    special_cause_concern: int
    variation_type: str | None
    short_group_warning: bool
    assurance_type: str | None


@dataclass(frozen=True, eq=False)
class MdcResult:
    """Per-point Making Data Count XmR output; every array has one entry per input point.

    `outside_limits`, `two_in_three`, `seven_one_side` and `trend` say which rules
    flagged each point (all that apply, not only the label that wins);
    `special_cause_type` is the package's winning label. The lines (`mean`, `lpl`,
    `upl`, `near_lpl`, `near_upl`), `group` and the labels are built on first use.
    """

    y: np.ndarray
    improvement: str
    target: float | None
    groups: tuple[MdcGroup, ...]
    baseline: np.ndarray
    outside_limits: np.ndarray
    close_to_limits: np.ndarray
    relative_to_mean: np.ndarray
    two_in_three: np.ndarray
    seven_one_side: np.ndarray
    trend: np.ndarray
    trend_increasing: np.ndarray
    cause_code: np.ndarray
    point_code: np.ndarray
    variation: str | None
    assurance: str | None
    warnings: tuple[str, ...]

    def _per_point(self, attr: str) -> np.ndarray:
        values = np.array([getattr(g, attr) for g in self.groups])
        return np.repeat(values, [g.stop - g.start for g in self.groups])

    mean = cached_property(lambda self: self._per_point("mean"))
    lpl = cached_property(lambda self: self._per_point("lpl"))
    upl = cached_property(lambda self: self._per_point("upl"))
    near_lpl = cached_property(lambda self: self._per_point("near_lpl"))
    near_upl = cached_property(lambda self: self._per_point("near_upl"))
    group = cached_property(lambda self: self._per_point("rebase_group").astype(np.int64))
    short_group_warning = cached_property(
        lambda self: self._per_point("short_group_warning").astype(bool))

    @cached_property
    def special_cause_flag(self) -> np.ndarray:
        return (self.cause_code != 0) & (self.cause_code != MISSING_CAUSE)

    @cached_property
    def special_cause_type(self) -> list[str]:
        """The package's label per point ("Above UCL", "7 Point Trend (Increasing)", ...)."""
        return _OBJ_CAUSES[self.cause_code].tolist()

    @cached_property
    def point_type(self) -> list[str]:
        """"common_cause", "special_cause_improvement", ... (or "missing") per point."""
        return _OBJ_POINTS[self.point_code].tolist()

    @property
    def icons(self) -> tuple[tuple[str, str], ...]:
        """(type, file) pairs as `ptd_get_icons()`: the variation icon, then assurance."""
        out = [] if self.variation is None else [("variation", self.variation + ".svg")]
        if self.assurance is not None:
            out.append(("assurance", ASSURANCE_ICONS[self.assurance] + ".svg"))
        return tuple(out)


def mdc_xmr(y, *, improvement: str, target: float | None = None, rebase=None,
            fix_after: int | None = None, screen_outliers: bool = True,
            missing: str = "error") -> MdcResult:
    """Making Data Count XmR chart of `y` (in time order), exactly as NHSRplotthedots 0.2.2.

    `rebase`: 0-based indices where a new group starts (`rebase_group` counts the
    rebase points at or before each point, as `cumsum(date %in% rebase)`).
    `fix_after`: limits from the first k >= 12 points of each group.
    """
    values, observed = _as_values(y)
    sign, fix_n, target = _options(improvement, fix_after, target, missing)
    bounds = _rebase_bounds(rebase, values.size)
    # An all-missing series is an empty chart (issue: no exception), as with missing="skip".
    if missing == "error" and not observed.all() and observed.any():
        where = ", ".join(str(i) for i in np.flatnonzero(~observed)[:10])
        raise AnalysisInputError(
            f"Missing values at points {where} (0-based): Making Data Count charts need a "
            "value for every period; fill them in, or leave them out with missing='skip'.")
    return _build(values, observed, bounds, sign, improvement, fix_n, screen_outliers, target)


def _as_values(y) -> tuple[np.ndarray, np.ndarray]:
    """y as a read-only float array (not copied if it already is one), and observed mask."""
    try:
        values = np.asarray(y, dtype=float)
    except (TypeError, ValueError) as exc:
        raise AnalysisInputError(f"y must be numbers (None for missing): {exc}") from None
    if values.ndim != 1:
        raise AnalysisInputError("y must be one value per point (a flat sequence)")
    values = values.view()
    values.flags.writeable = False
    finite = np.isfinite(values)
    if finite.all():
        return values, finite
    if np.isinf(values).any():
        where = ", ".join(str(i) for i in np.flatnonzero(np.isinf(values))[:10])
        raise AnalysisInputError(f"Infinite values at points {where} (0-based)")
    return values, finite


def _real(value) -> bool:
    return isinstance(value, numbers.Real) and not isinstance(value, bool)


def _options(improvement, fix_after, target, missing) -> tuple[int, float, float | None]:
    """Checked (improvement sign, points the limits use, target)."""
    if not isinstance(improvement, str) or improvement not in DIRECTIONS:
        raise AnalysisInputError(
            f"improvement must be 'increase', 'decrease' or 'neutral', not {improvement!r}")
    if fix_after is not None and not (_real(fix_after) and fix_after >= MIN_FIX_AFTER):
        raise AnalysisInputError(
            f"fix_after must be a number of points >= {MIN_FIX_AFTER}, not {fix_after!r}")
    if target is not None and not (_real(target) and np.isfinite(target)):
        raise AnalysisInputError(f"target must be a finite number, not {target!r}")
    if missing not in ("error", "skip"):
        raise AnalysisInputError(f"missing must be 'error' or 'skip', not {missing!r}")
    fix_n = np.inf if fix_after is None else float(fix_after)
    return DIRECTIONS[improvement], fix_n, None if target is None else float(target)


def _rebase_bounds(rebase, n: int) -> list[tuple[int, int, int]]:
    """(rebase_group, start, stop) per group; rebase_group = cumsum(date %in% rebase)."""
    starts = set()
    for raw in () if rebase is None else rebase:
        try:
            i = operator.index(raw)
        except TypeError:
            raise AnalysisInputError(f"rebase must be point indices, not {raw!r}") from None
        if not 0 <= i < n:
            raise AnalysisInputError(f"rebase index {i} is outside the series (0..{n - 1})")
        starts.add(i)
    edges = sorted(starts | {0, n})
    label0 = 1 if 0 in starts else 0
    return [(label0 + k, lo, hi) for k, (lo, hi) in enumerate(zip(edges, edges[1:]))]


def _mean(chunks) -> float:
    """R's mean() over the values `chunks()` yields: sum/n plus the mean residual
    (summary.c), which fixes the last bit so a value equal to the mean compares equal."""
    total, count = 0.0, 0
    for c in chunks():
        total += float(c.sum())
        count += c.size
    if not count:
        return np.nan
    first = total / count
    return first + sum(float((c - first).sum()) for c in chunks()) / count


_CHUNK = 1 << 16  # pass over long series in cache-sized pieces, with no large temporaries


def _limits(z: np.ndarray, fix_n: float, screen: bool) -> tuple[float, float]:
    """Mean and mean moving range of a group's first fix_n points (ptd_spc_standard.R).

    The mean is R's long-double mean (`limits.r_mean`) up to LONG_SUM_MAX points, as
    for SPC centre lines, so a value equal to the mean sits on it as it does in R.
    """
    fixed = z[: int(min(fix_n, z.size))]
    if fixed.size > _CHUNK:
        return _chunked_limits(fixed, screen)
    mr = np.abs(np.subtract(fixed[1:], fixed[:-1]))
    amr = _mean(lambda: (mr,))
    if screen:
        below = MR_SCREEN * amr
        kept = mr if below == np.inf else mr[mr < below]
        amr = _mean(lambda: (kept,))
    mean = r_mean(fixed) if fixed.size <= LONG_SUM_MAX else _mean(lambda: (fixed,))
    return mean, amr


def _chunked_limits(fixed: np.ndarray, screen: bool) -> tuple[float, float]:
    """`_limits` of a long group in pieces, with no large temporaries."""

    def values():
        return (fixed[i: i + _CHUNK] for i in range(0, fixed.size, _CHUNK))

    def ranges(below=np.inf):
        for i in range(0, max(fixed.size - 1, 0), _CHUNK):
            piece = fixed[i: i + _CHUNK + 1]
            mr = np.abs(np.subtract(piece[1:], piece[:-1]))
            yield mr if below == np.inf else mr[mr < below]

    amr = _mean(ranges)
    if screen:
        amr = _mean(lambda: ranges(MR_SCREEN * amr))
    return _mean(values), amr


def _window_all(a: np.ndarray, k: int) -> np.ndarray:
    """w[j] = a[j] & a[j+1] & ... & a[j+k-1]: k-long windows where `a` always holds.

    Windows double in length each pass (1, 2, 4, ...), then two overlapping ones make k.
    """
    if a.size < k:
        return np.zeros(0, dtype=bool)
    w, span = a, 1
    while 2 * span <= k:
        w, span = w[:-span] & w[span:], 2 * span
    if span < k:
        w = w[:span - k] & w[k - span:]
    return w


def _spread(w: np.ndarray, k: int, n: int) -> np.ndarray:
    """The n points covered by the true windows of w, each window k points long."""
    flag = np.zeros(n, dtype=bool)
    for s in range(k):
        flag[s: s + w.size] |= w
    return flag


def _seven_one_side(rtm: np.ndarray) -> np.ndarray:
    """7+ points in a row on the same side of the mean; a point on the mean breaks it."""
    same = (rtm[1:] == rtm[:-1]) & (rtm[1:] != 0)
    return _spread(_window_all(same, RUN_LENGTH - 1), RUN_LENGTH, rtm.size)


def _trend(z: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """7+ points each strictly above (below) the one before: (in a trend, labelled up)."""
    up, down = z[1:] > z[:-1], z[1:] < z[:-1]
    windows = _window_all(up, TREND_LENGTH - 1) | _window_all(down, TREND_LENGTH - 1)
    trend = _spread(windows, TREND_LENGTH, z.size)
    # The label follows the right-hand difference when the next point is in a trend too,
    # else the left one; a zero difference reads "Decreasing" (ptd_special_cause_type).
    right = np.zeros(z.size, dtype=bool)
    right[:-1] = trend[:-1] & trend[1:]
    labelled_up = np.zeros(z.size, dtype=bool)
    labelled_up[:-1] = right[:-1] & up
    labelled_up[1:] |= ~right[1:] & up
    return trend, trend & labelled_up


def _two_in_three(close: np.ndarray, rtm: np.ndarray) -> np.ndarray:
    """Close points in 3 in a row on one side of the mean holding >= 2 close points."""
    if close.size < 3:
        return np.zeros(close.size, dtype=bool)
    c = close.view(np.int8)
    near = c[:-2] + c[1:-1] + c[2:]
    above, below = rtm > 0, rtm < 0
    one_side = (above[:-2] & above[1:-1] & above[2:]) | (below[:-2] & below[1:-1] & below[2:])
    return _spread((near >= 2) & one_side, 3, close.size) & close


def _group_rules(z: np.ndarray, mean: float, amr: float) -> dict[str, np.ndarray]:
    """Every rule on one group's values; NaN limits (too few values) flag nothing."""
    lpl, upl = mean - LIMIT * amr, mean + LIMIT * amr
    near_lpl, near_upl = mean - LIMIT_CLOSE * amr, mean + LIMIT_CLOSE * amr
    high, low = z > upl, z < lpl
    outside = high | low
    close = ((z > near_upl) & ~high) | ((z < near_lpl) & ~low)
    rtm = (z > mean).view(np.int8) - (z < mean).view(np.int8)
    trend, up = _trend(z)
    return {"outside": outside, "close": close, "rtm": rtm, "trend": trend, "up": up,
            "two": _two_in_three(close, rtm), "seven": _seven_one_side(rtm)}


def _cause_code(f: dict[str, np.ndarray]) -> np.ndarray:
    """Label code per point; later rules overwrite earlier ones, so the package's priority
    (limits, trend, 2 in 3, 7 on one side; R/ptd_calculate_point_type.R:102-108) wins."""
    below = (f["rtm"] < 0).view(np.int8)
    cause = np.zeros(below.size, dtype=np.int8)
    np.copyto(cause, below + 7, where=f["seven"])
    np.copyto(cause, below + 5, where=f["two"])
    np.copyto(cause, 4 - f["up"].view(np.int8), where=f["trend"])
    np.copyto(cause, below + 1, where=f["outside"])
    return cause


def _point_tables() -> dict[int, np.ndarray]:
    """point_type code of each label code, by improvement sign (ptd_point_type)."""
    tables = {}
    for sign in (1, -1):
        oriented = CAUSE_SIDE * sign
        tables[sign] = np.where(oriented > 0, 1, np.where(oriented < 0, 2, 0)).astype(np.int8)
    tables[0] = np.where(CAUSE_SIDE > 0, 3, np.where(CAUSE_SIDE < 0, 4, 0)).astype(np.int8)
    for table in tables.values():
        table[MISSING_CAUSE] = MISSING_POINT
    return tables


POINT_OF_CAUSE = _point_tables()


def _build(values, observed, bounds, sign, improvement, fix_n, screen, target) -> MdcResult:
    rules, baseline, limits = None, np.zeros(values.size, dtype=bool), []
    for label, lo, hi in bounds:
        whole = observed[lo:hi].all()
        at = slice(lo, hi) if whole else np.flatnonzero(observed[lo:hi]) + lo
        z = values[at]
        mean, amr = _limits(z, fix_n, screen)
        group_rules = _group_rules(z, mean, amr)
        if whole and hi - lo == values.size:
            rules = group_rules  # one whole group: keep its arrays, no copy
        else:
            rules = rules or {k: np.zeros(values.size, dtype=v.dtype)
                              for k, v in group_rules.items()}
            for key, value in group_rules.items():
                rules[key][at] = value
        baseline[_first(at, fix_n)] = True
        limits.append((label, lo, hi, mean, amr, z.size))
    rules = rules or _group_rules(values, np.nan, np.nan)
    cause = _cause_code(rules)
    if not observed.all():
        cause[~observed] = MISSING_CAUSE
    point = np.take(POINT_OF_CAUSE[sign], cause)
    groups = _summaries(limits, point, improvement, target)
    return MdcResult(
        y=values, improvement=improvement, target=target, groups=groups, baseline=baseline,
        outside_limits=rules["outside"], close_to_limits=rules["close"],
        relative_to_mean=rules["rtm"], two_in_three=rules["two"],
        seven_one_side=rules["seven"], trend=rules["trend"], trend_increasing=rules["up"],
        cause_code=cause, point_code=point, variation=_variation(point, improvement),
        assurance=groups[-1].assurance_type if groups else None,
        warnings=(SHORT_GROUP_MESSAGE,) if any(g.short_group_warning for g in groups) else ())


def _first(at, fix_n: float):
    """The positions of a group's first fix_n observed points."""
    if isinstance(at, slice):
        return slice(at.start, int(min(at.stop, at.start + fix_n)))
    return at[: int(min(fix_n, at.size))]


def _summaries(limits, point, improvement, target) -> tuple[MdcGroup, ...]:
    out = []
    for label, lo, hi, mean, amr, n_obs in limits:
        pts = point[lo:hi]
        counts = [np.count_nonzero(pts == k) for k in range(3)]
        out.append(MdcGroup(
            rebase_group=label, start=lo, stop=hi, mean=mean, lpl=mean - LIMIT * amr,
            upl=mean + LIMIT * amr, near_lpl=mean - LIMIT_CLOSE * amr,
            near_upl=mean + LIMIT_CLOSE * amr, n=n_obs,
            common_cause=int(counts[0]),  # n - sum(special_cause_flag)
            special_cause_improvement=int(counts[1]), special_cause_concern=int(counts[2]),
            variation_type=_last_type(pts), short_group_warning=n_obs < SHORT_GROUP,
            assurance_type=None))
    if out and target is not None:
        last = out[-1]
        out[-1] = MdcGroup(**{**last.__dict__,
                              "assurance_type": _assurance_of(last, target, improvement)})
    return tuple(out)


def _last_type(point: np.ndarray) -> str | None:
    """The point type of the last observed point (summary()'s variation_type)."""
    if point.size and point[-1] != MISSING_POINT:
        return POINT_TYPES[point[-1]]
    observed = np.flatnonzero(point != MISSING_POINT)
    return POINT_TYPES[point[observed[-1]]] if observed.size else None


def _assurance_of(g: MdcGroup, target: float, improvement: str) -> str | None:
    """R/ptd_calculate_assurance_type.R:11-34, on the limits of the last group."""
    if improvement == "neutral":
        return None
    increasing = improvement == "increase"
    if target > g.upl:
        return "consistent_fail" if increasing else "consistent_pass"
    if target < g.lpl:
        return "consistent_pass" if increasing else "consistent_fail"
    return "inconsistent"  # equality, or no limits (NA in R), is hit and miss


def _variation(point: np.ndarray, improvement: str) -> str | None:
    """The variation icon: the point type of the last observed point of the series."""
    kind = _last_type(point)
    if kind is None:
        return None
    return _COMMON_ICONS.get(kind) or VARIATION_ICONS[improvement][kind]
