"""The rows of a board report: each chosen measure's latest figure, target, Making Data
Count icons and last sign-off, computed as the review board and the live chart do.

Reads only. The icons come from services.charts.chart_for, the same call the live
chart makes, so a board paper never disagrees with the screen.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

import numpy as np

from qidesk.domain.entities import Measure
from qidesk.domain.enums import ValueType
from qidesk.services.charts import chart_for
from qidesk.services.measures import list_phases
from qidesk.services.reviews import review_board
from qidesk.services.workbook import Workbook


@dataclass(frozen=True)
class BoardReportRow:
    """One measure's line on a board report."""

    team_name: str
    project_title: str
    measure: Measure
    latest_value: float | None  # as plotted: a proportion as a percentage
    latest_period: date | None
    percent: bool
    variation: str | None  # icon names as MeasureChart has them
    assurance: str | None
    comment: str  # the last sign-off's comment ("" when never signed off)
    signed_off_by: str
    signed_off_at: datetime | None

    @property
    def target(self) -> float | None:
        return self.measure.target


def board_report_rows(wb: Workbook, measure_ids: Iterable[int] | None = None, *,
                      team_id: int | None = None) -> list[BoardReportRow]:
    """Rows for `measure_ids` (all live measures when None), in team, project, measure order."""
    wanted = None if measure_ids is None else set(measure_ids)
    rows = []
    for entry in review_board(wb, team_id):
        measure = entry.measure
        if wanted is not None and measure.id not in wanted:
            continue
        chart = chart_for(measure, entry.series, list_phases(wb, measure.id))
        value, period = _latest(chart)
        review = entry.last_review
        rows.append(BoardReportRow(
            entry.team_name, entry.project_title, measure, value, period,
            measure.value_type == ValueType.PROPORTION, chart.variation, chart.assurance,
            review.comment if review else "", review.reviewer if review else "",
            review.reviewed_at if review else None))
    return rows


def _latest(chart) -> tuple[float | None, date | None]:
    """The last period with a figure (a period left blank is not 'latest')."""
    if not chart.has_data:
        return None, None
    y = np.asarray(chart.result.y, dtype=float)
    shown = np.flatnonzero(np.isfinite(y))
    if not shown.size:
        return None, None
    last = int(shown[-1])
    return float(y[last]), chart.periods[last]
