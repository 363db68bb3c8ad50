"""Rows of a table as data points: every row parsed or explained (row number as Excel
shows it, column heading, message), so a ward can fix the sheet in one go. The value
rules themselves are the domain's (check_data_point)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from itertools import repeat
from operator import attrgetter
from typing import NamedTuple

from qidesk.domain.data_rules import check_data_point
from qidesk.domain.entities import DataPoint, Measure
from qidesk.domain.enums import Frequency, ValueType
from qidesk.domain.errors import ValidationError
from qidesk.domain.periods import check_period, format_period, parse_uk_date
from qidesk.domain.rules import check_text
from qidesk.services.tabular_mapping import ColumnMapping
from qidesk.services.tabular_read import RawTable, cell_number, header_text


class ParsedRow(NamedTuple):
    """One row read as a data point; `row_number` as the user sees it in Excel.
    (A tuple: a 100,000-row import makes one per row, and columns are one zip away.)"""

    row_number: int
    period: date
    value: float | None
    numerator: float | None
    denominator: float | None
    comment: str | None


@dataclass(frozen=True)
class RowProblem:
    """Why one row can't be imported; `column` is the column's heading as shown."""

    row_number: int
    column: str
    message: str


def parse_rows(table: RawTable, mapping: ColumnMapping, value_type: ValueType,
               frequency: Frequency) -> tuple[list[ParsedRow], list[RowProblem]]:
    """Turn cells into data points, explaining every row that can't be one.

    A row whose period is filled in but whose figures and comment are all blank is
    skipped without complaint: ward sheets often list the coming weeks in advance.
    A blank figure is never read as zero: a row with a comment but no figure is a
    problem ("type 0 if there were none"). Duplicate periods are problems, except for
    per-event measures, where two events can share a date.

    Rows are first read column by column (each distinct cell text parsed once, each
    distinct set of figures checked once); any row that isn't plainly fine is then read
    on its own, which explains its problems.
    """
    _check_mapping(table, mapping, value_type)
    reader = _RowReader(table, mapping, Measure(project_id=0, value_type=value_type,
                                                frequency=frequency))
    parsed: list[ParsedRow] = []
    problems: list[RowProblem] = []
    first_row_of: dict[date, int] = {}
    period_heading = table.headers[mapping.period]
    plain = reader.plain_rows(table)
    if plain is not None and (frequency is Frequency.EVENT
                              or len(set(map(attrgetter("period"), plain))) == len(plain)):
        return plain, []  # the usual big import: every row fine, read column by column
    quick = reader.quick_rows(table)
    for index, cells in enumerate(table.rows):
        row = quick[index] or reader.read(cells, table.row_number(index))
        if row is None:
            continue
        if isinstance(row, list):
            problems.extend(row)
        elif frequency is not Frequency.EVENT and row.period in first_row_of:
            label = format_period(row.period, frequency)
            problems.append(RowProblem(row.row_number, period_heading, f"{label} is also in row "
                                       f"{first_row_of[row.period]}: keep one of them."))
        else:
            first_row_of.setdefault(row.period, row.row_number)
            parsed.append(row)
    return parsed, problems


_ROLE_NAMES = {
    "period": "the dates",
    "value": "the values",
    "numerator": "the numerator (the count, e.g. falls or obs on time): a rate or "
                 "percentage alone can't be charted",
    "denominator": "the denominator (e.g. bed days or obs due)",
}


def _check_mapping(table: RawTable, mapping: ColumnMapping, value_type: ValueType) -> None:
    needed = ["period"] + (["numerator", "denominator"] if value_type.has_denominator else ["value"])
    for role in needed:
        if getattr(mapping, role) is None:
            raise ValidationError(f"Choose the column that holds {_ROLE_NAMES[role]}.", field=role)
    for role in ("period", "value", "numerator", "denominator", "comment"):
        index = getattr(mapping, role)
        if index is not None and not 0 <= index < len(table.headers):
            raise ValidationError(f"The {role} column is not in this table.", field=role)


# A Monday that is also the 1st of a month and of a quarter: fits every frequency, so
# figures can be checked once per distinct set of numbers (imports repeat them a lot).
_FITS_EVERY_FREQUENCY = date(2024, 1, 1)


class _RowReader:
    """Reads rows of one table for one measure; remembers which figures passed the rules."""

    def __init__(self, table: RawTable, mapping: ColumnMapping, measure: Measure):
        self.measure = measure
        roles = (["numerator", "denominator"] if measure.value_type.has_denominator
                 else ["value"])
        self.figures = [(role, getattr(mapping, role), table.headers[getattr(mapping, role)])
                        for role in roles]
        self.period = (mapping.period, table.headers[mapping.period])
        self.comment = mapping.comment
        self.headings = {role: table.headers[i] for role in ("period", "comment", *roles)
                         if (i := getattr(mapping, role)) is not None}
        self.checked: dict[tuple, tuple[str | None, str] | None] = {}
        self.dates: dict[object, date] = {}  # per-event imports repeat dates
        self._plain: tuple | None = None

    def read(self, cells: list[object], row_number: int) -> ParsedRow | list[RowProblem] | None:
        """A ParsedRow, the row's problems, or None for a row with nothing to import."""
        raw_comment = None if self.comment is None else cells[self.comment]
        comment = None if raw_comment is None else header_text(raw_comment)
        first_heading = self.figures[0][2]
        if all(cells[index] is None for _, index, _ in self.figures):
            if comment is None:
                return None
            return [RowProblem(row_number, first_heading, "No figure in this row: type it "
                               "(0 if there were none), or delete the row.")]
        problems: list[RowProblem] = []
        period = self._period(cells[self.period[0]], row_number, problems)
        numbers = {}
        for role, index, heading in self.figures:
            try:
                numbers[role] = None if cells[index] is None else cell_number(cells[index])
            except ValidationError as error:
                problems.append(RowProblem(row_number, heading, error.message))
        if problems:
            return problems
        failure = self._rule_failure(numbers, comment)
        if failure:
            field, message = failure
            return [RowProblem(row_number, self.headings.get(field, first_heading), message)]
        return ParsedRow(row_number, period, numbers.get("value"), numbers.get("numerator"),
                         numbers.get("denominator"), comment)

    def _period(self, value: object, row_number: int, problems: list[RowProblem]) -> date | None:
        heading = self.period[1]
        if value is None:
            problems.append(RowProblem(row_number, heading, "No date in this row."))
            return None
        if value in self.dates:
            return self.dates[value]
        try:
            period = parse_uk_date(value)
            if self.measure.frequency is not Frequency.EVENT:
                check_period(period, self.measure.frequency)
            self.dates[value] = period
            return period
        except ValidationError as error:
            problems.append(RowProblem(row_number, heading, error.message))
            return None

    def _columns(self, table: RawTable) -> tuple[list, list[list], list, Iterable[int]]:
        """Periods, figures (one list per role) and raw comments, converted column-wise."""
        rows = table.rows
        periods = _convert([cells[self.period[0]] for cells in rows], self._quick_period)
        figures = [_convert([cells[index] for cells in rows], cell_number)
                   for _, index, _ in self.figures]
        comments = ([None] * len(rows) if self.comment is None
                    else [cells[self.comment] for cells in rows])
        first = table.row_number(0)
        return periods, figures, comments, table.row_numbers or range(first, first + len(rows))

    def plain_rows(self, table: RawTable) -> list[ParsedRow] | None:
        """Every row as a ParsedRow if none has anything wrong, else None."""
        periods, figures, comments, numbering = self._columns(table)
        self._plain = periods, figures, comments, numbering  # quick_rows reuses them
        if None in periods or _FAILED in periods:
            return None
        if any(_FAILED in column for column in figures):
            return None
        for key in set(zip(*figures)):
            if key.count(None) == len(key) or self._rule_failure(key, None):
                return None
        comments = _comment_texts(comments)
        if comments is None:
            return None
        nothing = repeat(None)
        if len(figures) == 1:
            columns = (figures[0], nothing, nothing)
        else:
            columns = (nothing, figures[0], figures[1])
        # tuple.__new__ makes each ParsedRow without a Python-level call per row.
        return list(map(tuple.__new__, repeat(ParsedRow),
                        zip(numbering, periods, *columns, comments)))

    def quick_rows(self, table: RawTable) -> list[ParsedRow | None]:
        """Each row as a ParsedRow when it is plainly fine, else None (read it by itself)."""
        periods, figures, comments, numbering = self._plain or self._columns(table)
        roles = [role for role, _, _ in self.figures]
        quick: list[ParsedRow | None] = []
        for period, numbers, raw_comment, row_number in zip(periods, zip(*figures), comments,
                                                            numbering):
            if (period is None or period is _FAILED or _FAILED in numbers
                    or numbers.count(None) == len(numbers)):
                quick.append(None)
                continue
            comment = None if raw_comment is None else header_text(raw_comment)
            if self._rule_failure(dict(zip(roles, numbers)) if comment else numbers, comment):
                quick.append(None)
                continue
            quick.append(ParsedRow(row_number, period, *self._figures(numbers), comment))
        return quick

    def _figures(self, numbers: tuple) -> tuple[float | None, float | None, float | None]:
        """(value, numerator, denominator) from the figures in role order."""
        if len(numbers) == 1:
            return numbers[0], None, None
        return None, numbers[0], numbers[1]

    def _quick_period(self, value: object) -> date:
        period = parse_uk_date(value)
        if self.measure.frequency is not Frequency.EVENT:
            check_period(period, self.measure.frequency)
        return period

    def _rule_failure(self, numbers: dict[str, float | None] | tuple, comment: str | None):
        """(field, message) of the domain rule the figures break, or None."""
        if isinstance(numbers, tuple):  # figures in role order, as quick_rows has them
            key = numbers
            if key in self.checked:
                return self.checked[key]
            numbers = dict(zip((role for role, _, _ in self.figures), numbers))
        else:
            key = tuple(numbers.values())
            if comment is None and key in self.checked:
                return self.checked[key]
        point = DataPoint(measure_id=0, period=_FITS_EVERY_FREQUENCY, comment=comment or "",
                          **numbers)
        try:
            check_data_point(point, self.measure)
            failure = None
        except ValidationError as error:
            failure = (error.field, error.message)
        if comment is None:
            self.checked[key] = failure
        return failure



