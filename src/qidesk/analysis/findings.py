"""Plain-English findings for a ward: rule, points, dates, direction and expected limit.

Built from `classify_points`, so the words and the chart's colours always agree. Each
phase (part of an SPC chart, rebase group of an MDC chart) gets its own findings; the
most recent `MAX_EPISODES` signals of a rule in a phase are spelt out, earlier ones
counted in one line.
"""

from __future__ import annotations

from collections.abc import Sequence

import datetime
from dataclasses import dataclass

import numpy as np

from qidesk.analysis.errors import AnalysisInputError
from qidesk.analysis.ihi import SHIFT_LENGTH, TREND_LENGTH
from qidesk.analysis.mdc import SHORT_GROUP, MdcResult
from qidesk.analysis.mdc_rules import RUN_LENGTH
from qidesk.analysis.mdc_rules import TREND_LENGTH as MDC_TREND_LENGTH
from qidesk.analysis.points import MIN_USEFUL, PointClasses, classify_points

MAX_EPISODES = 3
# Control limits from fewer points are trial limits (Provost & Murray, The Health Care
# Data Guide, 2011: 20-25 points are best, limits from 12 or more are usable).
TRIAL_LIMIT_POINTS = 12
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov",
           "Dec")
_SIGNAL = {"improvement": "this is a signal of improvement",
           "concern": "this is a signal of concern",
           "neutral": "this is a signal of non-random change"}


@dataclass(frozen=True)
class Finding:
    """One sentence for the ward. `direction`: "improvement", "concern", "neutral",
    "common_cause" or "info" (a caveat, not a signal). `points` are 0-based: a `range`
    when they are consecutive, else a read-only index array (cheap at a million points)."""

    rule_set: str
    rule: str
    text: str
    points: Sequence[int]
    direction: str


def findings(result, *, improvement_direction: str = "up", rule_set: str | None = None,
             labels=None, classes: PointClasses | None = None) -> list[Finding]:
    """Findings for an `SpcResult` or `MdcResult`; `labels` (dates or text) name points."""
    classes = classes or classify_points(result, improvement_direction, rule_set)
    span = _Spans(labels, result.y.size)
    if isinstance(result, MdcResult):
        phases = [(g.start, g.stop) for g in result.groups]
    else:
        phases = [(p.start, p.stop) for p in result.runs]
    out = []
    for k, (lo, hi) in enumerate(phases):
        prefix = f"Phase {k + 1}: " if len(phases) > 1 else ""
        context = _Context(result, classes, span, k, lo, hi, prefix)
        out += context.phase_findings()
    if isinstance(result, MdcResult) and result.assurance is not None:
        out.append(_assurance(result))
    return out


class _Spans:
    """Human names for point ranges: dates when labels are dates, else 1-based numbers."""

    def __init__(self, labels, n: int):
        if labels is not None and len(labels) != n:
            raise AnalysisInputError(
                f"labels must have one entry per point ({n}), not {len(labels)}")
        self.labels = labels

    def __call__(self, first: int, last: int) -> str:
        if self.labels is None:
            return f"point {first + 1}" if first == last else f"points {first + 1}–{last + 1}"
        a, b = self.labels[first], self.labels[last]
        if first == last:
            return _label(a)
        if _is_date(a) and _is_date(b) and _as_date(a).year == _as_date(b).year:
            a = _as_date(a)
            return f"{a.day} {_MONTHS[a.month - 1]} – {_label(b)}"
        return f"{_label(a)} – {_label(b)}"


def _is_date(value) -> bool:
    return isinstance(value, datetime.date)


def _as_date(value) -> datetime.date:
    return value.date() if isinstance(value, datetime.datetime) else value


def format_date(value) -> str:
    """"3 Mar 2026" for a date or datetime; anything else as text."""
    if _is_date(value):
        d = _as_date(value)
        return f"{d.day} {_MONTHS[d.month - 1]} {d.year}"
    return str(value)


_label = format_date


def _point_indices(mask: np.ndarray, start: int, stop: int) -> Sequence[int]:
    """Flagged points of [start, stop): a range when all are flagged, else a read-only
    index array (a phase-wide signal can cover a million points: no Python list of them)."""
    inside = mask[start:stop]
    if inside.all():
        return range(start, stop)
    points = inside.nonzero()[0] + start
    points.setflags(write=False)
    return points


def _plural(k: int, word: str) -> str:
    return f"{k} {word}" if k == 1 else f"{k} {word}s"


_SIGNS = {"up": 1, "increase": 1, "down": -1, "decrease": -1}


def _class_of(side: int, direction: str) -> str:
    oriented = side * _SIGNS.get(direction, 0)
    return "improvement" if oriented > 0 else "concern" if oriented < 0 else "neutral"


