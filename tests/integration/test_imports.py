"""Import from CSV/XLSX: all rows or none, every rejection explained; export round trip."""

from __future__ import annotations

import csv
from datetime import date, timedelta

import openpyxl
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from qidesk.domain.errors import ValidationError
from qidesk.services import data_points, history
from qidesk.services.backups import list_backups
from qidesk.services.data_points import ExistingPolicy
from qidesk.services.imports import (
    ImportRejected,
    export_measure_data,
    import_measure_data,
    preview_import,
)

MON = date(2024, 1, 1)


def write_csv(path, rows, headers=("Week", "Falls", "Comment")):
    with open(path, "w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(headers)
        writer.writerows(rows)
    return path


def weekly(n, start=MON):
    return [((start + timedelta(weeks=i)).strftime("%d/%m/%Y"), i % 5, "") for i in range(n)]


def test_import_csv_backs_up_then_writes_every_row(wb, ward, tmp_path):
    path = write_csv(tmp_path / "falls.csv", weekly(30))
    result = import_measure_data(wb, ward.falls, path)
    assert result.batch.added == 30 and result.backup.reason == "before-import"
    assert list_backups(wb)[0].reason == "before-import"
    assert len(data_points.list_data_points(wb, ward.falls)) == 30
    events = history.audit_trail(wb, "data_point")
    assert len(events) == 30
    newest = events[0]
    assert (newest.staff_name, newest.action, newest.app_version) == ("Sam Jones", "created",
                                                                      "0.1.0")
    assert newest.at.tzinfo is not None and newest.os_user and newest.computer
    assert set(newest.changes) >= {"measure_id", "period", "value"}
    assert newest.changes["period"][0] is None


def test_one_bad_row_means_nothing_imported_and_every_problem_listed(wb, ward, tmp_path):
    rows = weekly(10)
    rows[3] = (rows[3][0], -2, "")
    rows[6] = ("31/02/2024", 1, "")
    rows[8] = (rows[8][0], 1.5, "")
    path = write_csv(tmp_path / "bad.csv", rows)
    with pytest.raises(ImportRejected) as info:
        import_measure_data(wb, ward.falls, path)
    problem_rows = sorted({p.row_number for p in info.value.problems})
    assert problem_rows == [5, 8, 10]  # file rows (header is row 1)
    assert all(p.message for p in info.value.problems)
    assert data_points.list_data_points(wb, ward.falls) == []


def test_existing_periods_skip_or_replace(wb, ward, tmp_path):
    import_measure_data(wb, ward.falls, write_csv(tmp_path / "a.csv", weekly(5)))
    rows = [(r[0], 4, "recount") for r in weekly(7)]
    path = write_csv(tmp_path / "b.csv", rows)
    result = import_measure_data(wb, ward.falls, path, existing=ExistingPolicy.SKIP)
    assert (result.batch.added, result.batch.skipped) == (2, 5)
    result = import_measure_data(wb, ward.falls, path, existing=ExistingPolicy.REPLACE)
    assert (result.batch.replaced, result.batch.unchanged) == (5, 2)
    assert {p.value for p in data_points.list_data_points(wb, ward.falls)} == {4.0}
    with pytest.raises(ImportRejected):
        import_measure_data(wb, ward.falls, path, existing=ExistingPolicy.ERROR)


def test_proportion_xlsx_with_serial_dates(wb, ward, tmp_path):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Week commencing", "Obs on time", "Obs due"])
    for i in range(8):
        sheet.append([45292 + 7 * i, 40 + i, 50])  # Excel serial 45292 = 01/01/2024
    path = tmp_path / "obs.xlsx"
    book.save(path)
    preview = preview_import(wb, ward.obs, path)
    assert preview.problems == [] and len(preview.rows) == 8
    import_measure_data(wb, ward.obs, path)
    points = data_points.list_data_points(wb, ward.obs)
    assert points[0].period == MON and (points[0].numerator, points[0].denominator) == (40, 50)


def test_export_then_import_round_trip(wb, ward, tmp_path):
    import_measure_data(wb, ward.falls, write_csv(tmp_path / "a.csv", weekly(12)))
    for suffix in (".csv", ".xlsx"):
        out = tmp_path / f"export{suffix}"
        assert export_measure_data(wb, ward.falls, out) == 12
        result = import_measure_data(wb, ward.falls, out, existing=ExistingPolicy.REPLACE)
        assert result.batch.added == 0 and result.batch.replaced == 0  # identical values


# Cells a person might type into a spreadsheet, good and bad.
cell = st.one_of(
    st.none(), st.integers(-5, 10**6), st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=12), st.sampled_from(["01/01/2024", "8/1/2024", "2024-01-15", "n/a",
                                           "=1+1", "", "1,000", "15 Jan 2024", "45306"]),
)
table = st.lists(st.lists(cell, min_size=0, max_size=5), min_size=0, max_size=12)
headers = st.lists(st.sampled_from(["Week", "Date", "Falls", "Value", "Numerator",
                                    "Denominator", "Comment", "", "x"]), max_size=5)


