"""Measures, and the chart settings that belong to one: baseline, phases, annotations."""

from __future__ import annotations

from sqlmodel import select

from qidesk.domain.changes import ChangeSet
from qidesk.domain.entities import Annotation, Measure, PdsaCycle, Phase, Project
from qidesk.domain.errors import ValidationError
from qidesk.domain.rules import check_measure, check_number
from qidesk.services import records
from qidesk.services.unit import Unit
from qidesk.services.workbook import Workbook
from qidesk.storage.tables import DataPointRow, MeasureRow, PhaseRow


def _project_exists(unit: Unit, measure: Measure) -> None:
    records.require(unit.session, Project, measure.project_id, "project_id")


def _keeps_its_data_valid(unit: Unit, measure: Measure) -> None:
    """Value type and frequency cannot change under existing data points."""
    _project_exists(unit, measure)
    if measure.id is None:
        return
    stored = unit.session.get(MeasureRow, measure.id)
    has_data = unit.session.exec(select(DataPointRow.id).where(
        DataPointRow.measure_id == measure.id, DataPointRow.deleted_at.is_(None))).first()
    for name in ("value_type", "frequency"):
        if has_data and getattr(stored, name) != str(getattr(measure, name)):
            raise ValidationError(
                "This measure already has data, so how its values are recorded cannot "
                "change. Create a new measure instead.", field=name)


def list_measures(wb: Workbook, project_id: int) -> list[Measure]:
    return records.list_live(wb, Measure, "position", "name", project_id=project_id)


def get_measure(wb: Workbook, measure_id: int) -> Measure:
    return records.get(wb, Measure, measure_id)


def find_measure(wb: Workbook, name_or_id: str) -> Measure:
    """A measure by id, or by its name when that is unique in the workbook."""
    with records.reading(wb) as session:
        query = select(MeasureRow).where(MeasureRow.deleted_at.is_(None))
        rows = list(session.exec(query.where(MeasureRow.name == name_or_id.strip())))
        if not rows and name_or_id.strip().isdigit():
            rows = list(session.exec(query.where(MeasureRow.id == int(name_or_id))))
    if len(rows) != 1:
        reason = "No measure is" if not rows else f"{len(rows)} measures are"
        raise ValidationError(f"{reason} called {name_or_id!r}; use the measure's id.",
                              field="measure")
    return records.to_entity(Measure, rows[0])


def add_measure(wb: Workbook, measure: Measure, *, confirm_pid: bool = False) -> ChangeSet:
    """Add a measure to a project; `ChangeSet.id` is the new measure's id."""
    return records.create(wb, measure, rule=check_measure, check=_project_exists,
                          confirm_pid=confirm_pid)


def update_measure(wb: Workbook, measure_id: int, *, confirm_pid: bool = False,
                   **changes) -> ChangeSet:
    return records.update(wb, Measure, measure_id, changes, rule=check_measure,
                          check=_keeps_its_data_valid, confirm_pid=confirm_pid)


def delete_measure(wb: Workbook, measure_id: int) -> ChangeSet:
    return records.delete(wb, Measure, measure_id)


def set_baseline(wb: Workbook, measure_id: int, points: int | None) -> ChangeSet:
    """Freeze the centre line and limits on the first `points` points (None: unfreeze)."""
    check_number(points, "baseline_points", "Baseline points", whole=True, minimum=2)
    return update_measure(wb, measure_id, baseline_points=points)


def _measure_exists(unit: Unit, child) -> None:
    records.require(unit.session, Measure, child.measure_id, "measure_id")


def _one_phase_per_date(unit: Unit, phase: Phase) -> None:
    _measure_exists(unit, phase)
    query = select(PhaseRow.id).where(PhaseRow.measure_id == phase.measure_id,
                                      PhaseRow.start_date == phase.start_date,
                                      PhaseRow.deleted_at.is_(None))
    if phase.id is not None:
        query = query.where(PhaseRow.id != phase.id)
    if unit.session.exec(query).first() is not None:
        raise ValidationError("A phase already starts on that date.", field="start_date")


def list_phases(wb: Workbook, measure_id: int) -> list[Phase]:
    return records.list_live(wb, Phase, "start_date", measure_id=measure_id)


def add_phase(wb: Workbook, phase: Phase, *, confirm_pid: bool = False) -> ChangeSet:
    """Split the chart's centre line and limits from `phase.start_date` on."""
    return records.create(wb, phase, check=_one_phase_per_date, confirm_pid=confirm_pid)


def update_phase(wb: Workbook, phase_id: int, *, confirm_pid: bool = False,
                 **changes) -> ChangeSet:
    return records.update(wb, Phase, phase_id, changes, check=_one_phase_per_date,
                          confirm_pid=confirm_pid)


def delete_phase(wb: Workbook, phase_id: int) -> ChangeSet:
    return records.delete(wb, Phase, phase_id)


def _annotation_links_exist(unit: Unit, annotation: Annotation) -> None:
    _measure_exists(unit, annotation)
    if annotation.pdsa_cycle_id is not None:
        records.require(unit.session, PdsaCycle, annotation.pdsa_cycle_id, "pdsa_cycle_id")


def list_annotations(wb: Workbook, measure_id: int) -> list[Annotation]:
    return records.list_live(wb, Annotation, "on_date", measure_id=measure_id)


def add_annotation(wb: Workbook, annotation: Annotation, *,
                   confirm_pid: bool = False) -> ChangeSet:
    return records.create(wb, annotation, check=_annotation_links_exist,
                          confirm_pid=confirm_pid)


def update_annotation(wb: Workbook, annotation_id: int, *, confirm_pid: bool = False,
                      **changes) -> ChangeSet:
    return records.update(wb, Annotation, annotation_id, changes,
                          check=_annotation_links_exist, confirm_pid=confirm_pid)


def delete_annotation(wb: Workbook, annotation_id: int) -> ChangeSet:
    return records.delete(wb, Annotation, annotation_id)
