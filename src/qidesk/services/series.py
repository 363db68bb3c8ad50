"""Reading every series a chart or a review board needs, fast: a trust's 1.5 million
points come back as one row per measure (see load_series)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from itertools import groupby
from operator import itemgetter
from typing import NamedTuple

import numpy as np
from sqlalchemy import BigInteger, String, and_, case, cast, func, select
from sqlmodel import Session

from qidesk.domain.enums import ValueType
from qidesk.services.unit import reading
from qidesk.services.workbook import Workbook
from qidesk.storage.tables import DataPointRow, MeasureRow


@dataclass(frozen=True)
class MeasureSeries:
    """One measure's live points in period order, as parallel lists (fast to chart)."""

    measure_id: int
    periods: list[date]
    values: list[float | None]
    numerators: list[float | None]
    denominators: list[float | None]
    excluded: list[bool]


def load_series(wb: Workbook, measure_ids: list[int] | None = None) -> dict[int, MeasureSeries]:
    """Every live point of the given measures (all measures if None), for charts and the
    review board, in period order (then entry order).

    A trust's 1.5 million points come back as one row per measure from the series index
    (which holds every column read here): periods, excluded periods and figures as text
    (SQL's string aggregate, on any database) that numpy turns into lists. Figures go
    as whole numbers, or as whole millionths for measures with decimals; a measure whose
    text might still not be its points exactly (two points on one date, a figure the
    text would round, a figure at some points only) is read point by point instead.
    """
    series: dict[int, MeasureSeries] = {}
    with reading(wb) as session:
        conn = session.connection()
        by_point: list[int] = []
        for figures, ids in _measures_by_figures(session, measure_ids).items():
            for scale in SCALES:  # whole numbers first, then millionths for decimals
                rows = _fetch(conn, _bulk_query(ids, figures, scale))
                found, ids, plain = _series_in_bulk(rows, figures, scale)
                series.update(found)
                by_point += plain
                if not ids:
                    break
            by_point += ids
        if by_point:
            table = DataPointRow.__table__.c
            series.update(_series_by_point(conn, [table.deleted_at.is_(None),
                                                  table.measure_id.in_(by_point)]))
    for measure_id in measure_ids or ():
        series.setdefault(measure_id, MeasureSeries(measure_id, [], [], [], [], []))
    return series


FIGURES = ("value", "numerator", "denominator")
FRACTION = ("numerator", "denominator")
FRACTION_TYPES = {t.value for t in ValueType if t.has_denominator}


def _measures_by_figures(session: Session, measure_ids: list[int] | None) -> dict:
    """The measures to read (every one if None), by the figures they record (a type
    this QIDesk does not know is read as one value: the query notices if it is not)."""
    query = select(MeasureRow.id, MeasureRow.value_type).order_by(MeasureRow.id)
    if measure_ids is not None:
        query = query.where(MeasureRow.id.in_(measure_ids))
    kinds: dict[tuple[str, ...], list[int]] = {("value",): [], FRACTION: []}
    for measure_id, value_type in session.execute(query):
        kinds[FRACTION if value_type in FRACTION_TYPES else ("value",)].append(measure_id)
    return {figures: ids for figures, ids in kinds.items() if ids}


# Figures travel as integer text, quick to write and to parse: whole numbers (counts,
# numerators, most figures) as they are, other measures' figures as whole millionths.
# SQL checks at every point that the integer (/ 1e6) gives the stored figure back bit
# for bit (so for anything typed with up to six decimals): nothing is ever rounded.
# Validated figures are at most 1e12 (domain.rules), so millionths fit 64 bits anywhere.
MILLIONTHS = 1_000_000
SCALES = (1, MILLIONTHS)


def _scaled(column, scale: int):
    return cast(column if scale == 1 else func.round(column * scale), BigInteger)


def _bulk_query(measure_ids: list[int], figures: tuple[str, ...], scale: int):
    """One row per measure with live points (see _Aggregate), of measures that record
    `figures`."""
    t = DataPointRow.__table__.c
    period = cast(t.period, String)

    def given_back(f):
        return (_scaled(t[f], 1) if scale == 1 else _scaled(t[f], scale) / float(scale)) == t[f]

    # One count says the text is the whole truth at a point: its figures come back
    # exactly (so none is missing) and no other figure is there.
    exact = and_(*(given_back(f) for f in figures),
                 *(t[f].is_(None) for f in FIGURES if f not in figures))
    return (select(t.measure_id, func.count(), func.count(case((exact, 1))),
                   func.aggregate_strings(period, ","),
                   func.aggregate_strings(case((t.excluded, period)), ","),
                   *(func.aggregate_strings(cast(_scaled(t[f], scale), String), ",")
                     for f in figures))
            .where(t.deleted_at.is_(None), t.measure_id.in_(measure_ids))
            .group_by(t.measure_id).order_by(t.measure_id))


class _Aggregate(NamedTuple):
    """One measure's row of _bulk_query."""

    measure_id: int
    count: int
    exact: int  # points the text gives exactly
    periods: str
    excluded: str | None  # periods of the excluded points, if any
    integers: dict[str, str | None]  # each figure at every point, as integers

    @classmethod
    def of(cls, row: tuple, figures: tuple[str, ...]) -> _Aggregate:
        return cls(*row[:5], dict(zip(figures, row[5:])))

    @property
    def whole(self) -> bool:
        return self.exact == self.count and all(map(_integers, self.integers.values()))


