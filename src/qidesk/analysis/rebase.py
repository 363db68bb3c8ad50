"""Suggest where a new phase could start: a sustained shift after a documented change.

A suggestion only; the team decides. The rule: in the current (last) phase, the run of
points on one side of the phase's median that reaches the end of the series is longer
than Anhøj's limit for the phase (round(log2 n) + 3, qicharts2 `runs.analysis`), it
begins at or after a dated change (annotation or PDSA cycle) made during the phase,
and at least `MIN_PHASE_POINTS` points have been recorded since it began, enough for
firm limits (Provost & Murray 2011).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

import numpy as np

from qidesk.analysis.anhoej import longest_run_max
from qidesk.analysis.errors import AnalysisInputError
from qidesk.analysis.findings import format_date

MIN_PHASE_POINTS = 12


@dataclass(frozen=True)
class Suggestion:
    """Start a new phase at point `index` (0-based), dated `date`, because `reason`."""

    index: int
    date: datetime.date
    reason: str


def suggest_rebase(values, dates, phase_starts=(), changes=(), *,
                   min_points: int = MIN_PHASE_POINTS) -> Suggestion | None:
    """A new phase start, or None. `changes`: (date, label) pairs or objects with
    `date` and `label`; `phase_starts`: 0-based indices where phases already start."""
    y = np.asarray(values, dtype=float)
    if len(dates) != y.size:
        raise AnalysisInputError(f"dates must have one entry per value ({y.size})")
    phase = max([0, *phase_starts])
    if not 0 <= phase <= max(y.size - 1, 0):
        raise AnalysisInputError(f"phase start {phase} is outside the series")
    run = _final_run(y, phase)
    if run is None:
        return None
    start, length, side, n_useful = run
    limit = longest_run_max(n_useful)
    recorded = int(np.count_nonzero(~np.isnan(y[start:])))
    if length <= limit or recorded < min_points or start == phase:
        return None
    change = _latest_change(changes, dates[phase], dates[start])
    if change is None:
        return None
    when, label = change
    where = "above" if side > 0 else "below"
    reason = (f"{length} points in a row {where} the median since {format_date(dates[start])}, "
              f"after the change '{label}' ({format_date(when)}); with {n_useful} useful points "
              f"more than {limit} in a row is unlikely by chance. A new phase from "
              f"{format_date(dates[start])} would rest on {recorded} points.")
    return Suggestion(start, dates[start], reason)


def _final_run(y, phase):
    """(start, length, side, useful count) of the run reaching the last useful point."""
    part = y[phase:]
    seen = part[~np.isnan(part)]
    if not seen.size:
        return None
    side = np.sign(part - np.median(seen))
    useful = np.flatnonzero(np.nan_to_num(side) != 0)
    if not useful.size:
        return None
    s = side[useful]
    breaks = np.flatnonzero(s[1:] != s[:-1])
    first = breaks[-1] + 1 if breaks.size else 0
    return phase + int(useful[first]), int(s.size - first), int(s[-1]), int(s.size)


def _latest_change(changes, after, until):
    """The latest (date, label) with after < date <= until."""
    best = None
    for change in changes:
        when, label = change if isinstance(change, tuple) else (change.date, change.label)
        if _as_date(after) < _as_date(when) <= _as_date(until) and (
                best is None or _as_date(when) >= _as_date(best[0])):
            best = (when, label)
    return best


def _as_date(value) -> datetime.date:
    return value.date() if isinstance(value, datetime.datetime) else value


