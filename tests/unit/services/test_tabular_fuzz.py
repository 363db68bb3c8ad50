"""Fuzzed imports: whatever a file holds, reading and parsing it never crashes, and every
row is either imported, explained (row number, column, message) or blank."""

from __future__ import annotations

import csv
import io
import math
import random
from datetime import date, datetime

import openpyxl
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from qidesk.domain.data_rules import check_data_point
from qidesk.domain.entities import DataPoint, Measure
from qidesk.domain.enums import Frequency, ValueType
from qidesk.domain.errors import ValidationError
from qidesk.services.tabular import ColumnMapping, guess_mapping, parse_pasted, parse_rows, read_table

FUZZ = settings(max_examples=150, deadline=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])

# Valid measure set-ups only (per-event value types are recorded per event, and only they).
SETUPS = [(vt, f) for vt in ValueType for f in Frequency if vt.is_per_event == (f is Frequency.EVENT)]

dates = st.dates(min_value=date(1940, 1, 1), max_value=date(2100, 12, 31))
date_texts = st.builds(
    lambda d, style: d.strftime(style), dates,
    st.sampled_from(["%d/%m/%Y", "%d/%m/%y", "%Y-%m-%d", "%d %b %Y", "%d-%b-%y", "%m/%d/%Y", "%A"]),
)
number_texts = st.one_of(
    st.integers(-10, 2_000).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
    st.sampled_from(["1,234.5", "1.234,5", "12,5", "45%", "#DIV/0!", "  7 ", "−3", "1e999", "", "n/a"]),
)
heading_texts = st.sampled_from(["Week", "Date", "Month", "w/c", "Falls", "Bed days", "Met", "Due",
                                 "Numerator", "Denominator", "Value", "Comment", "Notes", "", "Total"])
text_cells = st.one_of(date_texts, number_texts, heading_texts,
                       st.text(alphabet=st.characters(blacklist_categories=["Cs"]), max_size=12))
grids = st.lists(st.lists(st.one_of(st.none(), text_cells), min_size=0, max_size=6), min_size=0, max_size=12)
xlsx_cells = st.one_of(
    st.none(), text_cells.map(lambda s: ILLEGAL_CHARACTERS_RE.sub("", s)).filter(lambda s: not s.startswith("=")), st.integers(-5, 50_000),
    st.floats(allow_nan=False, allow_infinity=False, min_value=-1e6, max_value=1e6), st.booleans(),
    st.datetimes(min_value=datetime(1950, 1, 1), max_value=datetime(2099, 1, 1)),
)


def _check_everything_explained(table, value_type, frequency, data) -> None:
    try:
        mapping = guess_mapping(table, value_type)
    except ValidationError as error:
        assert error.message and error.field == "period"
        width = len(table.headers)
        pick = st.one_of(st.none(), st.integers(0, width - 1))
        mapping = ColumnMapping(period=data.draw(st.integers(0, width - 1)), value=data.draw(pick),
                                numerator=data.draw(pick), denominator=data.draw(pick),
                                comment=data.draw(pick))
    try:
        parsed, problems = parse_rows(table, mapping, value_type, frequency)
    except ValidationError as error:  # the mapping lacks a column this measure needs
        assert error.field in ("value", "numerator", "denominator")
        return
    numbers = [table.row_number(i) for i in range(len(table.rows))]
    assert len(set(numbers)) == len(numbers)
    parsed_at = {r.row_number for r in parsed}
    problem_at = {p.row_number for p in problems}
    assert not parsed_at & problem_at
    assert parsed_at | problem_at <= set(numbers)
    for problem in problems:
        assert problem.column in table.headers and problem.message.strip()
    figures = ["numerator", "denominator"] if value_type.has_denominator else ["value"]
    for number, cells in zip(numbers, table.rows, strict=True):
        if number not in parsed_at | problem_at:  # skipped: nothing to import in that row
            used = [getattr(mapping, role) for role in figures + ["comment"]]
            assert all(cells[i] is None for i in used if i is not None)
    measure = Measure(project_id=0, value_type=value_type, frequency=frequency)
    for row in parsed:
        check_data_point(DataPoint(measure_id=0, period=row.period, value=row.value,
                                   numerator=row.numerator, denominator=row.denominator,
                                   comment=row.comment or ""), measure)
        assert all(math.isfinite(x) for x in (row.value, row.numerator, row.denominator) if x is not None)
    if frequency is not Frequency.EVENT:
        assert len({r.period for r in parsed}) == len(parsed)