def _integers(text: str) -> bool:
    # A database may write an out-of-range integer as a real ("9.2e+18"): not exact.
    return not text.encode("ascii", "replace").translate(None, b"0123456789,-")


def _fetch(conn, query) -> list[tuple]:
    """Rows straight from the driver's cursor: SQLAlchemy's Result costs more than the
    query itself at a million rows. Only ids and constants are inlined as literals."""
    sql = query.compile(dialect=conn.dialect, compile_kwargs={"literal_binds": True})
    cursor = conn.connection.driver_connection.cursor()
    try:
        cursor.execute(str(sql))
        return cursor.fetchall()
    finally:
        cursor.close()


def _series_in_bulk(rows: list[tuple], figures: tuple[str, ...], scale: int
                    ) -> tuple[dict[int, MeasureSeries], list[int], list[int]]:
    """The series the aggregate rows give exactly; the measures whose figures a finer
    scale might give exactly; those to read point by point."""
    rows = [_Aggregate.of(row, figures) for row in rows]
    counts = [row.count for row in rows]
    periods = _iso_dates(",".join(row.periods for row in rows), sum(counts))
    if periods is None:
        return {}, [], [row.measure_id for row in rows]
    ends = np.cumsum(counts, dtype=np.int64)
    starts = ends - counts
    # Strictly increasing periods: the aggregate saw the points in period order, which
    # is then the only order (no two on one date), as the point-by-point read gives.
    steps = np.concatenate(([0], np.cumsum(np.diff(periods) <= np.timedelta64(0, "D"))))
    repeats = (steps[ends - 1] - steps[starts]).tolist()
    bulk, finer, plain = [], [], []
    for row, repeat in zip(rows, repeats):
        (plain if repeat else bulk if row.whole else finer).append(row)
    numbers = {f: _numbers(bulk, f, scale) for f in figures}
    dates = _date_objects(periods)
    at = dict(zip((row.measure_id for row in rows), starts.tolist()))
    series = {}
    for row in bulk:
        start = at[row.measure_id]
        values, numerators, denominators = (
            numbers[f][row.measure_id] if f in numbers else [None] * row.count
            for f in FIGURES)
        series[row.measure_id] = MeasureSeries(
            row.measure_id, dates[start:start + row.count], values, numerators,
            denominators, _excluded(row.periods, row.excluded, row.count))
    return series, [row.measure_id for row in finer], [row.measure_id for row in plain]


def _numbers(bulk: list[_Aggregate], figure: str, scale: int) -> dict[int, list[float]]:
    """One figure of every measure in `bulk`, parsed in one go."""
    if not bulk:
        return {}
    text = ",".join(row.integers[figure] for row in bulk)
    integers = np.fromstring(text, dtype=np.int64, sep=",")
    if len(integers) != sum(row.count for row in bulk):
        raise RuntimeError("a figure's text did not parse")  # checked integers: never
    if scale == 1 and len(integers) and integers.max() - integers.min() < len(integers):
        # Few distinct counts: make each float once, as the dates.
        low = int(integers.min())
        each = np.array([float(i) for i in range(low, int(integers.max()) + 1)], dtype=object)
        numbers = each[integers - low].tolist()
    else:
        numbers = (integers / scale).tolist()
    found, at = {}, 0
    for row in bulk:
        found[row.measure_id], at = numbers[at:at + row.count], at + row.count
    return found


def _date_objects(periods: np.ndarray) -> list[date]:
    """The periods as dates, each date made once: a trust's measures share their weeks."""
    days = periods.view(np.int64)
    if not len(days) or days.max() - days.min() >= len(days):
        return periods.tolist()  # scattered dates: making each once would save nothing
    first = days.min()
    every_day = np.arange(first, days.max() + 1).astype("datetime64[D]").tolist()
    return np.array(every_day, dtype=object)[days - first].tolist()


def _excluded(periods: str, excluded: str | None, count: int) -> list[bool]:
    if not excluded:
        return [False] * count
    left_out = set(excluded.split(","))
    return [period in left_out for period in periods.split(",")]


def _iso_dates(joined: str, count: int) -> np.ndarray | None:
    """`count` ISO dates joined by commas, as datetime64[D]; None if they are not all
    exactly YYYY-MM-DD (a database whose date text differs: read point by point)."""
    raw = (joined + ",").encode("ascii", "replace")
    if len(raw) != 11 * count:
        return None
    try:
        return np.frombuffer(raw, dtype="S11").astype("S10").astype("datetime64[D]")
    except ValueError:
        return None


def _series_by_point(conn, where: list) -> dict[int, MeasureSeries]:
    """The plain way: one row per point with every column."""
    t = DataPointRow.__table__.c
    rows = _fetch(conn, select(t.measure_id, t.period, t.value, t.numerator, t.denominator,
                               t.excluded).where(*where).order_by(t.measure_id, t.period, t.id))
    series: dict[int, MeasureSeries] = {}
    dates: dict = {}
    for measure_id, group in groupby(rows, key=itemgetter(0)):
        _, periods, values, numerators, denominators, excluded = zip(*group)
        series[measure_id] = MeasureSeries(
            measure_id, [dates.get(p) or dates.setdefault(p, _as_date(p)) for p in periods],
            list(values), list(numerators), list(denominators), [bool(e) for e in excluded])
    return series


def _as_date(value) -> date:
    """Drivers without a date type (SQLite) return ISO text; others return dates."""
    return date.fromisoformat(value) if isinstance(value, str) else value
