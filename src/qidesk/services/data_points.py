"""Data points: typing one in, pasting or importing many (all or nothing). Reading whole
series for charts and the review board is services/series.py."""

from __future__ import annotations

import dataclasses
import json
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from itertools import repeat
from operator import attrgetter

from sqlalchemy import bindparam, select, update
from sqlmodel import Session

from qidesk.domain.changes import ChangeAction, ChangeSet
from qidesk.domain.data_rules import check_data_point
from qidesk.domain.entities import DataPoint, Measure
from qidesk.domain.enums import Frequency
from qidesk.domain.errors import ValidationError
from qidesk.domain.rules import PidConfirmationRequired, pid_findings
from qidesk.services import records
from qidesk.services.mapping import coerce, to_entity, to_values
from qidesk.services.unit import Unit, writing
from qidesk.services.workbook import Workbook
from qidesk.storage.bulk import insert_many_with_ids
from qidesk.storage.tables import DataPointRow

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


@dataclass(frozen=True)
class PointColumns:
    """Many new points of one measure, field by field: a 100,000-row import is too many
    objects to make one by one. `point(i)` is the i-th as a DataPoint."""

    period: list[date]
    value: list[float | None]
    numerator: list[float | None]
    denominator: list[float | None]
    comment: list[str]
    excluded: list[bool]
    exclusion_reason: list[str]

    @classmethod
    def of(cls, points: list[DataPoint]) -> PointColumns:
        return cls(*(list(map(attrgetter(f.name), points)) for f in dataclasses.fields(cls)))

    def __len__(self) -> int:
        return len(self.period)

    def columns(self) -> dict[str, list]:
        return dict(vars(self))  # the fields, in order

    def point(self, index: int, measure_id: int) -> DataPoint:
        return DataPoint(measure_id=measure_id, **{name: values[index] for name, values
                                                   in self.columns().items()})

    def select(self, indices: list[int]) -> PointColumns:
        if len(indices) == len(self):
            return self  # indices are increasing: all of them is every row in order
        return PointColumns(*([values[i] for i in indices] for values in self.columns().values()))


def record_data_points(wb: Workbook, measure_id: int, points: list[DataPoint] | PointColumns,
                       *, existing: ExistingPolicy = ExistingPolicy.ERROR,
                       confirm_pid: bool = False, checked: bool = False) -> BatchResult:
    """Save many points of one measure in one transaction: all of them or none.

    Raises ValidationError (with `row`, 1-based in `points`) for the first bad point.
    `checked=True` skips the per-point value rules the caller has just applied (import
    does, to list every problem); duplicates and patient-data checks always run.
    """
    batch = points if isinstance(points, PointColumns) else PointColumns.of(points)
    with writing(wb) as unit:
        measure = _measure(unit.session, measure_id)
        pid = _check_batch(batch, measure, confirm_pid, checked)
        old = ({} if measure.frequency == Frequency.EVENT
               else _live_periods(unit.session, measure_id))
        new, replace, skipped = _sort_out(batch, old, existing)
        stamp = {"measure_id": measure_id, "entered_by": wb.staff_name, "entered_at": unit.now}
        position = {row: k for k, row in enumerate(new)} if pid else {}
        _insert_many(unit, batch.select(new),
                     {position[i]: found for i, found in pid.items() if i in position}, stamp)
        replaced = _replace_many(unit, [batch.point(i, measure_id) for i in replace],
                                 [pid.get(i) for i in replace], old, stamp)
    return BatchResult(unit.result(), len(new), replaced, skipped, len(replace) - replaced)


def _check_batch(batch: PointColumns, measure: Measure, confirm_pid: bool,
                 checked: bool) -> dict[int, dict]:
    """Patient-data findings by row index; raises for the first bad or repeated row."""
    if not checked:
        for index in range(len(batch)):
            try:
                check_data_point(batch.point(index, measure.id), measure)
            except ValidationError as exc:
                raise ValidationError(exc.message, field=exc.field, row=index + 1) from None
    if measure.frequency != Frequency.EVENT and len(set(batch.period)) != len(batch):
        seen: set[date] = set()
        for index, period in enumerate(batch.period):
            if period in seen:
                raise ValidationError(f"{period:%d/%m/%Y} appears twice.", field="period",
                                      row=index + 1)
            seen.add(period)
    pid: dict[int, dict] = {}
    found_in: dict[tuple[str, str], dict] = {}  # findings depend on the texts alone
    for index, texts in enumerate(zip(batch.comment, batch.exclusion_reason)):
        if texts[0] or texts[1]:
            if texts not in found_in:
                found_in[texts] = pid_findings(batch.point(index, measure.id))
            if found_in[texts]:
                pid[index] = found_in[texts]
    if pid and not confirm_pid:
        merged: dict[str, list[str]] = {}
        for found in pid.values():
            for name, reasons in found.items():
                merged.setdefault(name, [])
                merged[name] += [r for r in reasons if r not in merged[name]]
        raise PidConfirmationRequired(merged)
    return pid


