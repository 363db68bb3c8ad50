"""Reading, mapping, parsing and writing tables of measure data (CSV, XLSX, pastes)."""

from __future__ import annotations

import os
import re
import zipfile
from datetime import date, datetime
from pathlib import Path

import openpyxl
import pytest

from qidesk.domain.enums import Frequency, ValueType
from qidesk.domain.errors import ValidationError
from qidesk.services.tabular import (
    ColumnMapping,
    RawTable,
    guess_mapping,
    parse_pasted,
    parse_rows,
    read_table,
    write_table,
)

V, F = ValueType, Frequency


def _csv(tmp_path: Path, text: str, encoding: str = "utf-8", name: str = "data.csv") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def _xlsx(tmp_path: Path, rows: list[list[object]], name: str = "data.xlsx", title: str = "Sheet1") -> Path:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = title
    for row in rows:
        sheet.append(row)
    path = tmp_path / name
    workbook.save(path)
    return path


def _table(rows: list[list[object]], headers: list[str] | None = None) -> RawTable:
    headers = headers or [f"Column {c}" for c in "ABCDE"[: len(rows[0])]]
    return RawTable(headers=headers, rows=rows, source="test")


# read_table: CSV -------------------------------------------------------------------


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-8", "cp1252", "utf-16"])
def test_csv_encodings_are_recognised(tmp_path, encoding):
    path = _csv(tmp_path, "Week,Falls,Notes\r\n02/03/2026,3,Café £5 agency\r\n", encoding)
    table = read_table(path)
    assert table.headers == ["Week", "Falls", "Notes"]
    assert table.rows == [["02/03/2026", "3", "Café £5 agency"]]


@pytest.mark.parametrize("delimiter", [",", ";", "\t"])
def test_csv_delimiters_are_recognised(tmp_path, delimiter):
    lines = ["Week", "Obs on time", "Obs due", "Comment"], ["02/03/2026", "45", "50", "a, b; c"]
    text = "\n".join(delimiter.join(f'"{c}"' if "," in c or ";" in c else c for c in line) for line in lines)
    table = read_table(_csv(tmp_path, text))
    assert table.headers == lines[0]
    assert table.rows == [lines[1]]


def test_blank_rows_are_skipped_but_keep_their_excel_row_numbers(tmp_path):
    text = "\n\nWeek,Falls\n02/03/2026,3\n,\n\n09/03/2026,2\n"
    table = read_table(_csv(tmp_path, text))
    assert table.row_numbers == [4, 7]
    assert [table.row_number(i) for i in range(2)] == [4, 7]


def test_quoted_cells_with_line_breaks_count_as_one_excel_row(tmp_path):
    text = 'Week,Falls,Notes\n02/03/2026,3,"two lines\nof notes"\n09/03/2026,2,\n'
    table = read_table(_csv(tmp_path, text))
    assert table.rows[0][2] == "two lines\nof notes"
    assert table.row_numbers == [2, 3]


def test_a_file_without_headings_gets_excel_column_names(tmp_path):
    table = read_table(_csv(tmp_path, "02/03/2026,3\n09/03/2026,2\n"))
    assert not table.has_header
    assert table.headers == ["Column A", "Column B"]
    assert table.row_numbers == [1, 2]


def test_title_rows_above_the_headings_are_ignored(tmp_path):
    rows = [["Ward 7 falls"], ["Source: Datix, bed days from BI"], [],
            ["Week", "Falls"], ["02/03/2026", 3], ["09/03/2026", 2]]
    table = read_table(_xlsx(tmp_path, rows))
    assert table.headers == ["Week", "Falls"]
    assert table.row_numbers == [5, 6]


def test_sheets_too_wide_to_be_measure_data_are_refused(tmp_path):
    path = _csv(tmp_path, "Week" + ",x" * 1_000 + "\n02/03/2026,1\n")
    with pytest.raises(ValidationError, match="more than 1,000 columns"):
        read_table(path)


