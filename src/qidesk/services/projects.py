"""Projects, their members and their IHI progress score history."""

from __future__ import annotations

from dataclasses import replace

from qidesk.domain.changes import ChangeSet
from qidesk.domain.entities import ProgressScore, Project, ProjectMember, Team
from qidesk.domain.rules import check_progress_score, check_project
from qidesk.services import records, teams
from qidesk.services.unit import Unit, writing
from qidesk.services.workbook import Workbook


def _team_exists(unit: Unit, project: Project) -> None:
    records.require(unit.session, Team, project.team_id, "team_id")


def _project_exists(unit: Unit, child) -> None:
    records.require(unit.session, Project, child.project_id, "project_id")


def list_projects(wb: Workbook, team_id: int) -> list[Project]:
    return records.list_live(wb, Project, "title", team_id=team_id)


def get_project(wb: Workbook, project_id: int) -> Project:
    return records.get(wb, Project, project_id)


def add_project(wb: Workbook, project: Project, *, confirm_pid: bool = False) -> ChangeSet:
    """Add a project to a team; `ChangeSet.id` is the new project's id."""
    return records.create(wb, project, rule=check_project, check=_team_exists,
                          confirm_pid=confirm_pid)


def add_project_in_new_team(wb: Workbook, team: Team, project: Project, *,
                            confirm_pid: bool = False) -> ChangeSet:
    """A new ward and its first project in one transaction (a new workbook's first
    project names its ward): a refused title leaves no ward behind."""
    with writing(wb) as unit:
        team_id = records.create_in(unit, team, check=teams.unique_team_name,
                                    confirm_pid=confirm_pid)
        records.create_in(unit, replace(project, team_id=team_id), rule=check_project,
                          check=_team_exists, confirm_pid=confirm_pid)
    return unit.result()


def update_project(wb: Workbook, project_id: int, *, confirm_pid: bool = False,
                   **changes) -> ChangeSet:
    return records.update(wb, Project, project_id, changes, rule=check_project,
                          check=_team_exists, confirm_pid=confirm_pid)


def delete_project(wb: Workbook, project_id: int, *, team_id: int | None = None) -> ChangeSet:
    """Soft delete; with `team_id`, that ward too (undoing add_project_in_new_team)."""
    return records.delete_all(wb, [(Project, project_id)]
                              + ([(Team, team_id)] if team_id is not None else []))


def list_members(wb: Workbook, project_id: int) -> list[ProjectMember]:
    return records.list_live(wb, ProjectMember, "name", project_id=project_id)


def add_member(wb: Workbook, member: ProjectMember, *, confirm_pid: bool = False) -> ChangeSet:
    return records.create(wb, member, check=_project_exists, confirm_pid=confirm_pid)


def update_member(wb: Workbook, member_id: int, *, confirm_pid: bool = False,
                  **changes) -> ChangeSet:
    return records.update(wb, ProjectMember, member_id, changes, check=_project_exists,
                          confirm_pid=confirm_pid)


def remove_member(wb: Workbook, member_id: int) -> ChangeSet:
    return records.delete(wb, ProjectMember, member_id)


def score_history(wb: Workbook, project_id: int) -> list[ProgressScore]:
    """The project's IHI progress scores, oldest first."""
    return records.list_live(wb, ProgressScore, "scored_on", project_id=project_id)


def current_score(wb: Workbook, project_id: int) -> ProgressScore | None:
    history = score_history(wb, project_id)
    return history[-1] if history else None


def record_score(wb: Workbook, score: ProgressScore, *, confirm_pid: bool = False) -> ChangeSet:
    """Add an IHI progress score (0.5-5.0 in half steps) to the project's history."""
    return records.create(wb, score, rule=check_progress_score, check=_project_exists,
                          confirm_pid=confirm_pid)


def update_score(wb: Workbook, score_id: int, *, confirm_pid: bool = False,
                 **changes) -> ChangeSet:
    return records.update(wb, ProgressScore, score_id, changes, rule=check_progress_score,
                          check=_project_exists, confirm_pid=confirm_pid)


def delete_score(wb: Workbook, score_id: int) -> ChangeSet:
    return records.delete(wb, ProgressScore, score_id)
