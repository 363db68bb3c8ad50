"""Reviews (sign-offs) and the review board a matron opens: every measure at once.

"Since your last review": what changed on each measure after the reviewer last signed
it (or its project) off: points entered, phases added or removed, PDSA decisions made
on cycles linked to it. Phases and decisions carry no timestamps of their own, so
they are read from the audit trail, which every change writes in its transaction.
"""

from __future__ import annotations

import dataclasses
import json
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime

from sqlalchemy import func, or_, select

from qidesk.domain.changes import ChangeSet
from qidesk.domain.entities import Measure, Project, Review
from qidesk.domain.enums import ReviewSubject
from qidesk.services import records
from qidesk.services.mapping import to_entity
from qidesk.services.series import MeasureSeries, load_series
from qidesk.services.unit import Unit, reading
from qidesk.services.workbook import Workbook
from qidesk.storage.tables import (
    AuditEventRow,
    DataPointRow,
    MeasureRow,
    PdsaCycleRow,
    PdsaMeasureRow,
    PhaseRow,
    ProjectRow,
    ReviewRow,
    TeamRow,
)


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


@dataclass(frozen=True)
class SinceReview:
    """What changed on one measure since its reviewer's last sign-off."""

    reviewed_at: datetime | None = None  # None: never signed off by this reviewer
    reviewer: str = ""
    comment: str = ""
    new_periods: tuple[date, ...] = ()  # periods of the points entered since
    phase_changes: int = 0
    pdsa_decisions: tuple[str, ...] = ()  # "adopt", "adapt", "abandon"
    new_signals: int = 0  # filled in by the board, which has the charts

    @property
    def new_points(self) -> int:
        return len(self.new_periods)

    @property
    def anything(self) -> bool:
        return bool(self.new_periods or self.phase_changes or self.pdsa_decisions
                    or self.new_signals)


@dataclass
class _Found:
    periods: list = field(default_factory=list)
    phases: int = 0
    decisions: list = field(default_factory=list)


def sign_off_project(wb: Workbook, project_id: int, comment: str, *,
                     confirm_pid: bool = False) -> ChangeSet:
    """Sign a whole project off: its measures count as reviewed too."""
    return sign_off(wb, Review(subject=ReviewSubject.PROJECT, subject_id=project_id,
                               comment=comment), confirm_pid=confirm_pid)


def sign_off_measure(wb: Workbook, measure_id: int, comment: str, *,
                     confirm_pid: bool = False) -> ChangeSet:
    return sign_off(wb, Review(subject=ReviewSubject.MEASURE, subject_id=measure_id,
                               comment=comment), confirm_pid=confirm_pid)


def last_sign_off(wb: Workbook, measure_id: int) -> Review | None:
    """The newest sign-off of the measure or of its project, by anyone (its history)."""
    r = ReviewRow
    with reading(wb) as session:
        project_id = session.scalar(select(MeasureRow.project_id).where(MeasureRow.id == measure_id))
        query = (select(r).where(r.deleted_at.is_(None), or_(
            (r.subject == ReviewSubject.MEASURE.value) & (r.subject_id == measure_id),
            (r.subject == ReviewSubject.PROJECT.value) & (r.subject_id == project_id)))
            .order_by(r.reviewed_at.desc(), r.id.desc()).limit(1))
        row = session.scalars(query).first()
        return to_entity(Review, row) if row is not None else None


