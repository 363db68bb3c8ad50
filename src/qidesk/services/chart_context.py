"""What a chart shows around its points: dated markers, Making Data Count icons, the
rebase suggestion, trial limits and gaps for missing periods.

Everything here is read or derived once per chart, so the live chart, the export and
the board agree.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np
from sqlalchemy import select

from qidesk.analysis.errors import AnalysisInputError
from qidesk.analysis.findings import TRIAL_LIMIT_POINTS
from qidesk.analysis.mdc import ASSURANCE_ICONS, mdc_xmr
from qidesk.analysis.rebase import Suggestion, suggest_rebase
from qidesk.domain.entities import Measure
from qidesk.domain.enums import Frequency
from qidesk.services.measures import list_annotations
from qidesk.services.unit import reading
from qidesk.services.workbook import Workbook
from qidesk.storage.tables import DataPointRow, PdsaCycleRow, PdsaMeasureRow

LABEL_LENGTH = 28
MDC_DIRECTIONS = {"up": "increase", "down": "decrease", "neither": "neutral"}
# Changes the team made: what a new phase can rest on (analysis.rebase).
DOCUMENTED_CHANGES = ("change", "pdsa")
_GAP_DAYS = {Frequency.DAY: 1, Frequency.WEEK: 7}
_GAP_MONTHS = {Frequency.MONTH: 1, Frequency.QUARTER: 3}
_EPOCH_ORDINAL = date(1970, 1, 1).toordinal()
DAY_SECONDS = 86_400
MIDDAY_SECONDS = 43_200


@dataclass(frozen=True)
class ChartMarker:
    """A dated note drawn on the chart: an annotation or a PDSA cycle linked to the measure.

    `kind`: "change", "pdsa", "external_event", "data_issue", or "pdsa_end" where a
    linked PDSA cycle finished (drawn as a line only: its start marker names it).
    """

    on_date: date
    kind: str
    label: str
    text: str
    annotation_id: int | None = None
    pdsa_cycle_id: int | None = None


def _short(text: str, length: int = LABEL_LENGTH) -> str:
    text = " ".join(text.split())
    return text if len(text) <= length else text[: length - 1].rstrip() + "…"


def chart_markers(wb: Workbook, measure_id: int) -> tuple[ChartMarker, ...]:
    """The measure's annotations and the PDSA cycles linked to it, in date order.

    A cycle already named by an annotation starts as that annotation; a finished cycle
    also gets a marker where it ended, so the chart shows the stretch it tested.
    """
    markers = [ChartMarker(a.on_date, a.kind.value, _short(a.text), a.text, annotation_id=a.id,
                           pdsa_cycle_id=a.pdsa_cycle_id)
               for a in list_annotations(wb, measure_id)]
    noted = {m.pdsa_cycle_id: m.on_date for m in markers if m.pdsa_cycle_id is not None}
    for cycle in _linked_cycles(wb, measure_id):
        title = f"PDSA {cycle.cycle_number}" + (f": {cycle.title}" if cycle.title else "")
        when = noted.get(cycle.id) or cycle.started_on or cycle.planned_start
        if when is not None and cycle.id not in noted:
            markers.append(ChartMarker(when, "pdsa", _short(title), title, pdsa_cycle_id=cycle.id))
        ended = cycle.finished_on
        if ended is not None and (when is None or ended > when):
            markers.append(ChartMarker(ended, "pdsa_end", f"End of PDSA {cycle.cycle_number}",
                                       title, pdsa_cycle_id=cycle.id))
    return tuple(sorted(markers, key=lambda m: m.on_date))


def _linked_cycles(wb: Workbook, measure_id: int) -> list[PdsaCycleRow]:
    query = (select(PdsaCycleRow).join(PdsaMeasureRow,
                                       PdsaMeasureRow.pdsa_cycle_id == PdsaCycleRow.id)
             .where(PdsaMeasureRow.measure_id == measure_id,
                    PdsaMeasureRow.deleted_at.is_(None), PdsaCycleRow.deleted_at.is_(None))
             .order_by(PdsaCycleRow.id))
    with reading(wb) as session:
        return list(session.scalars(query))


def point_comments(wb: Workbook, measure_id: int, periods: list[date]) -> dict[int, str]:
    """Comments of the measure's points, by point index (only points that have one)."""
    table = DataPointRow.__table__.c
    query = select(table.period, table.comment).where(
        table.measure_id == measure_id, table.deleted_at.is_(None), table.comment != "")
    with reading(wb) as session:
        rows = session.execute(query).all()
    index = {p: i for i, p in enumerate(periods)} if rows else {}
    return {index[p]: c for p, c in rows if p in index}


