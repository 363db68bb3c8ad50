"""Reviews (sign-offs) and the review board a matron opens: every measure at once."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import func, select

from qidesk.domain.changes import ChangeSet
from qidesk.domain.entities import Measure, Project, Review
from qidesk.domain.enums import ReviewSubject
from qidesk.services import records
from qidesk.services.data_points import MeasureSeries, load_series
from qidesk.services.mapping import to_entity
from qidesk.services.unit import Unit, reading
from qidesk.services.workbook import Workbook
from qidesk.storage.tables import DataPointRow, MeasureRow, ProjectRow, ReviewRow, TeamRow


@dataclass(frozen=True)
class BoardRow:
    """One measure on the review board, with what changed since its last sign-off."""

    team_name: str
    project_title: str
    measure: Measure
    series: MeasureSeries
    last_review: Review | None
    points_since_review: int


def _subject_exists(unit: Unit, review: Review) -> None:
    cls = Measure if review.subject == ReviewSubject.MEASURE else Project
    records.require(unit.session, cls, review.subject_id, "subject_id")


def sign_off(wb: Workbook, review: Review, *, confirm_pid: bool = False) -> ChangeSet:
    """Record a reviewer's sign-off (reviewer defaults to the signed-in person, now)."""
    review = dataclasses.replace(review, reviewer=review.reviewer or wb.staff_name,
                                 reviewed_at=datetime.now(UTC))
    return records.create(wb, review, check=_subject_exists, confirm_pid=confirm_pid)


def list_reviews(wb: Workbook, subject: ReviewSubject, subject_id: int) -> list[Review]:
    """Sign-offs of one measure or project, newest first."""
    found = records.list_live(wb, Review, "reviewed_at", subject=str(subject),
                              subject_id=subject_id)
    return found[::-1]


def delete_review(wb: Workbook, review_id: int) -> ChangeSet:
    return records.delete(wb, Review, review_id)


def review_board(wb: Workbook, team_id: int | None = None) -> list[BoardRow]:
    """Every live measure (of one team, or all) with its series and last sign-off."""
    m, p, t = MeasureRow, ProjectRow, TeamRow
    # Plain columns, not ORM objects: a trust's board has thousands of measures.
    query = (select(m.__table__, p.title.label("project_title"), t.name.label("team_name"))
             .join(p, p.id == m.project_id).join(t, t.id == p.team_id)
             .where(m.deleted_at.is_(None), p.deleted_at.is_(None), t.deleted_at.is_(None))
             .order_by(t.name, p.title, m.position, m.name))
    if team_id is not None:
        query = query.where(t.id == team_id)
    with reading(wb) as session:
        rows = [(to_entity(Measure, r), r.project_title, r.team_name)
                for r in session.execute(query)]
        last = _last_reviews(session)
        since = _points_since(session)
    series = load_series(wb, [measure.id for measure, _, _ in rows])
    return [BoardRow(team, title, measure, series[measure.id], last.get(measure.id),
                     since.get(measure.id, 0)) for measure, title, team in rows]


def _newest_sign_offs():
    r = ReviewRow
    return (select(r.subject_id, func.max(r.reviewed_at).label("at"))
            .where(r.subject == ReviewSubject.MEASURE.value, r.deleted_at.is_(None))
            .group_by(r.subject_id).subquery())


def _last_reviews(session) -> dict[int, Review]:
    r, newest = ReviewRow, _newest_sign_offs()
    query = select(r).join(newest, (r.subject_id == newest.c.subject_id)
                           & (r.reviewed_at == newest.c.at)).where(
        r.subject == ReviewSubject.MEASURE.value, r.deleted_at.is_(None))
    return {row.subject_id: to_entity(Review, row) for row in session.scalars(query)}


def _points_since(session) -> dict[int, int]:
    """Points entered since each measure's last sign-off, in one query."""
    d, newest = DataPointRow, _newest_sign_offs()
    query = (select(d.measure_id, func.count())
             .join(newest, newest.c.subject_id == d.measure_id)
             .where(d.deleted_at.is_(None), d.entered_at > newest.c.at)
             .group_by(d.measure_id))
    return dict(session.execute(query).all())
