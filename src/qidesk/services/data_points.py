"""Data points: typing one in, pasting or importing many (all or nothing), and reading
every series a chart or a review board needs."""

from __future__ import annotations

import dataclasses
import json
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from itertools import groupby
from operator import itemgetter
from typing import NamedTuple

import numpy as np
from sqlalchemy import BigInteger, String, and_, bindparam, case, cast, func, select, update
from sqlmodel import Session

from qidesk.domain.changes import ChangeAction, ChangeSet
from qidesk.domain.data_rules import check_data_point
from qidesk.domain.entities import DataPoint, Measure
from qidesk.domain.enums import Frequency, ValueType
from qidesk.domain.errors import ValidationError
from qidesk.domain.rules import PidConfirmationRequired, pid_findings
from qidesk.services import records
from qidesk.services.mapping import coerce, to_entity, to_values
from qidesk.services.unit import Unit, reading, writing
from qidesk.services.workbook import Workbook
from qidesk.storage.bulk import insert_many_with_ids
from qidesk.storage.tables import DataPointRow, MeasureRow

# What REPLACE overwrites: the figures, and the comment when the new point has one.
# Exclusions are a team's judgement about a point, so a re-import keeps them.
VALUE_FIELDS = ("value", "numerator", "denominator", "comment")


class ExistingPolicy(StrEnum):
    """What to do with a period that already has a data point."""

    ERROR = "error"
    SKIP = "skip"
    REPLACE = "replace"


@dataclass(frozen=True)
class BatchResult:
    changes: ChangeSet
    added: int
    replaced: int  # existing points whose values changed
    skipped: int  # existing points left alone (policy SKIP)
    unchanged: int = 0  # existing points REPLACE found identical


@dataclass(frozen=True)
class MeasureSeries:
    """One measure's live points in period order, as parallel lists (fast to chart)."""

    measure_id: int
    periods: list[date]
    values: list[float | None]
    numerators: list[float | None]
    denominators: list[float | None]
    excluded: list[bool]


def _measure(session: Session, measure_id: int) -> Measure:
    return to_entity(Measure, records.require(session, Measure, measure_id, "measure_id"))


def _live_periods(session: Session, measure_id: int) -> dict[date, DataPointRow]:
    rows = session.scalars(select(DataPointRow).where(
        DataPointRow.measure_id == measure_id, DataPointRow.deleted_at.is_(None)))
    return {row.period: row for row in rows}


def _check_unique_period(unit: Unit, point: DataPoint, measure: Measure) -> None:
    if measure.frequency == Frequency.EVENT:
        return  # rare events may share a date
    query = select(DataPointRow.id).where(
        DataPointRow.measure_id == point.measure_id, DataPointRow.period == point.period,
        DataPointRow.deleted_at.is_(None))
    if point.id is not None:
        query = query.where(DataPointRow.id != point.id)
    if unit.session.execute(query).first() is not None:
        raise ValidationError(f"There is already a data point for {point.period:%d/%m/%Y}.",
                              field="period")


def _point_rules(unit: Unit, point: DataPoint) -> None:
    measure = _measure(unit.session, point.measure_id)
    check_data_point(point, measure)
    _check_unique_period(unit, point, measure)


def list_data_points(wb: Workbook, measure_id: int) -> list[DataPoint]:
    return records.list_live(wb, DataPoint, "period", measure_id=measure_id)


def record_data_point(wb: Workbook, point: DataPoint, *, confirm_pid: bool = False) -> ChangeSet:
    """Save one new data point (entered by the signed-in person, now)."""
    point = coerce(dataclasses.replace(point, entered_by=wb.staff_name, entered_at=None))
    with writing(wb) as unit:
        point = dataclasses.replace(point, entered_at=unit.now)
        pid = records.validate(unit, point, None, _point_rules, confirm_pid)
        unit.insert(DataPointRow(**to_values(point)), pid)
    return unit.result()


def update_data_point(wb: Workbook, point_id: int, *, confirm_pid: bool = False,
                      **changes) -> ChangeSet:
    return records.update(wb, DataPoint, point_id, changes, check=_point_rules,
                          confirm_pid=confirm_pid)


def delete_data_point(wb: Workbook, point_id: int) -> ChangeSet:
    return records.delete(wb, DataPoint, point_id)


def record_data_points(wb: Workbook, measure_id: int, points: list[DataPoint], *,
                       existing: ExistingPolicy = ExistingPolicy.ERROR,
                       confirm_pid: bool = False, checked: bool = False) -> BatchResult:
    """Save many points of one measure in one transaction: all of them or none.

    Raises ValidationError (with `row`, 1-based in `points`) for the first bad point.
    `checked=True` skips the per-point value rules the caller has just applied (import
    does, to list every problem); duplicates and patient-data checks always run.
    """
    with writing(wb) as unit:
        measure = _measure(unit.session, measure_id)
        pid = _check_batch(points, measure, confirm_pid, checked)
        old = ({} if measure.frequency == Frequency.EVENT
               else _live_periods(unit.session, measure_id))
        new, replace, skipped = _sort_out(points, old, existing)
        stamp = {"measure_id": measure_id, "entered_by": wb.staff_name, "entered_at": unit.now}
        _insert_many(unit, new, pid, stamp)
        replaced = _replace_many(unit, replace, old, pid, stamp)
    return BatchResult(unit.result(), len(new), replaced, skipped, len(replace) - replaced)


