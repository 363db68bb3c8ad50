"""PDSA cycles of a change idea and the measures each cycle expects to move."""

from __future__ import annotations

from sqlmodel import func, select

from qidesk.domain.changes import ChangeSet
from qidesk.domain.entities import DriverNode, Measure, PdsaCycle
from qidesk.domain.enums import DriverLevel
from qidesk.domain.errors import ValidationError
from qidesk.domain.rules import check_pdsa_cycle
from qidesk.services import records
from qidesk.services.unit import Unit, reading, writing
from qidesk.services.workbook import Workbook
from qidesk.storage.tables import PdsaCycleRow, PdsaMeasureRow


def _links_exist(unit: Unit, cycle: PdsaCycle) -> None:
    idea = records.require(unit.session, DriverNode, cycle.change_idea_id, "change_idea_id")
    if idea.level != DriverLevel.CHANGE_IDEA:
        raise ValidationError("PDSA cycles test change ideas; choose a change idea.",
                              field="change_idea_id")
    if cycle.prediction_measure_id is not None:
        measure = records.require(unit.session, Measure, cycle.prediction_measure_id,
                                  "prediction_measure_id")
        if measure.project_id != idea.project_id:
            raise ValidationError("The prediction must be about a measure of this project.",
                                  field="prediction_measure_id")
    query = select(PdsaCycleRow.id).where(
        PdsaCycleRow.change_idea_id == cycle.change_idea_id,
        PdsaCycleRow.cycle_number == cycle.cycle_number, PdsaCycleRow.deleted_at.is_(None))
    if cycle.id is not None:
        query = query.where(PdsaCycleRow.id != cycle.id)
    if unit.session.exec(query).first() is not None:
        raise ValidationError(f"This change idea already has a cycle {cycle.cycle_number}.",
                              field="cycle_number")


def list_cycles(wb: Workbook, change_idea_id: int) -> list[PdsaCycle]:
    """The ramp of cycles testing one change idea, in cycle order."""
    return records.list_live(wb, PdsaCycle, "cycle_number", change_idea_id=change_idea_id)


def get_cycle(wb: Workbook, cycle_id: int) -> PdsaCycle:
    return records.get(wb, PdsaCycle, cycle_id)


def next_cycle_number(wb: Workbook, change_idea_id: int) -> int:
    with reading(wb) as session:
        highest = session.exec(select(func.max(PdsaCycleRow.cycle_number)).where(
            PdsaCycleRow.change_idea_id == change_idea_id,
            PdsaCycleRow.deleted_at.is_(None))).one()
    return (highest or 0) + 1


def add_cycle(wb: Workbook, cycle: PdsaCycle, *, confirm_pid: bool = False) -> ChangeSet:
    """Plan a new cycle; `ChangeSet.id` is its id."""
    return records.create(wb, cycle, rule=check_pdsa_cycle, check=_links_exist,
                          confirm_pid=confirm_pid)


def update_cycle(wb: Workbook, cycle_id: int, *, confirm_pid: bool = False,
                 **changes) -> ChangeSet:
    """Fill in Do, Study or Act, change the status, the decision or the prediction."""
    return records.update(wb, PdsaCycle, cycle_id, changes, rule=check_pdsa_cycle,
                          check=_links_exist, confirm_pid=confirm_pid)


def delete_cycle(wb: Workbook, cycle_id: int) -> ChangeSet:
    return records.delete(wb, PdsaCycle, cycle_id)


def linked_measures(wb: Workbook, cycle_id: int) -> list[int]:
    """Ids of the measures the cycle expects to move."""
    with reading(wb) as session:
        return list(session.exec(select(PdsaMeasureRow.measure_id).where(
            PdsaMeasureRow.pdsa_cycle_id == cycle_id, PdsaMeasureRow.deleted_at.is_(None))
            .order_by(PdsaMeasureRow.measure_id)))


def set_linked_measures(wb: Workbook, cycle_id: int, measure_ids: list[int]) -> ChangeSet:
    """Make the cycle's linked measures exactly `measure_ids` (links soft-deleted/added)."""
    wanted = set(measure_ids)
    with writing(wb) as unit:
        cycle = records.live_row(unit.session, PdsaCycle, cycle_id)
        idea = unit.session.get(records.TABLE_OF[DriverNode], cycle.change_idea_id)
        for measure_id in wanted:
            measure = records.require(unit.session, Measure, measure_id, "measure_ids")
            if measure.project_id != idea.project_id:
                raise ValidationError("Link only measures of this project.", field="measure_ids")
        links = unit.session.exec(select(PdsaMeasureRow).where(
            PdsaMeasureRow.pdsa_cycle_id == cycle_id)).all()
        live = {link.measure_id: link for link in links if link.deleted_at is None}
        dead = {link.measure_id: link for link in links if link.deleted_at is not None}
        for measure_id, link in live.items():
            if measure_id not in wanted:
                unit.soft_delete(link)
        for measure_id in sorted(wanted - set(live)):
            if measure_id in dead:
                unit.restore(dead[measure_id])
            else:
                unit.insert(PdsaMeasureRow(pdsa_cycle_id=cycle_id, measure_id=measure_id))
    return unit.result()