class _Context:
    """Findings of one phase."""

    def __init__(self, result, classes, span, k, lo, hi, prefix):
        self.result, self.classes, self.span = result, classes, span
        self.k, self.lo, self.hi, self.prefix = k, lo, hi, prefix
        self.mdc = isinstance(result, MdcResult)
        self.centre = "the mean" if self.mdc else (
            "the median" if result.chart in ("run", "g") else "the centre line")

    def phase_findings(self) -> list[Finding]:
        out = self._caveats()
        signals = []
        for flag in self.classes.flags:
            rows = flag.episodes
            if self.k or self.hi < self.result.y.size:  # not the only phase
                rows = rows[(rows[:, 0] >= self.lo) & (rows[:, 0] < self.hi)]
            signals += [self._episode(flag, row) for row in rows[-MAX_EPISODES:].tolist()]
            if len(rows) > MAX_EPISODES:
                signals.append(self._finding(
                    flag, f"{flag.rule.replace('_', ' ').capitalize()}: "
                    f"{_plural(len(rows) - MAX_EPISODES, 'earlier signal')} of this rule not listed.",
                    (), "info"))
        if not signals and not self._short():
            out.append(self._common_cause())
        return out + signals

    def _finding(self, flag, text, points, direction) -> Finding:
        return Finding(flag.rule_set, flag.rule, self.prefix + text, points, direction)

    def _part(self):
        return None if self.mdc else self.result.runs[self.k]

    def _short(self) -> bool:
        return not self.mdc and self._part().n_useful < MIN_USEFUL

    def _caveats(self) -> list[Finding]:
        out, whole = [], self.span(self.lo, self.hi - 1)
        rule_set = self.classes.rule_set
        if self._short():
            n = self._part().n_useful
            out.append(Finding(rule_set, "too_few_points", self.prefix + (
                f"Only {_plural(n, 'useful point')} ({whole}): too few to judge the "
                f"run-chart rules yet; at least {MIN_USEFUL} are needed."), (), "info"))
        basis = self._limit_basis()
        if basis is not None:
            needed = SHORT_GROUP if self.mdc else TRIAL_LIMIT_POINTS
            out.append(Finding(rule_set, "trial_limits", self.prefix + (
                f"Trial limits ({whole}): the centre line and limits rest on only "
                f"{_plural(basis, 'point')}; treat them as provisional until there are "
                f"at least {needed}."), (), "info"))
        return out

    def _limit_basis(self) -> int | None:
        """Points the limits rest on, when too few for firm limits."""
        if self.mdc:
            group = self.result.groups[self.k]
            return group.n if group.short_group_warning else None
        r = self.result
        if r.chart == "run":
            return None
        # Count a short stretch first: a long phase usually has enough points early on.
        early = min(self.hi, self.lo + 4 * TRIAL_LIMIT_POINTS)
        basis = _basis(r, self.lo, early)
        if basis < TRIAL_LIMIT_POINTS and early < self.hi:
            basis = _basis(r, self.lo, self.hi)
        return basis if basis < TRIAL_LIMIT_POINTS else None

    def _episode(self, flag, row) -> Finding:
        start, stop, count, side = row
        # An episode counts the flagged points inside it: all of them when it has no gaps.
        points = range(start, stop) if count == stop - start else _point_indices(
            flag.mask, start, stop)
        direction = _class_of(side, self.classes.improvement_direction) if flag.rule not in (
            "crossings", "runs") else "neutral"
        when = self.span(start, stop - 1)
        text = _TEXT[(flag.rule_set, flag.rule)](self, count, side, when, start, stop)
        return self._finding(flag, f"{text}: {_SIGNAL[direction]}.", points, direction)

    def _common_cause(self) -> Finding:
        whole = self.span(self.lo, self.hi - 1)
        rule_set = self.classes.rule_set
        if self.mdc:
            why = (f"no point outside the process limits, no run of {RUN_LENGTH} on one "
                   f"side of the mean, no trend of {MDC_TREND_LENGTH} and no 2 of 3 points "
                   "near a limit")
        elif rule_set == "ihi":
            why = self._ihi_common()
        else:
            part = self._part()
            why = (f"with {part.n_useful} useful points, no run longer than "
                   f"{part.longest_run_max} and at least {part.crossings_min} crossings of "
                   f"{self.centre}")
            why += self._no_sigma()
        return Finding(rule_set, "common_cause",
                       f"{self.prefix}Only common-cause variation ({whole}): {why}.",
                       (), "common_cause")

    def _ihi_common(self) -> str:
        rules = self.classes.ihi[self.k]
        if rules is None:  # an MR chart: qicharts2 judges no run rules on it
            return "no point outside the limits"
        why = (f"no shift of {SHIFT_LENGTH}, no trend of {TREND_LENGTH}, and "
               f"{_plural(rules.runs, 'run')} is within the expected {rules.runs_lower} to "
               f"{rules.runs_upper} for {rules.n_useful} useful points")
        return why + self._no_sigma()

    def _no_sigma(self) -> str:
        return "" if self.result.chart == "run" else ", and no point outside the limits"

    def _distinct(self, start, stop) -> int:
        """Points of a trend, equal neighbours counted once (IHI)."""
        y = self.result.y[start:stop]
        y = y[~np.isnan(y)]
        return int(np.count_nonzero(np.diff(y) != 0)) + 1


