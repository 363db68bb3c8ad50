"""Study: what a cycle predicted against what its measures showed over the cycle's dates.

Values are the chart's plotted values (proportions as %, rates per their multiplier), so
the numbers here match the chart the team looks at; proportions and rates are pooled
over the window (total numerator / total denominator), as a ward would add them up.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

import numpy as np

from qidesk.domain.entities import Measure, PdsaCycle
from qidesk.domain.enums import ValueType
from qidesk.domain.periods import format_date
from qidesk.services import pdsa
from qidesk.services.charts import PERCENT, measure_chart
from qidesk.services.measures import get_measure
from qidesk.services.workbook import Workbook

_PHASE = re.compile(r"Phase (\d+): ")


@dataclass(frozen=True)
class MeasureWindow:
    """One linked measure over the cycle's dates: its points and the chart's findings."""

    measure: Measure
    periods: tuple[date, ...]
    values: tuple[float, ...]
    observed: float | None  # mean (pooled for proportions and rates) over the window
    findings: tuple[str, ...]  # the chart's sentences about points inside the window


@dataclass(frozen=True)
class PredictionResult:
    measure: Measure
    predicted: float
    direction: str  # "below" or "above"
    by: date | None
    observed: float | None
    points: int
    met: bool | None  # None: no data yet to judge by
    sentence: str


@dataclass(frozen=True)
class CycleStudy:
    start: date | None
    end: date | None
    prediction: PredictionResult | None
    measures: tuple[MeasureWindow, ...]

    @property
    def points_in_window(self) -> int:
        return sum(len(m.periods) for m in self.measures)


def cycle_window(cycle: PdsaCycle, today: date) -> tuple[date | None, date | None]:
    """The dates a cycle tested over: started (or planned) to finished (or planned, or
    the prediction's date, or today while it runs)."""
    start = cycle.started_on or cycle.planned_start
    end = cycle.finished_on or cycle.planned_end or cycle.prediction_by
    if end is None or (start is not None and end < start):
        end = max(today, start) if start else today
    return start, end


def study_cycle(wb: Workbook, cycle: PdsaCycle, today: date) -> CycleStudy:
    """Predicted against observed, and each linked measure's findings in the window."""
    start, end = cycle_window(cycle, today)
    ids = pdsa.linked_measures(wb, cycle.id) if cycle.id is not None else []
    windows = tuple(_window(wb, m, start, end) for m in ids) if start else ()
    prediction = None
    if cycle.prediction_measure_id is not None and cycle.prediction_value is not None:
        by = cycle.prediction_by or end
        judged = (_window(wb, cycle.prediction_measure_id, start, by) if start else
                  MeasureWindow(get_measure(wb, cycle.prediction_measure_id), (), (), None, ()))
        prediction = _judge(cycle, judged, by, today, start)
    return CycleStudy(start, end, prediction, windows)


def _window(wb: Workbook, measure_id: int, start: date, end: date) -> MeasureWindow:
    chart = measure_chart(wb, measure_id)
    measure = chart.measure
    if not chart.has_data:
        return MeasureWindow(measure, (), (), None, ())
    periods = np.array(chart.periods, dtype="datetime64[D]")
    inside = (periods >= np.datetime64(start, "D")) & (periods <= np.datetime64(end, "D"))
    y = np.asarray(chart.result.y, dtype=float)
    used = inside & np.asarray(chart.result.include, dtype=bool) & np.isfinite(y)
    where = np.flatnonzero(used)
    observed = _pooled(measure, chart, used) if where.size else None
    said = tuple(f.text for f in chart.findings if f.direction != "info"
                 and any(inside[i] for i in _about(f, chart.result.runs)))
    return MeasureWindow(measure, tuple(chart.periods[i] for i in where),
                         tuple(float(y[i]) for i in where), observed, said)


def _about(finding, runs) -> range | Sequence[int]:
    """The points a finding speaks of: its own, or its whole phase when it names none
    (analysis.findings prefixes "Phase k: " when a chart has several)."""
    if len(finding.points):
        return finding.points
    match = _PHASE.match(finding.text)
    run = runs[int(match.group(1)) - 1] if match and len(runs) > 1 else None
    return range(run.start, run.stop) if run else range(runs[-1].stop if runs else 0)


def _pooled(measure: Measure, chart, used: np.ndarray) -> float:
    if chart.numerators is not None and chart.denominators is not None:
        total = np.nansum(np.asarray(chart.denominators)[used])
        if total > 0:
            multiplier = (PERCENT if measure.value_type == ValueType.PROPORTION
                          else measure.rate_multiplier or 1.0)
            return float(np.nansum(np.asarray(chart.numerators)[used]) / total * multiplier)
    return float(np.mean(np.asarray(chart.result.y, dtype=float)[used]))


def _judge(cycle: PdsaCycle, window: MeasureWindow, by: date, today: date,
           start: date | None) -> PredictionResult:
    measure = window.measure
    direction = cycle.prediction_direction or {"down": "below", "up": "above"}.get(
        measure.improvement_direction.value, "below")
    predicted, observed, points = cycle.prediction_value, window.observed, len(window.periods)
    unit = f" {measure.unit}" if measure.unit else ""
    claim = f"Predicted: {measure.name} {direction} {predicted:g}{unit} by {format_date(by)}."
    if observed is None:
        met = None
        if start is None:
            outcome = "Give the cycle a start date to compare it with the data."
        elif by >= today:
            outcome = "No figures recorded yet to judge it by."
        else:
            outcome = (f"No figures recorded between {format_date(start)} and "
                       f"{format_date(by)} to judge it by.")
    else:
        met = observed < predicted if direction == "below" else observed > predicted
        verdict = "prediction met" if met else "prediction not met"
        first, last = window.periods[0], window.periods[-1]
        span = (f"on {format_date(first)}" if first == last else
                f"from {format_date(first)} to {format_date(last)}")
        outcome = (f"Observed: {observed:.3g}{unit} over {points} point"
                   f"{'s' if points != 1 else ''} {span}: {verdict}.")
    return PredictionResult(measure, predicted, direction, by, observed, points, met,
                            f"{claim} {outcome}")
