"""The fast paths of big imports and review boards give exactly what the plain ones do."""

from __future__ import annotations

import json
from datetime import date, timedelta

import pytest

from qidesk.domain.entities import DataPoint
from qidesk.services import data_points, imports, series
from qidesk.services.data_points import ExistingPolicy, PointColumns, _created_jsons
from qidesk.services.reviews import review_board
from qidesk.services.tabular import ParsedRow
from qidesk.services.unit import reading

MONDAY = date(2025, 1, 6)


def _series_point_by_point(wb, measure_ids):
    """load_series's plain way (one row per point) for every measure given."""
    from qidesk.storage.tables import DataPointRow

    table = DataPointRow.__table__.c
    with reading(wb) as session:
        return series._series_by_point(session.connection(), [
            table.deleted_at.is_(None), table.measure_id.in_(measure_ids)])


def test_series_match_the_point_by_point_read(wb, ward):
    weeks = [MONDAY + timedelta(weeks=w) for w in range(30)]
    # Entered out of order, so period order differs from entry order.
    data_points.record_data_points(wb, ward.falls, [
        DataPoint(measure_id=ward.falls, period=p, value=float(i % 7))
        for i, p in reversed(list(enumerate(weeks)))])
    data_points.record_data_points(wb, ward.obs, [
        DataPoint(measure_id=ward.obs, period=p, numerator=float(i), denominator=30.0)
        for i, p in enumerate(weeks)])
    points = data_points.list_data_points(wb, ward.falls)
    data_points.update_data_point(wb, points[3].id, excluded=True, exclusion_reason="Audit")
    data_points.record_data_points(wb, ward.minutes, [
        DataPoint(measure_id=ward.minutes, period=date(2025, m, 1), value=m / 10 + 0.2)
        for m in range(1, 13)])  # figures whose 15-digit text would round
    data_points.delete_data_point(wb, points[7].id)
    # Events sharing a date: their order is entry order, so they are read point by point.
    day = date(2025, 3, 3)
    for value in (5.0, 1.0, 3.0):
        data_points.record_data_point(wb, DataPoint(measure_id=ward.between, period=day,
                                                    value=value))
    ids = [ward.falls, ward.obs, ward.between, ward.minutes, ward.bed_days]
    fast = series.load_series(wb, ids)
    plain = _series_point_by_point(wb, ids)
    for measure_id in (ward.falls, ward.obs, ward.between, ward.minutes):
        assert fast[measure_id] == plain[measure_id]
    assert fast[ward.between].values == [5.0, 1.0, 3.0]
    assert fast[ward.falls].excluded.count(True) == 1
    assert 0.1 + 0.2 in fast[ward.minutes].values
    assert len(fast[ward.falls].periods) == 29
    assert fast[ward.bed_days].periods == [] and fast[ward.bed_days].values == []
    assert series.load_series(wb)[ward.obs] == plain[ward.obs]
    board = {row.measure.id: row.series for row in review_board(wb, ward.team_id)}
    assert board[ward.obs] == plain[ward.obs]


def test_audit_text_of_new_points_is_what_json_dumps_writes():
    """Built column by column for speed, each point's audit text is still exactly the
    JSON of its fields: 0.0 and -0.0, 1 and True, quotes and accents kept apart."""
    def row(value=None, numerator=None, denominator=None, **extra):
        return {"period": MONDAY + timedelta(weeks=len(extra)), "value": value,
                "numerator": numerator, "denominator": denominator, "comment": "",
                "excluded": False, "exclusion_reason": "", **extra}

    def expected(r):
        fields = {"measure_id": 9, "period": str(r["period"])}
        fields |= {k: float(r[k]) for k in ("value", "numerator", "denominator")
                   if r[k] is not None}
        fields |= {"comment": r["comment"]} if r["comment"] else {}
        fields |= {"excluded": r["excluded"]}
        fields |= {"exclusion_reason": r["exclusion_reason"]} if r["exclusion_reason"] else {}
        return json.dumps({k: [None, v] for k, v in fields.items()})

    for rows in ([row(3.0), row(0.1 + 0.2), row(7), row(-0.0), row(0.0), row(True), row(1)],
                 [row(numerator=3.0, denominator=10.0), row(numerator=0, denominator=4)],
                 [row(2.0, comment='Agency "bank" nurse – café'), row(1.0),
                  row(0.0, excluded=True, exclusion_reason="Ward closed"),
                  row(5.0, comment="Agency \"bank\" nurse – café")]):
        columns = {name: [r[name] for r in rows] for name in rows[0]}
        assert _created_jsons(9, columns) == [expected(r) for r in rows]


@pytest.mark.parametrize("comment", [None, "after the audit"])
def test_rows_become_the_points_one_by_one_would_give(comment):
    rows = [ParsedRow(2, MONDAY, 4.0, None, None, comment),
            ParsedRow(3, MONDAY + timedelta(weeks=1), None, 3.0, 9.0, None)]
    one_by_one = [DataPoint(measure_id=5, period=MONDAY, value=4.0, comment=comment or ""),
                  DataPoint(measure_id=5, period=MONDAY + timedelta(weeks=1), numerator=3.0,
                            denominator=9.0)]
    columns = imports.to_columns(rows)
    assert columns == PointColumns.of(one_by_one)
    assert [columns.point(i, 5) for i in range(2)] == one_by_one


def test_big_import_writes_one_audit_event_per_point(wb, ward, tmp_path):
    path = tmp_path / "falls.csv"
    lines = ["Week commencing,Falls"] + [
        f"{(MONDAY + timedelta(weeks=w)):%d/%m/%Y},{w % 5}" for w in range(400)]
    path.write_text("\n".join(lines), encoding="utf-8")
    result = imports.import_measure_data(wb, ward.falls, path, existing=ExistingPolicy.SKIP)
    assert result.batch.added == 400 and len(result.batch.changes.changes) == 400
    from sqlalchemy import func, select

    from qidesk.storage.tables import AuditEventRow

    with reading(wb) as session:
        count = session.execute(select(func.count()).select_from(AuditEventRow).where(
            AuditEventRow.table_name == "data_point")).scalar_one()
    assert count == 400
    loaded = series.load_series(wb, [ward.falls])[ward.falls]
    assert loaded.values == [float(w % 5) for w in range(400)]
