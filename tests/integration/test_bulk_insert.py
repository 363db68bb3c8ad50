"""The import's fast paths store exactly what the plain ones do, and leave the process as
they found it."""

from __future__ import annotations

import gc
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import (
    Boolean,
    Column,
    Date,
    DateTime,
    Float,
    Integer,
    MetaData,
    String,
    Table,
    TypeDecorator,
    create_engine,
    insert,
    select,
)

from qidesk.services import data_points, imports
from qidesk.services.imports import ImportRejected
from qidesk.storage.bulk import insert_many


def write_csv(path, rows) -> None:
    lines = ["Week,Falls,Comment"] + [",".join(map(str, row)) for row in rows]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def weekly(n: int) -> list[tuple]:
    return [((date(2024, 1, 1) + timedelta(weeks=i)).strftime("%d/%m/%Y"), i % 5, "")
            for i in range(n)]


def _table(metadata: MetaData, name: str) -> Table:
    return Table(name, metadata, Column("id", Integer, primary_key=True),
                 Column("period", Date), Column("at", DateTime(timezone=True)),
                 Column("flag", Boolean), Column("count", Integer), Column("value", Float),
                 Column("note", String), Column("who", String))


def _stored(conn, table: Table) -> list[tuple]:
    """Each row as SQLite holds it (the text of dates, 0/1 of flags), not as read back."""
    names = ", ".join(c.name for c in table.c if c.name != "id")
    return list(conn.exec_driver_sql(f"SELECT {names} FROM {table.name} ORDER BY id"))


def test_bulk_insert_stores_what_a_plain_insert_stores():
    metadata = MetaData()
    plain, fast = _table(metadata, "plain"), _table(metadata, "fast")
    moment = datetime(2026, 3, 2, 9, 30, 15, 123456, tzinfo=UTC)
    rows = []
    for i in range(3000):  # dates and flags repeat, as in an import
        rows.append({"period": date(2020, 1, 1) + timedelta(days=i % 40),
                     "at": moment + timedelta(seconds=i % 3) if i % 5 else None,
                     "flag": (True, False, None)[i % 3],
                     "count": (1, True, 0, False)[i % 4] if i % 2 else i,  # 1 == True
                     "value": (float("nan"), 0.1 + 0.2, None, 1.0)[i % 4],
                     "note": ("", "x", None)[i % 3]})
    engine = create_engine("sqlite://")
    metadata.create_all(engine)
    with engine.begin() as conn:
        conn.execute(insert(plain), [{**row, "who": "Ola Nowak"} for row in rows])
        insert_many(conn, fast, _columns(rows), {"who": "Ola Nowak"})
        expected, got = _stored(conn, plain), _stored(conn, fast)
    assert len(got) == len(rows)
    assert [_same_nan(r) for r in got] == [_same_nan(r) for r in expected]
    assert {type(r[2]) for r in got} == {int, type(None)}  # flags stored as 0/1, not text
    assert {r[3] for r in got if r[3] in (0, 1)} == {0, 1}
    assert got[1][0] == "2020-01-02"


@pytest.mark.parametrize("paramstyle", ["qmark", "named", "numeric"])  # as other drivers bind
@pytest.mark.parametrize("count", [1, 498, 499, 1201])
def test_bulk_insert_of_columns_with_one_value_stores_what_a_plain_insert_stores(count,
                                                                               paramstyle):
    """Values the same in every row are written into the statement as text once, and
    rows go a few hundred to a statement: quotes, %, NUL, floats and flags come back
    exactly as SQLAlchemy binds them, whatever the row count."""
    metadata = MetaData()
    plain, fast = _table(metadata, "plain"), _table(metadata, "fast")
    rows = [{"period": date(2020, 1, 1), "at": None, "flag": True, "count": i,
             "value": 0.1 + 0.2, "note": "O'Brien's 100% \x00 note"} for i in range(count)]
    engine = create_engine("sqlite://", paramstyle=paramstyle)
    metadata.create_all(engine)
    with engine.begin() as conn:
        conn.execute(insert(plain), [{**row, "who": "Ola 'Nowak' %s"} for row in rows])
        insert_many(conn, fast, _columns(rows), {"who": "Ola 'Nowak' %s"})
        assert _stored(conn, fast) == _stored(conn, plain)
        types = conn.exec_driver_sql("SELECT DISTINCT typeof(period), typeof(flag), "
                                     "typeof(value), typeof(note) FROM fast").all()
    assert types == [("text", "integer", "real", "text")]


def _columns(rows: list[dict]) -> dict[str, list]:
    return {name: [row[name] for row in rows] for name in rows[0]}


def _same_nan(row: tuple) -> tuple:
    return tuple("nan" if isinstance(v, float) and v != v else v for v in row)


class Shown(TypeDecorator):
    """Stores repr(value): tells 1, 1.0 and True apart, as a column type may."""

    impl = String
    cache_ok = True

    def process_bind_param(self, value, dialect):
        return None if value is None else repr(value)


def test_bulk_insert_of_mixed_types_converts_each_by_its_own_type():
    """date(2026, 3, 2) == datetime(2026, 3, 2)? No, but 1 == 1.0 == True: values of
    different types are never taken for one another's conversion."""
    metadata = MetaData()
    plain, fast = (Table(name, metadata, Column("id", Integer, primary_key=True),
                         Column("at", DateTime), Column("flag", Boolean), Column("shown", Shown))
                   for name in ("plain", "fast"))
    engine = create_engine("sqlite://")
    metadata.create_all(engine)
    moment = datetime(2026, 3, 2, 0, 0)
    rows = [{"at": v, "flag": f, "shown": f} for v, f in (
        (moment, 1), (date(2026, 3, 2), True), (moment, 1.0), (None, False), (moment, None))]
    with engine.begin() as conn:
        conn.execute(insert(plain), rows)
        insert_many(conn, fast, _columns(rows), {})
        assert _stored(conn, fast) == _stored(conn, plain)


def test_an_import_leaves_the_garbage_collector_as_it_found_it(wb, ward, tmp_path):
    path = tmp_path / "falls.csv"
    write_csv(path, weekly(60))
    assert gc.isenabled()
    imports.import_measure_data(wb, ward.falls, path)
    assert gc.isenabled()
    assert len(data_points.list_data_points(wb, ward.falls)) == 60
    bad = tmp_path / "bad.csv"
    write_csv(bad, [("31/02/2025", 1, ""), ("07/04/2025", -1, "")])
    with pytest.raises(ImportRejected):
        imports.import_measure_data(wb, ward.falls, bad)
    assert gc.isenabled()
    gc.disable()  # paused by someone else: still paused afterwards
    try:
        imports.import_measure_data(wb, ward.falls, path)
        assert not gc.isenabled()
    finally:
        gc.enable()
