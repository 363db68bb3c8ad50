"""Per-point signal classes a chart can draw without re-deriving any statistics.

Rule sets: "anhoej" (qicharts2 runs analysis, the default for `SpcResult`), "ihi" (IHI
run-chart rules) and "mdc" (Making Data Count, for `MdcResult`). Points outside the
3-sigma limits of a control chart are flagged by the "sigma" rule set under "anhoej" and
"ihi" alike. Run rules (Anhøj, IHI) are not judged on a part with fewer than 10 useful
points, nor on an MR chart (qicharts2 forces its runs signal off).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import numpy as np

from qidesk.analysis.errors import AnalysisInputError
from qidesk.analysis.ihi import IhiRuns, ihi_rules
from qidesk.analysis.mdc import MdcResult
from qidesk.analysis.mdc_rules import CAUSE_SIDE, MISSING_CAUSE

# Anhøj's and IHI's tables both start at 10 useful observations.
MIN_USEFUL = 10
CLASSES = ("common_cause", "improvement", "concern", "neutral", "excluded", "missing")
DIRECTIONS = {"up": 1, "down": -1, "neither": 0, "increase": 1, "decrease": -1, "neutral": 0}
_OBJ_CLASSES = np.array(CLASSES, dtype=object)


@dataclass(frozen=True, eq=False)
class RuleFlag:
    """The points one rule flagged. `side` per point: +1 high or rising, -1 low or
    falling, 0 no direction. `episodes` rows: start, stop (0-based, stop exclusive),
    number of counted points, side; one row per stretch of points the rule flagged."""

    rule_set: str
    rule: str
    mask: np.ndarray
    side: np.ndarray
    episodes: np.ndarray


@dataclass(frozen=True, eq=False)
class PointClasses:
    """Class of every point and the flags behind it, most decisive flag first."""

    class_code: np.ndarray
    side: np.ndarray
    flags: tuple[RuleFlag, ...]
    rule_set: str
    improvement_direction: str
    ihi: tuple[IhiRuns | None, ...] = ()

    @cached_property
    def classes(self) -> list[str]:
        """"improvement", "concern", "neutral", "common_cause", "excluded" or "missing"."""
        return _OBJ_CLASSES[self.class_code].tolist()

    def rules_at(self, index: int) -> list[tuple[str, str]]:
        """(rule_set, rule) of every flag on one point."""
        return [(f.rule_set, f.rule) for f in self.flags if f.mask[index]]


def classify_points(result, improvement_direction: str = "up", rule_set: str | None = None,
                    ) -> PointClasses:
    """Classify each point of an `SpcResult` or `MdcResult` for drawing."""
    if improvement_direction not in DIRECTIONS:
        raise AnalysisInputError(
            f"improvement_direction must be 'up', 'down' or 'neither', not "
            f"{improvement_direction!r}")
    if isinstance(result, MdcResult):
        if rule_set not in (None, "mdc"):
            raise AnalysisInputError(f"an MDC chart uses the 'mdc' rules, not {rule_set!r}")
        flags, ihi, rule_set = _mdc_flags(result), (), "mdc"
    else:
        rule_set = rule_set or "anhoej"
        if rule_set not in ("anhoej", "ihi"):
            raise AnalysisInputError(
                f"rule_set must be 'anhoej' or 'ihi' for this chart, not {rule_set!r}")
        flags, ihi = _spc_flags(result, rule_set)
    direction = DIRECTIONS[improvement_direction]
    if isinstance(result, MdcResult):
        # The package's winning label decides, as its point_type does.
        side = np.take(CAUSE_SIDE, result.cause_code)
        code = np.take(_MDC_CLASS[direction], result.cause_code)
    else:
        side, flagged = _combined_side(flags, result.y.size)
        code = _class_code(side, flagged, direction)
        if sum(part.n_obs for part in result.runs) < code.size:  # some points excluded
            code[~result.include] = 4
        code[np.isnan(result.y)] = 5
    return PointClasses(code, side, tuple(flags), rule_set, improvement_direction, ihi)


def _mdc_class_table(direction: int) -> np.ndarray:
    """Class code of each MDC label code (mdc_rules.SPECIAL_CAUSE_TYPES order)."""
    oriented = CAUSE_SIDE * np.int8(direction)
    table = np.where(oriented > 0, 1, np.where(oriented < 0, 2, 3)).astype(np.int8)
    table[0], table[MISSING_CAUSE] = 0, 5
    return table


_MDC_CLASS = {d: _mdc_class_table(d) for d in (1, -1, 0)}


# Signals about a whole phase (too few crossings, too few or too many runs) say the phase
# is not random but single out no points: they stay in `flags` and the findings, and leave
# point classes alone (qicharts2 shows them on the centre line, not on points).
PHASE_WIDE_RULES = {("anhoej", "crossings"), ("ihi", "runs")}


def _combined_side(flags, n):
    """Side of the first flag (in priority order) with a direction on each point, and
    whether any flag marks the point. SPC flags have side 0 off their mask."""
    side = flagged = None
    for flag in reversed(flags):
        if (flag.rule_set, flag.rule) in PHASE_WIDE_RULES:
            continue
        if side is None:
            side, flagged = flag.side.copy(), flag.mask.copy()
        else:
            np.copyto(side, flag.side, where=flag.side != 0)
            flagged |= flag.mask
    if side is None:
        return np.zeros(n, dtype=np.int8), np.zeros(n, dtype=bool)
    return side, flagged


# Class code by side (-1, 0, +1) for each improvement direction: worse → concern (2),
# no direction → neutral (3), better → improvement (1).
_CODE_BY_SIDE = {1: np.array([2, 3, 1], dtype=np.int8), -1: np.array([1, 3, 2], dtype=np.int8),
                 0: np.array([3, 3, 3], dtype=np.int8)}


def _class_code(side, flagged, direction):
    code = _CODE_BY_SIDE[direction].take(side + np.int8(1))
    code *= flagged  # unflagged points are common cause (0)
    return code


_NO_EPISODES = np.zeros((0, 4), dtype=np.int64)
_NO_EPISODES.flags.writeable = False


def episodes(mask: np.ndarray, side: np.ndarray) -> np.ndarray:
    """Stretches of flagged points with one side: rows of start, stop, count, side."""
    points = mask.nonzero()[0]
    if not points.size:
        return _NO_EPISODES
    sides = side[points]
    # A stretch ends where the next flagged point is not adjacent or changes side.
    ends = ((points[1:] - points[:-1] != 1) | (sides[1:] != sides[:-1])).nonzero()[0]
    bounds = _bounds(ends, points.size)
    first, last = bounds[:-1] + 1, bounds[1:]
    rows = np.empty((first.size, 4), dtype=np.int64)
    rows[:, 0], rows[:, 1] = points[first], points[last] + 1
    rows[:, 2], rows[:, 3] = last - first + 1, sides[first]
    return rows


def _flag(rule_set, rule, mask, side) -> RuleFlag:
    return RuleFlag(rule_set, rule, mask, side, episodes(mask, side))


def _mdc_flags(m: MdcResult) -> list[RuleFlag]:
    """The four MDC rules, in the package's label priority."""
    rtm = m.relative_to_mean
    trend_side = m.trend_increasing.view(np.int8) * np.int8(2) - m.trend.view(np.int8)
    return [
        _flag("mdc", "outside_limits", m.outside_limits, rtm),
        _flag("mdc", "trend", m.trend, trend_side),
        _flag("mdc", "two_in_three", m.two_in_three, rtm),
        _flag("mdc", "seven_one_side", m.seven_one_side, rtm),
    ]


