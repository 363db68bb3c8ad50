"""Which rows the data-entry grid shows for a measure (every expected period, or the
events), and how their headings and figures read."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import IntEnum

from qidesk.domain.entities import DataPoint, Measure
from qidesk.domain.enums import Frequency, ValueType
from qidesk.domain.errors import ValidationError
from qidesk.domain.periods import (
    next_period,
    parse_number,
    period_start,
    periods_between,
)


class Column(IntEnum):
    PERIOD = 0
    VALUE = 1
    NUMERATOR = 2
    DENOMINATOR = 3
    RESULT = 4  # the % or rate worked out from numerator and denominator (read-only)
    COMMENT = 5
    EXCLUDED = 6
    REASON = 7


FIELD_OF = {Column.PERIOD: "period", Column.VALUE: "value", Column.NUMERATOR: "numerator",
            Column.DENOMINATOR: "denominator", Column.COMMENT: "comment",
            Column.EXCLUDED: "excluded", Column.REASON: "exclusion_reason"}
COLUMN_OF = {name: column for column, name in FIELD_OF.items()}
FIGURES = (Column.VALUE, Column.NUMERATOR, Column.DENOMINATOR)

MISSING = "missing"
NEW_EVENT = ("new",)
PERIOD_HEADINGS = {Frequency.DAY: "Day", Frequency.WEEK: "Week", Frequency.MONTH: "Month",
                   Frequency.QUARTER: "Quarter", Frequency.EVENT: "Date of event"}
VALUE_HEADINGS = {ValueType.COUNT: "Count", ValueType.DAYS_BETWEEN: "Days since last",
                  ValueType.CASES_BETWEEN: "Cases since last"}


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


def result_text(point: DataPoint, measure: Measure) -> str:
    """A proportion as a percentage, or a rate per its multiplier, worked out for display."""
    if not point.denominator or point.numerator is None:
        return ""
    ratio = point.numerator / point.denominator
    if measure.value_type == ValueType.PROPORTION:
        return f"{ratio * 100:.1f}%"
    multiplier = measure.rate_multiplier or 1
    per = f" per {number_text(multiplier)}" if multiplier != 1 else ""
    return f"{ratio * multiplier:,.2f}{per}"


def columns_for(measure: Measure) -> list[Column]:
    figures = ([Column.NUMERATOR, Column.DENOMINATOR, Column.RESULT]
               if measure.value_type.has_denominator else [Column.VALUE])
    return [Column.PERIOD, *figures, Column.COMMENT, Column.EXCLUDED, Column.REASON]


def figure(text, field: str) -> float | None:
    if text is None or text == "":
        return None
    try:
        return parse_number(text)
    except ValidationError as exc:
        raise ValidationError(exc.message, field=field) from None