def _read_or_refuse(path):
    try:
        return read_table(path)
    except ValidationError as error:
        assert error.message.strip()
        return None


@FUZZ
@given(grids, st.sampled_from([",", ";", "\t"]), st.sampled_from(["utf-8-sig", "utf-8", "cp1252", "utf-16"]),
       st.booleans(), st.sampled_from(SETUPS), st.data())
def test_fuzzed_csv_files(tmp_path_factory, grid, delimiter, encoding, tidy, setup, data):
    buffer = io.StringIO()
    if tidy:
        csv.writer(buffer, delimiter=delimiter).writerows([[c or "" for c in row] for row in grid])
    else:  # hand-joined: stray quotes and delimiters inside cells
        buffer.write("\n".join(delimiter.join(c or "" for c in row) for row in grid))
    path = tmp_path_factory.mktemp("csv") / "fuzz.csv"
    path.write_bytes(buffer.getvalue().encode(encoding, errors="replace"))
    table = _read_or_refuse(path)
    if table is not None:
        _check_everything_explained(table, *setup, data)


@FUZZ
@given(grids, st.sampled_from(SETUPS), st.data())
def test_fuzzed_pastes(grid, setup, data):
    text = "\n".join("\t".join(c or "" for c in row) for row in grid)
    try:
        table = parse_pasted(text)
    except ValidationError as error:
        assert error.message
        return
    _check_everything_explained(table, *setup, data)


@settings(FUZZ, max_examples=60)
@given(st.lists(st.lists(xlsx_cells, max_size=5), max_size=10), st.sampled_from(SETUPS), st.data())
def test_fuzzed_xlsx_files(tmp_path_factory, grid, setup, data):
    workbook = openpyxl.Workbook()
    for row in grid:
        workbook.active.append(row)
    path = tmp_path_factory.mktemp("xlsx") / "fuzz.xlsx"
    workbook.save(path)
    table = _read_or_refuse(path)
    if table is not None:
        _check_everything_explained(table, *setup, data)


@settings(FUZZ, max_examples=100)
@given(st.binary(max_size=2_000), st.sampled_from(["fuzz.csv", "fuzz.xlsx", "fuzz.txt", "fuzz"]))
def test_random_bytes_are_refused_or_read(tmp_path_factory, content, name):
    path = tmp_path_factory.mktemp("bytes") / name
    path.write_bytes(content)
    _read_or_refuse(path)


@settings(FUZZ, max_examples=80)
@given(st.integers(0, 2**32 - 1), st.integers(1, 40))
def test_damaged_xlsx_files_are_refused_or_read(tmp_path_factory, seed, flips):
    folder = tmp_path_factory.mktemp("damaged")
    workbook = openpyxl.Workbook()
    workbook.active.append(["Week", "Falls"])
    for week in range(20):
        workbook.active.append([datetime(2026, 1, 5 + week % 20), week % 4])
    good = folder / "good.xlsx"
    workbook.save(good)
    content = bytearray(good.read_bytes())
    rng = random.Random(seed)
    for _ in range(flips):
        content[rng.randrange(len(content))] = rng.randrange(256)
    damaged = folder / "damaged.xlsx"
    damaged.write_bytes(bytes(content))
    _read_or_refuse(damaged)
