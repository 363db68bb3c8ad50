"""What an edit typed into the data-entry grid becomes: the data point as typed, the undo
command that saves it, and the words shown when the service refuses it."""

from __future__ import annotations

import dataclasses
from datetime import date

from qidesk.domain.entities import DataPoint, Measure
from qidesk.domain.errors import ValidationError
from qidesk.domain.periods import parse_uk_date
from qidesk.services.workbook import Workbook
from qidesk.ui import undo
from qidesk.ui.models.grid_rows import FIELD_OF, FIGURES, NEW_EVENT, Column, GridRow, figure


def edit_command(wb: Workbook, measure: Measure, columns: list[Column], row: GridRow,
                 column: Column, typed: dict, label: str) -> undo.ServiceCommand | None:
    """The command that records, updates or deletes the row's point as typed (None when
    nothing changed); ValidationError when it cannot be saved yet."""
    draft = draft_point(measure, columns, row, typed)
    if row.point is None:
        if draft is None:
            message = ("Now type the figure for this event: it is saved once both are in."
                       if row.key == NEW_EVENT else
                       "Type this period's figure first (0 if there were none).")
            raise ValidationError(message, field="numerator" if Column.NUMERATOR
                                  in columns else "value")
        return undo.RecordDataPointCommand(wb, draft, label)
    if draft is None or (column in FIGURES and typed[column] == ""):
        return undo.DeleteDataPointCommand(wb, row.point.id, label)
    command = undo.UpdateDataPointCommand(wb, row.point, draft, label)
    return command if command.new else None


def draft_point(measure: Measure, columns: list[Column], row: GridRow,
                typed: dict) -> DataPoint | None:
    """The point as typed (None without any figure); ValidationError for unreadable text."""
    point = row.point or DataPoint(measure_id=measure.id, period=row.period or date.min)
    changes = {}
    for column, value in typed.items():
        name = FIELD_OF[column]
        if column in FIGURES:
            changes[name] = figure(value, name)
        elif column == Column.PERIOD:
            changes[name] = parse_uk_date(value) if value else None
        else:
            changes[name] = value
    draft = dataclasses.replace(point, **changes)
    figures = [getattr(draft, FIELD_OF[c]) for c in FIGURES if c in columns]
    if all(f is None for f in figures):
        return None
    if draft.period in (None, date.min):
        raise ValidationError("Type the date of the event first.", field="period")
    return draft


def refusal_text(row: GridRow, exc: ValidationError) -> str:
    """The service's message, with what to do next when half of a new proportion is typed."""
    if row.point is None and exc.field in ("numerator", "denominator") and "needed" in exc.message:
        return f"{exc.message} Nothing is saved for this period until both are typed."
    return exc.message
