"""Fast many-row inserts for imports: straight to the driver, one statement, no ORM.

SQLAlchemy's per-row parameter processing costs more than SQLite's own insert work for
100,000-row imports, so rows are passed to the driver's executemany as plain values,
after each column type's bind processor (so storage formats stay exactly SQLAlchemy's).
"""

from __future__ import annotations

from itertools import repeat

from sqlalchemy import Connection, Table, func, insert, select


def _processors(conn: Connection, table: Table, names: list[str]) -> dict:
    found = {}
    for name in names:
        # dialect_impl: a TypeDecorator's own processor, then the dialect's (e.g. the
        # exact DATETIME text format SQLAlchemy uses on SQLite).
        process = table.c[name].type.dialect_impl(conn.dialect).bind_processor(conn.dialect)
        if process is not None:
            found[name] = process
    return found


def _converted(values: list, convert) -> list:
    """Each value through its column's bind processor, each distinct value once: an
    import's 100,000 rows hold a few thousand dates and two flags, and the processors
    (date and datetime formatting above all) cost more than SQLite's insert."""
    try:
        distinct = set(values)
    except TypeError:  # unhashable values (none of our columns today): one by one
        return [None if v is None else convert(v) for v in values]
    distinct.discard(None)
    # 1 == 1.0 == True share one set entry: memoise only values of a single type, so a
    # value is never stored as another type's conversion.
    if len({type(v) for v in distinct}) > 1:
        return [None if v is None else convert(v) for v in values]
    done = {v: convert(v) for v in distinct}
    return list(map(done.get, values))  # None -> None: never a key of `done`


def insert_many(conn: Connection, table: Table, rows: list[dict], constants: dict) -> None:
    """Insert `rows` (dicts with the same keys) plus the same `constants` in each."""
    if not rows:
        return
    names = list(rows[0]) + [k for k in constants if k not in rows[0]]
    compiled = insert(table).compile(dialect=conn.dialect, column_keys=names)
    process = _processors(conn, table, names)
    order = compiled.positiontup if compiled.positional else names
    columns = []
    for name in order:
        if name in rows[0]:
            values = [row[name] for row in rows]
            if name in process:
                values = _converted(values, process[name])
        else:
            value = constants[name]
            value = process[name](value) if name in process and value is not None else value
            values = repeat(value, len(rows))
        columns.append(values)
    params = list(zip(*columns))
    if not compiled.positional:
        params = [dict(zip(order, p)) for p in params]
    conn.exec_driver_sql(str(compiled), params)


def insert_many_with_ids(conn: Connection, table: Table, rows: list[dict],
                         constants: dict) -> list[int]:
    """insert_many, returning the new ids in row order.

    On SQLite, inside our BEGIN IMMEDIATE transaction nobody else can insert, and a new
    rowid is one more than the largest (sqlite.org/autoinc.html), so the ids are the
    next len(rows) numbers; that is checked, not assumed. Other databases use RETURNING.
    """
    if not rows:
        return []
    if conn.dialect.name != "sqlite":
        query = insert(table).returning(table.c.id, sort_by_parameter_order=True)
        return list(conn.execute(query, [{**constants, **r} for r in rows]).scalars())
    base = conn.execute(select(func.coalesce(func.max(table.c.id), 0))).scalar_one()
    insert_many(conn, table, rows, constants)
    count, top = conn.execute(select(func.count(), func.max(table.c.id))
                              .where(table.c.id > base)).one()
    if count != len(rows) or top != base + len(rows):
        raise RuntimeError("new record ids were not consecutive; nothing was saved")
    return list(range(base + 1, base + len(rows) + 1))