def _sort_out(batch: PointColumns, old: dict, existing: ExistingPolicy):
    """Row indices of new points and of points for periods already stored; the count
    of those skipped."""
    if not old:
        return list(range(len(batch))), [], 0
    new, replace, skipped = [], [], 0
    for index, period in enumerate(batch.period):
        if period not in old:
            new.append(index)
        elif existing == ExistingPolicy.SKIP:
            skipped += 1
        elif existing == ExistingPolicy.REPLACE:
            replace.append(index)
        else:
            raise ValidationError(f"There is already a data point for {period:%d/%m/%Y}.",
                                  field="period", row=index + 1)
    return new, replace, skipped


def _insert_many(unit: Unit, batch: PointColumns, pid: dict[int, dict], stamp: dict) -> None:
    if not len(batch):
        return
    columns = batch.columns()
    ids = insert_many_with_ids(unit.session.connection(), DataPointRow.__table__, columns,
                               {**stamp, "deleted_at": None})
    measure_id = stamp["measure_id"]
    texts = _created_jsons(measure_id, columns)
    if pid:  # flagged rows keep no text in the trail: written one by one
        for index, found in pid.items():
            row = {name: values[index] for name, values in columns.items()}
            changes = {k: (None, v) for k, v in row.items() if v not in (None, "")}
            unit.audit(ChangeAction.CREATED, "data_point", ids[index],
                       {"measure_id": (None, measure_id), **changes}, found)
        kept = [index for index in range(len(ids)) if index not in pid]
        ids, texts = [ids[i] for i in kept], [texts[i] for i in kept]
    unit.audit_created_many("data_point", ids, texts)


def _created_jsons(measure_id: int, columns: dict[str, list]) -> list[str]:
    """The audit `changes` of each new point, as json.dumps would write them, built
    column by column because an import has 100,000: each distinct date, figure and text
    is written once (numbers are finite: validated)."""
    count = len(columns["period"])
    parts = [repeat(f'{{"measure_id": [null, {measure_id}]', count),
             _each_once(columns["period"], lambda p: f', "period": [null, "{p}"]')]
    for name in ("value", "numerator", "denominator"):
        parts.append(_each_once(columns[name], lambda v, name=name: "" if v is None else
                                f', "{name}": [null, {float(v)!r}]'))
    parts.append(_each_once(columns["comment"], lambda c: c and f', "comment": [null, '
                                                                 f'{json.dumps(c)}]'))
    parts.append(_each_once(columns["excluded"], lambda e: ', "excluded": [null, '
                                                           f'{"true" if e else "false"}]'))
    parts.append(_each_once(columns["exclusion_reason"], lambda r: r and (
        f', "exclusion_reason": [null, {json.dumps(r)}]')))
    parts.append(repeat("}", count))
    return list(map("".join, zip(*parts)))


def _each_once(values: list, text) -> list[str]:
    """[text(v) for v in values], each distinct value's text made once."""
    done = {v: text(v) for v in set(values)}
    if 0 in done:  # 0.0 and -0.0 are one key but two texts
        return [text(v) if v == 0 else done[v] for v in values]
    return list(map(done.__getitem__, values))


def _replace_many(unit: Unit, points: list[DataPoint], findings: list[dict | None], old: dict,
                  stamp: dict) -> int:
    params = []
    for point, found in zip(points, findings):
        row = old[point.period]
        new = {**to_values(point), **stamp}
        if not new["comment"]:
            new["comment"] = row.comment
        diff = {k: (getattr(row, k), new[k]) for k in VALUE_FIELDS if getattr(row, k) != new[k]}
        if not diff:
            continue
        params.append({"row_id": row.id, **{k: new[k] for k in VALUE_FIELDS},
                       "entered_by": new["entered_by"], "entered_at": new["entered_at"]})
        unit.audit(ChangeAction.UPDATED, "data_point", row.id, diff, found)
    if params:
        query = update(DataPointRow.__table__).where(
            DataPointRow.__table__.c.id == bindparam("row_id"))
        unit.session.connection().execute(query, params)
    return len(params)
