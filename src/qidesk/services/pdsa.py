"""PDSA cycles of a change idea, the measures each cycle expects to move, and the ramp:
Act's decision starts the next cycle (adapt, adopt) or closes the idea's ramp (abandon)."""

from __future__ import annotations

import dataclasses
from datetime import date

from sqlmodel import func, select

from qidesk.domain.changes import ChangeSet
from qidesk.domain.entities import DriverNode, Measure, PdsaCycle
from qidesk.domain.enums import ChangeIdeaStatus, DriverLevel, PdsaDecision, PdsaStatus
from qidesk.domain.errors import ValidationError
from qidesk.domain.rules import check_date_order, check_pdsa_cycle
from qidesk.services import records
from qidesk.services.mapping import coerce, to_entity, to_values
from qidesk.services.unit import Unit, reading, writing
from qidesk.services.workbook import Workbook
from qidesk.storage.tables import DriverNodeRow, PdsaCycleRow, PdsaMeasureRow

PREDICTION_DIRECTIONS = ("below", "above")
# The Plan carried into the next cycle of a ramp when Act says adapt or adopt.
PLAN_FIELDS = ("title", "scale", "objective", "questions", "predictions", "plan_who",
               "plan_what", "plan_when", "plan_where", "data_plan", "prediction_measure_id",
               "prediction_value", "prediction_direction")
IDEA_STATUS_AFTER = {PdsaDecision.ADOPT: ChangeIdeaStatus.ADOPTED,
                     PdsaDecision.ADAPT: ChangeIdeaStatus.TESTING,
                     PdsaDecision.ABANDON: ChangeIdeaStatus.ABANDONED}


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
    if cycle.prediction_direction not in (None, *PREDICTION_DIRECTIONS):
        raise ValidationError("Say whether the measure will be below or above the value.",
                              field="prediction_direction")
    check_date_order(cycle.started_on, cycle.studied_on, "studied_on",
                     "The Study date is before the test started.")
    check_date_order(cycle.studied_on, cycle.decided_on, "decided_on",
                     "The Act date is before the Study date.")
    query = select(PdsaCycleRow.id).where(
        PdsaCycleRow.change_idea_id == cycle.change_idea_id,
        PdsaCycleRow.cycle_number == cycle.cycle_number, PdsaCycleRow.deleted_at.is_(None))
    if cycle.id is not None:
        query = query.where(PdsaCycleRow.id != cycle.id)
    if unit.session.exec(query).first() is not None:
        raise ValidationError(f"This change idea already has a cycle {cycle.cycle_number}.",
                              field="cycle_number")


def _with_defaults(unit: Unit, cycle: PdsaCycle) -> PdsaCycle:
    """Fill what the worksheet implies: a prediction points the measure's better way, and
    Study and Act written without a date are dated when the test finished."""
    fill = {}
    if cycle.prediction_measure_id is not None and cycle.prediction_direction is None:
        measure = unit.session.get(records.TABLE_OF[Measure], cycle.prediction_measure_id)
        better = {"down": "below", "up": "above"}.get(measure.improvement_direction if measure
                                                      else "")
        if better:
            fill["prediction_direction"] = better
    if cycle.studied_on is None and (cycle.study_results or cycle.learning):
        fill["studied_on"] = cycle.finished_on
    if cycle.decided_on is None and cycle.decision is not None:
        fill["decided_on"] = cycle.finished_on
    return dataclasses.replace(cycle, **fill) if fill else cycle


def list_cycles(wb: Workbook, change_idea_id: int) -> list[PdsaCycle]:
    """The ramp of cycles testing one change idea, in cycle order."""
    return records.list_live(wb, PdsaCycle, "cycle_number", change_idea_id=change_idea_id)


