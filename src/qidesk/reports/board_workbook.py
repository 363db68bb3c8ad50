"""The board report as an Excel workbook: a title row, a frozen header, numbers as
numbers, dates as dates, and the icons as their letters and words (no images needed)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from qidesk.domain.periods import format_date
from qidesk.reports import palette
from qidesk.reports.board_report import icon_label
from qidesk.reports.report_file import written_atomically

# (heading, width in characters)
COLUMNS = (("Team", 22), ("Project", 28), ("Measure", 40), ("Kind", 11),
           ("Latest value", 13), ("Unit", 12), ("Latest period", 14), ("Target", 10),
           ("Variation", 24), ("Assurance", 18), ("Comment", 60), ("Signed off by", 18),
           ("Signed off on", 14))
HEADER_ROW = 3
DATE_FORMAT = "d mmm yyyy"
PERCENT_FORMAT = '0.0"%"'  # values are already percentages (90.1 means 90.1%)
NUMBER_FORMAT = "#,##0.##"


def _hex(colour: str) -> str:
    return colour.lstrip("#").upper()


def _cells(row) -> list:
    signed_on = row.signed_off_at.date() if row.signed_off_at else None
    unit = "%" if row.percent else row.measure.unit
    return [row.team_name, row.project_title, row.measure.name, row.measure.kind.value.capitalize(),
            row.latest_value, unit, row.latest_period, row.target,
            icon_label(row.variation) if row.variation else "",
            icon_label(row.assurance) if row.assurance else "",
            row.comment, row.signed_off_by, signed_on]


def export_board_xlsx(rows, path: str | Path, title: str) -> Path:
    """Write the board report to `path` (all of it, or nothing)."""
    path = Path(path)
    book = Workbook()
    sheet = book.active
    sheet.title = "Board report"
    sheet["A1"] = title
    sheet["A1"].font = Font(size=14, bold=True, color=_hex(palette.NHS_DARK_BLUE))
    sheet["A2"] = (f"Making Data Count summary of {len(rows)} measures, produced "
                   f"{format_date(date.today())}. Variation: C common cause, H/L special "
                   "cause high/low (! concern). Assurance: P pass, F fail, ? inconsistent.")
    header_fill = PatternFill("solid", fgColor=_hex(palette.NHS_DARK_BLUE))
    for column, (heading, width) in enumerate(COLUMNS, start=1):
        cell = sheet.cell(HEADER_ROW, column, heading)
        cell.font = Font(bold=True, color=_hex(palette.NHS_WHITE))
        cell.fill = header_fill
        sheet.column_dimensions[get_column_letter(column)].width = width
    wrap = Alignment(wrap_text=True, vertical="top")
    for number, row in enumerate(rows, start=HEADER_ROW + 1):
        for column, value in enumerate(_cells(row), start=1):
            cell = sheet.cell(number, column, value)
            cell.alignment = wrap
            if isinstance(value, date):
                cell.number_format = DATE_FORMAT
            elif column in (5, 8) and value is not None:
                cell.number_format = PERCENT_FORMAT if row.percent else NUMBER_FORMAT
    sheet.freeze_panes = sheet.cell(HEADER_ROW + 1, 1)
    sheet.auto_filter.ref = f"A{HEADER_ROW}:{get_column_letter(len(COLUMNS))}{HEADER_ROW + len(rows)}"
    sheet.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"
    sheet.page_setup.orientation = "landscape"
    with written_atomically(path) as temp:
        book.save(temp)
    return path
