"""Service calls: one transaction each, audited, soft deletes, patient-data guard."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from qidesk.domain.changes import ChangeAction
from qidesk.domain.entities import (
    Annotation,
    DataPoint,
    DriverNode,
    PdsaCycle,
    Phase,
    ProgressScore,
    Project,
    ProjectMember,
    Review,
    Team,
)
from qidesk.domain.enums import (
    AnnotationKind,
    ChangeIdeaStatus,
    DriverLevel,
    PdsaDecision,
    PdsaStatus,
    ReviewSubject,
)
from qidesk.domain.errors import ValidationError
from qidesk.domain.rules import PidConfirmationRequired
from qidesk.services import (
    data_points,
    drivers,
    history,
    measures,
    pdsa,
    projects,
    reviews,
    teams,
)
from qidesk.services.data_points import ExistingPolicy
from qidesk.services.unit import WITHHELD

MON = date(2024, 1, 1)
NHS_TEXT = "Mrs B, NHS 943 476 5919, fell in bay 2"


def test_saving_a_point_audits_who_what_when(wb, ward):
    change = data_points.record_data_point(
        wb, DataPoint(measure_id=ward.falls, period=MON, value=3, comment="Bay 2"))
    assert change.changes[0].kind == "data_point" and change.changes[0].action == "created"
    [event] = history.audit_trail(wb, "data_point", change.id)
    assert (event.staff_name, event.action) == ("Sam Jones", "created")
    assert event.os_user and event.computer and event.app_version == "0.1.0"
    assert event.changes["value"] == [None, 3.0]
    assert event.at.tzinfo is not None
    [point] = data_points.list_data_points(wb, ward.falls)
    assert point.entered_by == "Sam Jones" and point.entered_at is not None


def test_update_records_old_and_new_and_returns_only_what_changed(wb, ward):
    pid = data_points.record_data_point(wb, DataPoint(measure_id=ward.falls, period=MON,
                                                      value=3)).id
    change = data_points.update_data_point(wb, pid, value=4)
    assert change.ids("data_point", ChangeAction.UPDATED) == [pid]
    assert history.audit_trail(wb, "data_point", pid)[0].changes == {"value": [3.0, 4.0]}
    assert not data_points.update_data_point(wb, pid, value=4)  # nothing to do, no event
    assert len(history.audit_trail(wb, "data_point", pid)) == 2


def test_validation_failure_writes_nothing(wb, ward):
    events = len(history.audit_trail(wb))
    with pytest.raises(ValidationError) as info:
        data_points.record_data_point(wb, DataPoint(measure_id=ward.obs, period=MON,
                                                    numerator=9, denominator=5))
    assert info.value.field == "numerator"
    with pytest.raises(ValidationError) as info:
        data_points.record_data_point(wb, DataPoint(measure_id=ward.falls,
                                                    period=date(2024, 1, 2), value=1))
    assert info.value.field == "period"
    assert data_points.list_data_points(wb, ward.obs) == []
    assert len(history.audit_trail(wb)) == events


def test_duplicate_period_refused_but_events_may_share_a_date(wb, ward):
    data_points.record_data_point(wb, DataPoint(measure_id=ward.falls, period=MON, value=1))
    with pytest.raises(ValidationError, match="already a data point") as info:
        data_points.record_data_point(wb, DataPoint(measure_id=ward.falls, period=MON, value=2))
    assert info.value.field == "period"
    for _ in range(2):
        data_points.record_data_point(wb, DataPoint(measure_id=ward.between,
                                                    period=date(2024, 1, 3), value=12))
    assert len(data_points.list_data_points(wb, ward.between)) == 2


def test_soft_delete_and_restore(wb, ward):
    pid = data_points.record_data_point(wb, DataPoint(measure_id=ward.falls, period=MON,
                                                      value=1)).id
    assert data_points.delete_data_point(wb, pid).ids("data_point", ChangeAction.DELETED)
    assert data_points.list_data_points(wb, ward.falls) == []
    [deleted] = history.deleted_records(wb, "data_point")
    assert deleted.id == pid
    # A new point took the period meanwhile: restoring must not make a duplicate.
    other = data_points.record_data_point(wb, DataPoint(measure_id=ward.falls, period=MON,
                                                        value=5)).id
    with pytest.raises(ValidationError):
        history.restore_record(wb, "data_point", pid)
    data_points.delete_data_point(wb, other)
    assert history.restore_record(wb, "data_point", pid).ids("data_point") == [pid]
    assert [p.value for p in data_points.list_data_points(wb, ward.falls)] == [1.0]


def test_pid_guard_needs_confirmation_and_keeps_no_text_in_audit(wb, ward):
    with pytest.raises(PidConfirmationRequired) as info:
        data_points.record_data_point(wb, DataPoint(measure_id=ward.falls, period=MON,
                                                    value=1, comment=NHS_TEXT))
    assert "comment" in info.value.warnings and "943" not in str(info.value)
    assert data_points.list_data_points(wb, ward.falls) == []
    change = data_points.record_data_point(wb, DataPoint(
        measure_id=ward.falls, period=MON, value=1, comment=NHS_TEXT), confirm_pid=True)
    assert change.pid_warnings == info.value.warnings
    [event] = history.audit_trail(wb, "data_point", change.id)
    assert event.pid_warnings == info.value.warnings
    assert event.changes["comment"] == [WITHHELD, WITHHELD]
    kept = [(e.changes, e.pid_warnings) for e in history.audit_trail(wb)]
    assert "943 476" not in repr(kept) and "Mrs B" not in repr(kept)


@pytest.mark.parametrize("call", [
    lambda wb, w: teams.add_team(wb, Team(name="SW1A 1AA ward")),
    lambda wb, w: projects.update_project(wb, w.project_id, problem="DOB 01/02/1950"),
    lambda wb, w: measures.update_measure(wb, w.falls, definition=NHS_TEXT),
    lambda wb, w: projects.add_member(wb, ProjectMember(project_id=w.project_id,
                                                        name="Ann", role=NHS_TEXT)),
])
def test_pid_guard_on_every_free_text_field(wb, ward, call):
    with pytest.raises(PidConfirmationRequired):
        call(wb, ward)


def test_projects_members_and_score_history(wb, ward):
    projects.add_member(wb, ProjectMember(project_id=ward.project_id, name="Ann", role="lead"))
    for score, day in ((1.0, MON), (2.5, date(2024, 3, 1))):
        projects.record_score(wb, ProgressScore(project_id=ward.project_id, score=score,
                                                scored_on=day))
    with pytest.raises(ValidationError):
        projects.record_score(wb, ProgressScore(project_id=ward.project_id, score=2.2,
                                                scored_on=MON))
    assert [s.score for s in projects.score_history(wb, ward.project_id)] == [1.0, 2.5]
    assert projects.current_score(wb, ward.project_id).score == 2.5
    assert [m.name for m in projects.list_members(wb, ward.project_id)] == ["Ann"]
    with pytest.raises(ValidationError, match="already a team"):
        teams.add_team(wb, Team(name="ward 7 (ELDERLY care)"))


def _diagram(wb, ward):
    aim = drivers.add_node(wb, DriverNode(project_id=ward.project_id, level=DriverLevel.AIM,
                                          text="Halve falls by March")).id
    primary = drivers.add_node(wb, DriverNode(project_id=ward.project_id, parent_id=aim,
                                              level=DriverLevel.PRIMARY, text="Safe mobility")).id
    idea = drivers.add_node(wb, DriverNode(project_id=ward.project_id, parent_id=primary,
                                           level=DriverLevel.CHANGE_IDEA, text="Bed rails")).id
    return aim, primary, idea


def test_driver_diagram_and_pdsa_ramp(wb, ward):
    aim, primary, idea = _diagram(wb, ward)
    assert drivers.change_ideas(wb, ward.project_id)[0].status == ChangeIdeaStatus.UNTESTED
    with pytest.raises(ValidationError):
        drivers.add_node(wb, DriverNode(project_id=ward.project_id, parent_id=aim,
                                        level=DriverLevel.CHANGE_IDEA, text="x"))
    cycle = pdsa.add_cycle(wb, PdsaCycle(
        change_idea_id=idea, cycle_number=1, objective="Try on one bay", predictions="fewer",
        plan_who="Nurse in charge", prediction_measure_id=ward.falls, prediction_value=2.0,
        prediction_by=date(2024, 3, 1))).id
    pdsa.set_linked_measures(wb, cycle, [ward.falls, ward.obs])
    pdsa.set_linked_measures(wb, cycle, [ward.falls])
    assert pdsa.linked_measures(wb, cycle) == [ward.falls]
    pdsa.update_cycle(wb, cycle, status=PdsaStatus.DONE, decision=PdsaDecision.ADAPT,
                      learning="Works on nights only")
    assert pdsa.next_cycle_number(wb, idea) == 2
    with pytest.raises(ValidationError, match="already has a cycle 1"):
        pdsa.add_cycle(wb, PdsaCycle(change_idea_id=idea, cycle_number=1))
    with pytest.raises(ValidationError):
        pdsa.add_cycle(wb, PdsaCycle(change_idea_id=primary, cycle_number=1))
    got = pdsa.get_cycle(wb, cycle)
    assert got.decision == PdsaDecision.ADAPT and got.prediction_value == 2.0


def test_phases_baseline_annotations_and_review_board(wb, ward):
    for week in range(6):
        data_points.record_data_point(wb, DataPoint(
            measure_id=ward.falls, period=MON + timedelta(weeks=week), value=week))
    measures.set_baseline(wb, ward.falls, 4)
    measures.add_phase(wb, Phase(measure_id=ward.falls, start_date=date(2024, 1, 22),
                                 reason="Bed rails adopted"))
    measures.add_annotation(wb, Annotation(measure_id=ward.falls, on_date=date(2024, 1, 15),
                                           kind=AnnotationKind.EXTERNAL_EVENT, text="Norovirus"))
    reviews.sign_off(wb, Review(subject=ReviewSubject.MEASURE, subject_id=ward.falls,
                                comment="Improving"))
    data_points.record_data_point(wb, DataPoint(measure_id=ward.falls,
                                                period=date(2024, 2, 12), value=0))
    board = {row.measure.id: row for row in reviews.review_board(wb, ward.team_id)}
    falls = board[ward.falls]
    assert falls.measure.baseline_points == 4 and len(falls.series.values) == 7
    assert falls.last_review.reviewer == "Sam Jones" and falls.points_since_review == 1
    assert board[ward.obs].last_review is None and board[ward.obs].series.values == []
    assert [p.reason for p in measures.list_phases(wb, ward.falls)] == ["Bed rails adopted"]
    assert measures.list_annotations(wb, ward.falls)[0].kind == AnnotationKind.EXTERNAL_EVENT


def test_measure_value_type_locked_once_it_has_data(wb, ward):
    from qidesk.domain.enums import ValueType

    data_points.record_data_point(wb, DataPoint(measure_id=ward.falls, period=MON, value=1))
    with pytest.raises(ValidationError) as info:
        measures.update_measure(wb, ward.falls, value_type=ValueType.CONTINUOUS)
    assert info.value.field == "value_type"


def test_batch_is_all_or_nothing_with_existing_policy(wb, ward):
    data_points.record_data_point(wb, DataPoint(measure_id=ward.falls, period=MON, value=1))
    weeks = [date(2024, 1, 1 + 7 * i) for i in range(4)]
    bad = [DataPoint(measure_id=ward.falls, period=d, value=2) for d in weeks]
    bad[2] = DataPoint(measure_id=ward.falls, period=weeks[2], value=-1)
    with pytest.raises(ValidationError) as info:
        data_points.record_data_points(wb, ward.falls, bad, existing=ExistingPolicy.SKIP)
    assert info.value.row == 3
    assert len(data_points.list_data_points(wb, ward.falls)) == 1
    good = [DataPoint(measure_id=ward.falls, period=d, value=2) for d in weeks]
    result = data_points.record_data_points(wb, ward.falls, good, existing=ExistingPolicy.SKIP)
    assert (result.added, result.skipped, result.replaced) == (3, 1, 0)
    result = data_points.record_data_points(wb, ward.falls, good[:1],
                                            existing=ExistingPolicy.REPLACE)
    assert result.replaced == 1
    assert [p.value for p in data_points.list_data_points(wb, ward.falls)] == [2.0] * 4
    with pytest.raises(ValidationError):
        data_points.record_data_points(wb, ward.falls, good[:1])


def test_staff_names(wb):
    teams.add_staff(wb, "Ann Lee")
    with pytest.raises(ValidationError):
        teams.add_staff(wb, " ann lee ")
    assert [s.name for s in teams.list_staff(wb)] == ["Ann Lee"]


def test_staff_role_is_optional_length_checked_and_changeable(wb):
    teams.add_staff(wb, "Ann Lee")
    teams.add_staff(wb, "Ben Cho", role="  Staff nurse ")
    with pytest.raises(ValidationError) as info:
        teams.add_staff(wb, "Cara Dunn", role="R" * 61)
    assert info.value.field == "role"
    assert {s.name: s.role for s in teams.list_staff(wb)} == {
        "Ann Lee": "", "Ben Cho": "Staff nurse"}
    ann = next(s for s in teams.list_staff(wb) if s.name == "Ann Lee")
    teams.set_staff_role(wb, ann.id, "Matron")
    assert history.audit_trail(wb, "staff", ann.id, limit=1)[0].changes == {"role": ["", "Matron"]}
    with pytest.raises(ValidationError) as info:
        teams.set_staff_role(wb, ann.id, "M" * 61)
    assert info.value.field == "role"
    teams.set_staff_role(wb, ann.id, "")
    assert {s.name: s.role for s in teams.list_staff(wb)}["Ann Lee"] == ""


def test_staff_role_is_checked_for_patient_details(wb):
    with pytest.raises(PidConfirmationRequired) as info:
        teams.add_staff(wb, "Ann Lee", role=NHS_TEXT)
    assert "role" in info.value.warnings
    assert teams.list_staff(wb) == []
    teams.add_staff(wb, "Ann Lee", role=NHS_TEXT, confirm_pid=True)
    [ann] = teams.list_staff(wb)
    with pytest.raises(PidConfirmationRequired):
        teams.set_staff_role(wb, ann.id, NHS_TEXT + " again")


def test_batch_withholds_patient_text_of_exactly_the_rows_that_had_it(wb, ward):
    """Rows skipped, replaced and added in one batch: each flagged row's audit keeps no
    text, whatever its place among the rest."""
    weeks = [date(2024, 1, 1 + 7 * i) for i in range(4)]
    data_points.record_data_points(wb, ward.falls, [
        DataPoint(measure_id=ward.falls, period=d, value=1) for d in weeks[:2]])
    batch = [DataPoint(measure_id=ward.falls, period=weeks[0], value=5),  # stored: replaced
             DataPoint(measure_id=ward.falls, period=weeks[1], value=6, comment=NHS_TEXT),
             DataPoint(measure_id=ward.falls, period=weeks[2], value=7, comment=NHS_TEXT),
             DataPoint(measure_id=ward.falls, period=weeks[3], value=8, comment="agency")]
    with pytest.raises(PidConfirmationRequired):
        data_points.record_data_points(wb, ward.falls, batch, existing=ExistingPolicy.REPLACE)
    result = data_points.record_data_points(wb, ward.falls, batch, confirm_pid=True,
                                            existing=ExistingPolicy.REPLACE)
    assert (result.added, result.replaced) == (2, 2)
    by_week = {p.period: p.id for p in data_points.list_data_points(wb, ward.falls)}
    comments = {week: history.audit_trail(wb, "data_point", by_week[week], limit=1)[0]
                .changes.get("comment") for week in weeks}
    assert comments == {weeks[0]: None, weeks[1]: [WITHHELD, WITHHELD],
                        weeks[2]: [WITHHELD, WITHHELD], weeks[3]: [None, "agency"]}


def test_replace_keeps_exclusions_and_comments_the_new_point_lacks(wb, ward):
    first = data_points.record_data_point(wb, DataPoint(
        measure_id=ward.falls, period=MON, value=9, comment="agency night",
        excluded=True, exclusion_reason="ward closed for deep clean")).id
    result = data_points.record_data_points(
        wb, ward.falls, [DataPoint(measure_id=ward.falls, period=MON, value=2)],
        existing=ExistingPolicy.REPLACE)
    assert result.replaced == 1 and result.changes.ids("data_point") == [first]
    [point] = data_points.list_data_points(wb, ward.falls)
    assert (point.value, point.comment, point.excluded) == (2.0, "agency night", True)
    assert history.audit_trail(wb, "data_point", first)[0].changes == {"value": [9.0, 2.0]}


def test_plain_strings_for_choices_are_accepted_or_explained(wb, ward):
    projects.update_project(wb, ward.project_id, status="active")
    assert projects.get_project(wb, ward.project_id).status == "active"
    with pytest.raises(ValidationError) as info:
        projects.update_project(wb, ward.project_id, status="finished-ish")
    assert info.value.field == "status"
    with pytest.raises(ValidationError) as info:
        projects.update_project(wb, ward.project_id, start_date="01/01/2024")
    assert info.value.field == "start_date"


def test_a_new_ward_and_its_first_project_are_saved_together_or_not_at_all(wb):
    with pytest.raises(ValidationError) as info:  # no title: the ward isn't kept either
        projects.add_project_in_new_team(wb, Team(name="Ward 9"), Project(team_id=0, title=""))
    assert info.value.field == "title" and teams.list_teams(wb) == []
    with pytest.raises(PidConfirmationRequired):
        projects.add_project_in_new_team(wb, Team(name="SW1A 1AA ward"),
                                         Project(team_id=0, title="Mouth care"))
    assert teams.list_teams(wb) == []
    made = projects.add_project_in_new_team(wb, Team(name="Ward 9"),
                                            Project(team_id=0, title="Mouth care"))
    [team_id], [project_id] = made.ids("team"), made.ids("project")
    assert projects.get_project(wb, project_id).team_id == team_id
    assert [e.table_name for e in history.audit_trail(wb)] == ["project", "team"]
    with pytest.raises(ValidationError) as info:
        projects.add_project_in_new_team(wb, Team(name="ward 9"), Project(team_id=0, title="X"))
    assert info.value.field == "name"
    projects.delete_project(wb, project_id, team_id=team_id)  # undo: both go, both return
    assert teams.list_teams(wb) == []
    history.restore_records(wb, [("team", team_id), ("project", project_id)])
    assert [p.title for p in projects.list_projects(wb, team_id)] == ["Mouth care"]
