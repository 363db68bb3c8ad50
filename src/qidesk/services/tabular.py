"""Tables in and out: CSV and XLSX files and blocks pasted from Excel.

Reading never shows a traceback: every file a user can pick (empty, binary, corrupt,
a renamed .xls, an odd encoding) becomes a ValidationError with a plain message.
Parsing rows never stops at the first problem: each row is parsed or explained
(row number as Excel shows it, column heading, message), so a ward can fix the
sheet in one go. The value rules themselves are the domain's (check_data_point).

Decisions (see also parse_rows):
- CSV files are written UTF-8 with a BOM (Excel then reads accents and '£'), comma
  separated, dates as ISO 2026-03-02 (unambiguous, and Excel reads it as a date in any
  locale); read_table reads that back, as well as day-first UK dates.
- Text starting with = + - @ is written to CSV with a leading apostrophe so Excel
  shows it as text instead of running it as a formula; read_table drops that
  apostrophe again. XLSX cells are written as typed text, so need no such guard.
"""

from __future__ import annotations

import codecs
import csv
import io
import math
import os
import secrets
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from pathlib import Path

from qidesk.domain.data_rules import check_data_point
from qidesk.domain.entities import DataPoint, Measure
from qidesk.domain.enums import Frequency, ValueType
from qidesk.domain.errors import ValidationError
from qidesk.domain.periods import (
    check_period,
    format_date,
    format_period,
    parse_number,
    parse_uk_date,
)

MAX_FILE_BYTES = 100 * 1024 * 1024  # far beyond any ward's sheet; keeps memory bounded
MAX_ROWS = 1_000_000
MAX_COLUMNS = 1_000  # a sheet wider than this is not a measure's data (or is a zip bomb)
_XLSX_SUFFIXES = {".xlsx", ".xlsm", ".xltx", ".xltm"}
_ZIP_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0"  # legacy .xls (and .doc) files
_DELIMITERS = (",", "\t", ";")  # ties go to the first
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class RawTable:
    """Cells as read, before any meaning is given to them.

    `rows` hold str (stripped, never empty), float/int, date/datetime, bool or None.
    `row_numbers[i]` is the row of `rows[i]` as the user sees it in Excel (blank rows
    are skipped but keep the numbering); empty means rows 2, 3, ... under a header.
    """

    headers: list[str]
    rows: list[list[object]]
    source: str
    row_numbers: list[int] = field(default_factory=list)
    has_header: bool = True

    def row_number(self, index: int) -> int:
        if self.row_numbers:
            return self.row_numbers[index]
        return index + (2 if self.has_header else 1)


@dataclass(frozen=True)
class ColumnMapping:
    """Which column (0-based) holds each part of a data point; None = not in the table."""

    period: int
    value: int | None = None
    numerator: int | None = None
    denominator: int | None = None
    comment: int | None = None


@dataclass(frozen=True)
class ParsedRow:
    """One row read as a data point; `row_number` as the user sees it in Excel."""

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


def read_table(path: Path, sheet: str | None = None) -> RawTable:
    """Read the first sheet (or `sheet`) of an .xlsx file, or a CSV/TSV text file."""
    path = Path(path)
    name = path.name
    head = _check_file(path)
    if head.startswith(_OLE_MAGIC) or path.suffix.lower() == ".xls":
        raise ValidationError(
            f"{name} is an old-style Excel file (.xls): in Excel use Save As and choose "
            "Excel Workbook (.xlsx) or CSV, then import that.")
    if path.suffix.lower() == ".ods":
        raise ValidationError(f"{name} is an OpenDocument spreadsheet: save it as .xlsx or CSV first.")
    if head.startswith(_ZIP_MAGIC) or path.suffix.lower() in _XLSX_SUFFIXES:
        grid = _read_xlsx_grid(path, sheet)
    else:
        grid = _read_csv_grid(path)
    return _table_from_grid(grid, name)


def parse_pasted(text: str) -> RawTable:
    """A block copied from Excel (tab-separated lines); the heading row is optional."""
    if not text or not text.strip():
        raise ValidationError("Nothing was pasted: copy the cells in Excel, then paste again.")
    try:
        records = list(csv.reader(io.StringIO(text), delimiter="\t"))
    except csv.Error:
        raise ValidationError("The pasted text couldn't be read as rows and columns.") from None
    grid = [(n, [_clean_cell(c) for c in record]) for n, record in enumerate(records, start=1)]
    return _table_from_grid(grid, "pasted data")