def _spc_flags(result, rule_set):
    side = result.side
    sigma = result.sigma_signal
    flags = [_flag("sigma", "outside_limits", sigma, side * sigma)]
    if rule_set == "anhoej":
        flags += _anhoej_flags(result, side)
        return flags, ()
    more, ihi = _ihi_flags(result)
    return flags + more, ihi


def _judged(result, part) -> bool:
    return result.chart != "mr" and part.n_useful >= MIN_USEFUL


def _anhoej_flags(result, side):
    """Points in runs longer than the part's limit; the whole part when too few crossings."""
    n = result.y.size
    shift, shift_side = np.zeros(n, dtype=bool), np.zeros(n, dtype=np.int8)
    crossings, eps = np.zeros(n, dtype=bool), []
    for part in result.runs:
        if not _judged(result, part):
            continue
        at = slice(part.start, part.stop)
        eps.append(_shifts(part, side, result.include, shift, shift_side))
        if part.crossings < part.crossings_min:
            crossings[at] = result.include[at] & ~np.isnan(result.y[at])
    rows = np.concatenate(eps) if eps else _NO_EPISODES
    shift_flag = RuleFlag("anhoej", "shift", shift, shift_side, rows)
    return [shift_flag, _part_flag("anhoej", "crossings", crossings, result)]


