"""Data entry from the grid: what a paste would write (a preview), and undoing or
redoing a paste of many data points in one transaction, like the paste itself."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from qidesk.domain.changes import ChangeSet
from qidesk.domain.entities import DataPoint, Measure
from qidesk.domain.enums import Frequency
from qidesk.domain.errors import ValidationError
from qidesk.domain.periods import next_period
from qidesk.domain.rules import pid_findings
from qidesk.services import data_points, records
from qidesk.services.mapping import to_entity, to_values
from qidesk.services.tabular import (
    ColumnMapping,
    RawTable,
    guess_mapping,
    parse_pasted,
    parse_rows,
)
from qidesk.services.unit import writing
from qidesk.services.workbook import Workbook
from qidesk.storage.tables import DataPointRow


def rewrite_data_points(wb: Workbook, *, delete: Iterable[int] = (), restore: Iterable[int] = (),
                        values: dict[int, dict] | None = None) -> ChangeSet:
    """Soft-delete, restore and set figures of data points: all of it or none.

    Each point must still pass the data rules (a restored period may since have been
    typed in again). Text the patient-data guard flags is withheld from the audit trail,
    as when it was first written; it was confirmed then, so it is not asked again.
    """
    with writing(wb) as unit:
        for point_id in delete:
            unit.soft_delete(records.live_row(unit.session, DataPoint, point_id))
        for point_id in restore:
            row = unit.session.get(DataPointRow, point_id)
            if row is None or row.deleted_at is None:
                raise ValidationError("That data point is no longer deleted.", field="id")
            data_points._point_rules(unit, to_entity(DataPoint, row))
            unit.restore(row)
        for point_id, changes in (values or {}).items():
            row = records.live_row(unit.session, DataPoint, point_id)
            point = dataclasses.replace(to_entity(DataPoint, row), **changes)
            data_points._point_rules(unit, point)
            unit.update(row, to_values(point), pid_findings(point, set(changes)))
    return unit.result()


# Pasting -------------------------------------------------------------------------------

GRID_PERIOD_HEADING = "Period (from the grid)"


@dataclass(frozen=True)
class PasteLine:
    """What one pasted row would do: 'new', 'replaced', 'unchanged' or 'problem'."""

    row_number: int
    period: date | None
    action: str
    before: str
    after: str
    message: str = ""


@dataclass(frozen=True)
class PastePlan:
    """A paste checked but not written: `points` are the new and replaced periods."""

    measure: Measure
    lines: list[PasteLine]
    points: list[DataPoint]

    def count(self, action: str) -> int:
        return sum(line.action == action for line in self.lines)


def plan_paste(measure: Measure, existing: list[DataPoint], text: str,
               first_period: date | None = None) -> PastePlan:
    """Read a block copied from Excel and say, row by row, what writing it would do.

    A block with a date column is placed by its dates. A block of figures only (no
    dates) fills the grid's periods from `first_period` down, one row per period, a
    blank line skipping one; per-event measures need the dates. Nothing is written.
    """
    table = parse_pasted(text)
    try:
        mapping = guess_mapping(table, measure.value_type)
    except ValidationError:
        if first_period is None or measure.frequency == Frequency.EVENT:
            raise
        table = _with_grid_periods(table, measure.frequency, first_period)
        mapping = guess_mapping(table, measure.value_type)
    mapping = _figures_in_order(table, mapping, measure)
    parsed, problems = parse_rows(table, mapping, measure.value_type, measure.frequency)
    old = {} if measure.frequency == Frequency.EVENT else {p.period: p for p in existing}
    lines = [PasteLine(p.row_number, None, "problem", "", "", f"{p.column}: {p.message}")
             for p in problems]
    points = []
    for row in parsed:
        point = DataPoint(measure_id=measure.id, period=row.period, value=row.value,
                          numerator=row.numerator, denominator=row.denominator,
                          comment=row.comment or "")
        before = old.get(row.period)
        action = "new" if before is None else (
            "unchanged" if _same(before, point) else "replaced")
        lines.append(PasteLine(row.row_number, row.period, action,
                               _figures(before, measure), _figures(point, measure)))
        if action != "unchanged":
            points.append(point)
    lines.sort(key=lambda line: line.row_number)
    return PastePlan(measure, lines, points)


def _figures_in_order(table: RawTable, mapping: ColumnMapping, measure: Measure) -> ColumnMapping:
    """Figure columns the guess left out, taken left to right from the unused columns: a
    block copied from a ward sheet keeps the grid's order, and a column with a few bad
    cells should list those rows as problems, not refuse the whole paste."""
    roles = (("numerator", "denominator") if measure.value_type.has_denominator else ("value",))
    used = {i for i in dataclasses.astuple(mapping) if i is not None}
    free = [i for i in range(len(table.headers)) if i not in used]
    if mapping.comment is not None:
        free.append(mapping.comment)  # a figure column with text in it looked like comments
    chosen = {}
    for role in roles:
        if getattr(mapping, role) is None and free:
            chosen[role] = free.pop(0)
            if chosen[role] == mapping.comment:
                chosen["comment"] = None
    return dataclasses.replace(mapping, **chosen) if chosen else mapping


def _with_grid_periods(table: RawTable, frequency: Frequency, first: date) -> RawTable:
    numbers = [table.row_number(i) for i in range(len(table.rows))]
    top = numbers[0] if numbers else 1
    periods, current, step = {}, first, top
    for number in numbers:
        while step < number:
            current, step = next_period(current, frequency), step + 1
        periods[number] = current
    rows = [[periods[n], *cells] for n, cells in zip(numbers, table.rows)]
    return RawTable([GRID_PERIOD_HEADING, *table.headers], rows, table.source, numbers,
                    table.has_header)


def _same(old: DataPoint, new: DataPoint) -> bool:
    figures = all(getattr(old, f) == getattr(new, f) for f in ("value", "numerator", "denominator"))
    return figures and (not new.comment or new.comment == old.comment)


def _figures(point: DataPoint | None, measure: Measure) -> str:
    if point is None:
        return ""
    if measure.value_type.has_denominator:
        text = f"{_number(point.numerator)} / {_number(point.denominator)}"
    else:
        text = _number(point.value)
    return f"{text} · {point.comment}" if point.comment else text


def _number(value: float | None) -> str:
    if value is None:
        return ""
    return f"{int(value):,}" if float(value).is_integer() else f"{value:,.6f}".rstrip("0").rstrip(".")
