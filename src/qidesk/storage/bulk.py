"""Fast many-row inserts for imports: straight to the driver, no ORM.

SQLAlchemy's per-row parameter processing costs more than SQLite's own insert work for
100,000-row imports, so values go to the driver's executemany as plain values, after
each column type's bind processor (so storage formats stay exactly SQLAlchemy's).
Binding itself is the next cost, so a column holding one value in every row is written
into the statement once, and each statement inserts a few hundred rows.
"""

from __future__ import annotations

from itertools import chain

from sqlalchemy import (
    Connection,
    Table,
    bindparam,
    func,
    insert,
    literal,
    literal_column,
    null,
    select,
)

# Bound values per statement: within every database's limit (SQLite's was 999).
MAX_BOUND = 999


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


def insert_many(conn: Connection, table: Table, columns: dict[str, list],
                constants: dict) -> None:
    """Insert one row per position of `columns` (name -> values, all the same length),
    each with the same `constants` too."""
    count = len(next(iter(columns.values()))) if columns else 0
    if not count:
        return
    names = list(columns) + [k for k in constants if k not in columns]
    process = _processors(conn, table, names)
    varying, fixed = {}, {}
    for name in names:
        if name in columns:
            values = columns[name]
            if name in process:
                values = _converted(values, process[name])
        else:
            value = constants[name]
            if name in process and value is not None:
                value = process[name](value)
            values = [value] * count
        if _written_once(values, conn.dialect):
            fixed[name] = _literal(values[0], conn.dialect)
        else:
            varying[name] = values
    compiled = insert(table).values(
        {name: bindparam(name) for name in varying} | fixed).compile(dialect=conn.dialect)
    if compiled.positional:
        _insert_positional(conn, str(compiled), [varying[n] for n in compiled.positiontup],
                           count)
    else:  # named parameters: one row per statement, as dicts
        conn.exec_driver_sql(str(compiled), [dict(zip(varying, row)) for row in
                                             zip(*varying.values())] if varying else [{}] * count)


def _insert_positional(conn: Connection, one_row: str, columns: list[list], count: int) -> None:
    """`count` rows of `columns` (in the statement's parameter order), a few hundred rows
    per statement where parameters are plain markers (? or %s); numbered ones (:1) would
    repeat the first row's values, so those drivers get one row per statement."""
    width = len(columns)
    flat = list(chain.from_iterable(zip(*columns)))
    repeatable = conn.dialect.paramstyle in ("qmark", "format")
    per_statement = max(1, MAX_BOUND // max(1, width)) if repeatable else 1
    whole = count - count % per_statement
    for rows, start, stop in ((per_statement, 0, whole), (count - whole, whole, count)):
        if stop == start:
            continue
        step = rows * width
        values = flat[start * width:stop * width]
        params = ([tuple(values[i:i + step]) for i in range(0, len(values), step)]
                  if width else [()] * ((stop - start) // rows))
        conn.exec_driver_sql(_rows_at_once(one_row, rows), params)


def _rows_at_once(one_row: str, rows: int) -> str:
    """A one-row INSERT ... VALUES (...) made to insert `rows` rows (standard SQL).
    The first ") VALUES (" ends the column list: column names never hold it, while a
    value written into the statement might."""
    start = one_row.index(") VALUES (") + len(") VALUES ")
    return one_row[:start] + ", ".join([one_row[start:]] * rows)


def _written_once(values: list, dialect) -> bool:
    """Whether one value fills the whole column and can be written into the statement
    as SQL text. Only exact types: a float's text might not read back as the same
    double, SQL text can't hold NUL, and only qmark/numeric drivers give % no meaning."""
    first = values[0]
    kind = type(first)
    if first is not None and (kind not in (int, str) or (kind is str and "\x00" in first)
                              or dialect.paramstyle not in ("qmark", "numeric")):
        return False
    return values.count(first) == len(values) and set(map(type, values)) == {kind}


def _literal(value: object, dialect):
    """`value` (already bind-processed) as SQL text of this dialect's own quoting."""
    if value is None:
        return null()
    text = literal(value).compile(dialect=dialect, compile_kwargs={"literal_binds": True})
    return literal_column(str(text))


def insert_many_with_ids(conn: Connection, table: Table, columns: dict[str, list],
                         constants: dict) -> list[int]:
    """insert_many, returning the new ids in row order.

    On SQLite, inside our BEGIN IMMEDIATE transaction nobody else can insert, and a new
    rowid is one more than the largest (sqlite.org/autoinc.html), so the ids are the
    next rows' numbers; that is checked, not assumed. Other databases use RETURNING.
    """
    count = len(next(iter(columns.values()))) if columns else 0
    if not count:
        return []
    if conn.dialect.name != "sqlite":
        query = insert(table).returning(table.c.id, sort_by_parameter_order=True)
        rows = [{**constants, **dict(zip(columns, values))} for values in zip(*columns.values())]
        return list(conn.execute(query, rows).scalars())
    base = conn.execute(select(func.coalesce(func.max(table.c.id), 0))).scalar_one()
    insert_many(conn, table, columns, constants)
    added, top = conn.execute(select(func.count(), func.max(table.c.id))
                              .where(table.c.id > base)).one()
    if added != count or top != base + count:
        raise RuntimeError("new record ids were not consecutive; nothing was saved")
    return list(range(base + 1, base + count + 1))