def _basis(r, lo: int, hi: int) -> int:
    """Points of [lo, hi) the limits rest on: baseline, included and present."""
    at = slice(lo, hi)
    return int(np.count_nonzero(r.baseline[at] & r.include[at] & ~np.isnan(r.y[at])))


def _above(side) -> str:
    return "above" if side > 0 else "below"


def _anhoej_shift(c, count, side, when, start, stop) -> str:
    part = c._part()
    return (f"Shift: {count} points in a row {_above(side)} {c.centre} ({when}). With "
            f"{part.n_useful} useful points, more than {part.longest_run_max} in a row is "
            "unlikely by chance")


def _anhoej_crossings(c, count, side, when, start, stop) -> str:
    part = c._part()
    return (f"Crossings: the line crosses {c.centre} only "
            f"{_plural(part.crossings, 'time')} ({when}). With {part.n_useful} useful "
            f"points, fewer than {part.crossings_min} crossings is unlikely by chance")


def _sigma(c, count, side, when, start, stop) -> str:
    where = "above the upper" if side > 0 else "below the lower"
    return (f"Outside the limits: {_plural(count, 'point')} {where} limit ({when}). A point "
            "outside the 3-sigma limits is unlikely by chance")


def _ihi_shift(c, count, side, when, start, stop) -> str:
    return (f"Shift: {count} points in a row {_above(side)} {c.centre} ({when}). Under the "
            f"IHI rules, {SHIFT_LENGTH} or more in a row is unlikely by chance")


def _ihi_trend(c, count, side, when, start, stop) -> str:
    way = "going up" if side > 0 else "going down"
    return (f"Trend: {c._distinct(start, stop)} points in a row {way} ({when}). Under the "
            f"IHI rules, {TREND_LENGTH} or more points going one way (equal values counted "
            "once) is unlikely by chance")


def _ihi_runs(c, count, side, when, start, stop) -> str:
    rules = c.classes.ihi[c.k]
    if rules.too_few_runs:
        return (f"Too few runs: {rules.runs} runs ({when}). With {rules.n_useful} useful points, "
                f"fewer than {rules.runs_lower} runs is unlikely by chance (IHI runs table)")
    return (f"Too many runs: {rules.runs} runs ({when}). With {rules.n_useful} useful points, "
            f"more than {rules.runs_upper} runs is unlikely by chance (IHI runs table)")


def _mdc_outside(c, count, side, when, start, stop) -> str:
    where = "above the upper" if side > 0 else "below the lower"
    return (f"Outside the process limits: {_plural(count, 'point')} {where} process limit "
            f"({when}). A point beyond the process limits is special-cause variation")


def _mdc_trend(c, count, side, when, start, stop) -> str:
    way = "rising" if side > 0 else "falling"
    return (f"Trend: {count} points in a row {way} ({when}). {MDC_TREND_LENGTH} or more "
            "points each beyond the one before is special-cause variation")


def _mdc_two_in_three(c, count, side, when, start, stop) -> str:
    where = "upper" if side > 0 else "lower"
    return (f"Near a limit: {_plural(count, 'point')} close to the {where} process limit "
            f"({when}). 2 of 3 points in a row beyond two thirds of the way to a limit is "
            "special-cause variation")


def _mdc_seven(c, count, side, when, start, stop) -> str:
    return (f"Run: {count} points in a row {_above(side)} the mean ({when}). "
            f"{RUN_LENGTH} or more in a row on one side of the mean is special-cause variation")


_TEXT = {
    ("anhoej", "shift"): _anhoej_shift, ("anhoej", "crossings"): _anhoej_crossings,
    ("sigma", "outside_limits"): _sigma, ("ihi", "shift"): _ihi_shift,
    ("ihi", "trend"): _ihi_trend, ("ihi", "runs"): _ihi_runs,
    ("mdc", "outside_limits"): _mdc_outside, ("mdc", "trend"): _mdc_trend,
    ("mdc", "two_in_three"): _mdc_two_in_three, ("mdc", "seven_one_side"): _mdc_seven,
}


def _assurance(m: MdcResult) -> Finding:
    """The Making Data Count assurance icon in words (the last phase's limits)."""
    target = f"{m.target:g}"
    if m.assurance == "inconsistent":
        text = (f"Assurance: the target ({target}) lies within the process limits, so the "
                "process will sometimes meet it and sometimes miss it.")
        return Finding("mdc", "assurance", text, (), "neutral")
    last = m.groups[-1]
    where = "above the upper" if m.target > last.upl else "below the lower"
    meets = m.assurance == "consistent_pass"
    outcome = ("consistently meet it" if meets
               else "consistently miss it unless the process changes")
    text = f"Assurance: the target ({target}) is {where} process limit, so the process will {outcome}."
    return Finding("mdc", "assurance", text, (), "improvement" if meets else "concern")