def write_table(path: Path, headers: list[str], rows: list[list[object]],
                *, sheet_title: str = "Data") -> None:
    """Write a .csv or .xlsx file (by suffix) all at once: a failed export leaves no half file."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in (".csv", ".xlsx"):
        raise ValidationError(f"Export to a .csv or .xlsx file, not '{path.suffix or path.name}'.")
    # A unique name beside the target (same disk, so os.replace is atomic); opened with
    # "x" rather than mkstemp so the file gets the user's normal permissions, not 0600.
    temp = path.with_name(f".{path.name}.{secrets.token_hex(6)}.tmp")
    try:
        with temp.open("xb") as out:
            if suffix == ".csv":
                out.write(_csv_bytes(headers, rows))
            else:
                _write_xlsx(out, headers, rows, sheet_title)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temp, path)
    except OSError as error:
        where = path.parent if not path.parent.is_dir() else path.name
        raise ValidationError(f"Couldn't save {where}: {_os_reason(error)}") from None
    finally:
        temp.unlink(missing_ok=True)


# Reading files ------------------------------------------------------------------------


def _check_file(path: Path) -> bytes:
    """The first bytes of a readable, non-empty, not-too-large file."""
    try:
        if not path.exists():
            raise ValidationError(f"Can't find {path.name}: was it moved or renamed?")
        if not path.is_file():
            raise ValidationError(f"{path.name} is a folder, not a file.")
        size = path.stat().st_size
        with path.open("rb") as stream:
            head = stream.read(8)
    except OSError as error:
        raise ValidationError(f"Can't open {path.name}: {_os_reason(error)}") from None
    if size == 0:
        raise ValidationError(f"{path.name} is empty.")
    if size > MAX_FILE_BYTES:
        raise ValidationError(f"{path.name} is too large to import ({size // 2**20} MB).")
    return head


def _read_csv_grid(path: Path) -> list[tuple[int, list[object]]]:
    try:
        text = _decode(path.read_bytes(), path.name)
    except OSError as error:
        raise ValidationError(f"Can't open {path.name}: {_os_reason(error)}") from None
    delimiter = _sniff_delimiter(text)
    grid = []
    try:
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
        for number, record in enumerate(reader, start=1):
            _check_size(number, _used_width(record), path.name)
            grid.append((number, [_csv_cell(c) for c in record]))
    except csv.Error:
        raise ValidationError(f"{path.name} isn't a readable CSV file.") from None
    return grid


def _check_size(row_number: int, width: int, name: str) -> None:
    if row_number > MAX_ROWS:
        raise ValidationError(f"{name} has more than {MAX_ROWS:,} rows: import a smaller file.")
    if width > MAX_COLUMNS:
        raise ValidationError(f"{name} has more than {MAX_COLUMNS:,} columns: "
                              "copy the measure's columns into a new sheet and import that.")


def _decode(data: bytes, name: str) -> str:
    """Text of a CSV file: UTF-8 (with or without BOM), UTF-16 ('Unicode text'), else cp1252."""
    for bom, encoding in ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"),
                          (codecs.BOM_UTF16_BE, "utf-16")):
        if data.startswith(bom):
            try:
                return _no_nul(data.decode(encoding), name)
            except UnicodeDecodeError:
                raise ValidationError(f"{name} has text that can't be read.") from None
    for encoding in ("utf-8", "cp1252"):
        try:
            return _no_nul(data.decode(encoding), name)
        except UnicodeDecodeError:
            continue
    return _no_nul(data.decode("latin-1"), name)


def _no_nul(text: str, name: str) -> str:
    if "\x00" in text:
        raise ValidationError(f"{name} isn't a text (CSV) file or an Excel workbook.")
    return text


def _sniff_delimiter(text: str) -> str:
    """The delimiter that splits the first lines into the most rows of one width (> 1)."""
    sample = [line for line in text.splitlines()[:50] if line.strip()]
    best, best_score = ",", (0, 0)
    for delimiter in _DELIMITERS:
        try:
            widths = [len(r) for r in csv.reader(sample, delimiter=delimiter)]
        except csv.Error:
            continue
        wide = [w for w in widths if w > 1]
        if not wide:
            continue
        modal = max(set(wide), key=lambda w: (wide.count(w), w))
        score = (wide.count(modal), modal)
        if score > best_score:
            best, best_score = delimiter, score
    return best


def _read_xlsx_grid(path: Path, sheet: str | None) -> list[tuple[int, list[object]]]:
    import openpyxl  # only needed for Excel files; keeps CSV-only use light

    try:
        workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception:  # foreign bytes break openpyxl in many ways; all mean "not readable"
        raise ValidationError(
            f"{path.name} isn't a readable Excel workbook: it may be damaged, or not really "
            "an .xlsx file. Open it in Excel and save it again.") from None
    try:
        worksheet = _pick_sheet(workbook, sheet, path.name)
        worksheet.reset_dimensions()  # trust the cells, not the file's (often stale) size record
        grid = []
        for number, values in enumerate(worksheet.iter_rows(values_only=True), start=1):
            _check_size(number, _used_width(values), path.name)
            grid.append((number, [_clean_cell(v) for v in values]))
        return grid
    except ValidationError:
        raise
    except Exception:  # a damaged sheet inside a valid zip: same plain answer
        raise ValidationError(f"{path.name} has a damaged sheet: open it in Excel and save it again.") from None
    finally:
        workbook.close()


def _pick_sheet(workbook, sheet: str | None, name: str):
    sheets = workbook.worksheets
    if not sheets:
        raise ValidationError(f"{name} has no worksheets.")
    if sheet is None:
        return sheets[0]
    for candidate in sheets:
        if candidate.title == sheet:
            return candidate
    titles = ", ".join(s.title for s in sheets)
    raise ValidationError(f"{name} has no sheet called '{sheet}' (it has: {titles}).")


def _clean_cell(value: object) -> object:
    if isinstance(value, str):
        return value.strip() or None
    return value


def _csv_cell(text: str) -> str | None:
    """A CSV cell, stripped, with write_table's formula guard (a leading ') taken off."""
    text = text.strip()
    if text[:1] == "'" and text[1:2] in ("=", "+", "-", "@"):
        return text[1:]
    return text or None


# Shaping a grid into a table --------------------------------------------------------


def _table_from_grid(grid: list[tuple[int, list[object]]], source: str) -> RawTable:
    filled = [(n, cells) for n, cells in grid if any(c is not None for c in cells)]
    if not filled:
        raise ValidationError(f"{_title(source)} is empty: there are no rows to import.")
    start = _first_dated_row(filled)
    if start > 0 and _looks_like_header(filled[start - 1][1]):
        filled = filled[start - 1 :]  # title rows above the headings are not data
    has_header = _looks_like_header(filled[0][1])
    width = max(_used_width(cells) for _, cells in filled)
    if has_header:
        first = _pad(filled[0][1], width)
        headers = [f"Column {_letters(i)}" if c is None else _header_text(c) for i, c in enumerate(first)]
        filled = filled[1:]
    else:
        headers = [f"Column {_letters(i)}" for i in range(width)]
    if not filled:
        raise ValidationError(f"{_title(source)} has column headings but no rows of data.")
    return RawTable(headers=headers, rows=[_pad(cells, width) for _, cells in filled],
                    source=source, row_numbers=[n for n, _ in filled], has_header=has_header)


def _first_dated_row(filled: list[tuple[int, list[object]]], look: int = 20) -> int:
    """Index of the first row holding a date, among the first few; 0 if none does."""
    for index, (_, cells) in enumerate(filled[:look]):
        for cell in cells:
            if isinstance(cell, date) or (isinstance(cell, str) and _reads_as(parse_uk_date, cell)):
                return index
    return 0


def _looks_like_header(cells: list[object]) -> bool:
    """A heading row holds only text, none of it a date or a number."""
    present = [c for c in cells if c is not None]
    return bool(present) and all(isinstance(c, str) and not _readable(c) for c in present)


def _readable(text: str) -> bool:
    for reader in (parse_number, parse_uk_date):
        try:
            reader(text)
            return True
        except ValidationError:
            pass
    return False


def _used_width(cells: list[object] | tuple) -> int:
    width = len(cells)
    while width and cells[width - 1] in (None, ""):
        width -= 1
    return width


def _pad(cells: list[object], width: int) -> list[object]:
    return list(cells[:width]) + [None] * (width - len(cells))


def _header_text(value: object) -> str:
    if isinstance(value, datetime | date):
        return format_date(value)
    return " ".join(str(value).split())


def _letters(index: int) -> str:
    """Excel column letters: 0 -> A, 25 -> Z, 26 -> AA."""
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


def _title(source: str) -> str:
    return source[:1].upper() + source[1:]


# Column mapping ---------------------------------------------------------------------

# Heading words per role, most specific first; a heading equal to a word beats one
# merely containing it. Rates and proportions also take a value-like heading
# ("Falls") as their numerator.
_ROLE_WORDS = {
    "period": ("period", "date", "week commencing", "week beginning", "week ending", "w/c",
               "wc", "week", "month", "quarter", "day", "event date", "when"),
    "numerator": ("numerator", "num", "met", "achieved", "compliant", "on time", "yes",
                  "successes"),
    "denominator": ("denominator", "denom", "den", "occupied bed days", "bed days", "obd",
                    "total", "due", "eligible", "opportunities", "exposure", "audited",
                    "patients", "sample"),
    "value": ("value", "count", "rate", "result", "number", "score", "minutes", "mins",
              "hours", "days", "cases", "falls", "total"),
    "comment": ("comment", "comments", "note", "notes", "remarks", "reason", "narrative"),
}
_CONTENT_SAMPLE = 200  # rows looked at when guessing from cell contents
_CONTENT_SHARE = 0.8  # share of non-blank cells that must read as dates / numbers


def guess_mapping(table: RawTable, value_type: ValueType) -> ColumnMapping:
    """Guess which column is which from the headings, then from what the cells hold."""
    roles = (["period", "numerator", "denominator", "comment"] if value_type.has_denominator
             else ["period", "value", "comment"])
    chosen: dict[str, int] = {}
    if table.has_header:
        chosen = _match_headings(table.headers, roles)
    _fill_from_contents(table, roles, chosen)
    if "period" not in chosen:
        raise ValidationError(
            "Can't tell which column holds the dates: choose the period column.", field="period")
    return ColumnMapping(**chosen)


def _match_headings(headers: list[str], roles: list[str]) -> dict[str, int]:
    scores = []
    for index, heading in enumerate(headers):
        words = " " + " ".join(_normalise(heading).split()) + " "
        for role in roles:
            keywords = _ROLE_WORDS[role]
            if role == "numerator":
                keywords = keywords + _ROLE_WORDS["value"]
            for rank, word in enumerate(keywords):
                if words.strip() == word:
                    scores.append((2, -rank, role, index))
                elif f" {word} " in words:
                    scores.append((1, -rank, role, index))
    chosen: dict[str, int] = {}
    for *_, role, index in sorted(scores, reverse=True):
        if role not in chosen and index not in chosen.values():
            chosen[role] = index
    return chosen


def _normalise(heading: str) -> str:
    return "".join(c if c.isalnum() or c == "/" else " " for c in heading.lower())


def _fill_from_contents(table: RawTable, roles: list[str], chosen: dict[str, int]) -> None:
    sample = table.rows[:_CONTENT_SAMPLE]
    free = [i for i in range(len(table.headers)) if i not in chosen.values()]
    kinds = {i: _column_kind([row[i] for row in sample]) for i in free}
    for role in roles:
        if role in chosen:
            continue
        wanted = {"period": "date", "comment": "text"}.get(role, "number")
        match = next((i for i in free if kinds[i] == wanted and i not in chosen.values()), None)
        if match is not None:
            chosen[role] = match


def _column_kind(cells: list[object]) -> str:
    """'date', 'number', 'text' or 'blank': what most of a column's cells hold."""
    present = [c for c in cells if c is not None]
    if not present:
        return "blank"
    need = _CONTENT_SHARE * len(present)
    if sum(_reads_as(parse_uk_date, c, numbers_ok=False) for c in present) >= need:
        return "date"
    if sum(_reads_as(_cell_number, c) for c in present) >= need:
        return "number"
    return "text"