def project_cycles(wb: Workbook, project_id: int) -> list[PdsaCycle]:
    """Every live cycle of a project's change ideas, by idea then cycle number, in one
    query (the navigator re-reads them after each change)."""
    query = (select(PdsaCycleRow).join(DriverNodeRow,
                                       DriverNodeRow.id == PdsaCycleRow.change_idea_id)
             .where(DriverNodeRow.project_id == project_id, DriverNodeRow.deleted_at.is_(None),
                    PdsaCycleRow.deleted_at.is_(None))
             .order_by(PdsaCycleRow.change_idea_id, PdsaCycleRow.cycle_number, PdsaCycleRow.id))
    with reading(wb) as session:
        return [to_entity(PdsaCycle, row) for row in session.exec(query)]


def get_cycle(wb: Workbook, cycle_id: int) -> PdsaCycle:
    return records.get(wb, PdsaCycle, cycle_id)


def next_cycle_number(wb: Workbook, change_idea_id: int) -> int:
    with reading(wb) as session:
        return _next_number(session, change_idea_id)


def _next_number(session, change_idea_id: int) -> int:
    highest = session.exec(select(func.max(PdsaCycleRow.cycle_number)).where(
        PdsaCycleRow.change_idea_id == change_idea_id,
        PdsaCycleRow.deleted_at.is_(None))).one()
    return (highest or 0) + 1


def _insert(unit: Unit, cycle: PdsaCycle, confirm_pid: bool) -> int:
    cycle = _with_defaults(unit, coerce(cycle))
    pid = records.validate(unit, cycle, check_pdsa_cycle, _links_exist, confirm_pid)
    return unit.insert(PdsaCycleRow(**to_values(cycle)), pid)


def _update(unit: Unit, cycle_id: int, changes: dict, confirm_pid: bool) -> PdsaCycle:
    unknown = set(changes) - {f.name for f in dataclasses.fields(PdsaCycle)} | (
        {"id"} & set(changes))
    if unknown:
        raise TypeError(f"PdsaCycle has no changeable field(s) {sorted(unknown)}")
    row = records.live_row(unit.session, PdsaCycle, cycle_id)
    cycle = dataclasses.replace(to_entity(PdsaCycle, row), **changes)
    cycle = _with_defaults(unit, coerce(cycle))
    changed = {k for k, v in to_values(cycle).items() if getattr(row, k) != v}
    pid = records.validate(unit, cycle, check_pdsa_cycle, _links_exist, confirm_pid,
                           only=changed)
    unit.update(row, to_values(cycle), pid)
    return cycle


def add_cycle(wb: Workbook, cycle: PdsaCycle, *, confirm_pid: bool = False) -> ChangeSet:
    """Plan a new cycle; `ChangeSet.id` is its id."""
    if cycle.id is not None:
        raise ValueError("add_cycle() takes a new cycle (id=None)")
    with writing(wb) as unit:
        _insert(unit, cycle, confirm_pid)
    return unit.result()


def update_cycle(wb: Workbook, cycle_id: int, *, confirm_pid: bool = False,
                 **changes) -> ChangeSet:
    """Fill in Do, Study or Act, change the status, the decision or the prediction."""
    with writing(wb) as unit:
        _update(unit, cycle_id, changes, confirm_pid)
    return unit.result()


def save_cycle(wb: Workbook, cycle_id: int, changes: dict, measure_ids: list[int] | None = None,
               *, confirm_pid: bool = False) -> ChangeSet:
    """The worksheet's Save: its fields and its linked measures in one transaction."""
    with writing(wb) as unit:
        _update(unit, cycle_id, changes, confirm_pid)
        if measure_ids is not None:
            _set_links(unit, cycle_id, measure_ids)
    return unit.result()


def delete_cycle(wb: Workbook, cycle_id: int) -> ChangeSet:
    return records.delete(wb, PdsaCycle, cycle_id)


