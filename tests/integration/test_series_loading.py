"""Loading series for charts and the review board: the quick read (one text row per
measure from the series index) gives exactly what reading point by point gives, for
every kind of figure; it falls back point by point only where its text could differ;
and migration 0005 builds that index on an existing workbook and can be undone."""

from __future__ import annotations

import sqlite3
from datetime import date, timedelta

import pytest
from alembic import command
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from qidesk.domain.entities import DataPoint
from qidesk.services import data_points, series
from qidesk.services.reviews import review_board
from qidesk.services.unit import reading
from qidesk.services.workbook import open_workbook
from qidesk.storage.engine import make_engine, writer
from qidesk.storage.migrate import alembic_config, head_revision
from qidesk.storage.tables import DataPointRow

from integration_helpers import build_at

MONDAY = date(2025, 1, 6)
WEEKS = [MONDAY + timedelta(weeks=w) for w in range(40)]
PLAIN_READ = series._series_by_point  # kept before any test spies on it


def point_by_point(wb, measure_ids):
    """The plain read every quick read must equal."""
    table = DataPointRow.__table__.c
    with reading(wb) as session:
        return PLAIN_READ(session.connection(), [
            table.deleted_at.is_(None), table.measure_id.in_(measure_ids)])


@pytest.fixture
def slow_reads(monkeypatch):
    """The measures load_series had to read point by point, call by call."""
    calls: list[set[int]] = []
    def spy(conn, where):
        found = PLAIN_READ(conn, where)
        calls.append(set(found))
        return found

    monkeypatch.setattr(series, "_series_by_point", spy)
    return calls


def weekly(measure_id, values):
    return [DataPoint(measure_id=measure_id, period=p, value=v) for p, v in zip(WEEKS, values)]


def test_typed_figures_come_back_exactly_without_reading_point_by_point(wb, ward, slow_reads):
    minutes = [37.5, -2.25, 0.1, 0.2, 0.3, 123456.789012, 999999999.5, 1e12, -0.000001, 0.0]
    data_points.record_data_points(wb, ward.minutes, [
        DataPoint(measure_id=ward.minutes, period=date(2024 + m // 12, m % 12 + 1, 1), value=v)
        for m, v in enumerate(minutes)])
    data_points.record_data_points(wb, ward.falls, weekly(ward.falls, [w % 6 for w in range(40)]))
    data_points.record_data_points(wb, ward.obs, [
        DataPoint(measure_id=ward.obs, period=p, numerator=w, denominator=40.0)
        for w, p in enumerate(WEEKS)])
    data_points.record_data_points(wb, ward.bed_days, [
        DataPoint(measure_id=ward.bed_days, period=date(2024, m, 1), numerator=m % 3,
                  denominator=812.5 + m / 4) for m in range(1, 13)])
    ids = [ward.falls, ward.obs, ward.minutes, ward.bed_days]
    quick = series.load_series(wb, ids)
    assert slow_reads == []
    assert quick == point_by_point(wb, ids)
    assert quick[ward.minutes].values == minutes
    assert quick[ward.bed_days].denominators[0] == 812.75
    assert quick[ward.obs].numerators[:3] == [0.0, 1.0, 2.0]
    assert quick[ward.obs].values == [None] * 40


def test_figures_the_text_would_round_are_read_point_by_point(wb, ward, slow_reads):
    awkward = [0.1 + 0.2, 1 / 3, 2 / 3, 123456.7890123, 9e11 + 0.1, 5e-7, -1e-7]
    data_points.record_data_points(wb, ward.minutes, [
        DataPoint(measure_id=ward.minutes, period=date(2024, m + 1, 1), value=v)
        for m, v in enumerate(awkward)])
    data_points.record_data_points(wb, ward.falls, weekly(ward.falls, range(40)))
    quick = series.load_series(wb, [ward.minutes, ward.falls])
    assert quick[ward.minutes].values == awkward
    assert quick == point_by_point(wb, [ward.minutes, ward.falls])
    assert slow_reads == [{ward.minutes}]  # the falls still came in the quick read


def test_exclusions_deletions_shared_dates_and_empty_measures(wb, ward, slow_reads):
    data_points.record_data_points(wb, ward.falls, weekly(ward.falls, [3] * 40)[::-1])
    points = data_points.list_data_points(wb, ward.falls)
    for i in (0, 5, 39):
        data_points.update_data_point(wb, points[i].id, excluded=True,
                                      exclusion_reason="Ward closed")
    data_points.delete_data_point(wb, points[6].id)
    day = date(2025, 3, 3)
    for value in (5.0, 1.0, 3.0):  # events on one date keep the order they were entered
        data_points.record_data_point(wb, DataPoint(measure_id=ward.between, period=day,
                                                    value=value))
    ids = [ward.falls, ward.between, ward.obs]
    quick = series.load_series(wb, ids)
    assert quick == point_by_point(wb, [ward.falls, ward.between]) | {
        ward.obs: series.MeasureSeries(ward.obs, [], [], [], [], [])}
    falls = quick[ward.falls]
    assert len(falls.periods) == 39 and WEEKS[6] not in falls.periods
    assert [p for p, e in zip(falls.periods, falls.excluded) if e] == [
        WEEKS[0], WEEKS[5], WEEKS[39]]
    assert quick[ward.between].values == [5.0, 1.0, 3.0]
    assert slow_reads == [{ward.between}]


def test_rows_no_service_would_write_are_still_read_exactly(wb, ward, workbook_path):
    """A workbook from elsewhere (or an older QIDesk) may hold figures the services
    refuse: a gap in a count, a value on a proportion, a number far too big."""
    data_points.record_data_points(wb, ward.falls, weekly(ward.falls, [2] * 5))
    data_points.record_data_points(wb, ward.obs, [
        DataPoint(measure_id=ward.obs, period=p, numerator=1, denominator=2) for p in WEEKS[:5]])
    data_points.record_data_points(wb, ward.minutes, [
        DataPoint(measure_id=ward.minutes, period=date(2024, m, 1), value=m) for m in (1, 2, 3)])
    with wb.store.write_engine.begin() as conn:
        raw = conn.connection.dbapi_connection
        raw.execute("UPDATE data_point SET value = NULL WHERE measure_id = ? AND period = ?",
                    (ward.falls, WEEKS[2].isoformat()))
        raw.execute("UPDATE data_point SET value = 0.5 WHERE measure_id = ? AND period = ?",
                    (ward.obs, WEEKS[1].isoformat()))
        raw.execute("UPDATE data_point SET value = 1e300 WHERE measure_id = ? AND period = ?",
                    (ward.minutes, "2024-02-01"))
    ids = [ward.falls, ward.obs, ward.minutes]
    quick = series.load_series(wb, ids)
    assert quick == point_by_point(wb, ids)
    assert quick[ward.falls].values[2] is None
    assert quick[ward.obs].values[1] == 0.5 and quick[ward.minutes].values[1] == 1e300


@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.one_of(
    st.integers(-10**6, 10**6).map(float),
    st.decimals(-10**6, 10**6, places=6, allow_nan=False, allow_infinity=False).map(float),
    st.floats(-1e12, 1e12, allow_nan=False, allow_infinity=False)), min_size=1, max_size=30))
