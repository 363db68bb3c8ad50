"""Importing a measure's data from CSV/XLSX (all rows or none) and exporting it."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from qidesk.domain.entities import Measure
from qidesk.domain.enums import Frequency
from qidesk.domain.errors import ValidationError
from qidesk.services import data_points, measures
from qidesk.services.data_points import BatchResult, ExistingPolicy, PointColumns
from qidesk.services.tabular import (
    ColumnMapping,
    ParsedRow,
    RawTable,
    RowProblem,
    guess_mapping,
    parse_rows,
    read_table,
    write_table,
)
from qidesk.services.workbook import Workbook
from qidesk.storage.backup import BackupInfo


class ImportRejected(ValidationError):
    """The file has problems; nothing was imported. `problems` lists every one."""

    def __init__(self, problems: list[RowProblem]):
        first = problems[0]
        more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
        super().__init__(f"Nothing was imported. Row {first.row_number}, {first.column}: "
                         f"{first.message}{more}", field=first.column, row=first.row_number)
        self.problems = problems


@dataclass(frozen=True)
class ImportPreview:
    table: RawTable
    mapping: ColumnMapping
    rows: list[ParsedRow]
    problems: list[RowProblem]
    points: PointColumns  # the rows as data points, ready to save


@dataclass(frozen=True)
class ImportResult:
    batch: BatchResult
    rows_read: int
    backup: BackupInfo | None


def preview_import(wb: Workbook, measure_id: int, path: Path, *,
                   mapping: ColumnMapping | None = None, sheet: str | None = None,
                   existing: ExistingPolicy = ExistingPolicy.SKIP) -> ImportPreview:
    """Read and check a file without writing anything: rows, guessed mapping, problems."""
    measure = measures.get_measure(wb, measure_id)
    table = read_table(Path(path), sheet)
    return _check(wb, measure, table, mapping, existing)


def _check(wb: Workbook, measure: Measure, table: RawTable, mapping: ColumnMapping | None,
           existing: ExistingPolicy) -> ImportPreview:
    mapping = mapping or guess_mapping(table, measure.value_type)
    rows, problems = parse_rows(table, mapping, measure.value_type, measure.frequency)
    points = to_columns(rows)
    problems = list(problems) + _domain_problems(wb, measure, rows, existing)
    problems.sort(key=lambda p: p.row_number)
    return ImportPreview(table, mapping, rows, problems, points)


def _domain_problems(wb: Workbook, measure: Measure, rows: list[ParsedRow],
                     existing: ExistingPolicy) -> list[RowProblem]:
    """Problems only the workbook can show. The domain's value rules (check_data_point)
    were applied to every row by parse_rows, which returns no row that breaks them."""
    problems = []
    periodic = measure.frequency != Frequency.EVENT
    if not periodic:
        return problems  # rare events may share a date, and have no stored-period clash
    seen: dict = {}
    stored = ({p.period for p in data_points.list_data_points(wb, measure.id)}
              if existing == ExistingPolicy.ERROR else set())
    for row in rows:
        if row.period in seen:
            problems.append(RowProblem(row.row_number, "period",
                                       f"Same period as row {seen[row.period]}."))
        seen.setdefault(row.period, row.row_number)
        if row.period in stored:
            problems.append(RowProblem(row.row_number, "period",
                                       "This period already has a data point."))
    return problems


def to_columns(rows: list[ParsedRow]) -> PointColumns:
    """The rows as new data points, field by field."""
    count = len(rows)
    if not count:
        return PointColumns([], [], [], [], [], [], [])
    _, periods, values, numerators, denominators, comments = map(list, zip(*rows))
    if comments.count(None) == count:
        comments = [""] * count
    else:
        comments = [comment or "" for comment in comments]
    return PointColumns(periods, values, numerators, denominators, comments,
                        [False] * count, [""] * count)


def import_measure_data(wb: Workbook, measure_id: int, path: Path, *,
                        mapping: ColumnMapping | None = None, sheet: str | None = None,
                        existing: ExistingPolicy = ExistingPolicy.SKIP,
                        confirm_pid: bool = False) -> ImportResult:
    """Import every row of the file in one transaction, or nothing.

    Raises ImportRejected listing every problem row (nothing written); backs the
    workbook up before writing. Periods that already have data are skipped or replaced
    as `existing` says.
    """
    wb.require_writable()
    measure = measures.get_measure(wb, measure_id)
    with _collector_paused():
        table = read_table(Path(path), sheet)
        preview = _check(wb, measure, table, mapping, existing)
        if preview.problems:
            raise ImportRejected(preview.problems)
        if not preview.rows:
            raise ImportRejected([RowProblem(0, "file", "The file has no data rows.")])
        info = wb.backup_now("before-import")
        batch = data_points.record_data_points(wb, measure_id, preview.points,
                                               existing=existing, confirm_pid=confirm_pid,
                                               checked=True)
    return ImportResult(batch, len(preview.points), info)


@contextmanager
def _collector_paused() -> Iterator[None]:
    """No cyclic garbage collection while an import builds its rows: a 100,000-row file
    makes millions of short-lived objects, and each collection walks every one still
    alive (a sixth of the import's time). Reference counting frees them as usual; the
    collector runs again afterwards. Left alone if something else already paused it."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def export_columns(measure: Measure) -> list[str]:
    values = (["numerator", "denominator"] if measure.value_type.has_denominator
              else ["value"])
    return ["period", *values, "comment", "excluded", "exclusion_reason"]


def export_measure_data(wb: Workbook, measure_id: int, path: Path) -> int:
    """Write the measure's live points to .csv or .xlsx (by suffix); returns the row count.
    Dates are written as dd/mm/yyyy so the file imports back unchanged."""
    measure = measures.get_measure(wb, measure_id)
    headers = export_columns(measure)
    rows = []
    for point in data_points.list_data_points(wb, measure_id):
        cells = {"period": point.period.strftime("%d/%m/%Y"), "value": point.value,
                 "numerator": point.numerator, "denominator": point.denominator,
                 "comment": point.comment, "excluded": "yes" if point.excluded else "",
                 "exclusion_reason": point.exclusion_reason}
        rows.append([cells[h] for h in headers])
    write_table(Path(path), headers, rows)
    return len(rows)