def _reads_as(reader, cell: object, numbers_ok: bool = True) -> bool:
    if not numbers_ok and isinstance(cell, (int, float)):
        return False  # plain numbers are counts, not Excel serial dates, when guessing
    try:
        reader(cell)
        return True
    except ValidationError:
        return False


# Rows -------------------------------------------------------------------------------


def parse_rows(table: RawTable, mapping: ColumnMapping, value_type: ValueType,
               frequency: Frequency) -> tuple[list[ParsedRow], list[RowProblem]]:
    """Turn cells into data points, explaining every row that can't be one.

    A row whose period is filled in but whose figures and comment are all blank is
    skipped without complaint: ward sheets often list the coming weeks in advance.
    A blank figure is never read as zero: a row with a comment but no figure is a
    problem ("type 0 if there were none"). Duplicate periods are problems, except for
    per-event measures, where two events can share a date.
    """
    _check_mapping(table, mapping, value_type)
    reader = _RowReader(table, mapping, Measure(project_id=0, value_type=value_type,
                                                frequency=frequency))
    parsed: list[ParsedRow] = []
    problems: list[RowProblem] = []
    first_row_of: dict[date, int] = {}
    period_heading = table.headers[mapping.period]
    for index, cells in enumerate(table.rows):
        row = reader.read(cells, table.row_number(index))
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

    def read(self, cells: list[object], row_number: int) -> ParsedRow | list[RowProblem] | None:
        """A ParsedRow, the row's problems, or None for a row with nothing to import."""
        raw_comment = None if self.comment is None else cells[self.comment]
        comment = None if raw_comment is None else _header_text(raw_comment)
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
                numbers[role] = None if cells[index] is None else _cell_number(cells[index])
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

    def _rule_failure(self, numbers: dict[str, float | None], comment: str | None):
        """(field, message) of the domain rule the figures break, or None."""
        key = tuple(numbers.items())
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