@pytest.mark.skipif(os.name != "posix", reason="POSIX permissions")
def test_exported_files_get_normal_permissions(tmp_path):
    umask = os.umask(0)
    os.umask(umask)
    path = tmp_path / "export.csv"
    write_table(path, ["A"], [[1]])
    assert path.stat().st_mode & 0o777 == 0o666 & ~umask  # not a temp file's 0600


def test_short_rows_are_padded_and_trailing_empty_columns_dropped(tmp_path):
    table = read_table(_csv(tmp_path, "Week,Falls,,\n02/03/2026\n09/03/2026,2,,\n"))
    assert table.headers == ["Week", "Falls"]
    assert table.rows == [["02/03/2026", None], ["09/03/2026", "2"]]


@pytest.mark.parametrize(
    ("content", "name", "fragment"),
    [
        (b"", "data.csv", "is empty"),
        (b"\r\n , \r\n\r\n", "data.csv", "no rows to import"),
        (b"Week,Falls\r\n", "data.csv", "headings but no rows"),
        (b"\x00\x01\x02binary\x00", "data.csv", "isn't a text (CSV) file"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, "old.xls", "old-style Excel"),
        (b"PK\x03\x04 not really a zip", "data.xlsx", "isn't a readable Excel workbook"),
        (b"random words", "data.xlsx", "isn't a readable Excel workbook"),
        (b"whatever", "data.ods", "OpenDocument"),
    ],
)
def test_unreadable_files_are_refused_with_a_plain_message(tmp_path, content, name, fragment):
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(ValidationError, match=re.escape(fragment)):
        read_table(path)


def test_missing_file_and_folder_are_refused(tmp_path):
    with pytest.raises(ValidationError, match="Can't find"):
        read_table(tmp_path / "gone.csv")
    with pytest.raises(ValidationError, match="is a folder"):
        read_table(tmp_path)


def test_a_zip_that_is_not_a_workbook_is_refused(tmp_path):
    path = tmp_path / "data.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("hello.txt", "hello")
    with pytest.raises(ValidationError, match="readable Excel workbook"):
        read_table(path)


# read_table: XLSX ------------------------------------------------------------------


def test_xlsx_first_sheet_with_real_dates_and_gaps(tmp_path):
    rows = [["Month", "Falls", "Bed days"], [datetime(2026, 1, 1), 6, 820], [], [], [datetime(2026, 2, 1), 5, 790]]
    table = read_table(_xlsx(tmp_path, rows))
    assert table.headers == ["Month", "Falls", "Bed days"]
    assert table.rows == [[datetime(2026, 1, 1), 6, 820], [datetime(2026, 2, 1), 5, 790]]
    assert table.row_numbers == [2, 5]


def test_xlsx_named_sheet_and_missing_sheet(tmp_path):
    workbook = openpyxl.Workbook()
    workbook.active.append(["Cover sheet"])
    data = workbook.create_sheet("Falls")
    data.append(["Week", "Falls"])
    data.append(["02/03/2026", 2])
    path = tmp_path / "two.xlsx"
    workbook.save(path)
    assert read_table(path, sheet="Falls").rows == [["02/03/2026", 2]]
    with pytest.raises(ValidationError, match="no sheet called 'Obs'.*Sheet, Falls"):
        read_table(path, sheet="Obs")


def test_xlsx_formulas_never_calculated_read_as_blank(tmp_path):
    path = _xlsx(tmp_path, [["Week", "Falls", "Total"], ["02/03/2026", 2, "=B2*2"]])
    assert read_table(path).rows == [["02/03/2026", 2, None]]


# parse_pasted ------------------------------------------------------------------------


def test_pasted_block_with_headings():
    table = parse_pasted("Week\tFalls\r\n02/03/2026\t3\r\n09/03/2026\t2\r\n")
    assert table.headers == ["Week", "Falls"]
    assert table.row_numbers == [2, 3]
    assert table.source == "pasted data"


