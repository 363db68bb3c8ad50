"""The review board's tiles: every measure's chart, icons, latest figure, overdue flag
and what changed since the reviewer's last sign-off, read in a few queries.

Each chart is computed by services.charts.chart_for, the call the live chart makes,
so a tile's icons never disagree with the measure's own screen.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, replace
from datetime import date

import numpy as np
from sqlalchemy import select

from qidesk.domain.entities import Phase
from qidesk.domain.enums import ValueType
from qidesk.domain.overdue import Overdue, overdue
from qidesk.services.charts import MeasureChart, chart_for
from qidesk.services.mapping import to_entity
from qidesk.services.reviews import BoardRow, SinceReview, review_board, since_last_review
from qidesk.services.series import MeasureSeries
from qidesk.services.unit import reading
from qidesk.services.workbook import Workbook
from qidesk.storage.tables import PhaseRow

# Signal status of a tile, as the board filters and sorts it (worst news first).
SIGNAL_ORDER = ("concern", "improvement", "neutral", "common_cause", "no_data")
_SPECIAL = {"improvement", "concern", "neutral"}


@dataclass(frozen=True)
class BoardTile:
    """One measure on the board."""

    team_name: str
    project_id: int
    project_title: str
    chart: MeasureChart
    latest_value: float | None  # as plotted: a proportion as a percentage
    latest_period: date | None
    overdue: Overdue | None
    since: SinceReview

    @property
    def measure(self):
        return self.chart.measure

    @property
    def percent(self) -> bool:
        return self.measure.value_type == ValueType.PROPORTION and self.chart.chart in ("p", "pp")

    @property
    def signal(self) -> str:
        """'concern', 'improvement', 'neutral', 'common_cause' or 'no_data'."""
        variation = self.chart.variation
        if not self.chart.has_data or variation is None:
            return "no_data" if not self.chart.has_data else "common_cause"
        return variation.rsplit("_", 1)[0] if variation != "common_cause" else variation


def board_tiles(wb: Workbook, reviewer: str | None, today: date, *,
                rule_set: str = "anhoej") -> list[BoardTile]:
    """Every live measure's tile, in team, project, measure order."""
    rows = review_board(wb)
    since = since_last_review(wb, reviewer)
    phases = _phases(wb)
    tiles = []
    for row in rows:
        measure_id = row.measure.id
        chart = chart_for(row.measure, row.series, phases.get(measure_id, []), rule_set=rule_set)
        changed = since.get(measure_id, SinceReview())
        if changed.new_periods:
            changed = replace(changed, new_signals=_new_signals(row, chart, changed, phases,
                                                                rule_set))
        value, period = latest(chart)
        tiles.append(BoardTile(row.team_name, row.measure.project_id, row.project_title, chart,
                               value, period, overdue(period, row.measure.frequency, today),
                               changed))
    return tiles


def latest(chart: MeasureChart) -> tuple[float | None, date | None]:
    """The last period with a figure (a period left blank is not 'latest')."""
    if not chart.has_data:
        return None, None
    shown = np.flatnonzero(np.isfinite(np.asarray(chart.result.y, dtype=float)))
    if not shown.size:
        return None, None
    last = int(shown[-1])
    return float(chart.result.y[last]), chart.periods[last]


def _phases(wb: Workbook) -> dict[int, list[Phase]]:
    """Every live phase, by measure, in one query (not one per measure)."""
    found: dict[int, list[Phase]] = defaultdict(list)
    query = select(PhaseRow).where(PhaseRow.deleted_at.is_(None)).order_by(PhaseRow.start_date)
    with reading(wb) as session:
        for row in session.scalars(query):
            found[row.measure_id].append(to_entity(Phase, row))
    return found


def _special(chart: MeasureChart) -> dict[date, str]:
    """Period -> point class of every special-cause point."""
    return {period: name for period, name in zip(chart.periods, chart.classes.classes)
            if name in _SPECIAL}


def _new_signals(row: BoardRow, chart: MeasureChart, changed: SinceReview,
                 phases: dict[int, list[Phase]], rule_set: str) -> int:
    """Special-cause points now that were not special cause on the chart as it stood
    at the sign-off (the chart of the points entered before it)."""
    new = set(changed.new_periods)
    keep = [i for i, period in enumerate(row.series.periods) if period not in new]
    series = row.series
    before = MeasureSeries(series.measure_id, [series.periods[i] for i in keep],
                           [series.values[i] for i in keep],
                           [series.numerators[i] for i in keep],
                           [series.denominators[i] for i in keep],
                           [series.excluded[i] for i in keep])
    then = chart_for(row.measure, before, phases.get(row.measure.id, []), rule_set=rule_set)
    was = _special(then)
    return sum(1 for period, name in _special(chart).items() if was.get(period) != name)
