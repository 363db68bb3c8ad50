"""Writing tables: CSV and XLSX exports, all at once (a failed export leaves no half file).

CSV files are written UTF-8 with a BOM (Excel then reads accents and '£'), comma
separated, dates as ISO 2026-03-02 (unambiguous, and Excel reads it as a date in any
locale). Text starting with = + - @ is written to CSV with a leading apostrophe so
Excel shows it as text instead of running it as a formula (tabular_read drops that
apostrophe again). XLSX cells are written as typed text, so need no such guard.
"""

from __future__ import annotations

import csv
import io
import math
import os
import secrets
from collections.abc import Iterable
from datetime import date, datetime, time, timedelta
from pathlib import Path

from qidesk.domain.errors import ValidationError
from qidesk.services.tabular_read import os_reason

_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


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
        raise ValidationError(f"Couldn't save {where}: {os_reason(error)}") from None
    finally:
        temp.unlink(missing_ok=True)



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

