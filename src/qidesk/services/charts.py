"""A measure's chart, computed once: the live chart, the board and reports all draw this.

Turns a measure's stored series, phases and baseline into the analysis layer's inputs,
picks the chart (the measure's choice, or the analysis layer's suggestion with its
reason), and returns the result with per-point classes and the plain-English findings.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import numpy as np

from qidesk.analysis import spc
from qidesk.analysis.chart_choice import suggest_chart
from qidesk.analysis.findings import Finding, findings
from qidesk.analysis.points import PointClasses, classify_points
from qidesk.analysis.rebase import Suggestion
from qidesk.domain.entities import DataPoint, Measure, Phase
from qidesk.domain.enums import ChartChoice, ValueType
from qidesk.services import records
from qidesk.services.chart_context import (
    ChartMarker,
    chart_markers,
    DAY_SECONDS,
    MIDDAY_SECONDS,
    connected,
    epoch_days,
    icons,
    point_comments,
    rebase_suggestion,
    trial_phases,
)
from qidesk.services.measures import get_measure, list_phases
from qidesk.services.series import MeasureSeries, load_series
from qidesk.services.workbook import Workbook

RULE_SETS = ("anhoej", "ihi")
# Proportions are shown as percentages: what wards and boards read.
PERCENT = 100.0
_RATIO_CHARTS = ("p", "pp", "u", "up")
# What a measure of period totals is drawn as when its events are too rare for it.
_PERIOD_TOTAL_CHART = {ValueType.PROPORTION: "p", ValueType.RATE: "u", ValueType.COUNT: "c",
                       ValueType.CONTINUOUS: "i"}


@dataclass(frozen=True)
class MeasureChart:
    """Everything needed to draw and explain one measure's chart."""

    measure: Measure
    periods: list[date]
    chart: str
    chart_reason: str
    result: object  # analysis SpcResult
    classes: PointClasses
    findings: list[Finding]
    rule_set: str
    phase_starts: list[int]
    phases: tuple[Phase, ...] = ()
    markers: tuple[ChartMarker, ...] = ()
    # Making Data Count icon names: variation "common_cause", "improvement_high", ...,
    # assurance "pass", "fail", "inconsistent"; None when they do not apply.
    variation: str | None = None
    assurance: str | None = None
    rebase: Suggestion | None = None
    trial_phases: tuple[tuple[int, int], ...] = ()  # (start, stop) of phases on trial limits
    connected: np.ndarray | None = None  # [i]: no missing period between point i and i + 1
    numerators: np.ndarray | None = None
    denominators: np.ndarray | None = None
    comments: dict[int, str] = field(default_factory=dict)  # point index -> comment
    # Each period as seconds since 1970 at midday UTC (no time zone moves a point's day).
    x: np.ndarray | None = None

    @property
    def has_data(self) -> bool:
        return bool(self.periods)

    @property
    def has_limits(self) -> bool:
        return bool(self.has_data and np.isfinite(np.asarray(self.result.ucl, dtype=float)).any())


def measure_chart(wb: Workbook, measure_id: int, *, rule_set: str = "anhoej",
                  chart: str | None = None) -> MeasureChart:
    """Compute a measure's chart from the workbook (one read, no writes)."""
    measure = get_measure(wb, measure_id)
    series = load_series(wb, [measure_id])[measure_id]
    return chart_for(measure, series, list_phases(wb, measure_id), rule_set=rule_set, chart=chart,
                     markers=chart_markers(wb, measure_id),
                     comments=point_comments(wb, measure_id, series.periods))


def point_at(wb: Workbook, measure_id: int, period: date) -> DataPoint | None:
    """The live data point of one period (the chart's point menu edits it)."""
    found = records.list_live(wb, DataPoint, measure_id=measure_id, period=period)
    return found[0] if found else None


