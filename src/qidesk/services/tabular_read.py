"""Reading tables: CSV/TSV and XLSX files, and blocks pasted from Excel, as raw cells.

Reading never shows a traceback: every file a user can pick (empty, binary, corrupt,
a renamed .xls, an odd encoding) becomes a ValidationError with a plain message.
The CSV fast path matters: a 100,000-row import reads every cell here.
"""

from __future__ import annotations

import codecs
import csv
import io
import math
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from pathlib import Path

from qidesk.domain.errors import ValidationError
from qidesk.domain.periods import format_date, parse_number, parse_uk_date

MAX_FILE_BYTES = 100 * 1024 * 1024  # far beyond any ward's sheet; keeps memory bounded
MAX_ROWS = 1_000_000
MAX_COLUMNS = 1_000  # a sheet wider than this is not a measure's data (or is a zip bomb)
_XLSX_SUFFIXES = {".xlsx", ".xlsm", ".xltx", ".xltm"}
_ZIP_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0"  # legacy .xls (and .doc) files
_DELIMITERS = (",", "\t", ";")  # ties go to the first


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
        raise ValidationError(f"Can't open {path.name}: {os_reason(error)}") from None
    if size == 0:
        raise ValidationError(f"{path.name} is empty.")
    if size > MAX_FILE_BYTES:
        raise ValidationError(f"{path.name} is too large to import ({size // 2**20} MB).")
    return head


def _read_csv_grid(path: Path) -> list[tuple[int, list[object]]]:
    try:
        text = _decode(path.read_bytes(), path.name)
    except OSError as error:
        raise ValidationError(f"Can't open {path.name}: {os_reason(error)}") from None
    delimiter = _sniff_delimiter(text)
    grid = []
    # Without an apostrophe anywhere no cell carries the formula guard: strip only.
    guarded = "'" in text
    try:
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
        for number, record in enumerate(reader, start=1):
            if number > MAX_ROWS or len(record) > MAX_COLUMNS:
                _check_size(number, _used_width(record), path.name)
            cells = ([_csv_cell(c) for c in record] if guarded
                     else [c.strip() or None for c in record])
            grid.append((number, cells))
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




def _table_from_grid(grid: list[tuple[int, list[object]]], source: str) -> RawTable:
    filled = [(n, cells) for n, cells in grid if cells.count(None) != len(cells)]
    if not filled:
        raise ValidationError(f"{_title(source)} is empty: there are no rows to import.")
    start = _first_dated_row(filled)
    if start > 0 and _looks_like_header(filled[start - 1][1]):
        filled = filled[start - 1 :]  # title rows above the headings are not data
    has_header = _looks_like_header(filled[0][1])
    width = _table_width([cells for _, cells in filled])
    if has_header:
        first = _pad(filled[0][1], width)
        headers = [f"Column {_letters(i)}" if c is None else header_text(c) for i, c in enumerate(first)]
        filled = filled[1:]
    else:
        headers = [f"Column {_letters(i)}" for i in range(width)]
    if not filled:
        raise ValidationError(f"{_title(source)} has column headings but no rows of data.")
    rows = [cells if len(cells) == width else _pad(cells, width) for _, cells in filled]
    return RawTable(headers=headers, rows=rows,
                    source=source, row_numbers=[n for n, _ in filled], has_header=has_header)


def _first_dated_row(filled: list[tuple[int, list[object]]], look: int = 20) -> int:
    """Index of the first row holding a date, among the first few; 0 if none does."""
    for index, (_, cells) in enumerate(filled[:look]):
        for cell in cells:
            if isinstance(cell, date) or (isinstance(cell, str) and reads_as(parse_uk_date, cell)):
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


def _table_width(rows: list[list[object]]) -> int:
    """The widest used width of any row (trailing blank cells don't count), found
    column by column from the right rather than row by row."""
    width = max(map(len, rows))
    while width and all(len(cells) < width or cells[width - 1] in (None, "") for cells in rows):
        width -= 1
    return width


def _pad(cells: list[object], width: int) -> list[object]:
    return list(cells[:width]) + [None] * (width - len(cells))


def header_text(value: object) -> str:
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


def reads_as(reader, cell: object, numbers_ok: bool = True) -> bool:
    if not numbers_ok and isinstance(cell, (int, float)):
        return False  # plain numbers are counts, not Excel serial dates, when guessing
    try:
        reader(cell)
        return True
    except ValidationError:
        return False



def cell_number(value: object) -> float:
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



def os_reason(error: OSError) -> str:
    if isinstance(error, PermissionError):
        return "permission denied (is the file open in Excel, or the folder read-only?)"
    if error.errno == 28:
        return "the disk is full"
    return error.strerror or "the file system refused"