def _check_batch(points: list[DataPoint], measure: Measure, confirm_pid: bool,
                 checked: bool) -> dict:
    seen: set[date] = set()
    pid: dict[int, dict] = {}
    periodic = measure.frequency != Frequency.EVENT
    for row, point in enumerate(points, start=1):
        if not checked:
            try:
                check_data_point(dataclasses.replace(point, measure_id=measure.id), measure)
            except ValidationError as exc:
                raise ValidationError(exc.message, field=exc.field, row=row) from None
        if periodic:
            if point.period in seen:
                raise ValidationError(f"{point.period:%d/%m/%Y} appears twice.",
                                      field="period", row=row)
            seen.add(point.period)
        if point.comment or point.exclusion_reason:
            found = pid_findings(point)
            if found:
                pid[row - 1] = found
    if pid and not confirm_pid:
        merged: dict[str, list[str]] = {}
        for found in pid.values():
            for name, reasons in found.items():
                merged.setdefault(name, [])
                merged[name] += [r for r in reasons if r not in merged[name]]
        raise PidConfirmationRequired(merged)
    return {id(points[i]): found for i, found in pid.items()}


def _sort_out(points, old, existing):
    new, replace, skipped = [], [], 0
    for point in points:
        if point.period not in old:
            new.append(point)
        elif existing == ExistingPolicy.SKIP:
            skipped += 1
        elif existing == ExistingPolicy.REPLACE:
            replace.append(point)
        else:
            raise ValidationError(f"There is already a data point for {point.period:%d/%m/%Y}.",
                                  field="period", row=points.index(point) + 1)
    return new, replace, skipped


def _insert_many(unit: Unit, points: list[DataPoint], pid: dict, stamp: dict) -> None:
    if not points:
        return
    rows = [{"period": p.period, "value": p.value, "numerator": p.numerator,
             "denominator": p.denominator, "comment": p.comment, "excluded": p.excluded,
             "exclusion_reason": p.exclusion_reason} for p in points]
    ids = insert_many_with_ids(unit.session.connection(), DataPointRow.__table__, rows,
                               {**stamp, "deleted_at": None})
    measure_id = stamp["measure_id"]
    plain = _plain_created_jsons(measure_id, rows) if not pid else None
    if plain is not None:
        unit.audit_created_many("data_point", ids, plain)
        return
    for point, row_id, row in zip(points, ids, rows):
        found = pid.get(id(point))
        if found:
            changes = {k: (None, v) for k, v in row.items() if v not in (None, "")}
            unit.audit(ChangeAction.CREATED, "data_point", row_id,
                       {"measure_id": (None, measure_id), **changes}, found)
        else:
            unit.audit_created("data_point", row_id, _created_json(measure_id, row))


def _plain_created_jsons(measure_id: int, rows: list[dict]) -> list[str] | None:
    """_created_json of every row at once, when all rows are plain figures (no text, not
    excluded, the same figures filled in): one format per row, no per-row branching.
    None when the rows differ in shape (then each is built by _created_json)."""
    columns = {name: [row[name] for row in rows] for name in rows[0]}
    if (columns["comment"].count("") != len(rows)
            or columns["exclusion_reason"].count("") != len(rows)
            or any(columns["excluded"])):
        return None
    filled = [name for name in ("value", "numerator", "denominator")
              if columns[name].count(None) == 0]
    if any(columns[name].count(None) != len(rows) for name in
           ("value", "numerator", "denominator") if name not in filled):
        return None
    template = (f'{{"measure_id": [null, {measure_id}], "period": [null, "%s"]'
                + "".join(f', "{name}": [null, %r]' for name in filled)
                + ', "excluded": [null, false]}')
    figures = [map(float, columns[name]) for name in filled]
    return list(map(template.__mod__, zip(map(str, columns["period"]), *figures)))


def _created_json(measure_id: int, row: dict) -> str:
    """The audit `changes` of a new point, as json.dumps would write it, built directly
    because this runs once per imported row (numbers are finite: validated)."""
    parts = [f'"measure_id": [null, {measure_id}]', f'"period": [null, "{row["period"]}"]']
    for name in ("value", "numerator", "denominator"):
        if row[name] is not None:
            parts.append(f'"{name}": [null, {float(row[name])!r}]')
    if row["comment"]:
        parts.append(f'"comment": [null, {json.dumps(row["comment"])}]')
    parts.append(f'"excluded": [null, {"true" if row["excluded"] else "false"}]')
    if row["exclusion_reason"]:
        parts.append(f'"exclusion_reason": [null, {json.dumps(row["exclusion_reason"])}]')
    return "{" + ", ".join(parts) + "}"


def _replace_many(unit: Unit, points: list[DataPoint], old: dict, pid: dict, stamp: dict) -> int:
    params = []
    for point in points:
        row = old[point.period]
        new = {**to_values(point), **stamp}
        if not new["comment"]:
            new["comment"] = row.comment
        diff = {k: (getattr(row, k), new[k]) for k in VALUE_FIELDS if getattr(row, k) != new[k]}
        if not diff:
            continue
        params.append({"row_id": row.id, **{k: new[k] for k in VALUE_FIELDS},
                       "entered_by": new["entered_by"], "entered_at": new["entered_at"]})
        unit.audit(ChangeAction.UPDATED, "data_point", row.id, diff, pid.get(id(point)))
    if params:
        query = update(DataPointRow.__table__).where(
            DataPointRow.__table__.c.id == bindparam("row_id"))
        unit.session.connection().execute(query, params)
    return len(params)


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
