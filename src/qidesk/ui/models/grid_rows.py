"""Which rows the data-entry grid shows for a measure: every expected period, or the events."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from qidesk.domain.entities import DataPoint, Measure
from qidesk.domain.enums import Frequency
from qidesk.domain.periods import next_period, period_start, periods_between

MISSING = "missing"
NEW_EVENT = ("new",)


@dataclass(frozen=True)
class GridRow:
    """One row: `key` stays the same across reloads so typed text is not lost."""

    key: tuple
    period: date | None
    point: DataPoint | None


def grid_rows(measure: Measure, points: list[DataPoint], today: date,
              start: date | None = None) -> list[GridRow]:
    """Periods from the first point (or `start`) to the current period, plus the next
    period once the current one is filled in; per-event measures list their events and
    an empty row for the next one."""
    if measure.frequency == Frequency.EVENT:
        rows = [GridRow(("point", p.id), p.period, p) for p in points]
        return rows + [GridRow(NEW_EVENT, None, None)]
    by_period = {p.period: p for p in points}
    now = period_start(today, measure.frequency)
    first = min(by_period) if by_period else (start or now)
    last = max([now, *by_period])
    if last in by_period:
        last = next_period(last, measure.frequency)
    return [GridRow(("period", d), d, by_period.get(d))
            for d in periods_between(first, last, measure.frequency)]


def number_text(value: float | None) -> str:
    """A figure as a ward reads it: '1,234', '12.5' (never '1e+03' or '12.500000')."""
    if value is None:
        return ""
    if float(value).is_integer():
        return f"{int(value):,}"
    return f"{value:,.6f}".rstrip("0").rstrip(".")