def new_cycle(wb: Workbook, change_idea_id: int, *, title: str = "",
              planned_start: date | None = None) -> ChangeSet:
    """Start the next cycle of an idea's ramp; an untested idea is now being tested.
    `ChangeSet.id` is the new cycle's id."""
    with writing(wb) as unit:
        number = _next_number(unit.session, change_idea_id)
        _insert(unit, PdsaCycle(change_idea_id=change_idea_id, cycle_number=number, title=title,
                                planned_start=planned_start), False)
        idea = unit.session.get(DriverNodeRow, change_idea_id)
        if idea.status in (None, ChangeIdeaStatus.UNTESTED.value):
            unit.update(idea, {"status": ChangeIdeaStatus.TESTING.value})
    return unit.result()


def decide(wb: Workbook, cycle_id: int, decision: PdsaDecision, *, next_step: str,
           decided_on: date, confirm_pid: bool = False) -> ChangeSet:
    """Act on a cycle: it is done, and the change idea's status follows the decision.

    Adapt or adopt on the ramp's last cycle plans the next one with this cycle's plan and
    linked measures carried over (`ids("pdsa_cycle", CREATED)`); abandon closes the ramp
    and needs the reason in `next_step`."""
    decision = PdsaDecision(decision)
    if decision == PdsaDecision.ABANDON and not next_step.strip():
        raise ValidationError("Say why the idea is abandoned, so others can learn from it.",
                              field="next_step")
    with writing(wb) as unit:
        row = records.live_row(unit.session, PdsaCycle, cycle_id)
        changes = dict(decision=decision, next_step=next_step.strip(), decided_on=decided_on,
                       status=PdsaStatus.DONE)
        if row.finished_on is None and (row.started_on is None or row.started_on <= decided_on):
            changes["finished_on"] = decided_on
        cycle = _update(unit, cycle_id, changes, confirm_pid)
        idea = unit.session.get(DriverNodeRow, cycle.change_idea_id)
        unit.update(idea, {"status": IDEA_STATUS_AFTER[decision].value})
        last = _next_number(unit.session, cycle.change_idea_id) - 1 == cycle.cycle_number
        if decision != PdsaDecision.ABANDON and last:
            plan = {name: getattr(cycle, name) for name in PLAN_FIELDS}
            new_id = _insert(unit, PdsaCycle(change_idea_id=cycle.change_idea_id,
                                             cycle_number=cycle.cycle_number + 1, **plan),
                             confirm_pid=True)  # the text was checked on this cycle
            _set_links(unit, new_id, _links(unit.session, cycle_id))
    return unit.result()


def undo_decision(wb: Workbook, cycle_id: int, before: PdsaCycle,
                  idea_status: ChangeIdeaStatus | None, next_cycle_id: int | None) -> ChangeSet:
    """Put a cycle and its idea back as they were before `decide` (the next cycle it
    started is deleted, softly, so redo can bring it back)."""
    with writing(wb) as unit:
        row = records.live_row(unit.session, PdsaCycle, cycle_id)
        unit.update(row, to_values(before))
        idea = unit.session.get(DriverNodeRow, before.change_idea_id)
        unit.update(idea, {"status": idea_status.value if idea_status else None})
        if next_cycle_id is not None:
            unit.soft_delete(records.live_row(unit.session, PdsaCycle, next_cycle_id))
    return unit.result()


def linked_measures(wb: Workbook, cycle_id: int) -> list[int]:
    """Ids of the measures the cycle expects to move."""
    with reading(wb) as session:
        return _links(session, cycle_id)


def _links(session, cycle_id: int) -> list[int]:
    return list(session.exec(select(PdsaMeasureRow.measure_id).where(
        PdsaMeasureRow.pdsa_cycle_id == cycle_id, PdsaMeasureRow.deleted_at.is_(None))
        .order_by(PdsaMeasureRow.measure_id)))


def set_linked_measures(wb: Workbook, cycle_id: int, measure_ids: list[int]) -> ChangeSet:
    """Make the cycle's linked measures exactly `measure_ids` (links soft-deleted/added)."""
    with writing(wb) as unit:
        _set_links(unit, cycle_id, measure_ids)
    return unit.result()


def _set_links(unit: Unit, cycle_id: int, measure_ids: list[int]) -> None:
    wanted = set(measure_ids)
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