def _write_fuzz(path, head, rows):
    if path.suffix == ".csv":
        with open(path, "w", newline="", encoding="utf-8") as f:
            writer = csv.writer(f)
            writer.writerow(head)
            writer.writerows([["" if c is None else c for c in row] for row in rows])
    else:
        book = openpyxl.Workbook()
        book.active.append(head)
        for row in rows:  # Excel itself cannot hold control characters or formulas here
            book.active.append([ILLEGAL_CHARACTERS_RE.sub("", c).lstrip("=")
                                if isinstance(c, str) else c for c in row])
        book.save(path)


@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(head=headers, rows=table, suffix=st.sampled_from([".csv", ".xlsx"]),
       kind=st.sampled_from(["falls", "obs", "between"]))
def test_fuzzed_imports_never_crash_never_half_import(wb, ward, tmp_path, head, rows,
                                                      suffix, kind):
    measure_id = getattr(ward, kind)
    before = data_points.list_data_points(wb, measure_id)
    path = tmp_path / f"fuzz{suffix}"
    _write_fuzz(path, head, rows)
    try:
        result = import_measure_data(wb, measure_id, path, existing=ExistingPolicy.SKIP)
    except ImportRejected as exc:
        assert exc.problems and all(p.message.strip() for p in exc.problems)
        assert data_points.list_data_points(wb, measure_id) == before
        return
    except ValidationError as exc:  # unreadable file or unusable columns
        assert exc.message.strip()
        assert data_points.list_data_points(wb, measure_id) == before
        return
    after = data_points.list_data_points(wb, measure_id)
    assert len(after) == len(before) + result.batch.added
    assert result.batch.added + result.batch.skipped == result.rows_read
    assert result.rows_read > 0


@st.composite
def mostly_good_file(draw):
    """Valid weekly falls rows in mixed UK date styles, sometimes with one bad cell."""
    n = draw(st.integers(1, 25))
    start = MON + timedelta(weeks=draw(st.integers(0, 200)))
    styles = ["%d/%m/%Y", "%d/%m/%y", "%Y-%m-%d", "%d %b %Y", "%d-%m-%Y"]
    rows = [[(start + timedelta(weeks=i)).strftime(draw(st.sampled_from(styles))),
             draw(st.integers(0, 40)), draw(st.sampled_from(["", "agency staff", "x" * 50]))]
            for i in range(n)]
    broken = draw(st.none() | st.tuples(st.integers(0, n - 1), st.integers(0, 1),
                                        st.sampled_from(["-1", "2.5", "lots", "32/13/2024",
                                                         "inf", "nan"])))
    if broken is not None:
        rows[broken[0]][broken[1]] = broken[2]
    return rows, broken


@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(data=mostly_good_file(), suffix=st.sampled_from([".csv", ".xlsx"]))
def test_fuzzed_good_files_import_whole_and_one_bad_cell_imports_nothing(wb, ward, tmp_path,
                                                                         data, suffix):
    rows, broken = data
    before = {p.period for p in data_points.list_data_points(wb, ward.falls)}
    path = tmp_path / f"good{suffix}"
    _write_fuzz(path, ["Week", "Falls", "Comment"], rows)
    try:
        result = import_measure_data(wb, ward.falls, path, existing=ExistingPolicy.SKIP)
    except ImportRejected as exc:
        assert broken is not None, exc.problems
        assert {p.row_number for p in exc.problems} == {broken[0] + 2}
        assert {p.period for p in data_points.list_data_points(wb, ward.falls)} == before
        return
    assert broken is None, "a bad cell was imported"
    after = {p.period for p in data_points.list_data_points(wb, ward.falls)}
    assert len(after - before) == result.batch.added
    assert result.batch.added + result.batch.skipped == len(rows)
