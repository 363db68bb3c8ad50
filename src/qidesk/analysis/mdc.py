"""NHS England "Making Data Count" XmR charts, computed as NHSRplotthedots 0.2.2 does.

Source: github nhs-r-community/NHSRplotthedots @ 050b07d (see SPC_RULES.md section 4);
`file:line` below refers to that tree. This module assembles the result; the inputs are
checked in `mdc_input`, each group's limits come from `mdc_limits` and its special-cause
rules and labels from `mdc_rules`.

Missing values: NHSRplotthedots fails on them (its trend rule stops on NA). QIDesk
raises `AnalysisInputError` naming the missing points (`missing="error"`, the default),
or with `missing="skip"` computes on the observed points only, as if the missing periods
were not there: limits and rules use the observed points of each group in order, and a
missing point gets no flags, `relative_to_mean` 0 and point_type "missing".
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import numpy as np

from qidesk.analysis.errors import AnalysisInputError
from qidesk.analysis.mdc_input import check_options, read_values, rebase_bounds
from qidesk.analysis.mdc_limits import LIMIT, LIMIT_CLOSE, group_limits
from qidesk.analysis.mdc_rules import (
    MISSING_CAUSE,
    MISSING_POINT,
    POINT_OF_CAUSE,
    POINT_TYPES,
    SPECIAL_CAUSE_TYPES,
    apply_rules,
    cause_codes,
)

# R/ptd_add_short_group_warnings.R:20-44 (0.2.2): a group of n < 13 has trial limits.
SHORT_GROUP = 13
SHORT_GROUP_MESSAGE = (
    "Some groups have 'n < 12' observations. These have trial limits, which will be "
    "revised with each additional observation until 'n = fix_after_n_points' has been "
    "reached."
)

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
    values, observed = read_values(y)
    sign, fix_n, target = check_options(improvement, fix_after, target, missing)
    bounds = rebase_bounds(rebase, values.size)
    # An all-missing series is an empty chart (issue: no exception), as with missing="skip".
    if missing == "error" and not observed.all() and observed.any():
        where = ", ".join(str(i) for i in np.flatnonzero(~observed)[:10])
        raise AnalysisInputError(
            f"Missing values at points {where} (0-based): Making Data Count charts need a "
            "value for every period; fill them in, or leave them out with missing='skip'.")
    return _build(values, observed, bounds, sign, improvement, fix_n, screen_outliers, target)


def _build(values, observed, bounds, sign, improvement, fix_n, screen, target) -> MdcResult:
    rules, baseline, limits = None, np.zeros(values.size, dtype=bool), []
    for label, lo, hi in bounds:
        whole = observed[lo:hi].all()
        at = slice(lo, hi) if whole else np.flatnonzero(observed[lo:hi]) + lo
        z = values[at]
        mean, amr = group_limits(z, fix_n, screen)
        group_rules = apply_rules(z, mean, amr)
        if whole and hi - lo == values.size:
            rules = group_rules  # one whole group: keep its arrays, no copy
        else:
            rules = rules or {k: np.zeros(values.size, dtype=v.dtype)
                              for k, v in group_rules.items()}
            for key, value in group_rules.items():
                rules[key][at] = value
        baseline[_first(at, fix_n)] = True
        limits.append((label, lo, hi, mean, amr, z.size))
    rules = rules or apply_rules(values, np.nan, np.nan)
    cause = cause_codes(rules)
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
