"""Domain dataclass <-> table row, by equal field names (enums stored as their values)."""

from __future__ import annotations

import dataclasses
import types
import typing
from dataclasses import fields
from datetime import date, datetime
from enum import Enum
from functools import cache

from qidesk.domain import entities as e
from qidesk.domain.errors import ValidationError
from qidesk.storage import tables as t

TABLE_OF: dict[type, type[t.Record]] = {
    e.Staff: t.StaffRow, e.Team: t.TeamRow, e.Project: t.ProjectRow,
    e.ProjectMember: t.ProjectMemberRow, e.ProgressScore: t.ProgressScoreRow,
    e.DriverNode: t.DriverNodeRow, e.PdsaCycle: t.PdsaCycleRow, e.Measure: t.MeasureRow,
    e.DataPoint: t.DataPointRow, e.Phase: t.PhaseRow, e.Annotation: t.AnnotationRow,
    e.Review: t.ReviewRow,
}
ENTITY_OF_TABLE: dict[str, type] = {row.__tablename__: cls for cls, row in TABLE_OF.items()}


def kind_of(cls: type) -> str:
    """The change kind / table name of an entity class, e.g. DataPoint -> "data_point"."""
    return TABLE_OF[cls].__tablename__


@cache
def _enum_fields(cls: type) -> dict[str, type[Enum]]:
    found = {}
    for name, hint in typing.get_type_hints(cls).items():
        options = typing.get_args(hint) if isinstance(hint, types.UnionType) else (hint,)
        for option in options:
            if isinstance(option, type) and issubclass(option, Enum):
                found[name] = option
    return found


@cache
def _date_fields(cls: type) -> tuple[str, ...]:
    found = []
    for name, hint in typing.get_type_hints(cls).items():
        options = typing.get_args(hint) if isinstance(hint, types.UnionType) else (hint,)
        if date in options:
            found.append(name)
    return tuple(found)


def coerce(entity):
    """The entity with enum fields given as plain strings turned into their enum; a value
    outside the vocabulary, or a date field that is not a date, is a ValidationError."""
    cls = type(entity)
    fixed = {}
    for name, enum in _enum_fields(cls).items():
        value = getattr(entity, name)
        if value is None or isinstance(value, enum):
            continue
        try:
            fixed[name] = enum(value)
        except ValueError:
            raise ValidationError(f"{value!r} is not one of the choices for "
                                  f"{name.replace('_', ' ')}.", field=name) from None
    for name in _date_fields(cls):
        value = getattr(entity, name)
        if value is not None and not isinstance(value, date):
            raise ValidationError(f"{name.replace('_', ' ').capitalize()} must be a date.",
                                  field=name)
    return dataclasses.replace(entity, **fixed) if fixed else entity


@cache
def field_names(cls: type) -> tuple[str, ...]:
    return tuple(f.name for f in fields(cls))


def to_values(entity: object) -> dict:
    """Column values for a row (without the id)."""
    values = {}
    for name in field_names(type(entity)):
        if name == "id":
            continue
        value = getattr(entity, name)
        values[name] = value.value if isinstance(value, Enum) else value
    return values


def to_entity(cls: type, row: t.Record):
    enums = _enum_fields(cls)
    values = {}
    for name in field_names(cls):
        value = getattr(row, name)
        if value is not None and name in enums:
            value = enums[name](value)
        values[name] = value
    return cls(**values)


def audit_value(value: object) -> object:
    """A JSON-safe form of a field value for the audit trail."""
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    return value