def epoch_days(periods: list[date]) -> np.ndarray:
    """Days since 1 Jan 1970 of each period (int64); via ordinals, 20x faster than
    numpy's conversion of date objects on long series."""
    ordinals = np.fromiter(map(date.toordinal, periods), dtype=np.int64, count=len(periods))
    return ordinals - _EPOCH_ORDINAL


def connected(days: np.ndarray, frequency: Frequency) -> np.ndarray:
    """[i] is True when point i + 1 is the period right after point i (no gap to draw).

    `days`: days since 1970 of each point (epoch_days)."""
    if days.size < 2:
        return np.ones(days.size, dtype=bool)
    if frequency in _GAP_DAYS:
        steps = np.diff(days) <= _GAP_DAYS[frequency]
    elif frequency in _GAP_MONTHS:
        months = days.astype("datetime64[D]").astype("datetime64[M]").astype(np.int64)
        steps = np.diff(months) <= _GAP_MONTHS[frequency]
    else:
        steps = np.ones(days.size - 1, dtype=bool)  # per event: no regular periods
    return np.append(steps, True)


def icons(measure: Measure, chart: str, result, classes, parts: list[int],
          excluded: list[int]) -> tuple[str | None, str | None]:
    """(variation, assurance) icon names, as Making Data Count shows them.

    An I chart is read as an XmR chart through NHSRplotthedots' rules (analysis.mdc_xmr);
    other charts take the variation from their last point's class and the assurance from
    the target against the last limits, as R/ptd_calculate_assurance_type.R does.
    """
    direction = measure.improvement_direction.value
    if chart == "i":
        found = _mdc_icons(measure, result, parts, excluded)
        if found is not None:
            return found
    return _class_variation(classes, direction), _limit_assurance(measure, result, chart)


def _mdc_icons(measure, result, parts, excluded):
    y = np.array(result.y, dtype=float)
    y[excluded] = np.nan  # MDC has no exclusions: leave those points out
    if np.isnan(y).all():
        return None
    try:
        mdc = mdc_xmr(y, improvement=MDC_DIRECTIONS[measure.improvement_direction.value],
                      target=measure.target, rebase=parts or None, missing="skip")
    except AnalysisInputError:
        return None
    assurance = ASSURANCE_ICONS[mdc.assurance] if mdc.assurance else None
    return mdc.variation, assurance


def _class_variation(classes, direction: str) -> str | None:
    codes = classes.class_code
    shown = np.flatnonzero(codes <= 3)  # not excluded, not missing
    if not shown.size:
        return None
    last = int(shown[-1])
    name = classes.classes[last]
    high = classes.side[last] > 0
    if name == "common_cause":
        return "common_cause"
    if name == "neutral" or direction == "neither":
        return "neutral_high" if high else "neutral_low"
    return f"{name}_{'high' if high else 'low'}"


def _limit_assurance(measure: Measure, result, chart: str) -> str | None:
    direction = measure.improvement_direction.value
    if measure.target is None or direction == "neither" or chart in ("run", "mr"):
        return None
    upper, lower = np.asarray(result.ucl, dtype=float), np.asarray(result.lcl, dtype=float)
    finite = np.flatnonzero(np.isfinite(upper) & np.isfinite(lower))
    if not finite.size:
        return None
    last = int(finite[-1])
    if measure.target > upper[last]:
        return "fail" if direction == "up" else "pass"
    if measure.target < lower[last]:
        return "pass" if direction == "up" else "fail"
    return "inconsistent"


def rebase_suggestion(result, periods: list[date], parts: list[int],
                      markers: tuple[ChartMarker, ...]) -> Suggestion | None:
    """Where a new phase could start after a documented change (offered, never applied)."""
    changes = [(m.on_date, _short(m.text, 60)) for m in markers if m.kind in DOCUMENTED_CHANGES]
    if not changes or len(periods) < 2:
        return None
    y = np.where(np.asarray(result.include), np.asarray(result.y, dtype=float), np.nan)
    try:
        return suggest_rebase(y, periods, parts, changes)
    except AnalysisInputError:
        return None


def trial_phases(result) -> tuple[tuple[int, int], ...]:
    """(start, stop) of every phase whose limits rest on fewer than 12 points."""
    if result.chart == "run" or not np.isfinite(np.asarray(result.ucl, dtype=float)).any():
        return ()
    used = np.asarray(result.baseline) & np.asarray(result.include) & ~np.isnan(result.y)
    return tuple((p.start, p.stop) for p in result.runs
                 if np.count_nonzero(used[p.start:p.stop]) < TRIAL_LIMIT_POINTS)