def _cell_number(value: object) -> float:
    """A figure from a cell: numbers as they are, text read the UK way."""
    if isinstance(value, str):
        return parse_number(value)
    if isinstance(value, bool):
        raise ValidationError("TRUE/FALSE isn't a number.", field="value")
    if isinstance(value, (int, float)):
        number = float(value)
        if not math.isfinite(number):
            raise ValidationError("This isn't an ordinary number.", field="value")
        return number
    if isinstance(value, datetime | date | time | timedelta):
        raise ValidationError("This cell holds a date or time, not a number.", field="value")
    return parse_number(str(value))


# Writing ----------------------------------------------------------------------------


def _csv_bytes(headers: list[str], rows: Iterable[list[object]]) -> bytes:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([_csv_text(h) for h in headers])
    for row in rows:
        writer.writerow([_csv_text(v) for v in row])
    return buffer.getvalue().encode("utf-8-sig")


def _csv_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, datetime):
        return _naive(value).isoformat(sep=" ", timespec="seconds")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float):
        if not math.isfinite(value):
            return ""
        return str(int(value)) if value.is_integer() and abs(value) < 2**53 else repr(value)
    text = str(value)
    return "'" + text if text.startswith(_FORMULA_STARTS) else text


def _write_xlsx(stream, headers: list[str], rows: Iterable[list[object]], title: str) -> None:
    import openpyxl
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet(title=title[:31] or "Data")

    def cell(value: object) -> object:
        if isinstance(value, datetime):
            out = WriteOnlyCell(sheet, value=_naive(value))
            out.number_format = "dd/mm/yyyy hh:mm"
        elif isinstance(value, date):
            out = WriteOnlyCell(sheet, value=value)
            out.number_format = "dd/mm/yyyy"
        elif isinstance(value, str):  # control characters (from pastes) are illegal in XLSX
            out = WriteOnlyCell(sheet, value=ILLEGAL_CHARACTERS_RE.sub("", value))
            out.data_type = "s"  # typed text: '=...' stays text, never a formula
        elif isinstance(value, float) and not math.isfinite(value):
            out = WriteOnlyCell(sheet, value=None)
        elif isinstance(value, (time, timedelta)) or value is None or isinstance(value, (int, float)):
            out = WriteOnlyCell(sheet, value=value)
        else:
            out = WriteOnlyCell(sheet, value=str(value))
            out.data_type = "s"
        return out

    sheet.append([cell(h) for h in headers])
    for row in rows:
        sheet.append([cell(v) for v in row])
    workbook.save(stream)


def _naive(moment: datetime) -> datetime:
    """Excel has no time zones: aware times are written as UTC wall-clock time."""
    if moment.tzinfo is None:
        return moment
    return (moment - moment.utcoffset()).replace(tzinfo=None)


def _os_reason(error: OSError) -> str:
    if isinstance(error, PermissionError):
        return "permission denied (is the file open in Excel, or the folder read-only?)"
    if error.errno == 28:
        return "the disk is full"
    return error.strerror or "the file system refused"
