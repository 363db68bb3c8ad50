"""A project's live records read out of a workbook as bundle content, for an export:
never deleted records, and only the driver diagram a ward sees.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlmodel import Session

from qidesk.domain.entities import Project
from qidesk.domain.enums import DriverLevel, ReviewSubject
from qidesk.services.mapping import TABLE_OF, to_entity
from qidesk.services.sharing_format import KINDS, PdsaMeasureLink, ProjectContent, parents_first
from qidesk.storage.tables import PdsaMeasureRow, ReviewRow


def collect_content(session: Session, project: Project) -> tuple[ProjectContent, str]:
    """The project's live records; driver boxes under a deleted box stay behind with it."""
    found = {kind: _live(session, KINDS[kind], project_id=[project.id])
             for kind in ("project_member", "progress_score", "measure")}
    nodes = _live(session, KINDS["driver_node"], project_id=[project.id])
    found["driver_node"] = _reachable(nodes)
    measure_ids = [m.id for m in found["measure"]]
    ideas = [n.id for n in found["driver_node"] if n.level == DriverLevel.CHANGE_IDEA]
    found["pdsa_cycle"] = _live(session, KINDS["pdsa_cycle"], change_idea_id=ideas)
    links = _live_rows(session, PdsaMeasureRow,
                       pdsa_cycle_id=[c.id for c in found["pdsa_cycle"]])
    found["pdsa_measure"] = tuple(PdsaMeasureLink(pdsa_cycle_id=r.pdsa_cycle_id,
                                                  measure_id=r.measure_id) for r in links)
    for kind in ("data_point", "phase", "annotation"):
        found[kind] = _live(session, KINDS[kind], measure_id=measure_ids)
    found["review"] = _reviews(session, project.id, measure_ids)
    left = len(nodes) - len(found["driver_node"])
    note = (f"{left} driver diagram box(es) under a deleted box were left out." if left else "")
    return ProjectContent(project, {kind: found[kind] for kind in KINDS}), note


def _live_rows(session: Session, table, **column_in) -> list:
    """Live rows as plain result rows (no ORM objects: a project can hold 100k points)."""
    query = select(table.__table__).where(table.deleted_at.is_(None)).order_by(table.id)
    for name, values in column_in.items():
        query = query.where(getattr(table, name).in_(values))
    return list(session.execute(query))


def _live(session: Session, cls: type, **column_in) -> tuple:
    return tuple(to_entity(cls, row) for row in _live_rows(session, TABLE_OF[cls], **column_in))


def _reachable(nodes: tuple) -> tuple:
    """Boxes hanging from a live aim through live boxes (the diagram a ward sees)."""
    kept: dict[int, object] = {}
    for node in parents_first(nodes):
        if node.parent_id in kept or (node.parent_id is None and node.level == DriverLevel.AIM):
            kept[node.id] = node
    return tuple(sorted(kept.values(), key=lambda n: n.id))


def _reviews(session: Session, project_id: int, measure_ids: list[int]) -> tuple:
    of_project = _live_rows(session, ReviewRow, subject=[ReviewSubject.PROJECT.value],
                            subject_id=[project_id])
    of_measures = _live_rows(session, ReviewRow, subject=[ReviewSubject.MEASURE.value],
                             subject_id=measure_ids)
    rows = sorted(of_project + of_measures, key=lambda r: r.id)
    return tuple(to_entity(KINDS["review"], row) for row in rows)