def test_pasted_block_without_headings_and_with_a_multi_line_cell():
    table = parse_pasted('02/03/2026\t3\t"line one\nline two"\n09/03/2026\t2\t\n')
    assert not table.has_header
    assert table.rows[0] == ["02/03/2026", "3", "line one\nline two"]
    assert table.row_numbers == [1, 2]


@pytest.mark.parametrize("text", ["", "   \n\t\n"])
def test_empty_paste_is_refused(text):
    with pytest.raises(ValidationError):
        parse_pasted(text)


# guess_mapping -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("row", "value_type", "expected"),
    [
        ({"Week commencing": "02/03/2026", "Falls": "3", "Occupied bed days": "190", "Notes": "x"},
         V.RATE, ColumnMapping(period=0, numerator=1, denominator=2, comment=3)),
        ({"Date": "02/03/2026", "Obs due": "50", "Obs on time": "45", "Comments": "x"},
         V.PROPORTION, ColumnMapping(period=0, numerator=2, denominator=1, comment=3)),
        ({"Notes": "x", "Numerator": "4", "Denominator": "5", "Period": "02/03/2026"},
         V.PROPORTION, ColumnMapping(period=3, numerator=1, denominator=2, comment=0)),
        ({"Month": "01/03/2026", "Minutes to first obs": "35"}, V.CONTINUOUS,
         ColumnMapping(period=0, value=1)),
        ({"Event date": "03/03/2026", "Days since last fall with harm": "12", "Reason": "x"},
         V.DAYS_BETWEEN, ColumnMapping(period=0, value=1, comment=2)),
        ({"w/c": "02/03/2026", "Count": "1"}, V.COUNT, ColumnMapping(period=0, value=1)),
        ({"Falls": "1", "Week": "02/03/2026"}, V.COUNT, ColumnMapping(period=1, value=0)),
    ],
)
def test_mapping_from_headings(row, value_type, expected):
    table = RawTable(headers=list(row), rows=[list(row.values())], source="test")
    assert guess_mapping(table, value_type) == expected


def test_mapping_from_contents_when_headings_say_nothing():
    table = parse_pasted("x\t02/03/2026\t4\t40\n\t09/03/2026\t5\t41\n")
    assert guess_mapping(table, V.PROPORTION) == ColumnMapping(period=1, numerator=2, denominator=3, comment=0)
    assert guess_mapping(table, V.COUNT) == ColumnMapping(period=1, value=2, comment=0)


def test_plain_numbers_are_not_taken_for_dates_when_guessing():
    table = _table([[46084, "02/03/2026"], [46091, "09/03/2026"]], ["A", "B"])
    assert guess_mapping(table, V.COUNT).period == 1


def test_no_date_column_is_explained():
    with pytest.raises(ValidationError, match="which column holds the dates") as caught:
        guess_mapping(_table([["3", "4"], ["5", "6"]], ["Falls", "Other"]), V.COUNT)
    assert caught.value.field == "period"


# parse_rows ---------------------------------------------------------------------------


def _problems(rows, value_type=V.COUNT, frequency=F.WEEK, headers=("Week", "Value", "Comment")):
    table = RawTable(headers=list(headers), rows=[list(r) for r in rows], source="test")
    mapping = (ColumnMapping(period=0, numerator=1, denominator=2, comment=3)
               if value_type.has_denominator else ColumnMapping(period=0, value=1, comment=2))
    return parse_rows(table, mapping, value_type, frequency)


def test_good_rows_parse_with_excel_row_numbers():
    parsed, problems = _problems([["02/03/2026", "3", None], [datetime(2026, 3, 9), 2, "huddle started"]])
    assert problems == []
    assert [(r.row_number, r.period, r.value, r.comment) for r in parsed] == [
        (2, date(2026, 3, 2), 3.0, None), (3, date(2026, 3, 9), 2.0, "huddle started")]