def _comment_texts(cells: list[object]) -> list[str | None] | None:
    """Comment cells as saved (header_text), each distinct text checked once against the
    text rules (a comment's only rules: the figures' are checked without it); None when
    one breaks them, or when a cell isn't text (then each row is read by itself)."""
    done: dict[object, str | None] = {None: None}
    for cell in set(cells):
        if cell is None:
            continue
        if type(cell) is not str:
            return None  # 1 == 1.0 == True would share one text
        done[cell] = text = header_text(cell)
        try:
            check_text(DataPoint(measure_id=0, period=_FITS_EVERY_FREQUENCY, comment=text))
        except ValidationError:
            return None
    return list(map(done.__getitem__, cells))


_FAILED = object()  # a cell `convert` refused: its row is read by itself to explain why


def _convert(cells: list[object], convert) -> list[object]:
    """`convert` applied to each cell (None stays None, failures become _FAILED), once
    per distinct text: a big import repeats its dates and figures many times."""
    done: dict[object, object] = {None: None}
    distinct = set(cells)
    for text in distinct:
        if type(text) is str:
            try:
                done[text] = convert(text)
            except ValidationError:
                done[text] = _FAILED
    if len(done) == len(distinct) + (None not in distinct):  # text and blanks only (CSV)
        return list(map(done.__getitem__, cells))
    return [done[cell] if type(cell) is str else None if cell is None else _one(convert, cell)
            for cell in cells]


def _one(convert, cell: object) -> object:
    """Cells read from Excel (numbers, dates, booleans): converted one by one."""
    try:
        return convert(cell)
    except ValidationError:
        return _FAILED