def _shifts(part, side, include, shift, shift_side) -> np.ndarray:
    """Mark the part's runs longer than its limit; their episode rows."""
    at = slice(part.start, part.stop)
    useful = None
    if part.changes is None:  # runs counted on other numbers (a scaled chart): recount
        useful = include[at] & (side[at] != 0)
        s = side[at][useful]  # the runs are over the useful points only
        bounds = _bounds((s[1:] != s[:-1]).nonzero()[0], s.size)
    else:
        bounds = _bounds(part.changes, part.n_useful)
    lengths = bounds[1:] - bounds[:-1]  # run k: useful points bounds[k] + 1 .. bounds[k + 1]
    long = (lengths > part.longest_run_max).nonzero()[0]
    if not long.size:
        return _NO_EPISODES
    if useful is None:
        useful = include[at] & (side[at] != 0)
    index = useful.nonzero()[0] + part.start
    first, last = index[bounds[long] + 1], index[bounds[long + 1]]
    for a, b in zip(first.tolist(), (last + 1).tolist()):  # long runs are few
        run = useful[a - part.start: b - part.start]
        shift[a:b] = run
        shift_side[a:b] = side[a:b] * run
    rows = np.empty((long.size, 4), dtype=np.int64)
    rows[:, 0], rows[:, 1] = first, last + 1
    rows[:, 2], rows[:, 3] = lengths[long], side[first]
    return rows


def _bounds(ends: np.ndarray, size: int) -> np.ndarray:
    """-1, the last position of every stretch but the final one, size - 1."""
    bounds = np.empty(ends.size + 2, dtype=np.int64)
    bounds[0], bounds[1:-1], bounds[-1] = -1, ends, size - 1
    return bounds


def _part_flag(rule_set, rule, mask, result) -> RuleFlag:
    """A rule that flags whole parts: one episode per part, spanning the part."""
    rows = [(p.start, p.stop, int(mask[p.start:p.stop].sum()), 0) for p in result.runs
            if mask[p.start:p.stop].any()]
    return RuleFlag(rule_set, rule, mask, np.zeros(mask.size, dtype=np.int8),
                    np.array(rows, dtype=np.int64).reshape(-1, 4))


def _ihi_flags(result):
    n = result.y.size
    shift, shift_side = np.zeros(n, dtype=bool), np.zeros(n, dtype=np.int8)
    trend, trend_side = np.zeros(n, dtype=bool), np.zeros(n, dtype=np.int8)
    runs, per_part = np.zeros(n, dtype=bool), []
    for part in result.runs:
        at = slice(part.start, part.stop)
        y = np.where(result.include[at], result.y[at], np.nan)
        rules = ihi_rules(y, result.cl[at])
        if result.chart == "mr" or rules.n_useful < MIN_USEFUL:
            per_part.append(None)
            continue
        per_part.append(rules)
        shift[at], shift_side[at] = rules.shift, rules.shift_side
        trend[at], trend_side[at] = rules.trend, rules.trend_side
        if rules.too_few_runs or rules.too_many_runs:
            runs[at] = ~np.isnan(y)
    flags = [_ihi_shift(shift, shift_side, result), _flag("ihi", "trend", trend, trend_side),
             _part_flag("ihi", "runs", runs, result)]
    return flags, tuple(per_part)


def _ihi_shift(mask, side, result) -> RuleFlag:
    """Shift episodes span the points on the median inside them; count useful points."""
    useful = np.flatnonzero(mask)
    if not useful.size:
        return RuleFlag("ihi", "shift", mask, side, np.zeros((0, 4), dtype=np.int64))
    s = side[useful]
    new = np.ones(useful.size, dtype=bool)
    new[1:] = (s[1:] != s[:-1]) | (result.part[useful[1:]] != result.part[useful[:-1]])
    new[1:] |= _gap_has_other_side(useful, side, result)
    starts = np.flatnonzero(new)
    ends = np.append(starts[1:], useful.size) - 1
    rows = np.stack([useful[starts], useful[ends] + 1, ends - starts + 1, s[starts]], axis=1)
    return RuleFlag("ihi", "shift", mask, side, rows.astype(np.int64).reshape(-1, 4))


def _gap_has_other_side(useful, side, result) -> np.ndarray:
    """Between consecutive shift points, is there a useful point not in the shift?"""
    useful_all = (result.side != 0) & result.include
    counts = np.cumsum(useful_all)
    between = counts[useful[1:] - 1] - counts[useful[:-1]]
    return between > 0