def since_last_review(wb: Workbook, reviewer: str | None) -> dict[int, SinceReview]:
    """For every live measure: what changed since `reviewer` last signed it or its
    project off (anyone's sign-off when `reviewer` is empty). Five queries in all."""
    with reading(wb) as session:
        projects = dict(session.execute(select(MeasureRow.id, MeasureRow.project_id)
                                        .where(MeasureRow.deleted_at.is_(None))).all())
        signed = _sign_offs_by_measure(session, reviewer, projects)
        if not signed:
            return {measure_id: SinceReview() for measure_id in projects}
        earliest = min(review.reviewed_at for review in signed.values())
        found: dict[int, _Found] = defaultdict(_Found)
        d = DataPointRow
        for measure_id, period, at in session.execute(
                select(d.measure_id, d.period, d.entered_at)
                .where(d.deleted_at.is_(None), d.entered_at > earliest)):
            if measure_id in signed and _utc(at) > _utc(signed[measure_id].reviewed_at):
                found[measure_id].periods.append(period)
        _audited_changes(session, earliest, signed, found)
    result = {}
    for measure_id in projects:
        review = signed.get(measure_id)
        if review is None:
            result[measure_id] = SinceReview()
            continue
        got = found.get(measure_id, _Found())
        result[measure_id] = SinceReview(review.reviewed_at, review.reviewer, review.comment,
                                         tuple(sorted(got.periods)), got.phases,
                                         tuple(got.decisions))
    return result


def _sign_offs_by_measure(session, reviewer: str | None, projects: dict[int, int]
                          ) -> dict[int, Review]:
    """Each measure's newest sign-off: of the measure itself or of its project."""
    r = ReviewRow
    query = select(r).where(r.deleted_at.is_(None)).order_by(r.reviewed_at, r.id)
    if reviewer:
        query = query.where(r.reviewer == reviewer)
    newest_measure, newest_project = {}, {}
    for row in session.scalars(query):  # oldest first: the newest one wins
        target = newest_measure if row.subject == ReviewSubject.MEASURE.value else newest_project
        target[row.subject_id] = to_entity(Review, row)
    found = {}
    for measure_id, project_id in projects.items():
        options = [x for x in (newest_measure.get(measure_id), newest_project.get(project_id)) if x]
        if options:
            found[measure_id] = max(options, key=lambda review: _utc(review.reviewed_at))
    return found


def _audited_changes(session, earliest: datetime, signed: dict[int, Review],
                     found: dict[int, _Found]) -> None:
    """Phases added or removed, and PDSA decisions made, after each measure's sign-off."""
    a = AuditEventRow
    events = session.execute(select(a.table_name, a.record_id, a.at, a.changes).where(
        a.at > earliest, a.table_name.in_(("phase", "pdsa_cycle")))).all()
    if not events:
        return
    phase_ids = {e.record_id for e in events if e.table_name == "phase"}
    cycle_ids = {e.record_id for e in events if e.table_name == "pdsa_cycle"}
    phase_measure = dict(session.execute(select(PhaseRow.id, PhaseRow.measure_id)
                                         .where(PhaseRow.id.in_(phase_ids))).all())
    cycle_measures: dict[int, set[int]] = defaultdict(set)
    links = select(PdsaMeasureRow.pdsa_cycle_id, PdsaMeasureRow.measure_id).where(
        PdsaMeasureRow.pdsa_cycle_id.in_(cycle_ids), PdsaMeasureRow.deleted_at.is_(None))
    predicted = select(PdsaCycleRow.id, PdsaCycleRow.prediction_measure_id).where(
        PdsaCycleRow.id.in_(cycle_ids), PdsaCycleRow.prediction_measure_id.is_not(None))
    for cycle_id, measure_id in [*session.execute(links), *session.execute(predicted)]:
        cycle_measures[cycle_id].add(measure_id)
    for event in events:
        if event.table_name == "phase":
            measure_id = phase_measure.get(event.record_id)
            if measure_id in signed and _utc(event.at) > _utc(signed[measure_id].reviewed_at):
                found[measure_id].phases += 1
            continue
        decision = json.loads(event.changes or "{}").get("decision", [None, None])[1]
        if not decision:
            continue
        for measure_id in cycle_measures.get(event.record_id, ()):
            if measure_id in signed and _utc(event.at) > _utc(signed[measure_id].reviewed_at):
                found[measure_id].decisions.append(decision)


def _utc(moment: datetime) -> datetime:
    """Instants are stored as UTC without a zone; compare them as UTC either way."""
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)