@pytest.mark.parametrize(
    ("row", "column", "fragment"),
    [
        (["32/03/2026", "3", None], "Week", "has no day 32"),
        (["soon", "3", None], "Week", "Can't read 'soon' as a date"),
        ([None, "3", None], "Week", "No date"),
        (["03/03/2026", "3", None], "Week", "3 Mar 2026 is a Tuesday — use 2 Mar 2026"),
        (["02/03/2026", "three", None], "Value", "'three' isn't a number"),
        (["02/03/2026", "1,5", None], "Value", "comma as the decimal point"),
        (["02/03/2026", "-1", None], "Value", "cannot be negative"),
        (["02/03/2026", "2.5", None], "Value", "whole number"),
        (["02/03/2026", float("inf"), None], "Value", "ordinary number"),
        (["02/03/2026", True, None], "Value", "TRUE/FALSE"),
        (["02/03/2026", datetime(2026, 1, 1), None], "Value", "date or time, not a number"),
        (["02/03/2026", None, "ward closed"], "Value", "No figure in this row"),
        (["02/03/2026", "#DIV/0!", None], "Value", "Excel error"),
    ],
)
def test_each_row_problem_names_row_column_and_reason(row, column, fragment):
    parsed, problems = _problems([["09/03/2026", "1", None], row])
    assert len(parsed) == 1
    assert len(problems) == 1
    assert (problems[0].row_number, problems[0].column) == (3, column)
    assert fragment in problems[0].message


@pytest.mark.parametrize(
    ("numerator", "denominator", "value_type", "column", "fragment"),
    [
        ("51", "50", V.PROPORTION, "Met", "cannot be more than the denominator"),
        ("5", "0", V.PROPORTION, "Due", "more than zero"),
        ("5", None, V.PROPORTION, "Due", "denominator is needed"),
        (None, "50", V.RATE, "Met", "numerator is needed"),
        ("5", "-10", V.RATE, "Due", "more than zero"),
        ("2.5", "800", V.RATE, "Met", "whole number"),
        ("5", "49.5", V.PROPORTION, "Due", "whole number"),
    ],
)
def test_fraction_problems(numerator, denominator, value_type, column, fragment):
    parsed, problems = _problems([["02/03/2026", numerator, denominator, None]], value_type,
                                 headers=("Week", "Met", "Due", "Comment"))
    assert parsed == []
    assert [(p.row_number, p.column) for p in problems] == [(2, column)]
    assert fragment in problems[0].message


def test_rates_take_fractional_exposure_and_numerator_above_denominator():
    parsed, problems = _problems([["01/03/2026", "7", "6.5", None]], V.RATE, F.MONTH,
                                 headers=("Month", "Falls", "Bed days", "Comment"))
    assert problems == []
    assert (parsed[0].numerator, parsed[0].denominator) == (7.0, 6.5)


def test_several_problems_in_one_row_are_all_reported():
    _, problems = _problems([["3 Smarch", "x", "y", None]], V.PROPORTION,
                            headers=("Week", "Met", "Due", "Comment"))
    assert [p.column for p in problems] == ["Week", "Met", "Due"]


def test_duplicate_period_points_at_the_first_row():
    parsed, problems = _problems([["02/03/2026", "1", None], ["09/03/2026", "1", None], ["2 Mar 2026", "4", None]])
    assert len(parsed) == 2
    assert problems[0].row_number == 4
    assert problems[0].message == "w/c 2 Mar 2026 is also in row 2: keep one of them."


def test_per_event_measures_allow_two_events_on_one_day_and_any_weekday():
    parsed, problems = _problems([["03/03/2026", "12", None], ["03/03/2026", "0", None]],
                                 V.DAYS_BETWEEN, F.EVENT)
    assert problems == [] and len(parsed) == 2


def test_blank_future_weeks_are_skipped_and_blanks_are_never_zero():
    parsed, problems = _problems([["02/03/2026", "0", None], ["09/03/2026", None, None],
                                  ["16/03/2026", None, None]])
    assert problems == []
    assert [(r.period, r.value) for r in parsed] == [(date(2026, 3, 2), 0.0)]