def chart_for(measure: Measure, series: MeasureSeries, phases: list[Phase], *,
              rule_set: str = "anhoej", chart: str | None = None,
              markers: tuple[ChartMarker, ...] = (), comments: dict[int, str] | None = None,
              ) -> MeasureChart:
    """Compute the chart of an already-loaded series (the board loads many at once)."""
    if rule_set not in RULE_SETS:
        raise ValueError(f"rule_set must be one of {RULE_SETS}, not {rule_set!r}")
    values = _values(measure, series)
    denominators = _floats(series.denominators) if measure.value_type.has_denominator else None
    numerators = _floats(series.numerators) if denominators is not None else values
    chart, reason = _chart(measure, chart, numerators, denominators)
    if chart in _RATIO_CHARTS:
        y, n = numerators, denominators
    else:
        y, n = values, None
    parts = _phase_starts(series.periods, phases)
    freeze = _freeze(measure.baseline_points, len(series.periods), parts)
    excluded = [i for i, flag in enumerate(series.excluded) if flag]
    result = spc(y, n, chart=chart, parts=parts or None, freeze=freeze,
                 exclude=excluded or None, multiply=_multiplier(measure, chart))
    direction = measure.improvement_direction.value
    run_rules = rule_set if chart == "run" else "anhoej"
    classes = classify_points(result, direction, run_rules)
    said = findings(result, improvement_direction=direction, rule_set=run_rules,
                    labels=series.periods, classes=classes)
    has_n = denominators is not None
    variation, assurance = icons(measure, chart, result, classes, parts, excluded)
    days = epoch_days(series.periods)
    return MeasureChart(
        measure, list(series.periods), chart, reason, result, classes, said, run_rules, parts,
        phases=tuple(phases), markers=tuple(markers),
        variation=variation, assurance=assurance,
        rebase=rebase_suggestion(result, series.periods, parts, markers),
        trial_phases=trial_phases(result), connected=connected(days, measure.frequency),
        x=(days * DAY_SECONDS + MIDDAY_SECONDS).astype(float),
        numerators=numerators if has_n else None, denominators=denominators,
        comments=comments or {})


def _floats(values) -> np.ndarray:
    return np.array([np.nan if v is None else v for v in values], dtype=float)


def _values(measure: Measure, series: MeasureSeries) -> np.ndarray:
    """The plotted value of each period: a proportion (as %) or rate from its parts."""
    if not measure.value_type.has_denominator:
        return _floats(series.values)
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = _floats(series.numerators) / _floats(series.denominators)
    return ratio * _multiplier(measure, "p")


def _chart(measure: Measure, chosen: str | None, numerators, denominators) -> tuple[str, str]:
    if chosen:
        return chosen, "Chosen on the chart."
    if measure.chart_choice != ChartChoice.AUTO:
        return measure.chart_choice.value, "Chosen in the measure's settings."
    chart, reason = suggest_chart(measure.value_type.value, numerators, denominators)
    if chart in ("g", "t") and not measure.value_type.is_per_event:
        # A g or t chart needs one entry per event; this measure stores period totals.
        basic = _PERIOD_TOTAL_CHART[measure.value_type]
        return basic, (f"{reason} To use it, record the events in a 'days between' or "
                       f"'cases between' measure; until then a {basic} chart is shown.")
    return chart, reason


def _multiplier(measure: Measure, chart: str) -> float:
    if chart not in _RATIO_CHARTS:
        return 1.0
    if measure.value_type == ValueType.PROPORTION:
        return PERCENT
    return measure.rate_multiplier or 1.0


def _phase_starts(periods: list[date], phases: list[Phase]) -> list[int]:
    """0-based index of the first point of each phase after the first."""
    starts = set()
    for phase in phases:
        index = int(np.searchsorted(np.array(periods, dtype="datetime64[D]"),
                                    np.datetime64(phase.start_date, "D")))
        if 0 < index < len(periods):
            starts.add(index)
    return sorted(starts)


def _freeze(baseline_points: int | None, n: int, parts: list[int]) -> int | None:
    # qicharts2 ignores freeze when the chart has parts; a baseline longer than the
    # series simply covers all of it.
    if not baseline_points or parts or n == 0:
        return None
    return min(baseline_points, n)