def test_any_continuous_figures_come_back_bit_for_bit(wb, ward, values):
    data_points.record_data_points(wb, ward.minutes, [
        DataPoint(measure_id=ward.minutes, period=date(2000 + i // 12, i % 12 + 1, 1), value=v)
        for i, v in enumerate(values)], existing=data_points.ExistingPolicy.REPLACE)
    with wb.store.write_engine.begin() as conn:  # drop months a longer earlier list left
        conn.connection.dbapi_connection.execute(
            "DELETE FROM data_point WHERE measure_id = ? AND period >= ?",
            (ward.minutes, date(2000 + len(values) // 12, len(values) % 12 + 1, 1).isoformat()))
    loaded = series.load_series(wb, [ward.minutes])[ward.minutes]
    plain = point_by_point(wb, [ward.minutes])[ward.minutes]
    assert loaded == plain and loaded.values == values
    assert [v.hex() for v in loaded.values] == [v.hex() for v in plain.values]  # bit for bit


def test_the_review_board_gets_the_same_series(wb, ward):
    data_points.record_data_points(wb, ward.falls, weekly(ward.falls, [w % 4 for w in range(40)]))
    data_points.record_data_points(wb, ward.obs, [
        DataPoint(measure_id=ward.obs, period=p, numerator=3, denominator=7) for p in WEEKS])
    board = {row.measure.id: row.series for row in review_board(wb, ward.team_id)}
    assert board[ward.falls] == point_by_point(wb, [ward.falls])[ward.falls]
    assert board[ward.obs] == point_by_point(wb, [ward.obs])[ward.obs]
    assert board[ward.minutes].periods == []


def query_plan(wb, figures, measure_ids, scale):
    query = series._bulk_query(measure_ids, figures, scale)
    with reading(wb) as session:
        conn = session.connection()
        sql = str(query.compile(dialect=conn.dialect, compile_kwargs={"literal_binds": True}))
        return " | ".join(row[-1] for row in conn.exec_driver_sql("EXPLAIN QUERY PLAN " + sql))


@pytest.mark.parametrize("scale", series.SCALES)
@pytest.mark.parametrize("measure_ids", [[1], list(range(1, 3001))])
@pytest.mark.parametrize("figures", [("value",), ("numerator", "denominator")])
def test_the_quick_read_never_visits_the_table(wb, ward, figures, measure_ids, scale):
    plan = query_plan(wb, figures, measure_ids, scale)
    assert "COVERING INDEX ix_data_point_series" in plan
    assert "TEMP B-TREE" not in plan  # read in index order, never sorted afterwards


def indexes(path) -> set[str]:
    conn = sqlite3.connect(path)
    try:
        return {row[0] for row in conn.execute(
            "SELECT name FROM sqlite_master WHERE type='index' AND tbl_name='data_point'")}
    finally:
        conn.close()


def test_migration_0005_builds_the_series_index_and_can_be_undone(tmp_path):
    path = tmp_path / "older.qidesk"
    build_at(path, "0004")
    conn = sqlite3.connect(path)
    conn.executescript("""
        INSERT INTO team (id, name, description) VALUES (1, 'Ward 7', '');
        INSERT INTO project (id, team_id, title, aim_statement, problem, status, lead, sponsor)
            VALUES (1, 1, 'Falls', '', '', 'active', '', '');
        INSERT INTO measure (id, project_id, name, kind, definition, data_source, unit,
            value_type, frequency, improvement_direction, chart_choice, position)
            VALUES (1, 1, 'Falls', 'outcome', '', '', '', 'count', 'week', 'down', 'auto', 0);
    """)
    conn.executemany("INSERT INTO data_point (measure_id, period, value, comment, excluded, "
                     "exclusion_reason, entered_by) VALUES (1, ?, ?, '', 0, '', 'Old')",
                     [(p.isoformat(), w % 5) for w, p in enumerate(WEEKS)])
    conn.commit()
    conn.close()
    assert "ix_data_point_measure_period" in indexes(path)
    with open_workbook(path, "Sam", backup_folder=tmp_path / "b") as wb:
        assert wb.schema_revision == head_revision()
        loaded = series.load_series(wb)[1]
        assert loaded.values == [float(w % 5) for w in range(40)] and loaded.periods == WEEKS
    assert "ix_data_point_series" in indexes(path)
    assert "ix_data_point_measure_period" not in indexes(path)
    engine = make_engine(path, read_only=False)
    config = alembic_config()
    with writer(engine).connect() as conn, conn.begin():
        config.attributes["connection"] = conn
        command.downgrade(config, "0004")
    engine.dispose()
    assert "ix_data_point_measure_period" in indexes(path)
    assert "ix_data_point_series" not in indexes(path)
    conn = sqlite3.connect(path)
    assert conn.execute("SELECT count(*) FROM data_point").fetchone() == (40,)
    assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    conn.close()


def test_a_point_saved_now_is_in_the_next_quick_read(wb, ward):
    data_points.record_data_points(wb, ward.falls, weekly(ward.falls, [1] * 10))
    before = series.load_series(wb, [ward.falls])[ward.falls]
    data_points.record_data_point(wb, DataPoint(measure_id=ward.falls, period=WEEKS[10],
                                                value=4))
    after = series.load_series(wb, [ward.falls])[ward.falls]
    assert after.periods == before.periods + [WEEKS[10]] and after.values[-1] == 4.0


def test_a_measure_of_a_type_this_qidesk_does_not_know_is_still_read(wb, ward):
    """A workbook from a newer QIDesk, opened read-only, may name a value type this one
    has never heard of: its points are still read, whatever figures they hold."""
    data_points.record_data_points(wb, ward.obs, [
        DataPoint(measure_id=ward.obs, period=p, numerator=2, denominator=5) for p in WEEKS])
    data_points.record_data_points(wb, ward.minutes, [
        DataPoint(measure_id=ward.minutes, period=date(2024, m, 1), value=1.5)
        for m in range(1, 13)])
    with wb.store.write_engine.begin() as conn:
        conn.connection.dbapi_connection.execute(
            "UPDATE measure SET value_type = 'ratio_of_ratios' WHERE id IN (?, ?)",
            (ward.obs, ward.minutes))
    quick = series.load_series(wb, [ward.obs, ward.minutes])
    assert quick == point_by_point(wb, [ward.obs, ward.minutes])
    assert quick[ward.obs].denominators == [5.0] * 40
    assert quick[ward.minutes].values == [1.5] * 12