def test_percent_sign_is_dropped_for_continuous_values():
    parsed, _ = _problems([["02/03/2026", "45%", None]], V.CONTINUOUS)
    assert parsed[0].value == 45.0


def test_mapping_without_the_needed_columns_is_refused():
    table = _table([["02/03/2026", "1"]])
    with pytest.raises(ValidationError, match="numerator") as caught:
        parse_rows(table, ColumnMapping(period=0, value=1), V.PROPORTION, F.WEEK)
    assert caught.value.field == "numerator"
    with pytest.raises(ValidationError, match="not in this table"):
        parse_rows(table, ColumnMapping(period=0, value=5), V.COUNT, F.WEEK)


def test_a_long_comment_is_a_row_problem():
    _, problems = _problems([["02/03/2026", "1", "x" * 2_001]])
    assert problems[0].column == "Comment"
    assert "too long" in problems[0].message


# write_table -------------------------------------------------------------------------

EXPORT_HEADERS = ["Period", "Value", "Numerator", "Denominator", "Comment", "Entered at"]
EXPORT_ROWS = [
    [date(2026, 3, 2), 3.0, None, None, "=HYPERLINK(\"x\")", datetime(2026, 3, 3, 9, 15)],
    [date(2026, 3, 9), 2.5, 45, 50, "-ve feedback; \"quoted\", comma", None],
    [date(2026, 3, 16), None, 0, 1, "Café £5 ünïcode\nsecond line\x1f", None],
]


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_export_round_trips_through_read_table(tmp_path, suffix):
    path = tmp_path / f"export{suffix}"
    write_table(path, EXPORT_HEADERS, EXPORT_ROWS)
    table = read_table(path)
    assert table.headers == EXPORT_HEADERS
    mapping = guess_mapping(table, V.PROPORTION)
    parsed, problems = parse_rows(table, ColumnMapping(period=0, value=1, comment=4), V.CONTINUOUS, F.WEEK)
    assert mapping.period == 0
    assert [r.period for r in parsed] == [date(2026, 3, 2), date(2026, 3, 9)]
    assert [r.value for r in parsed] == [3.0, 2.5]
    assert [r.comment for r in parsed] == [EXPORT_ROWS[0][4], EXPORT_ROWS[1][4]]
    assert [p.row_number for p in problems] == [4]  # no value, but a comment


def test_csv_export_is_utf8_with_bom_iso_dates_and_formula_guard(tmp_path):
    path = tmp_path / "export.csv"
    write_table(path, EXPORT_HEADERS, EXPORT_ROWS)
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    text = raw.decode("utf-8-sig")
    assert text.splitlines()[1].startswith("2026-03-02,3,,,\"'=HYPERLINK(\"\"x\"\")\",2026-03-03 09:15:00")


def test_xlsx_export_has_real_dates_and_text_never_formulas(tmp_path):
    path = tmp_path / "export.xlsx"
    write_table(path, EXPORT_HEADERS, EXPORT_ROWS, sheet_title="Falls")
    sheet = openpyxl.load_workbook(path)["Falls"]
    assert sheet["A2"].is_date and sheet["A2"].number_format == "dd/mm/yyyy"
    assert sheet["E2"].data_type == "s"


def test_failed_export_leaves_the_old_file_and_no_temporary_file(tmp_path):
    path = tmp_path / "export.csv"
    path.write_text("old contents")

    class Unprintable:
        def __str__(self):
            raise RuntimeError("boom")

    with pytest.raises(RuntimeError):
        write_table(path, ["A"], [[Unprintable()]])
    assert path.read_text() == "old contents"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["export.csv"]


def test_export_refusals(tmp_path):
    with pytest.raises(ValidationError, match=".csv or .xlsx"):
        write_table(tmp_path / "export.pdf", ["A"], [])
    with pytest.raises(ValidationError, match="Couldn't save .*missing-folder"):
        write_table(tmp_path / "missing-folder" / "export.csv", ["A"], [])
